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
    .option('--history-months <n>', "months of history up to the demo's end (2026-11), volumes at the same yearly rates: 12–120", '23')
    .option('--database-url <url>', 'target database (default: DATABASE_URL, else the embedded database of npm start)')
    .option('--replace', 'replace what departments hold (another scale, or data not seeded by the hub)')
    .option('--no-progress', 'one line per table instead of progress bars')
    .option('--skip-disk-check', 'seed even when the free disk space looks too small')
    .action(
      async (opts: {
        scale: string;
        seed?: number;
        historyMonths: string;
        databaseUrl?: string;
        replace?: boolean;
        progress: boolean;
        skipDiskCheck?: boolean;
      }) => {
        const { parseScale } = require('../../demo/scale') as typeof import('../../demo/scale');
        const { demoPeriod, HISTORY_MONTHS_RANGE } = require('../../demo/city') as typeof import('../../demo/city');
        try {
          parseScale(opts.scale);
        } catch (e) {
          throw usageError((e as Error).message);
        }
        // Digits only: Number() would take "6e1" or " 60".
        const historyMonths = /^\d{1,4}$/.test(opts.historyMonths) ? Number(opts.historyMonths) : NaN;
        try {
          demoPeriod(historyMonths);
        } catch {
          throw usageError(
            `--history-months ${opts.historyMonths}: expected a whole number of months from ${HISTORY_MONTHS_RANGE.min} to ${HISTORY_MONTHS_RANGE.max}`,
          );
        }
        const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
        const { formatSeedReport, runSeed, SeedError } = require('../seed') as typeof import('../seed');
        try {
          const report = await runSeed(loadConfig(), { ...opts, historyMonths, progress: opts.progress && process.stderr.isTTY ? 'bars' : 'lines' });
          process.stdout.write(`${formatSeedReport(report)}\n`);
        } catch (e) {
          if (e instanceof SeedError) throw new CliError(e.message);
          throw e;
        }
      },
    );
}
