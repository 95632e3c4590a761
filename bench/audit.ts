import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devIdentities, devToken } from '../src/auth/devTokens';
import { LOOKED_UP, type AccessEntry } from '../src/audit/chain';
import { AuditWriter } from '../src/audit/writer';
import { prepareDatabase, startHub, type RunningHub } from '../src/cli/runtime';
import { DEV_PERSON_KEY_SECRET, loadConfig } from '../src/shared/config';
import { ensureDatabase, withDatabase } from '../src/shared/db';
import { buildDemoCity, DEMO_SIZES } from '../src/demo/city';
import { startEmbeddedPostgres } from '../src/shared/embeddedPostgres';
import { withClient } from './database';
import { PERSON_VIEW } from './hubScenarios';

/**
 * `node dist/bench/audit.js`: what the audit trail costs, for docs/audit.md — audit rows and
 * bytes per person view, the person view's median with the audit on and off (two hubs on one
 * database, measured alternately in the same run), and append throughput with five subgraphs'
 * chains written at once. Embedded PostgreSQL with the small demo city.
 */

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const PER_ROUND = Number(process.env.PER_ROUND ?? 100);
const APPEND_SECONDS = Number(process.env.APPEND_SECONDS ?? 5);

function query<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  return withClient(url, async (c) => (await c.query(text, params)).rows as T[]);
}

async function trailSize(url: string): Promise<{ rows: number; bytes: number }> {
  const [r] = await query<{ rows: string; bytes: string }>(
    url,
    `select (select count(*) from audit.access_log)::text as rows,
    (select sum(pg_total_relation_size(i.inhrelid)) from pg_inherits i where i.inhparent = 'audit.access_log'::regclass)::text as bytes`,
  );
  return { rows: Number(r.rows), bytes: Number(r.bytes) };
}

async function personView(hub: RunningHub, token: string, id: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'cross-agency review' },
    body: JSON.stringify({ query: PERSON_VIEW, variables: { id } }),
  });
  const body = (await res.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`person view failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function appendThroughput(url: string, chains: string[], seconds: number): Promise<{ rowsPerSecond: number; appendsPerSecond: number }> {
  const entry: AccessEntry = {
    requestId: 'bench',
    subject: 'bench',
    agency: 'court',
    operation: 'PersonView',
    documentHash: 'x'.repeat(64),
    purpose: 'cross-agency review',
    entityType: 'Person',
    entityId: 'P'.repeat(33),
    field: 'name',
    decision: 'allow',
    reason: 'allowed',
    paths: ['person.name'],
    fields: null,
    breakGlass: false,
    sealed: false,
  };
  // A person view's batch in one subgraph: the record looked up and about a dozen fields.
  const batch = [{ ...entry, field: LOOKED_UP, fields: ['id', 'name'] }, ...Array.from({ length: 11 }, () => entry)];
  const writers = chains.map((c) => new AuditWriter(url, c));
  const end = Date.now() + seconds * 1000;
  let appends = 0;
  await Promise.all(
    writers.flatMap((w) =>
      Array.from({ length: 4 }, async () => {
        while (Date.now() < end) {
          await w.write(batch);
          appends++;
        }
      }),
    ),
  );
  await Promise.all(writers.map((w) => w.close()));
  return { rowsPerSecond: Math.round((appends * batch.length) / seconds), appendsPerSecond: Math.round(appends / seconds) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-audit-bench-'));
  const { chmodSync } = await import('node:fs');
  chmodSync(dir, 0o755);
  const db = await startEmbeddedPostgres(join(dir, 'pg'), { durable: false });
  const url = withDatabase(db.url, 'audit_bench');
  try {
    await ensureDatabase(db.url, 'audit_bench');
    await prepareDatabase(url, buildDemoCity(DEMO_SIZES.small), DEV_PERSON_KEY_SECRET);
    const start = (audit: 'on' | 'off') =>
      startHub({
        config: loadConfig({
          HUB_DATA_DIR: join(dir, audit),
          AUDIT: audit,
          LOG_LEVEL: 'warn',
          RATE_LIMIT_SUBJECT_BURST: '1000000',
          RATE_LIMIT_AGENCY_BURST: '1000000',
        }),
        databaseUrl: url,
        randomPorts: true,
      });
    const on = await start('on');
    const off = await start('off');
    const court = devIdentities('000000000000').find((i) => i.agency === 'court')!;
    const tokenOf = (hub: RunningHub) =>
      devToken(hub.keys.devCallerSigningKey!, hub.keys.callerIssuer, hub.keys.callerAudience, { ...court, jurisdiction: ['211400'] });
    const tokens = { on: await tokenOf(on), off: await tokenOf(off) };
    const ids = (await query<{ id: string }>(url, 'select id from grid.person order by id limit $1', [PER_ROUND])).map((r) => r.id);

    // Warm-up, then rows and bytes per view over one pass.
    for (const id of ids.slice(0, 20)) {
      await personView(on, tokens.on, id);
      await personView(off, tokens.off, id);
    }
    const before = await trailSize(url);
    for (const id of ids) await personView(on, tokens.on, id);
    const after = await trailSize(url);
    const [lookups] = await query<{ n: string }>(
      url,
      `select count(*)::text as n from audit.access_log where field = '*' and seq > (select max(seq) - $1 from audit.access_log)`,
      [after.rows - before.rows],
    );

    const times: Record<'on' | 'off', number[]> = { on: [], off: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const which of round % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        for (const id of ids) times[which].push(await personView(which === 'on' ? on : off, tokens[which], id));
      }
    }
    await on.stop();
    await off.stop();

    const five = await appendThroughput(url, ['grid', 'police', 'procuratorate', 'court', 'justice'], APPEND_SECONDS);
    const one = await appendThroughput(url, ['grid'], APPEND_SECONDS);
    const views = ids.length;
    const result = {
      personView: {
        auditRowsPerView: (after.rows - before.rows) / views,
        lookedUpRowsPerView: Number(lookups.n) / views,
        auditBytesPerView: Math.round((after.bytes - before.bytes) / views),
        p50AuditOnMs: Number(median(times.on).toFixed(2)),
        p50AuditOffMs: Number(median(times.off).toFixed(2)),
        ratio: Number((median(times.on) / median(times.off)).toFixed(3)),
        samplesEach: times.on.length,
      },
      appendFiveChains: { writersPerChain: 4, rowsPerAppend: 12, ...five },
      appendOneChain: { writers: 4, rowsPerAppend: 12, ...one },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
