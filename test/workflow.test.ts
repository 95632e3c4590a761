import { randomUUID } from 'node:crypto';
import { todayCst } from '../src/shared/chinaTime';
import { addPeriod, dueDate } from '../src/subgraphs/workflow/deadlines';
import { sql } from './support/db';
import { dispatchMutation, reportDispute as reportDisputeAs, stepMutation } from './support/handoffs';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';
import type { Agency } from '../src/auth/viewer';

/** Cross-department handoffs (src/subgraphs/workflow) through the gateway: state machine, policy, audit, idempotency, concurrency, inbox, deadlines. */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

interface Step {
  step: string;
  fromState: string | null;
  toState: string;
  officer: string;
  agency: string;
  dueOn: string | null;
}
interface Handoff {
  id: string;
  state: string;
  version: number;
  dueOn: string | null;
  dueArticle: string | null;
  returns: number;
  overdue: boolean;
  steps: Step[];
}
const FIELDS = 'id state version dueOn dueArticle returns overdue steps { step fromState toState officer agency dueOn }';
const DISPATCH = dispatchMutation(FIELDS);
const STEP = stepMutation(FIELDS);

type Who = Agency | { token: string };
async function call<T = Handoff>(who: Who, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse<Record<string, T>>> {
  return t.query<Record<string, T>>(who, query, variables);
}
async function ok(who: Who, query: string, variables: Record<string, unknown>): Promise<Handoff> {
  const res = await call(who, query, variables);
  expect(res.body.errors).toBeUndefined();
  return Object.values(res.body.data!)[0];
}
const step = (who: Who, mutation: string, id: string, text?: [string, string]) =>
  ok(who, STEP(mutation, text?.[0]), { id, key: randomUUID(), ...(text ? { text: text[1] } : {}) });

const grid = () => t.city.grids[0];
function dispute(subjectKey: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'DISPUTE_MEDIATION',
    subjectKey,
    scopeCode: grid().code,
    toAgency: 'justice',
    toUnitCode: '211402',
    feedbackAgency: 'grid',
    feedbackUnitCode: grid().code,
    note: '邻里噪音纠纷，请人民调解委员会调解',
    ...overrides,
  };
}
const reportDispute = () => reportDisputeAs(t);
const auditRows = (id: string) =>
  sql<{ agency: string; reason: string; chain: string; field: string }>(
    t,
    `select agency, reason, chain, field from audit.access_log where entity_type = 'Handoff' and entity_id = $1 and field = 'state' order by seq`,
    [id],
  );
const count = async (table: string) => Number((await sql<{ n: string }>(t, `select count(*)::text as n from workflow.${table}`))[0].n);
async function written() {
  return {
    handoffs: await count('handoff'),
    steps: await count('handoff_step'),
    keys: await count('idempotency_key'),
    audit: Number((await sql<{ n: string }>(t, `select count(*)::text as n from audit.access_log where chain = 'workflow' and field = 'state'`))[0].n),
  };
}

describe('workflow: handoffs through the gateway', () => {
  it('takes a grid dispute to mediation and back to the resident: every state, deadline, step and audit row', async () => {
    const eventId = await reportDispute();
    const today = todayCst();
    const sent = await ok('zongzhi', DISPATCH, { input: dispute(eventId), key: randomUUID() });
    expect(sent).toMatchObject({ state: 'SENT', version: 1, dueOn: dueDate(today, { days: 30 }), overdue: false, returns: 0 });
    expect(sent.dueArticle).toContain('人民调解法');

    const inbox = await t.query<{ inbox: { edges: Array<{ node: { id: string } }> } }>(
      'justice',
      `{ inbox(state: SENT, first: 50) { edges { node { id } } } }`,
    );
    expect(inbox.body.data!.inbox.edges.map((e) => e.node.id)).toContain(sent.id);

    // Outside the record's grid and district nobody finds it: not by id, not in an inbox.
    const otherGrid = t.city.grids.find((g) => g.code !== grid().code)!.code;
    const stranger = await t.query<{ handoff: unknown }>(
      { token: await t.token('grid', { jurisdiction: [otherGrid] }) },
      `query ($id: ID!) { handoff(id: $id) { id } }`,
      { id: sent.id },
    );
    expect(stranger.body.data).toEqual({ handoff: null });
    const elsewhere = await t.query<{ inbox: { edges: unknown[] } }>(
      { token: await t.token('justice', { jurisdiction: ['211481'] }) },
      `{ inbox(first: 50) { edges { cursor } } }`,
    );
    expect(elsewhere.body.data!.inbox.edges).toEqual([]);

    const accepted = await step('justice', 'acceptHandoff', sent.id);
    expect(accepted).toMatchObject({ state: 'ACCEPTED', version: 2 });
    await step('justice', 'recordHandoffProgress', sent.id, ['note', '已约双方到评理说事点调解']);
    const done = await step('justice', 'completeHandoff', sent.id, ['result', '双方达成调解协议，装修限时进行']);
    expect(done.state).toBe('DONE');
    // DONE is in the grid worker's inbox (回访), no longer in the mediation committee's.
    const gridInbox = await t.query<{ inbox: { edges: Array<{ node: { id: string } }> } }>('grid', `{ inbox(state: DONE) { edges { node { id } } } }`);
    expect(gridInbox.body.data!.inbox.edges.map((e) => e.node.id)).toContain(sent.id);
    const committeeInbox = await t.query<{ inbox: { edges: Array<{ node: { id: string } }> } }>('justice', `{ inbox(first: 100) { edges { node { id } } } }`);
    expect(committeeInbox.body.data!.inbox.edges.map((e) => e.node.id)).not.toContain(sent.id);
    const closed = await step('grid', 'giveHandoffFeedback', sent.id, ['feedback', '居民对调解结果满意']);
    expect(closed).toMatchObject({ state: 'FEEDBACK_GIVEN', version: 5 });
    expect(closed.steps.map((s) => [s.step, s.fromState, s.toState, s.agency])).toEqual([
      ['dispatch', null, 'SENT', 'zongzhi'],
      ['accept', 'SENT', 'ACCEPTED', 'justice'],
      ['progress', 'ACCEPTED', 'IN_PROGRESS', 'justice'],
      ['complete', 'IN_PROGRESS', 'DONE', 'justice'],
      ['feedback', 'DONE', 'FEEDBACK_GIVEN', 'grid'],
    ]);

    expect((await auditRows(sent.id)).map((r) => [r.chain, r.agency, r.reason])).toEqual([
      ['workflow', 'zongzhi', `dispatchHandoff GridEvent ${eventId}: new → SENT`],
      ['workflow', 'justice', `acceptHandoff GridEvent ${eventId}: SENT → ACCEPTED`],
      ['workflow', 'justice', `recordHandoffProgress GridEvent ${eventId}: ACCEPTED → IN_PROGRESS`],
      ['workflow', 'justice', `completeHandoff GridEvent ${eventId}: IN_PROGRESS → DONE`],
      ['workflow', 'grid', `giveHandoffFeedback GridEvent ${eventId}: DONE → FEEDBACK_GIVEN`],
    ]);

    // The event shows its handoff, resolved by workflow from the event's key.
    const event = await t.query<{ gridEvent: { id: string; handoffs: Array<{ id: string; state: string; result: string }> } }>(
      'zongzhi',
      `query ($id: ID!) { gridEvent(id: $id) { id handoffs { id state result } } }`,
      { id: eventId },
    );
    expect(event.body.errors).toBeUndefined();
    expect(event.body.data!.gridEvent.handoffs).toEqual([{ id: sent.id, state: 'FEEDBACK_GIVEN', result: '双方达成调解协议，装修限时进行' }]);
  });

  it('returns a police case for supplementary investigation (clock restarts), then prosecutes, tries and hands over the correction', async () => {
    const chain = t.city.criminalChains.find((c) => c.districtCode === '211402')!;
    const today = todayCst();
    const review = await ok('police', DISPATCH, {
      key: randomUUID(),
      input: {
        kind: 'PROSECUTION_REVIEW',
        subjectKey: chain.policeCaseNo,
        scopeCode: chain.gridCode,
        toAgency: 'procuratorate',
        toUnitCode: '211402',
        note: '侦查终结，移送审查起诉',
      },
    });
    expect(review).toMatchObject({ state: 'SENT', dueOn: dueDate(today, { months: 1 }) });
    const returned = await step('procuratorate', 'returnHandoff', review.id, ['reason', '证据不足，退回补充侦查']);
    expect(returned).toMatchObject({ state: 'RETURNED', returns: 1, dueOn: dueDate(today, { months: 1 }) });
    expect(returned.dueArticle).toContain('art. 175');
    // Only the sender resubmits: the procuratorate cannot.
    const notYours = await call('procuratorate', STEP('resubmitHandoff', 'note'), { id: review.id, key: randomUUID(), text: '补充' });
    expect(notYours.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const again = await step('police', 'resubmitHandoff', review.id, ['note', '补充侦查完毕，重新移送']);
    expect(again).toMatchObject({ state: 'SENT', dueOn: dueDate(today, { months: 1 }) });
    expect(again.dueArticle).toContain('art. 172');
    await step('procuratorate', 'acceptHandoff', review.id);
    await step('procuratorate', 'recordHandoffProgress', review.id, ['note', '审查中']);
    const reviewed = await step('procuratorate', 'completeHandoff', review.id, ['result', '决定提起公诉']);
    expect(reviewed.steps.map((s) => s.toState)).toEqual(['SENT', 'RETURNED', 'SENT', 'ACCEPTED', 'IN_PROGRESS', 'DONE']);

    const prosecutionCaseNo = chain.prosecution!.prosecutionCaseNo;
    const trial = await ok('procuratorate', DISPATCH, {
      key: randomUUID(),
      input: {
        kind: 'PUBLIC_PROSECUTION',
        subjectKey: prosecutionCaseNo,
        scopeCode: chain.gridCode,
        toAgency: 'court',
        toUnitCode: '211402',
        note: '提起公诉',
      },
    });
    expect(trial.dueOn).toBe(dueDate(today, { months: 2 }));
    await step('court', 'acceptHandoff', trial.id);
    await step('court', 'recordHandoffProgress', trial.id, ['note', '开庭审理']);
    await step('court', 'completeHandoff', trial.id, ['result', '判决有罪，宣告缓刑']);

    const judgedOn = addPeriod(today, { days: -2 });
    const correction = await ok('court', DISPATCH, {
      key: randomUUID(),
      input: {
        kind: 'CORRECTION_HANDOVER',
        subjectKey: chain.trial!.courtCaseNo,
        scopeCode: chain.gridCode,
        toAgency: 'justice',
        toUnitCode: '211402',
        startedOn: judgedOn,
        note: '缓刑判决生效，交付社区矫正',
      },
    });
    expect(correction).toMatchObject({ state: 'SENT', dueOn: dueDate(judgedOn, { days: 10 }) });
    expect(correction.dueArticle).toContain('社区矫正法');
    const handedOver = await step('justice', 'acceptHandoff', correction.id);
    expect(handedOver.state).toBe('ACCEPTED');
    for (const id of [review.id, trial.id, correction.id])
      expect((await auditRows(id)).length).toBe((await ok('procuratorate', `query ($id: ID!) { handoff(id: $id) { ${FIELDS} } }`, { id })).steps.length);

    const policeCase = await t.query<{ policeCase: { handoffs: Array<{ kind: string; state: string }> } }>(
      'police',
      `query ($n: String!) { policeCase(caseNo: $n) { handoffs { kind state } } }`,
      { n: chain.policeCaseNo },
    );
    expect(policeCase.body.errors).toBeUndefined();
    expect(policeCase.body.data!.policeCase.handoffs).toEqual([{ kind: 'PROSECUTION_REVIEW', state: 'DONE' }]);
  });

  it('lets exactly one of 50 concurrent accepts win: 49 CONFLICT, one audit row', async () => {
    const h = await ok('zongzhi', DISPATCH, { input: dispute(await reportDispute()), key: randomUUID() });
    const results = await Promise.all(Array.from({ length: 50 }, () => call('justice', STEP('acceptHandoff'), { id: h.id, key: randomUUID() })));
    const codes = results.map((r) => (r.body.errors ? String(r.body.errors[0].extensions?.code) : 'OK'));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(49);
    expect((await auditRows(h.id)).map((r) => r.reason.split(':')[1].trim())).toEqual(['new → SENT', 'SENT → ACCEPTED']);
    // Later, one at a time: the machine says why.
    const late = await call('justice', STEP('acceptHandoff'), { id: h.id, key: randomUUID() });
    expect(late.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', state: 'ACCEPTED' });
    const skipped = await call('justice', STEP('giveHandoffFeedback', 'feedback'), { id: h.id, key: randomUUID(), text: '满意' });
    expect(skipped.body.errors).toBeDefined();
    const early = await call('justice', STEP('completeHandoff', 'result'), { id: h.id, key: randomUUID(), text: '办结' });
    expect(early.body.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', state: 'ACCEPTED' });
    expect(early.body.errors?.[0].message).toContain('ACCEPTED');
    const stale = await call('justice', STEP('recordHandoffProgress', 'note'), { id: h.id, key: randomUUID(), v: 1, text: '过时' });
    expect(stale.body.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('answers a retry with its idempotency key with the first result, and refuses the key for another body', async () => {
    const input = dispute(await reportDispute());
    const key = randomUUID();
    const before = await written();
    const [a, b] = await Promise.all([ok('zongzhi', DISPATCH, { input, key }), ok('zongzhi', DISPATCH, { input, key })]);
    const c = await ok('zongzhi', DISPATCH, { input, key });
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect(await written()).toEqual({ handoffs: before.handoffs + 1, steps: before.steps + 1, keys: before.keys + 1, audit: before.audit + 1 });
    const other = await call('zongzhi', DISPATCH, { input: { ...input, note: '另一件事' }, key });
    expect(other.body.errors?.[0].extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // A second open handoff of the same kind for the same record, with a new key: refused.
    const twice = await call('zongzhi', DISPATCH, { input, key: randomUUID() });
    expect(twice.body.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await written()).toEqual({ handoffs: before.handoffs + 1, steps: before.steps + 1, keys: before.keys + 1, audit: before.audit + 1 });
  });

  it('refuses bad input with a stable code, writing nothing', async () => {
    const eventId = await reportDispute();
    const open = await ok('zongzhi', DISPATCH, { input: dispute(eventId), key: randomUUID() });
    const outsideGrid = t.city.grids.find((g) => !g.code.startsWith('211402'))!.code;
    const chain = t.city.criminalChains.filter((c) => c.districtCode === '211402')[1];
    const review = await ok('police', DISPATCH, {
      key: randomUUID(),
      input: {
        kind: 'PROSECUTION_REVIEW',
        subjectKey: chain.policeCaseNo,
        scopeCode: chain.gridCode,
        toAgency: 'procuratorate',
        toUnitCode: '211402',
        note: '移送审查起诉',
      },
    });
    for (let i = 0; i < 2; i++) {
      await step('procuratorate', 'returnHandoff', review.id, ['reason', '退回补充侦查']);
      await step('police', 'resubmitHandoff', review.id, ['note', '重新移送']);
    }
    const twiceReturned = review.id;
    const before = await written();
    const cases: Array<[string, Who, string, Record<string, unknown>, Record<string, unknown>]> = [
      [
        'an agency that does not take the kind',
        'zongzhi',
        DISPATCH,
        { input: dispute(eventId, { toAgency: 'court' }) },
        { code: 'BAD_USER_INPUT', argument: 'input.toAgency' },
      ],
      [
        'a record outside the jurisdiction',
        'zongzhi',
        DISPATCH,
        { input: dispute(eventId, { scopeCode: outsideGrid, feedbackUnitCode: outsideGrid }) },
        { code: 'FORBIDDEN' },
      ],
      [
        'an extension the law does not allow',
        'court',
        DISPATCH,
        {
          input: {
            ...dispute('(2025)辽1402刑初1号'),
            kind: 'CORRECTION_HANDOVER',
            toAgency: 'justice',
            feedbackAgency: null,
            feedbackUnitCode: null,
            major: true,
          },
        },
        { code: 'BAD_USER_INPUT', argument: 'input.major' },
      ],
      ['over-long text', 'zongzhi', DISPATCH, { input: dispute(eventId, { note: '纠'.repeat(2001) }) }, { code: 'BAD_USER_INPUT', argument: 'input.note' }],
      ['a malformed key', 'zongzhi', DISPATCH, { input: dispute(eventId), key: 'short' }, { code: 'BAD_USER_INPUT', argument: 'idempotencyKey' }],
      ['an agency the policy does not let send', 'grid', DISPATCH, { input: dispute(eventId) }, { code: 'FORBIDDEN_FIELD' }],
      ['an illegal transition', 'justice', STEP('completeHandoff', 'result'), { id: open.id, text: '办结' }, { code: 'INVALID_TRANSITION', state: 'SENT' }],
      ['the wrong side', 'police', STEP('acceptHandoff'), { id: open.id }, { code: 'FORBIDDEN' }],
      ['a third return', 'procuratorate', STEP('returnHandoff', 'reason'), { id: twiceReturned, text: '退回' }, { code: 'LEGAL_LIMIT' }],
      ['an unknown handoff', 'justice', STEP('acceptHandoff'), { id: 'HO2026999999' }, { code: 'NOT_FOUND' }],
    ];
    for (const [name, who, query, variables, expected] of cases) {
      const res = await call(who, query, { key: randomUUID(), ...variables });
      expect({ name, ...res.body.errors?.[0].extensions }).toMatchObject({ name, ...expected });
    }
    expect(await written()).toEqual(before);
  });

  it('derives OVERDUE from the due day: in the inbox filter, the deadlines query and /metrics', async () => {
    const late = await ok('zongzhi', DISPATCH, { input: dispute(await reportDispute()), key: randomUUID() });
    const soon = await ok('zongzhi', DISPATCH, { input: dispute(await reportDispute()), key: randomUUID() });
    await sql(t, `update workflow.handoff set due_on = current_date - 3 where id = $1`, [late.id]);
    await sql(t, `update workflow.handoff set due_on = $2 where id = $1`, [soon.id, addPeriod(todayCst(), { days: 2 })]);
    type Ids = {
      inbox?: { edges: Array<{ node: { id: string; overdue: boolean } }> };
      deadlines?: { edges: Array<{ node: { id: string; overdue: boolean } }> };
    };
    const ids = async (query: string) => {
      const res = await t.query<Ids>('justice', query);
      expect(res.body.errors).toBeUndefined();
      return Object.values(res.body.data!)[0].edges.map((e) => e.node);
    };
    expect(await ids(`{ inbox(overdue: true, first: 100) { edges { node { id overdue } } } }`)).toContainEqual({ id: late.id, overdue: true });
    expect((await ids(`{ inbox(overdue: true, first: 100) { edges { node { id overdue } } } }`)).map((n) => n.id)).not.toContain(soon.id);
    expect((await ids(`{ inbox(overdue: false, first: 100) { edges { node { id overdue } } } }`)).map((n) => n.id)).toContain(soon.id);
    const due = (await ids(`{ deadlines(days: 2, first: 100) { edges { node { id overdue } } } }`)).map((n) => n.id);
    expect(due.indexOf(late.id)).toBeLessThan(due.indexOf(soon.id));
    expect((await ids(`{ deadlines(days: 1, first: 100) { edges { node { id overdue } } } }`)).map((n) => n.id)).not.toContain(soon.id);
    const metrics = await (await fetch(`${t.subgraphOpsUrls.workflow}/metrics`)).text();
    expect(metrics).toMatch(/^hub_handoffs_overdue\{agency="justice",kind="DISPUTE_MEDIATION"\} [1-9]\d*$/m);
  });

  it("feeds the steps on a unit's handoffs after a cursor, and nothing of other units", async () => {
    type Feed = { inboxChanges: { cursor: string; changes: Array<{ handoffId: string; step: string; toState: string }> } };
    const FEED = `query ($since: String) { inboxChanges(since: $since, first: 100) { cursor changes { handoffId step toState } } }`;
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: GraphQLResponse<Feed> = await t.query<Feed>('justice', FEED, { since: cursor });
      expect(res.body.errors).toBeUndefined();
      if (res.body.data!.inboxChanges.changes.length === 0) break;
      cursor = res.body.data!.inboxChanges.cursor;
    }
    const h = await ok('zongzhi', DISPATCH, { input: dispute(await reportDispute()), key: randomUUID() });
    await step('justice', 'acceptHandoff', h.id);
    const next = await t.query<Feed>('justice', FEED, { since: cursor });
    expect(next.body.data!.inboxChanges.changes).toEqual([
      { handoffId: h.id, step: 'dispatch', toState: 'SENT' },
      { handoffId: h.id, step: 'accept', toState: 'ACCEPTED' },
    ]);
    const other = await t.query<Feed>({ token: await t.token('justice', { jurisdiction: ['211481'] }) }, FEED, { since: cursor });
    expect(other.body.data!.inboxChanges.changes).toEqual([]);
    const bad = await t.query('justice', FEED, { since: 'x' });
    expect(bad.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'since' });
  });

  it('seeds demo handoffs in every state, some overdue, each with its steps, numbered in the year they were sent', async () => {
    const rows = await sql<{ state: string; overdue: boolean; steps: number; version: number; id: string; sentYear: string }>(
      t,
      `select h.state::text as state, (h.due_on < $1::date and h.state in ('SENT', 'ACCEPTED', 'IN_PROGRESS', 'RETURNED')) as overdue,
        (select count(*)::int from workflow.handoff_step s where s.handoff_id = h.id) as steps, h.version, h.id,
        to_char(h.sent_at at time zone 'Asia/Shanghai', 'YYYY') as "sentYear" from workflow.handoff h where h.id ~ '^HO\\d{4}9\\d{5}$'`,
      [todayCst()],
    );
    expect(rows.filter((r) => r.id.slice(2, 6) !== r.sentYear)).toEqual([]);
    expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['SENT', 'ACCEPTED', 'RETURNED', 'IN_PROGRESS', 'DONE', 'FEEDBACK_GIVEN', 'ESCALATED']));
    expect(rows.some((r) => r.overdue)).toBe(true);
    expect(rows.some((r) => !r.overdue && r.state === 'SENT')).toBe(true);
    for (const r of rows) expect(r.steps).toBe(r.version);
  });

  it("gives a handoff's free text to its sides and masks it for others, auditing every look", async () => {
    const h = await ok('zongzhi', DISPATCH, { input: dispute(await reportDispute()), key: randomUUID() });
    const READ = `query ($id: ID!) { handoff(id: $id) { note steps { text } } }`;
    const note = '邻里噪音纠纷，请人民调解委员会调解';
    const looks = (agency: string) =>
      sql<{ type: string; field: string; decision: string; chain: string }>(
        t,
        `select entity_type as type, field, decision, chain from audit.access_log where entity_id = $1 and agency = $2 and field <> 'state' order by entity_type, field`,
        [h.id, agency],
      );
    // The receiver (justice) reads it in full; the police of the district, no side of it, learn only its length.
    // Each look is in the workflow's chain: the record touched ('*') and each text field's decision.
    const receiver = await call<{ note: string; steps: Array<{ text: string }> }>('justice', READ, { id: h.id });
    expect(receiver.body.data!.handoff).toEqual({ note, steps: [{ text: note }] });
    const other = await call<{ note: string; steps: Array<{ text: string }> }>('police', READ, { id: h.id });
    const masked = `[${[...note].length} characters withheld]`;
    expect(other.body.data!.handoff).toEqual({ note: masked, steps: [{ text: masked }] });
    expect(await looks('justice')).toEqual([
      { type: 'Handoff', field: '*', decision: 'allow', chain: 'workflow' },
      { type: 'Handoff', field: 'note', decision: 'allow', chain: 'workflow' },
      { type: 'HandoffStep', field: '*', decision: 'allow', chain: 'workflow' },
      { type: 'HandoffStep', field: 'text', decision: 'allow', chain: 'workflow' },
    ]);
    expect(await looks('police')).toEqual([
      { type: 'Handoff', field: '*', decision: 'allow', chain: 'workflow' },
      { type: 'Handoff', field: 'note', decision: 'mask', chain: 'workflow' },
      { type: 'HandoffStep', field: '*', decision: 'allow', chain: 'workflow' },
      { type: 'HandoffStep', field: 'text', decision: 'mask', chain: 'workflow' },
    ]);
  });

  it('fails the step, changing nothing, when its audit row cannot be written', async () => {
    const h = await ok('zongzhi', DISPATCH, { input: dispute(await reportDispute()), key: randomUUID() });
    const before = await written();
    await sql(t, 'revoke pingan_audit_appender from pingan_audit_chain_workflow');
    try {
      const res = await call('justice', STEP('acceptHandoff'), { id: h.id, key: randomUUID() });
      expect(res.body.data?.acceptHandoff ?? null).toBeNull();
      expect(res.body.errors).toBeDefined();
    } finally {
      await sql(t, 'grant pingan_audit_appender to pingan_audit_chain_workflow');
    }
    expect(await written()).toEqual(before);
    expect((await ok('justice', `query ($id: ID!) { handoff(id: $id) { ${FIELDS} } }`, { id: h.id })).state).toBe('SENT');
  });
});
