import { randomUUID } from 'node:crypto';
import { signInternalToken } from '../src/auth/internalToken';
import type { Agency } from '../src/auth/viewer';
import { EFFECTS_SERVICE } from '../src/kit/effects';
import { todayCst } from '../src/shared/chinaTime';
import { dueDate } from '../src/shared/legalPeriods';
import { sql } from './support/db';
import { dispatchMutation, eventually, reportDispute as reportDisputeAs, stepMutation } from './support/handoffs';
import { startTestHub, type TestHub } from './support/hub';

/**
 * A handoff's effects in the departments that own its record (src/subgraphs/workflow/effects.ts),
 * through the gateway: the step writes its outbox row and job in its own transaction, the job queue
 * delivers it to the department's internal mutation, which applies it once and audits it in its own chain.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

interface Handoff {
  id: string;
  state: string;
  dueOn: string | null;
  dueArticle: string | null;
  returns: number;
}
const FIELDS = 'id state dueOn dueArticle returns';
const DISPATCH = dispatchMutation(FIELDS);
const STEP = stepMutation(FIELDS);

type Who = Agency | { token: string };
async function ok(who: Who, query: string, variables: Record<string, unknown>): Promise<Handoff> {
  const res = await t.query<Record<string, Handoff>>(who, query, variables);
  expect(res.body.errors).toBeUndefined();
  return Object.values(res.body.data!)[0];
}
const step = (who: Who, mutation: string, id: string, text?: [string, string]) =>
  ok(who, STEP(mutation, text?.[0]), { id, key: randomUUID(), ...(text ? { text: text[1] } : {}) });

const grid = () => t.city.grids[0];
const reportDispute = () => reportDisputeAs(t);
const mediationInput = (eventId: string) => ({
  kind: 'DISPUTE_MEDIATION',
  subjectKey: eventId,
  scopeCode: grid().code,
  toAgency: 'justice',
  toUnitCode: '211402',
  feedbackAgency: 'grid',
  feedbackUnitCode: grid().code,
  note: '邻里噪音纠纷，请人民调解委员会调解',
});
const dispatchMediation = (eventId: string) => ok('zongzhi', DISPATCH, { key: randomUUID(), input: mediationInput(eventId) });

interface Outbox {
  id: string;
  department: string;
  mutation: string;
  delivered_at: Date | null;
  record_key: string | null;
  attempts: number;
  last_error: string | null;
}
const outbox = (handoffId: string) => sql<Outbox>(t, `select * from workflow.handoff_effect where handoff_id = $1 order by id`, [handoffId]);

const delivered = (handoffId: string, n = 1) =>
  eventually(
    `effects of ${handoffId} delivered`,
    () => outbox(handoffId),
    (rows) => rows.length === n && rows.every((r) => r.delivered_at !== null),
  );

const departmentAudit = (chain: string, entityType: string, entityId: string) =>
  sql<{ subject: string; agency: string; reason: string; field: string }>(
    t,
    `select subject, agency, reason, field from audit.access_log where chain = $1 and entity_type = $2 and entity_id = $3 and reason like 'handoff effect %' order by seq`,
    [chain, entityType, entityId],
  );

const MEDIATION_OF = `query ($id: ID!) { gridEvent(id: $id) { id status mediation { id outcome agreement startedOn } } }`;
interface EventView {
  gridEvent: { id: string; status: string; mediation: { id: string; outcome: string; agreement: string | null; startedOn: string } | null };
}

describe('handoff effects in the owning departments', () => {
  it('a grid dispute: completing the mediation opens the MediationCase linked to the event; the feedback closes the event', async () => {
    const today = todayCst();
    const eventId = await reportDispute();
    const sent = await dispatchMediation(eventId);
    expect(sent).toMatchObject({ state: 'SENT', dueOn: dueDate(today, { days: 30 }) });
    expect(await outbox(sent.id)).toEqual([]);
    expect((await step('justice', 'acceptHandoff', sent.id)).state).toBe('ACCEPTED');
    expect((await step('justice', 'recordHandoffProgress', sent.id, ['note', '已约双方调解'])).state).toBe('IN_PROGRESS');
    // Before the completion no step has an effect: the event has no mediation.
    expect((await t.query<EventView>('justice', MEDIATION_OF, { id: eventId })).body.data!.gridEvent.mediation).toBeNull();

    const done = await step('justice', 'completeHandoff', sent.id, ['result', '双方达成调解协议']);
    expect(done).toMatchObject({ state: 'DONE', dueOn: dueDate(today, { days: 30 }) });
    const [effect] = await delivered(sent.id);
    expect(effect).toMatchObject({ department: 'justice', mutation: 'openMediationFromHandoff', attempts: 1, last_error: null });
    const view = await t.query<EventView>('justice', MEDIATION_OF, { id: eventId });
    expect(view.body.errors).toBeUndefined();
    const mediation = view.body.data!.gridEvent.mediation!;
    expect(mediation).toMatchObject({ id: effect.record_key, outcome: 'SUCCEEDED', agreement: '双方达成调解协议', startedOn: today });
    expect(view.body.data!.gridEvent.status).toBe('REPORTED');
    // Audited as a write in the justice bureau's chain, attributed to the mediator whose step caused it.
    const [completer] = await sql<{ officer: string }>(t, `select officer from workflow.handoff_step where handoff_id = $1 and step = 'complete'`, [sent.id]);
    const justiceRows = await departmentAudit('justice', 'MediationCase', mediation.id);
    expect(justiceRows).toEqual([
      {
        subject: completer.officer,
        agency: 'justice',
        field: '*',
        reason: `handoff effect ${effect.id} (complete ${sent.id}): MediationCase ${mediation.id} opened for GridEvent ${eventId}`,
      },
    ]);

    const closed = await step('grid', 'giveHandoffFeedback', sent.id, ['feedback', '居民满意']);
    expect(closed).toMatchObject({ state: 'FEEDBACK_GIVEN' });
    const effects = await delivered(sent.id, 2);
    expect(effects[1]).toMatchObject({ department: 'grid', mutation: 'closeGridEventFromHandoff', record_key: eventId });
    expect((await t.query<EventView>('grid', MEDIATION_OF, { id: eventId })).body.data!.gridEvent.status).toBe('RESOLVED');
    expect((await departmentAudit('grid', 'GridEvent', eventId)).map((r) => [r.agency, r.field, r.reason])).toEqual([
      ['grid', 'status', `handoff effect ${effects[1].id} (feedback ${sent.id}): GridEvent ${eventId} REPORTED → RESOLVED`],
    ]);
    // The workflow's own chain has one write row per step (beside the reads of the handoff each answer makes), the departments one per effect.
    const workflowRows = await sql<{ reason: string }>(
      t,
      `select reason from audit.access_log where chain = 'workflow' and entity_id = $1 and field = 'state' order by seq`,
      [sent.id],
    );
    expect(workflowRows.map((r) => r.reason.split(' ')[0])).toEqual([
      'dispatchHandoff',
      'acceptHandoff',
      'recordHandoffProgress',
      'completeHandoff',
      'giveHandoffFeedback',
    ]);
  });

  it('a police transfer: returned once (the clock restarts), resubmitted, accepted: the ProsecutionCase exists; prosecuted and accepted by the court: the CourtCase exists', async () => {
    const today = todayCst();
    // A case still under investigation in 龙港区 (211403): no review case yet. Its officers act there.
    const chain = t.city.criminalChains.find((c) => c.districtCode === '211403' && c.stage === 'INVESTIGATING' && !c.prosecution)!;
    const police = { token: await t.token('police', { jurisdiction: ['211403'] }) };
    const procuratorate = { token: await t.token('procuratorate', { jurisdiction: ['211403'] }) };
    const review = await ok(police, DISPATCH, {
      key: randomUUID(),
      input: {
        kind: 'PROSECUTION_REVIEW',
        subjectKey: chain.policeCaseNo,
        scopeCode: chain.gridCode,
        toAgency: 'procuratorate',
        toUnitCode: '211403',
        note: '侦查终结，移送审查起诉',
      },
    });
    expect(review).toMatchObject({ state: 'SENT', dueOn: dueDate(today, { months: 1 }) });
    const returned = await step(procuratorate, 'returnHandoff', review.id, ['reason', '证据不足，退回补充侦查']);
    expect(returned).toMatchObject({ state: 'RETURNED', returns: 1, dueOn: dueDate(today, { months: 1 }) });
    expect(returned.dueArticle).toContain('art. 175');
    const again = await step(police, 'resubmitHandoff', review.id, ['note', '补充侦查完毕，重新移送']);
    expect(again).toMatchObject({ state: 'SENT', dueOn: dueDate(today, { months: 1 }) });
    expect(again.dueArticle).toContain('art. 172');
    // A return has no effect: the procuratorate holds no case yet.
    expect(await outbox(review.id)).toEqual([]);

    expect((await step(procuratorate, 'acceptHandoff', review.id)).state).toBe('ACCEPTED');
    const [effect] = await delivered(review.id);
    expect(effect).toMatchObject({ department: 'procuratorate', mutation: 'openProsecutionFromHandoff' });
    const res = await t.query<{ policeCase: { prosecution: { caseNo: string; decision: string; receivedOn: string } | null } }>(
      procuratorate,
      `query ($no: String!) { policeCase(caseNo: $no) { prosecution { caseNo decision receivedOn } } }`,
      { no: chain.policeCaseNo },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.policeCase.prosecution).toEqual({ caseNo: effect.record_key, decision: 'PENDING', receivedOn: today });
    expect(effect.record_key).toMatch(/^龙检刑诉〔\d{4}〕\d+号$/);
    expect((await departmentAudit('procuratorate', 'ProsecutionCase', effect.record_key!)).map((r) => r.reason)).toEqual([
      `handoff effect ${effect.id} (accept ${review.id}): ProsecutionCase ${effect.record_key} opened for PoliceCase ${chain.policeCaseNo} with ${chain.suspectIdNumbers.length} defendant(s)`,
    ]);
    // The review carries the police case's offence and suspects, read from the police through the signed internal call.
    const recorded = await t.query<{ prosecutionCase: { charges: string[]; defendants: Array<{ id: string }> } }>(
      procuratorate,
      `query ($no: String!) { prosecutionCase(caseNo: $no) { charges defendants { id } } }`,
      { no: effect.record_key },
    );
    expect(recorded.body.errors).toBeUndefined();
    const suspectKeys = (
      await sql<{ person_id: string }>(t, `select person_id from police.case_participant where case_no = $1 and role = 'SUSPECT' order by person_id`, [
        chain.policeCaseNo,
      ])
    ).map((r) => r.person_id);
    expect(recorded.body.data!.prosecutionCase.charges).toEqual([chain.charge]);
    expect(recorded.body.data!.prosecutionCase.defendants.map((d) => d.id).sort()).toEqual(suspectKeys);

    // 提起公诉: the procuratorate sends its new case to the district court; the court's acceptance files the criminal case.
    const prosecutionCaseNo = effect.record_key!;
    const court = { token: await t.token('court', { jurisdiction: ['211403'] }) };
    const trial = await ok(procuratorate, DISPATCH, {
      key: randomUUID(),
      input: {
        kind: 'PUBLIC_PROSECUTION',
        subjectKey: prosecutionCaseNo,
        scopeCode: chain.gridCode,
        toAgency: 'court',
        toUnitCode: '211403',
        note: '提起公诉',
      },
    });
    expect(trial).toMatchObject({ state: 'SENT', dueOn: dueDate(today, { months: 2 }) });
    expect(trial.dueArticle).toContain('art. 208');
    expect((await step(court, 'acceptHandoff', trial.id)).state).toBe('ACCEPTED');
    const [filed] = await delivered(trial.id);
    expect(filed).toMatchObject({ department: 'court', mutation: 'fileCourtCaseFromHandoff' });
    expect(filed.record_key).toMatch(/^\(\d{4}\)辽1403刑初\d+号$/);
    const inCourt = await t.query<{ prosecutionCase: { courtCase: { caseNo: string; status: string; kind: string } | null } }>(
      court,
      `query ($no: String!) { prosecutionCase(caseNo: $no) { courtCase { caseNo status kind } } }`,
      { no: prosecutionCaseNo },
    );
    expect(inCourt.body.errors).toBeUndefined();
    expect(inCourt.body.data!.prosecutionCase.courtCase).toEqual({ caseNo: filed.record_key, status: 'FILED', kind: 'CRIMINAL' });
    expect((await departmentAudit('court', 'CourtCase', filed.record_key!)).map((r) => r.reason)).toEqual([
      `handoff effect ${filed.id} (accept ${trial.id}): CourtCase ${filed.record_key} filed for ProsecutionCase ${prosecutionCaseNo} with ${suspectKeys.length} defendant(s)`,
    ]);
    // The criminal case carries the prosecution's charges (its cause) and defendants.
    const tried = await sql<{ cause: string | null }>(t, `select cause from court.court_case where case_no = $1`, [filed.record_key]);
    expect(tried[0].cause).toBe(chain.charge);
    const parties = await sql<{ person_id: string; role: string }>(t, `select person_id, role from court.court_party where case_no = $1 order by person_id`, [
      filed.record_key,
    ]);
    expect(parties).toEqual(suspectKeys.map((person_id) => ({ person_id, role: 'DEFENDANT' })));
  });

  it('the effect mutations are internal: not in the graph for callers, refused to an officer at the department, and a redelivery writes nothing', async () => {
    const mutation = `mutation ($e: ID!) { openMediationFromHandoff(effectId: $e, handoffId: "HO2026000001", step: "complete", subjectKey: "GE2026999999", scopeCode: "${grid().code}", officer: "x", text: null) { recordKey applied } }`;
    const viaGateway = await t.query('justice', mutation, { e: '999999' });
    expect(viaGateway.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Straight to the department with a justice officer's internal token (the gateway's kind): FORBIDDEN, nothing written.
    const before = await sql<{ n: string }>(t, `select count(*)::text as n from justice.mediation_case`);
    const officer = await t.subgraphQuery('justice', 'justice', mutation, { e: '999999' });
    expect(officer.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await sql(t, `select * from justice.applied_effect where effect_id = '999999'`)).toEqual([]);
    expect(await sql<{ n: string }>(t, `select count(*)::text as n from justice.mediation_case`)).toEqual(before);

    // The effect service delivering an effect again (a crash after the department's commit): the first receipt, no second case or audit row.
    const eventId = await reportDispute();
    const h = await dispatchMediation(eventId);
    await step('justice', 'acceptHandoff', h.id);
    await step('justice', 'recordHandoffProgress', h.id, ['note', '调解中']);
    await step('justice', 'completeHandoff', h.id, ['result', '达成协议']);
    const [effect] = await delivered(h.id);
    const identity = { sub: `service:${EFFECTS_SERVICE}`, name: 'effects', agency: 'justice' as const, roles: ['service'], jurisdiction: [grid().code] };
    const token = await signInternalToken(t.hub.keys.internalSigningKey!, { viewer: identity, purpose: null, service: EFFECTS_SERVICE }, Date.now() + 10_000);
    const redelivery = `mutation ($e: ID!) { openMediationFromHandoff(effectId: $e, handoffId: "${h.id}", step: "complete", subjectKey: "${eventId}", scopeCode: "${grid().code}", officer: "x", text: "达成协议") { recordKey applied } }`;
    const again = await t.subgraphQuery<{ openMediationFromHandoff: { recordKey: string; applied: boolean } }>(
      'justice',
      { internalToken: token },
      redelivery,
      {
        e: effect.id,
      },
    );
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.openMediationFromHandoff).toEqual({ recordKey: effect.record_key, applied: false });
    expect(await sql(t, `select id from justice.mediation_case where grid_event_id = $1`, [eventId])).toEqual([{ id: effect.record_key }]);
    expect(await departmentAudit('justice', 'MediationCase', effect.record_key!)).toHaveLength(1);

    // What the worker passes of the sender's record is checked like any input: a defendant that is no person key is refused, nothing written.
    const courtToken = await signInternalToken(
      t.hub.keys.internalSigningKey!,
      { viewer: { ...identity, agency: 'court' }, purpose: null, service: EFFECTS_SERVICE },
      Date.now() + 10_000,
    );
    const bad = await t.subgraphQuery(
      'court',
      { internalToken: courtToken },
      `mutation { fileCourtCaseFromHandoff(effectId: "999998", handoffId: "HO1", step: "accept", subjectKey: "连检刑诉〔2026〕999号", scopeCode: "${grid().code}",
        officer: "ju-211402-001", charges: ["盗窃罪"], personIds: ["not-a-person-key"]) { recordKey } }`,
    );
    expect(bad.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'personIds' });
    expect(await sql(t, `select * from court.applied_effect where effect_id = '999998'`)).toEqual([]);
  });

  it("a dispatch is checked in the record's department: NOT_FOUND for no such record or one outside the caller's scope; refused while it is down; nothing written", async () => {
    const count = async () =>
      (await sql<{ n: string }>(t, `select (select count(*) from workflow.handoff) + (select count(*) from workflow.idempotency_key) as n`))[0].n;
    const before = await count();
    const missing = await t.query('zongzhi', DISPATCH, { key: randomUUID(), input: { ...mediationInput('GE2026999999') } });
    expect(missing.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // An event of 龙港区 (211403), named by a 连山区 dispatcher under a scope of their own: the grid department does not show it to them.
    const elsewhere = t.city.gridEvents.find((e) => e.gridCode.startsWith('211403'))!;
    const outside = await t.query('zongzhi', DISPATCH, { key: randomUUID(), input: mediationInput(elsewhere.id) });
    expect(outside.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // The grid department is down: the dispatch is refused (it cannot be checked), not half-done.
    const eventId = await reportDispute();
    const restart = await t.hub.stopSubgraph('grid');
    try {
      const down = await t.query('zongzhi', DISPATCH, { key: randomUUID(), input: mediationInput(eventId) });
      expect(down.body.errors?.[0].extensions).toMatchObject({ code: 'DEPARTMENT_UNAVAILABLE', department: 'grid' });
    } finally {
      await restart();
    }
    expect(await count()).toBe(before);
    // Back: the same dispatch goes through.
    expect((await dispatchMediation(eventId)).state).toBe('SENT');
  });

  it('a department that is down when the step commits: the step and its outbox row stand, the effect arrives when it is back', async () => {
    const eventId = await reportDispute();
    const h = await dispatchMediation(eventId);
    await step('justice', 'acceptHandoff', h.id);
    await step('justice', 'recordHandoffProgress', h.id, ['note', '调解中']);
    // The justice bureau's subgraph goes away; the completion is the workflow's alone and commits.
    const restart = await t.hub.stopSubgraph('justice');
    try {
      const res = await t.query<{ completeHandoff: Handoff }>('zongzhi', `query ($id: ID!) { handoff(id: $id) { id } }`, { id: h.id });
      expect(res.body.errors).toBeUndefined();
      const done = await step('justice', 'completeHandoff', h.id, ['result', '双方和解']);
      expect(done.state).toBe('DONE');
      // The job ran and failed (the department is unreachable): the row waits, undelivered, with the reason.
      const [waiting] = await eventually(
        'a failed delivery attempt',
        () => outbox(h.id),
        (rows) => rows.length === 1 && rows[0].attempts >= 1,
      );
      expect(waiting).toMatchObject({ delivered_at: null, record_key: null });
      expect(waiting.last_error).toMatch(/fetch failed|ECONNREFUSED|DEPARTMENT_UNAVAILABLE|503/);
      expect(await sql(t, `select id from justice.mediation_case where grid_event_id = $1`, [eventId])).toEqual([]);
      // Operations see it waiting.
      const metrics = await (await fetch(`${t.hub.subgraphs.workflow.opsUrl}/metrics`)).text();
      expect(metrics).toMatch(/^hub_handoff_effects_undelivered\{department="justice"\} [1-9]\d*$/m);
    } finally {
      await restart();
    }
    // Back: the queue's retry (exponential backoff, the first after about 3 s) delivers it, once.
    const [effect] = await delivered(h.id);
    expect(effect.attempts).toBeGreaterThanOrEqual(2);
    expect(await sql(t, `select id from justice.mediation_case where grid_event_id = $1`, [eventId])).toEqual([{ id: effect.record_key }]);
    expect(await departmentAudit('justice', 'MediationCase', effect.record_key!)).toHaveLength(1);
  });
});
