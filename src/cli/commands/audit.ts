import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Client } from 'pg';
import { CliError, usageError } from '../errors';

/** The modules audit commands need, loaded when one runs (so `hub --help` answers at once). */
function load() {
  const verify = require('../../audit/verify') as typeof import('../../audit/verify');
  const keys = require('../../auth/keys') as typeof import('../../auth/keys');
  const config = require('../../shared/config') as typeof import('../../shared/config');
  const db = require('../../shared/db') as typeof import('../../shared/db');
  const embedded = require('../../shared/embeddedPostgres') as typeof import('../../shared/embeddedPostgres');
  const runtime = require('../runtime') as typeof import('../runtime');
  const pg = require('pg') as typeof import('pg');
  return { ...verify, ...keys, ...config, ...db, ...embedded, ...runtime, Client: pg.Client };
}

async function auditClient(url?: string): Promise<{ client: Client; close(): Promise<void> }> {
  const { loadConfig, runningHubDatabase, startEmbeddedPostgres, withDatabase, HUB_DATABASE, Client } = load();
  const config = loadConfig();
  let target = url ?? config.auditDatabaseUrl ?? config.databaseUrl ?? runningHubDatabase(config.dataDir) ?? undefined;
  const db = target ? null : await startEmbeddedPostgres(join(config.dataDir, 'pg'));
  if (db) target = withDatabase(db.url, HUB_DATABASE);
  const client = new Client({ connectionString: target });
  try {
    await client.connect();
  } catch (e) {
    await db?.stop();
    throw e;
  }
  return { client, close: async () => { await client.end(); await db?.stop(); } };
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit trail (audit.access_log)');

  audit
    .command('verify')
    .description('walk the hash chain and report the first broken row (exit 1 when broken)')
    .option('--against <file>', 'also check the chain still extends a head exported earlier with `audit head`')
    .option('--database-url <url>', 'the database holding the trail (default AUDIT_DATABASE_URL, DATABASE_URL, or the embedded one)')
    .action(async (opts: { against?: string; databaseUrl?: string }) => {
      if (opts.against && !existsSync(opts.against)) throw usageError(`--against ${opts.against}: no such file (write one with \`hub audit head --out ${opts.against}\`)`);
      const { verifyChain, readSignedHead, verifyAgainstHead, loadAuthKeys, loadConfig } = load();
      const { client, close } = await auditClient(opts.databaseUrl);
      try {
        const report = await verifyChain(client, (rows) => process.stderr.write(`\rverified ${rows} rows`));
        process.stderr.write('\n');
        if (!report.ok) throw new CliError(`chain BROKEN at row ${report.broken!.seq}: ${report.broken!.problem} (${report.rows} rows verified before it)`);
        process.stdout.write(`chain intact: ${report.rows} rows, head ${report.lastSeq ?? '-'} ${report.lastHash}\n`);
        if (opts.against) {
          const keys = await loadAuthKeys(loadConfig());
          const head = await readSignedHead(readFileSync(opts.against, 'utf8'), keys.internalVerificationKey);
          const against = await verifyAgainstHead(client, head);
          if (!against.ok) throw new CliError(`chain does not extend the exported head of ${head.exportedAt}: ${against.problem}`);
          process.stdout.write(`chain extends the exported head of ${head.exportedAt} (row ${head.lastSeq})\n`);
        }
      } finally {
        await close();
      }
    });

  audit
    .command('head')
    .description("export the chain head (last hash, row count, time) signed with the hub's key, for safekeeping outside the database")
    .option('--out <file>', 'write the signed head to a file instead of stdout')
    .option('--database-url <url>', 'the database holding the trail')
    .action(async (opts: { out?: string; databaseUrl?: string }) => {
      const { verifyChain, signHead, loadAuthKeys, loadConfig } = load();
      const { client, close } = await auditClient(opts.databaseUrl);
      try {
        const report = await verifyChain(client);
        if (!report.ok) throw new CliError(`refusing to export the head of a broken chain (row ${report.broken!.seq}: ${report.broken!.problem})`);
        const keys = await loadAuthKeys(loadConfig());
        if (!keys.internalSigningKey) throw usageError('no signing key: set INTERNAL_JWT_PRIVATE_KEY');
        const jws = await signHead({ lastSeq: report.lastSeq, lastHash: report.lastHash, rows: report.rows, exportedAt: new Date().toISOString() }, keys.internalSigningKey);
        if (opts.out) writeFileSync(opts.out, `${jws}\n`);
        else process.stdout.write(`${jws}\n`);
        process.stderr.write(`head: row ${report.lastSeq ?? '-'}, ${report.rows} rows\n`);
      } finally {
        await close();
      }
    });
}
