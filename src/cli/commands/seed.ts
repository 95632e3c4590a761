import { InvalidArgumentError, type Command } from 'commander';
import { CliError, usageError } from '../errors';

function seedNumber(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('generate the demo city at a scale and bulk-load it into every department (idempotent: a department already seeded at this scale is kept)')
    .option('--scale <scale>', 'small | medium | city (2.4 million residents) | a number of residents', 'small')
    .option('--seed <n>', 'random seed of the city', seedNumber)
    .option('--database-url <url>', 'target database (default: DATABASE_URL, else the embedded database of npm start)')
    .option('--replace', 'replace what departments hold (another scale, or data not seeded by the hub)')
    .option('--no-progress', 'one line per table instead of progress bars')
    .option('--skip-disk-check', 'seed even when the free disk space looks too small')
    .action(async (opts: { scale: string; seed?: number; databaseUrl?: string; replace?: boolean; progress: boolean; skipDiskCheck?: boolean }) => {
      const { parseScale } = require('../../demo/scale') as typeof import('../../demo/scale');
      try {
        parseScale(opts.scale);
      } catch (e) {
        throw usageError((e as Error).message);
      }
      const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
      const { formatSeedReport, runSeed, SeedError } = require('../seed') as typeof import('../seed');
      try {
        const report = await runSeed(loadConfig(), { ...opts, progress: opts.progress && process.stderr.isTTY ? 'bars' : 'lines' });
        process.stdout.write(`${formatSeedReport(report)}\n`);
      } catch (e) {
        if (e instanceof SeedError) throw new CliError(e.message);
        throw e;
      }
    });
}
