import type { Command } from 'commander';

export function registerStats(program: Command): void {
  const stats = program.command('stats').description('statistics releases: the only cells analysts read');
  stats
    .command('refresh')
    .description("decide and store every department's statistics release (suppression over the whole hierarchy) from its current records")
    .option('--database-url <url>', 'target database (default: DATABASE_URL, else the embedded database of npm start)')
    .action(async (opts: { databaseUrl?: string }) => {
      const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
      const { refreshAll } = require('../stats') as typeof import('../stats');
      for (const r of await refreshAll(loadConfig(), opts.databaseUrl))
        process.stdout.write(`${r.department}: ${r.cells} cells released in ${r.seconds.toFixed(1)} s\n`);
    });
}
