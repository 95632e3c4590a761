import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devIdentities, devToken } from '../src/auth/devTokens';
import type { Agency } from '../src/auth/viewer';
import { prepareDatabase, startHub, type RunningHub } from '../src/cli/runtime';
import { DEV_PERSON_KEY_SECRET, loadConfig } from '../src/shared/config';
import { ensureDatabase, withDatabase } from '../src/shared/db';
import { buildDemoCity, DEMO_SIZES } from '../src/demo/city';
import { startEmbeddedPostgres } from '../src/shared/embeddedPostgres';

/**
 * `node dist/bench/workflow.js`: what one handoff step costs through the gateway, for
 * docs/workflows.md — each mutation's median and 95th percentile, and the SQL statements the
 * workflow subgraph sends for it (its transaction included; the audit append is on its own
 * connection and counted apart). `HANDOFFS` disputes each go dispatch → accept → progress →
 * complete → feedback, one request at a time. Embedded PostgreSQL with the small demo city.
 */

const HANDOFFS = Number(process.env.HANDOFFS ?? 200);
const GRID = '211402001001';
const FIELDS = 'id state version';

const STEPS: Array<{ mutation: string; who: Agency; text?: string }> = [
  { mutation: 'acceptHandoff', who: 'justice' },
  { mutation: 'recordHandoffProgress', who: 'justice', text: 'note' },
  { mutation: 'completeHandoff', who: 'justice', text: 'result' },
  { mutation: 'giveHandoffFeedback', who: 'grid', text: 'feedback' },
];

async function post(hub: RunningHub, token: string, query: string, variables: Record<string, unknown>): Promise<{ id: string }> {
  const res = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`mutation failed: ${JSON.stringify(body.errors)}`);
  return Object.values(body.data)[0];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-workflow-bench-'));
  chmodSync(dir, 0o755);
  const db = await startEmbeddedPostgres(join(dir, 'pg'), { durable: false });
  const url = withDatabase(db.url, 'workflow_bench');
  try {
    await ensureDatabase(db.url, 'workflow_bench');
    await prepareDatabase(url, buildDemoCity(DEMO_SIZES.small), DEV_PERSON_KEY_SECRET);
    const hub = await startHub({
      config: loadConfig({ HUB_DATA_DIR: join(dir, 'hub'), LOG_LEVEL: 'warn', RATE_LIMIT_SUBJECT_BURST: '1000000', RATE_LIMIT_AGENCY_BURST: '1000000' }),
      databaseUrl: url,
      randomPorts: true,
    });
    const tokens = Object.fromEntries(
      await Promise.all(
        devIdentities(GRID)
          .filter((i) => ['zongzhi', 'justice', 'grid'].includes(i.agency))
          .map(async (i) => [i.agency, await devToken(hub.keys.devCallerSigningKey!, hub.keys.callerIssuer, hub.keys.callerAudience, i)] as const),
      ),
    ) as Record<string, string>;
    const workflow = hub.subgraphs.workflow;
    const times: Record<string, number[]> = {};
    const statements: Record<string, number[]> = {};
    const measure = async (name: string, run: () => Promise<{ id: string }>): Promise<{ id: string }> => {
      const sqlBefore = workflow.stats.sqlStatements;
      const started = performance.now();
      const result = await run();
      (times[name] ??= []).push(performance.now() - started);
      (statements[name] ??= []).push(workflow.stats.sqlStatements - sqlBefore);
      return result;
    };
    for (let i = 0; i < HANDOFFS; i++) {
      const { id } = await measure('dispatchHandoff', () =>
        post(
          hub,
          tokens.zongzhi,
          `mutation ($input: DispatchHandoffInput!, $key: String!) { dispatchHandoff(input: $input, idempotencyKey: $key) { ${FIELDS} } }`,
          {
            key: randomUUID(),
            input: {
              kind: 'DISPUTE_MEDIATION',
              subjectKey: `GE2026${String(900000 + i)}`,
              scopeCode: GRID,
              toAgency: 'justice',
              toUnitCode: '211402',
              feedbackAgency: 'grid',
              feedbackUnitCode: GRID,
              note: '邻里纠纷，请调解',
            },
          },
        ),
      );
      for (const s of STEPS) {
        const args = s.text ? `, ${s.text}: "办理情况"` : '';
        await measure(s.mutation, () =>
          post(hub, tokens[s.who], `mutation ($id: ID!, $key: String!) { ${s.mutation}(id: $id, idempotencyKey: $key${args}) { ${FIELDS} } }`, {
            id,
            key: randomUUID(),
          }),
        );
      }
    }
    await hub.stop();
    // The first tenth warms up (JIT, pools, plans).
    const warm = Math.floor(HANDOFFS / 10);
    process.stdout.write(`workflow mutations through the gateway, ${HANDOFFS - warm} of each measured (after ${warm} warm-up), one at a time\n`);
    process.stdout.write(`${'mutation'.padEnd(24)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'SQL/mutation'.padStart(13)}\n`);
    for (const name of Object.keys(times)) {
      const sorted = times[name].slice(warm).sort((a, b) => a - b);
      const sql = statements[name].slice(warm);
      const perCall = sql.reduce((a, b) => a + b, 0) / sql.length;
      process.stdout.write(
        `${name.padEnd(24)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ${percentile(sorted, 95).toFixed(1).padStart(8)} ${perCall.toFixed(1).padStart(13)}\n`,
      );
    }
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
