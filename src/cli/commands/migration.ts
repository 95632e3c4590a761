import { join } from 'node:path';
import type { Command } from 'commander';
import { SUBGRAPHS, type SubgraphName } from '../../shared/config';
import { usageError } from '../errors';

export function registerMigration(program: Command): void {
  const migration = program.command('migration').description('database migrations');
  migration
    .command('apply')
    .argument('<subgraph>', SUBGRAPHS.join('|'))
    .description(
      "apply a subgraph's pending migrations (and, unless AUDIT_MIGRATE=off, the audit schema's) from the environment `hub serve` reads, then exit; run before a new version serves, which then starts with SCHEMA_MIGRATE=off",
    )
    .action(async (subgraph: string) => {
      if (!(SUBGRAPHS as readonly string[]).includes(subgraph)) throw usageError(`unknown subgraph "${subgraph}"; expected one of ${SUBGRAPHS.join(', ')}`);
      const { migrateRole } = require('../serve') as typeof import('../serve');
      const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
      const { runningHubDatabase } = require('../runtime') as typeof import('../runtime');
      // Without a database in the environment, the database of a running `npm start` (.data/running.json), like the other commands.
      const env = { ...process.env };
      const running = env.DATABASE_URL || env[`DATABASE_URL_${subgraph.toUpperCase()}`] ? null : runningHubDatabase(loadConfig(env).dataDir);
      if (running) env.DATABASE_URL = running;
      const { applied } = await migrateRole(subgraph as SubgraphName, env);
      const where = running ? " (the running hub's database)" : '';
      process.stdout.write(applied.length ? `${subgraph}: applied ${applied.join(', ')}${where}\n` : `${subgraph}: schema up to date${where}\n`);
    });
  migration
    .command('create')
    .argument('<department>', SUBGRAPHS.join('|'))
    .description("write a migration for the difference between a department's entities and its migrated schema")
    .action(async (department: string) => {
      if (!(SUBGRAPHS as readonly string[]).includes(department))
        throw usageError(`unknown department "${department}"; expected one of ${SUBGRAPHS.join(', ')}`);
      const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
      const { ensureDatabase, withDatabase } = require('../../shared/db') as typeof import('../../shared/db');
      const { startEmbeddedPostgres } = require('../../shared/embeddedPostgres') as typeof import('../../shared/embeddedPostgres');
      const { subgraphs } = require('../../subgraphs') as typeof import('../../subgraphs');
      const { createMigration, MigrationRefused } = require('../migrationCreate') as typeof import('../migrationCreate');
      const def = subgraphs[department as SubgraphName];
      const config = loadConfig();
      let url = config.databaseUrl;
      const db = url ? null : await startEmbeddedPostgres(join(config.dataDir, 'migration-pg'), { fresh: true, durable: false });
      if (db) {
        await ensureDatabase(db.url, 'migrations');
        url = withDatabase(db.url, 'migrations');
      }
      try {
        const file = await createMigration(def, url!).catch((e: unknown) => {
          throw e instanceof MigrationRefused ? usageError(e.message) : e;
        });
        process.stdout.write(file ? `wrote ${file}\n` : 'no changes\n');
      } finally {
        await db?.stop();
      }
    });
}
