#!/usr/bin/env node
import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { devIdentities, devToken } from '../auth/devTokens';
import { importPKCS8 } from 'jose';
import { callerTokenClaims, loadAuthKeys, TOKEN_ALG } from '../auth/keys';
import { AGENCIES, isAgency } from '../auth/viewer';
import { SUBGRAPHS, loadConfig, type SubgraphName } from '../shared/config';
import { ConfigError } from '../shared/errors';
import { buildDemoCity, DEMO_SIZES } from '../shared/demo/city';
import { startEmbeddedPostgres } from '../shared/embeddedPostgres';
import { ensureDatabase, withDatabase } from '../shared/db';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { readSignedHead, signHead, verifyAgainstHead, verifyChain } from '../audit/verify';
import { departments } from '../subgraphs';
import { composeHub, writeComposed } from './compose';
import { createMigration } from './migrationCreate';
import { formatSeedReport, runSeed, SeedError } from './seed';
import { explainHotQueries, formatPlanReports } from './plans';
import { parseScale } from '../shared/demo/scale';
import { HUB_DATABASE, runningHubDatabase, startHub } from './runtime';
import { ROLES, runServe } from './serve';
import { loadPolicy, PolicyError } from '../policy/policy';
import { policyCoverageProblems } from '../policy/coverage';
import { buildDepartmentSchema } from '../kit/schema';
import { departmentList } from '../subgraphs';
import { pageSize } from '../kit/pagination';
import { apiSchema, buildManifest, graphqlFiles, ManifestError } from './manifest';

const program = new Command('hub').description('Pingan Hub: the political-legal departments of a city in one GraphQL graph').showHelpAfterError();

function fail(message: string, code = 1): never {
  process.stderr.write(`hub: ${message}\n`);
  process.exit(code);
}

program
  .command('start')
  .description('embedded mode: PostgreSQL, migrations, demo data, five subgraphs and the gateway in one process')
  .option('--fresh', 'wipe the embedded database and start clean')
  .action(async (opts: { fresh?: boolean }) => {
    const config = loadConfig();
    const t0 = Date.now();
    const hub = await startHub({ config, fresh: opts.fresh, city: buildDemoCity(DEMO_SIZES.small) });
    const stop = async () => {
      process.stdout.write('\nstopping…\n');
      await hub.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    const lines = [`\nPingan Hub is up in ${((Date.now() - t0) / 1000).toFixed(1)} s`, `  GraphQL: ${hub.gatewayUrl}`];
    for (const s of Object.values(hub.subgraphs)) lines.push(`  subgraph ${s.department.padEnd(14)} ${s.url} (internal token required)`);
    if (hub.keys.devCallerSigningKey) {
      const city = buildDemoCity(DEMO_SIZES.small);
      lines.push('\nReady-made dev tokens (valid 8 h; `npm run token -- --agency …` makes more):');
      for (const who of devIdentities(city.grids[0].code)) {
        const token = await devToken(hub.keys.devCallerSigningKey, hub.keys.callerIssuer, hub.keys.callerAudience, who);
        lines.push(`\n  ${who.agency.padEnd(13)} ${who.description}\n  ${token}`);
      }
      lines.push(`\nTry:\n  curl -s ${hub.gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\\n    -d '{"query":"{ persons(first: 3) { edges { node { id name grid { code } } } } }"}'`);
    }
    process.stdout.write(`${lines.join('\n')}\n\nCtrl-C stops everything.\n`);
  });

program
  .command('serve')
  .description('distributed mode: run one role (the gateway or one subgraph) as its own process, configured by environment variables (docs/deploy.md)')
  .argument('<role>', ROLES.join('|'))
  .action(runServe);

function ttl(value: string): string {
  if (!/^\d+[smhd]$/.test(value)) throw new InvalidArgumentError('expected a duration like 30m, 8h or 2d');
  return value;
}

program
  .command('token')
  .description('print a dev caller token (dev mode, or signed with --signing-key)')
  .requiredOption('--agency <agency>', `one of ${AGENCIES.join(', ')}`)
  .option('--jurisdiction <codes>', 'comma-separated division or grid codes')
  .option('--sub <subject>', 'token subject (the officer id)')
  .option('--name <name>', 'display name')
  .option('--roles <roles>', 'comma-separated roles', '')
  .option('--ttl <duration>', 'lifetime, e.g. 8h', ttl, '8h')
  .option('--signing-key <file>', 'sign with this caller private key (PKCS8 PEM) instead of the dev key, to try a deployment that trusts its public key')
  .action(async (opts: { agency: string; jurisdiction?: string; sub?: string; name?: string; roles: string; ttl: string; signingKey?: string }) => {
    if (!isAgency(opts.agency)) fail(`unknown agency "${opts.agency}"; expected one of ${AGENCIES.join(', ')}`, 2);
    const keys = opts.signingKey
      ? { ...callerTokenClaims(), devCallerSigningKey: await importPKCS8(readFileSync(opts.signingKey, 'utf8'), TOKEN_ALG) }
      : await loadAuthKeys(loadConfig());
    if (!keys.devCallerSigningKey) fail('dev tokens exist only in dev mode (HUB_MODE=dev); or pass --signing-key', 2);
    const base = devIdentities(buildDemoCity(DEMO_SIZES.small).grids[0].code).find((d) => d.agency === opts.agency)!;
    const jurisdiction = opts.jurisdiction ? opts.jurisdiction.split(',').map((s) => s.trim()) : base.jurisdiction;
    const bad = jurisdiction.find((j) => !/^\d{6}(\d{3}(\d{3})?)?$/.test(j));
    if (bad) fail(`jurisdiction "${bad}" is not a 6-, 9- or 12-digit division or grid code`, 2);
    const sub = opts.sub ?? (opts.agency === 'grid' && opts.jurisdiction ? `gw-${jurisdiction[0]}` : base.sub);
    const token = await devToken(keys.devCallerSigningKey, keys.callerIssuer, keys.callerAudience, {
      ...base,
      sub,
      name: opts.name ?? base.name,
      roles: opts.roles ? opts.roles.split(',') : base.roles,
      jurisdiction,
    }, opts.ttl);
    process.stdout.write(`${token}\n`);
  });

program
  .command('compose')
  .description('print each subgraph SDL to schema/ and compose schema/supergraph.graphql')
  .option('--check', 'fail when schema/ differs from what the code produces (CI)')
  .option('--allow-breaking', 'accept breaking changes against the committed supergraph')
  .action(async (opts: { check?: boolean; allowBreaking?: boolean }) => {
    const result = await composeHub();
    if (result.breaking.length && !opts.allowBreaking) {
      fail(`breaking changes against the committed supergraph (announce them with --allow-breaking):\n${result.breaking.map((b) => `  - ${b}`).join('\n')}`);
    }
    if (opts.check) {
      if (result.changed.length) fail(`schema/ is out of date: ${result.changed.join(', ')} differ from the code; run npm run compose and commit`);
      process.stdout.write('schema/ matches the code\n');
      return;
    }
    writeComposed(result);
    process.stdout.write(`composed ${Object.keys(result.files).length - 1} subgraphs; wrote ${Object.keys(result.files).map((f) => `schema/${f}`).join(', ')}\n`);
  });

program
  .command('migration')
  .description('database migrations')
  .command('create')
  .argument('<department>', SUBGRAPHS.join('|'))
  .description("write a migration for the difference between a department's entities and its migrated schema")
  .action(async (department: string) => {
    const def = departments[department as SubgraphName];
    if (!def) fail(`unknown department "${department}"`, 2);
    const config = loadConfig();
    let url = config.databaseUrl;
    const db = url ? null : await startEmbeddedPostgres(join(config.dataDir, 'migration-pg'), { fresh: true, durable: false });
    if (db) {
      await ensureDatabase(db.url, 'migrations');
      url = withDatabase(db.url, 'migrations');
    }
    try {
      const file = await createMigration(def, url!);
      process.stdout.write(file ? `wrote ${file}\n` : 'no changes\n');
    } finally {
      await db?.stop();
    }
  });

function seedNumber(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

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
    try {
      parseScale(opts.scale);
    } catch (e) {
      fail((e as Error).message, 2);
    }
    const config = loadConfig();
    try {
      const report = await runSeed(config, { ...opts, progress: opts.progress && process.stderr.isTTY ? 'bars' : 'lines' });
      process.stdout.write(`${formatSeedReport(report)}\n`);
    } catch (e) {
      if (e instanceof SeedError) fail(e.message);
      throw e;
    }
  });

program
  .command('plans')
  .description('EXPLAIN ANALYZE the hot queries on a seeded database and flag sequential scans of large tables')
  .option('--database-url <url>', 'the database (default: DATABASE_URL)')
  .action(async (opts: { databaseUrl?: string }) => {
    const url = opts.databaseUrl ?? loadConfig().databaseUrl;
    if (!url) fail('give --database-url or DATABASE_URL', 2);
    const reports = await explainHotQueries(url);
    process.stdout.write(`${formatPlanReports(reports)}\n`);
    if (reports.some((r) => r.problems.length)) process.exitCode = 1;
  });

const policy = program.command('policy').description('the access policy (schema/policy.yaml)');

policy
  .command('check')
  .description('validate the policy file and check it covers every type of every subgraph')
  .action(async () => {
    const loaded = loadPolicy();
    const problems = policyCoverageProblems(loaded, await Promise.all(departmentList().map((d) => buildDepartmentSchema(d))));
    if (problems.length) fail(`policy problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.stdout.write(`policy OK: ${Object.keys(loaded.file.types).length} type entries\n`);
  });

policy
  .command('explain')
  .description('what an agency gets for Type.field (or every sensitive field of Type), and why')
  .argument('<target>', 'Type.field or Type, e.g. Person.idNumber')
  .requiredOption('--agency <agency>', AGENCIES.join('|'))
  .option('--jurisdiction <codes>', 'comma-separated codes the viewer holds (shown with jurisdiction conditions)')
  .action((target: string, opts: { agency: string; jurisdiction?: string }) => {
    if (!isAgency(opts.agency)) fail(`unknown agency "${opts.agency}"`, 2);
    const loaded = loadPolicy();
    const [typeName, field] = target.split('.');
    const tp = loaded.typePolicy(typeName);
    if (!tp) fail(`${typeName} is not in the policy: denied to everyone`, 1);
    const fields = field ? [field] : Object.keys(tp.fields ?? {});
    const where = opts.jurisdiction ? ` (jurisdiction ${opts.jurisdiction}${tp.scope ? `, tested against the record's ${tp.scope}` : ''})` : '';
    for (const f of fields) {
      const { rule, sensitive } = loaded.explain(typeName, f, opts.agency);
      process.stdout.write(`${typeName}.${f} for ${opts.agency}${where}: ${rule}${sensitive ? ' [sensitive, audited]' : ''}\n`);
    }
    if (tp.rowScope?.includes(opts.agency)) process.stdout.write(`lists of ${typeName} are limited to your jurisdiction (${tp.scope})\n`);
  });

program
  .command('manifest')
  .description('build a trusted-operations manifest (hash → document) from .graphql files, for TRUSTED_OPERATIONS_FILE')
  .argument('<paths...>', '.graphql files, or folders holding them')
  .option('--out <file>', 'write the manifest to a file instead of stdout')
  .action((paths: string[], opts: { out?: string }) => {
    const config = loadConfig();
    try {
      const { manifest, operations } = buildManifest(graphqlFiles(paths), apiSchema(), config.security.limits, { default: pageSize.default, max: config.maxPageSize });
      const text = `${JSON.stringify(manifest, null, 2)}\n`;
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
      for (const o of operations) process.stderr.write(`${o.hash.slice(0, 12)}  ${o.name} (${o.file}): depth ${o.metrics.depth}, cost ${o.metrics.cost}\n`);
      process.stderr.write(`${operations.length} operations registered${opts.out ? ` in ${opts.out}` : ''}\n`);
    } catch (e) {
      if (e instanceof ManifestError) fail(e.message);
      throw e;
    }
  });

const audit = program.command('audit').description('the audit trail (audit.access_log)');

async function auditClient(url?: string): Promise<{ client: Client; close(): Promise<void> }> {
  const config = loadConfig();
  let target = url ?? config.auditDatabaseUrl ?? config.databaseUrl ?? runningHubDatabase(config.dataDir) ?? undefined;
  const db = target ? null : await startEmbeddedPostgres(join(config.dataDir, 'pg'));
  if (db) target = withDatabase(db.url, HUB_DATABASE);
  const client = new Client({ connectionString: target });
  await client.connect();
  return { client, close: async () => { await client.end(); await db?.stop(); } };
}

audit
  .command('verify')
  .description('walk the hash chain and report the first broken row (exit 1 when broken)')
  .option('--against <file>', 'also check the chain still extends a head exported earlier with `audit head`')
  .option('--database-url <url>', 'the database holding the trail (default AUDIT_DATABASE_URL, DATABASE_URL, or the embedded one)')
  .action(async (opts: { against?: string; databaseUrl?: string }) => {
    const { client, close } = await auditClient(opts.databaseUrl);
    try {
      const report = await verifyChain(client, (rows) => process.stderr.write(`\rverified ${rows} rows`));
      process.stderr.write('\n');
      if (!report.ok) fail(`chain BROKEN at row ${report.broken!.seq}: ${report.broken!.problem} (${report.rows} rows verified before it)`);
      process.stdout.write(`chain intact: ${report.rows} rows, head ${report.lastSeq ?? '-'} ${report.lastHash}\n`);
      if (opts.against) {
        const keys = await loadAuthKeys(loadConfig());
        const head = await readSignedHead(readFileSync(opts.against, 'utf8'), keys.internalVerificationKey);
        const against = await verifyAgainstHead(client, head);
        if (!against.ok) fail(`chain does not extend the exported head of ${head.exportedAt}: ${against.problem}`);
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
    const { client, close } = await auditClient(opts.databaseUrl);
    try {
      const report = await verifyChain(client);
      if (!report.ok) fail(`refusing to export the head of a broken chain (row ${report.broken!.seq}: ${report.broken!.problem})`);
      const keys = await loadAuthKeys(loadConfig());
      if (!keys.internalSigningKey) fail('no signing key: set INTERNAL_JWT_PRIVATE_KEY', 2);
      const jws = await signHead({ lastSeq: report.lastSeq, lastHash: report.lastHash, rows: report.rows, exportedAt: new Date().toISOString() }, keys.internalSigningKey);
      if (opts.out) writeFileSync(opts.out, `${jws}\n`);
      else process.stdout.write(`${jws}\n`);
      process.stderr.write(`head: row ${report.lastSeq ?? '-'}, ${report.rows} rows\n`);
    } finally {
      await close();
    }
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof PolicyError) fail(err.message, 2);
  fail(err instanceof Error ? (err.stack ?? err.message) : String(err));
});
