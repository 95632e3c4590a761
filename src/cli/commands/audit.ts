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

async function auditClient(url?: string): Promise<{ client: Client; close: () => Promise<void> }> {
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
  return {
    client,
    close: async () => {
      await client.end();
      await db?.stop();
    },
  };
}

/** The signed heads at `target`: one file, or every `heads-*.jws` of a directory (oldest first). */
function headsAt(target: string): string[] {
  const { statSync } = require('node:fs') as typeof import('node:fs');
  const { headFiles } = require('../../audit/heads') as typeof import('../../audit/heads');
  return statSync(target).isDirectory() ? headFiles(target) : [target];
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit trail (audit.access_log): one hash chain per subgraph');

  audit
    .command('verify')
    .description('walk every hash chain and report the first broken row (exit 1 when broken)')
    .option('--against <path>', 'also check the trail extends the signed heads exported earlier: a file, or a directory of them (AUDIT_HEAD_DIR)')
    .option('--database-url <url>', 'the database holding the trail (default AUDIT_DATABASE_URL, DATABASE_URL, or the embedded one)')
    .action(async (opts: { against?: string; databaseUrl?: string }) => {
      if (opts.against && !existsSync(opts.against))
        throw usageError(`--against ${opts.against}: no such file or directory (heads are exported to AUDIT_HEAD_DIR)`);
      const { verifyChain, chainNames, readSignedHeads, verifyAgainstHeads, loadAuthKeys, loadConfig } = load();
      const { client, close } = await auditClient(opts.databaseUrl);
      try {
        const broken: string[] = [];
        for (const chain of await chainNames(client)) {
          const report = await verifyChain(client, chain, undefined, (rows) => process.stderr.write(`\r${chain}: verified ${rows} rows`));
          process.stderr.write('\n');
          if (report.ok) process.stdout.write(`chain ${chain} intact: ${report.rows} rows, head ${report.head.seq} ${report.head.hash}\n`);
          else broken.push(`chain ${chain} BROKEN at row ${report.broken!.seq}: ${report.broken!.problem} (${report.rows} rows verified before it)`);
        }
        if (opts.against) {
          const keys = await loadAuthKeys(loadConfig());
          const files = headsAt(opts.against);
          if (!files.length) throw usageError(`no signed heads (heads-*.jws) in ${opts.against}`);
          const run = [];
          for (const f of files) run.push(await readSignedHeads(readFileSync(f, 'utf8'), keys.internalVerificationKey));
          const problems = await verifyAgainstHeads(client, run);
          broken.push(...problems.map((p) => `trail does not extend the exported heads: ${p}`));
          if (!problems.length) process.stdout.write(`trail extends all ${run.length} exported heads (the last of ${run.at(-1)!.exportedAt})\n`);
        }
        if (broken.length) throw new CliError(broken.join('\n'));
      } finally {
        await close();
      }
    });

  audit
    .command('archive')
    .description('retention: move closed months before --before out of the database into signed archive files; what stays still verifies')
    .requiredOption('--before <YYYY-MM>', 'archive every monthly partition wholly before this month')
    .requiredOption('--out <dir>', 'where the rows (<partition>.jsonl) and their signed manifests (<partition>.jws) go')
    .option('--database-url <url>', "the database holding the trail (run it as a login that may act as the trail's owner)")
    .action(async (opts: { before: string; out: string; databaseUrl?: string }) => {
      const { archiveBefore } = require('../../audit/archive') as typeof import('../../audit/archive');
      const { loadAuthKeys, loadConfig } = load();
      const keys = await loadAuthKeys(loadConfig());
      if (!keys.internalSigningKey) throw usageError('no signing key: set INTERNAL_JWT_PRIVATE_KEY');
      const { client, close } = await auditClient(opts.databaseUrl);
      try {
        const done = await archiveBefore(client, opts.before, opts.out, keys.internalSigningKey).catch((e: unknown) => {
          throw new CliError(e instanceof Error ? e.message : String(e));
        });
        for (const m of done)
          process.stdout.write(
            `archived ${m.partition}: ${m.rows} rows, ${
              Object.entries(m.chains)
                .map(([c, p]) => `${c} to ${p.last.seq}`)
                .join(', ') || 'no chains'
            }\n`,
          );
        if (!done.length) process.stdout.write(`nothing to archive before ${opts.before}\n`);
      } finally {
        await close();
      }
    });

  audit
    .command('head')
    .description("export every chain's head, signed with the hub's key, for safekeeping outside the database (the audit subgraph also does it on a schedule)")
    .option('--out <file>', 'write the signed heads to a file instead of stdout')
    .option('--database-url <url>', 'the database holding the trail')
    .action(async (opts: { out?: string; databaseUrl?: string }) => {
      const { verifyChain, chainNames, signHeads, loadAuthKeys, loadConfig } = load();
      const { client, close } = await auditClient(opts.databaseUrl);
      try {
        const heads: Record<string, { seq: string; hash: string }> = {};
        for (const chain of await chainNames(client)) {
          const report = await verifyChain(client, chain);
          if (!report.ok) throw new CliError(`refusing to export the heads of a broken chain (${chain}, row ${report.broken!.seq}: ${report.broken!.problem})`);
          heads[chain] = report.head;
        }
        const keys = await loadAuthKeys(loadConfig());
        if (!keys.internalSigningKey) throw usageError('no signing key: set INTERNAL_JWT_PRIVATE_KEY');
        const jws = await signHeads({ exportedAt: new Date().toISOString(), heads }, keys.internalSigningKey);
        if (opts.out) writeFileSync(opts.out, `${jws}\n`);
        else process.stdout.write(`${jws}\n`);
        process.stderr.write(
          `heads: ${
            Object.entries(heads)
              .map(([c, h]) => `${c} ${h.seq}`)
              .join(', ') || 'no chains'
          }\n`,
        );
      } finally {
        await close();
      }
    });
}
