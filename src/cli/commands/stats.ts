import type { Command } from 'commander';

export function registerStats(program: Command): void {
  const stats = program.command('stats').description('statistics releases: the only cells analysts read');
  stats
    .command('refresh')
    .description(
      "decide and store every department's statistics release (suppression over the whole hierarchy) from its current records, then 民转刑's (PSI-CA between justice and police)",
    )
    .option('--database-url <url>', 'target database (default: DATABASE_URL, else the embedded database of npm start)')
    .action(async (opts: { databaseUrl?: string }) => {
      const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
      const { describeRefresh, refreshAll } = require('../stats') as typeof import('../stats');
      const started = Date.now();
      // A line per department as soon as its release is stored: a city-scale refresh takes minutes.
      const done = await refreshAll(loadConfig(), opts.databaseUrl, (r) => process.stdout.write(`${describeRefresh(r)}\n`));
      const cells = done.reduce((s, r) => s + r.cells, 0);
      const withheld = done.reduce((s, r) => s + r.withheld, 0);
      process.stdout.write(
        `${done.filter((r) => !('elements' in r)).length} departments and 民转刑, ${cells} cells, ${withheld} withheld (${((100 * withheld) / Math.max(cells, 1)).toFixed(1)} %), in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    });
}
