import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agency } from '../src/auth/viewer';
import { sql } from './support/db';
import { dispatchMutation, eventually, reportDispute, stepMutation } from './support/handoffs';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Signed webhooks per receiving unit (src/subgraphs/workflow/webhooks.ts) through the gateway, to a
 * real HTTP receiver on 127.0.0.1; and a handoff's effect delivery state in the graph. Retries are
 * kept short by configuration (two attempts: one retry after graphile-worker's e¹ ≈ 2.7 s), not by
 * faking time.
 */
process.env.WEBHOOK_MAX_ATTEMPTS = '2';
process.env.WEBHOOK_TIMEOUT_MS = '2000';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
/** What the receiver answers, per path. */
const answers: Record<string, number> = { '/justice': 200, '/zongzhi': 500 };

let t: TestHub;
let receiver: Server;
let base: string;
beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers[req.url!] ?? 404;
      res.end('{"ok":false,"detail":"receiver text the hub must not keep"}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
  await new Promise((r) => receiver?.close(r));
});

/** The verification a receiver runs (docs/workflows.md, "Webhooks"). */
function verify(secret: string, header: string, body: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const admin = async (agency: Agency, overrides: Record<string, unknown> = {}) => ({
  token: await t.token(agency, { roles: ['integration-admin'], ...overrides }),
});
type Who = Agency | { token: string };

async function gql<T>(who: Who, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await t.query<T>(who, query, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}
const REGISTER = `mutation ($url: String!, $unit: String) { registerWebhook(url: $url, unitCode: $unit) { secret subscription { id agency unitCode url } } }`;
async function register(who: Who, path: string): Promise<{ id: string; secret: string }> {
  const data = await gql<{ registerWebhook: { secret: string; subscription: { id: string } } }>(who, REGISTER, { url: `${base}${path}` });
  return { id: data.registerWebhook.subscription.id, secret: data.registerWebhook.secret };
}
interface Delivery {
  id: string;
  webhookId: string;
  handoffId: string;
  state: string;
  attempts: number;
  lastError: string | null;
}
const DELIVERIES = `query ($state: DeliveryState) { webhookDeliveries(state: $state, first: 100) { edges { node { id webhookId handoffId state attempts lastError } } } }`;
const deliveries = async (who: Who, state?: string) =>
  (await gql<{ webhookDeliveries: { edges: Array<{ node: Delivery }> } }>(who, DELIVERIES, { state })).webhookDeliveries.edges.map((e) => e.node);

const NOTE = '邻里噪音纠纷，张三与李四，请人民调解委员会调解';
async function dispatchMediation(): Promise<string> {
  const eventId = await reportDispute(t);
  const grid = t.city.grids[0].code;
  const data = await gql<{ dispatchHandoff: { id: string } }>('zongzhi', dispatchMutation('id'), {
    key: randomUUID(),
    input: {
      kind: 'DISPUTE_MEDIATION',
      subjectKey: eventId,
      scopeCode: grid,
      toAgency: 'justice',
      toUnitCode: '211402',
      feedbackAgency: 'grid',
      feedbackUnitCode: grid,
      note: NOTE,
    },
  });
  return data.dispatchHandoff.id;
}
const STEP = stepMutation('id state');
const step = (who: Who, mutation: string, id: string, text?: [string, string]) =>
  t.query<Record<string, { state: string }>>(who, STEP(mutation, text?.[0]), { id, key: randomUUID(), ...(text ? { text: text[1] } : {}) });

let justiceHook: { id: string; secret: string };
let zongzhiHook: { id: string; secret: string };
let handoffId: string;

describe('signed webhooks per unit', () => {
  it("a step is POSTed to the receiving unit's webhook, signed, with no free text", async () => {
    justiceHook = await register(await admin('justice'), '/justice');
    expect(justiceHook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // The secret is kept sealed: not in the database in clear.
    const [row] = await sql<{ sealed_secret: string }>(t, 'select sealed_secret from workflow.webhook where id = $1', [justiceHook.id]);
    expect(row.sealed_secret).not.toContain(justiceHook.secret.slice(6));
    zongzhiHook = await register(await admin('zongzhi'), '/zongzhi');

    handoffId = await dispatchMediation();
    const post = await eventually(
      'the dispatch POSTed to justice',
      async () => received.find((r) => r.path === '/justice' && JSON.parse(r.body).handoffId === handoffId),
      (r) => r !== undefined,
    );
    expect(verify(justiceHook.secret, post!.headers['x-pingan-signature'] as string, post!.body)).toBe(true);
    expect(verify(zongzhiHook.secret, post!.headers['x-pingan-signature'] as string, post!.body)).toBe(false);
    expect(verify(justiceHook.secret, post!.headers['x-pingan-signature'] as string, post!.body.replace('SENT', 'DONE'))).toBe(false);
    const body = JSON.parse(post!.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ['at', 'cursor', 'deliveryId', 'dueOn', 'event', 'fromState', 'handoffId', 'kind', 'step', 'subjectKey', 'subjectType', 'toState'].sort(),
    );
    expect(body).toMatchObject({ event: 'handoff.step', kind: 'DISPUTE_MEDIATION', step: 'dispatch', fromState: null, toState: 'SENT' });
    expect(post!.body).not.toContain('张三');
    expect(post!.headers['x-pingan-delivery']).toBe(body.deliveryId);
    // The cursor is the change feed's: the same step as inboxChanges gives.
    const feed = await gql<{ inboxChanges: { changes: Array<{ handoffId: string; step: string }>; cursor: string } }>(
      'justice',
      `query ($since: String) { inboxChanges(since: $since, first: 1) { cursor changes { handoffId step } } }`,
      { since: String(Number(body.cursor) - 1) },
    );
    expect(feed.inboxChanges).toEqual({ cursor: body.cursor, changes: [{ handoffId, step: 'dispatch' }] });
    const justiceAdmin = await admin('justice');
    const mine = await eventually(
      'delivered',
      () => deliveries(justiceAdmin),
      (ds) => ds.some((d) => d.handoffId === handoffId && d.state === 'DELIVERED'),
    );
    expect(mine.find((d) => d.handoffId === handoffId)).toMatchObject({ webhookId: justiceHook.id, attempts: 1, lastError: null });
  });

  it('a receiver answering 500 gets a retry, then the delivery is a dead letter; redeliver sends it again', async () => {
    const zongzhiAdmin = await admin('zongzhi');
    const [dead] = await eventually(
      'the dead letter',
      () => deliveries(zongzhiAdmin, 'FAILED'),
      (ds) => ds.some((d) => d.handoffId === handoffId),
    );
    expect(dead).toMatchObject({ webhookId: zongzhiHook.id, state: 'FAILED', attempts: 2, lastError: 'HTTP 500' });
    const posts = received.filter((r) => r.path === '/zongzhi' && r.headers['x-pingan-delivery'] === dead.id);
    expect(posts).toHaveLength(2);
    expect(posts.every((p) => verify(zongzhiHook.secret, p.headers['x-pingan-signature'] as string, p.body))).toBe(true);
    // Operations see the dead letters by the subscribing agency, and the count drops once it is sent again.
    const failedGauge = async () =>
      Number(
        /^hub_webhook_deliveries_failed\{agency="zongzhi"\} (\d+)$/m.exec(await (await fetch(`${t.hub.subgraphs.workflow.opsUrl}/metrics`)).text())?.[1] ?? 0,
      );
    const deadLetters = await failedGauge();
    expect(deadLetters).toBe((await deliveries(zongzhiAdmin, 'FAILED')).length);
    expect(deadLetters).toBeGreaterThan(0);

    answers['/zongzhi'] = 200;
    const again = await gql<{ redeliverWebhook: { state: string } }>(zongzhiAdmin, `mutation ($id: ID!) { redeliverWebhook(id: $id) { state } }`, {
      id: dead.id,
    });
    expect(again.redeliverWebhook.state).toBe('PENDING');
    await eventually(
      'redelivered',
      () => deliveries(zongzhiAdmin),
      (ds) => ds.some((d) => d.id === dead.id && d.state === 'DELIVERED' && d.attempts === 3),
    );
    expect(received.filter((r) => r.headers['x-pingan-delivery'] === dead.id)).toHaveLength(3);
    expect(await failedGauge()).toBe(deadLetters - 1);
  });

  it("another agency, or an officer without the admin role, cannot register, see or redeliver a unit's hooks", async () => {
    const police = await admin('police');
    expect(await gql(police, '{ webhookSubscriptions { id } }')).toEqual({ webhookSubscriptions: [] });
    expect(await deliveries(police)).toEqual([]);
    const [someDelivery] = await deliveries(await admin('justice'));
    const foreign = await t.query(police, `mutation ($id: ID!) { redeliverWebhook(id: $id) { id } }`, { id: someDelivery.id });
    expect(foreign.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const revoke = await t.query(police, `mutation ($id: ID!) { revokeWebhook(id: $id) { id } }`, { id: justiceHook.id });
    expect(revoke.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // The mediator of the same agency is not its integration admin.
    const officer = await t.query('justice', REGISTER, { url: `${base}/justice` });
    expect(officer.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
    expect((await t.query('justice', '{ webhookSubscriptions { id } }')).body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
    const outside = await t.query(await admin('justice'), REGISTER, { url: `${base}/justice`, unit: '211481' });
    expect(outside.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'unitCode' });
    expect(
      (await gql<{ webhookSubscriptions: Array<{ id: string }> }>(await admin('justice'), '{ webhookSubscriptions { id } }')).webhookSubscriptions,
    ).toEqual([{ id: justiceHook.id }]);
  });

  it('refuses targets that are not https, or link-local and metadata addresses, as BAD_USER_INPUT', async () => {
    const who = await admin('justice');
    for (const url of [
      'http://hooks.example.gov.cn/in',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fe80::1]/',
      'https://100.100.100.200/',
      'gopher://127.0.0.1/',
    ]) {
      const res = await t.query(who, REGISTER, { url });
      expect({ url, error: res.body.errors?.[0].extensions }).toEqual({ url, error: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'url' }) });
    }
    expect(await sql(t, 'select id from workflow.webhook where url not like $1', [`${base}%`])).toEqual([]);
  });

  it('a step rolled back after its deliveries were written leaves no delivery and no job', async () => {
    const justice = 'justice';
    expect((await step(justice, 'acceptHandoff', handoffId)).body.errors).toBeUndefined();
    expect((await step(justice, 'recordHandoffProgress', handoffId, ['note', '已约双方调解'])).body.errors).toBeUndefined();
    const count = async () => {
      const [d] = await sql<{ n: string }>(t, 'select count(*) as n from workflow.webhook_delivery where handoff_id = $1', [handoffId]);
      // Jobs still to run (graphile-worker keeps a dead job's row when a redelivery replaces its key).
      const [j] = await sql<{ n: string }>(
        t,
        `select count(*) as n from workflow_jobs._private_jobs j join workflow_jobs._private_tasks k on k.id = j.task_id where k.identifier = 'webhook_delivery' and j.attempts < j.max_attempts`,
      );
      return { deliveries: d.n, jobs: j.n };
    };
    // Every delivery so far confirmed (both receivers answer 200 now): their jobs are done and gone.
    await eventually(
      'the steps delivered',
      async () => ({
        ...(await count()),
        states: await sql<{ state: string }>(t, 'select state from workflow.webhook_delivery where handoff_id = $1', [handoffId]),
      }),
      (c) => c.jobs === '0' && c.states.length === 6 && c.states.every((r) => r.state === 'DELIVERED'),
    );
    const before = await count();
    // The completion's effect is written after its webhook deliveries (same transaction): failing it rolls everything back.
    await sql(t, `create function workflow.refuse_effect() returns trigger language plpgsql as $$ begin raise exception 'effect refused for the test'; end $$`);
    await sql(t, `create trigger refuse_effect before insert on workflow.handoff_effect for each row execute function workflow.refuse_effect()`);
    try {
      const failed = await step(justice, 'completeHandoff', handoffId, ['result', '双方达成调解协议']);
      expect(failed.body.errors).toBeDefined();
    } finally {
      await sql(t, 'drop trigger refuse_effect on workflow.handoff_effect; drop function workflow.refuse_effect()');
    }
    const [h] = await sql<{ state: string }>(t, 'select state from workflow.handoff where id = $1', [handoffId]);
    expect(h.state).toBe('IN_PROGRESS');
    expect(await count()).toEqual(before);
  });
});

describe("a handoff's effect delivery state in the graph", () => {
  const EFFECTS = `query ($id: ID!) { handoff(id: $id) { effects { step department state attempts lastError deliveredAt record { type key } } } }`;
  interface Effects {
    handoff: {
      effects: Array<{
        step: string;
        department: string;
        state: string;
        attempts: number;
        lastError: string | null;
        record: { type: string; key: string } | null;
      }> | null;
    };
  }

  it('shows the sides whether the effect arrived and which record it made; another agency gets nothing', async () => {
    expect((await step('justice', 'completeHandoff', handoffId, ['result', '双方达成调解协议'])).body.errors).toBeUndefined();
    const effects = await eventually(
      'the mediation effect delivered',
      async () => (await gql<Effects>('justice', EFFECTS, { id: handoffId })).handoff.effects!,
      (es) => es.length === 1 && es[0].state === 'DELIVERED',
    );
    const [mediation] = await sql<{ id: string }>(
      t,
      `select m.id from justice.mediation_case m join workflow.handoff h on h.subject_key = m.grid_event_id where h.id = $1`,
      [handoffId],
    );
    expect(effects[0]).toMatchObject({
      step: 'complete',
      department: 'justice',
      attempts: 1,
      lastError: null,
      record: { type: 'MediationCase', key: mediation.id },
    });
    expect((await gql<Effects>('zongzhi', EFFECTS, { id: handoffId })).handoff.effects).toHaveLength(1);
    // The police find the handoff (in their district) but are not a side of it: the field is denied.
    const police = await t.query<Effects>('police', EFFECTS, { id: handoffId });
    expect(police.body.data!.handoff.effects).toBeNull();
    expect(police.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN_FIELD', field: 'Handoff.effects' });
  });
});
