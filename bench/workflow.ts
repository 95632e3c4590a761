import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devIdentities, devToken } from '../src/auth/devTokens';
import type { Agency } from '../src/auth/viewer';
import { prepareDatabase, startHub, type RunningHub } from '../src/cli/runtime';
import { DEV_PERSON_KEY_SECRET, loadConfig } from '../src/shared/config';
import { Client } from 'pg';
import { ensureDatabase, withDatabase } from '../src/shared/db';
import { buildDemoCity, DEMO_SIZES } from '../src/demo/city';
import { startEmbeddedPostgres } from '../src/shared/embeddedPostgres';

/**
 * `node dist/bench/workflow.js`: what one handoff step costs through the gateway, for
 * docs/workflows.md — each mutation's median and 95th percentile, and the SQL statements the
 * workflow subgraph sends for it (its transaction included; the audit append is on its own
 * connection and counted apart) and the other subgraphs send during it (the dispatch's record
 * check in grid). `HANDOFFS` reported disputes each go dispatch → accept → progress → complete →
 * feedback, one request at a time. After completeHandoff and giveHandoffFeedback the bench waits
 * for the step's effect (the MediationCase in justice, the closed event in grid): how long after
 * the mutation's answer it was delivered, and the department's SQL statements for it. Embedded
 * PostgreSQL with the small demo city.
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
    const others = () => Object.values(hub.subgraphs).reduce((n, s) => n + (s === workflow ? 0 : s.stats.sqlStatements), 0);
    const times: Record<string, number[]> = {};
    const statements: Record<string, number[]> = {};
    const otherStatements: Record<string, number[]> = {};
    const measure = async (name: string, run: () => Promise<{ id: string }>): Promise<{ id: string }> => {
      const sqlBefore = workflow.stats.sqlStatements;
      const othersBefore = others();
      const started = performance.now();
      const result = await run();
      (times[name] ??= []).push(performance.now() - started);
      (statements[name] ??= []).push(workflow.stats.sqlStatements - sqlBefore);
      (otherStatements[name] ??= []).push(others() - othersBefore);
      return result;
    };
    // The effect of the step just answered: polled every 2 ms until the outbox row is delivered.
    const outbox = new Client({ connectionString: url });
    await outbox.connect();
    const delivery: Record<string, number[]> = {};
    const deliverySql: Record<string, number[]> = {};
    const awaitEffect = async (name: string, handoffId: string, n: number): Promise<void> => {
      const started = performance.now();
      const othersBefore = others();
      for (;;) {
        const { rows } = await outbox.query<{ n: string }>(
          `select count(*)::text as n from workflow.handoff_effect where handoff_id = $1 and delivered_at is not null`,
          [handoffId],
        );
        if (Number(rows[0].n) >= n) break;
        if (performance.now() - started > 30_000) throw new Error(`effect ${n} of ${handoffId} not delivered within 30 s`);
        await new Promise((r) => setTimeout(r, 2));
      }
      (delivery[name] ??= []).push(performance.now() - started);
      (deliverySql[name] ??= []).push(others() - othersBefore);
    };
    const events: string[] = [];
    for (let i = 0; i < HANDOFFS; i++) {
      const event = await post(hub, tokens.grid, `mutation ($input: ReportGridEventInput!) { reportGridEvent(input: $input) { id } }`, {
        input: { gridCode: GRID, kind: 'DISPUTE', title: '邻里纠纷', description: '楼上装修噪音' },
      });
      events.push(event.id);
    }
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
              subjectKey: events[i],
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
        if (s.mutation === 'completeHandoff') await awaitEffect('MediationCase opened (justice)', id, 1);
        if (s.mutation === 'giveHandoffFeedback') await awaitEffect('GridEvent closed (grid)', id, 2);
      }
    }
    await outbox.end();
    await hub.stop();
    // The first tenth warms up (JIT, pools, plans).
    const warm = Math.floor(HANDOFFS / 10);
    process.stdout.write(`workflow mutations through the gateway, ${HANDOFFS - warm} of each measured (after ${warm} warm-up), one at a time\n`);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    process.stdout.write(
      `${'mutation'.padEnd(24)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'SQL workflow'.padStart(13)} ${'SQL others'.padStart(11)}\n`,
    );
    for (const name of Object.keys(times)) {
      const sorted = times[name].slice(warm).sort((a, b) => a - b);
      process.stdout.write(
        `${name.padEnd(24)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ${percentile(sorted, 95).toFixed(1).padStart(8)} ${mean(statements[name].slice(warm)).toFixed(1).padStart(13)} ${mean(otherStatements[name].slice(warm)).toFixed(1).padStart(11)}\n`,
      );
    }
    process.stdout.write(`\neffect delivered after the mutation's answer (outbox → job queue → department), polled every 2 ms\n`);
    process.stdout.write(`${'effect'.padEnd(30)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'SQL department'.padStart(15)}\n`);
    for (const name of Object.keys(delivery)) {
      const sorted = delivery[name].slice(warm).sort((a, b) => a - b);
      process.stdout.write(
        `${name.padEnd(30)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ${percentile(sorted, 95).toFixed(1).padStart(8)} ${mean(deliverySql[name].slice(warm)).toFixed(1).padStart(15)}\n`,
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
