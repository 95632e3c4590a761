import type { Command } from 'commander';
import { usageError } from '../errors';

export function registerPlans(program: Command): void {
  program
    .command('plans')
    .description('EXPLAIN ANALYZE the hot queries on a seeded database and flag sequential scans of large tables')
    .option('--database-url <url>', 'the database (default: DATABASE_URL, else the running `npm start`)')
    .action(async (opts: { databaseUrl?: string }) => {
      const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
      const { runningHubDatabase } = require('../runtime') as typeof import('../runtime');
      const config = loadConfig();
      const url = opts.databaseUrl ?? config.databaseUrl ?? runningHubDatabase(config.dataDir);
      if (!url) throw usageError('no database: start the hub (npm start) in another terminal, or give --database-url or DATABASE_URL');
      const { explainHotQueries, formatPlanReports } = require('../plans') as typeof import('../plans');
      const reports = await explainHotQueries(url);
      process.stdout.write(`${formatPlanReports(reports)}\n`);
      if (reports.some((r) => r.problems.length)) process.exitCode = 1;
    });
}
