import { randomUUID } from 'node:crypto';
import { todayCst } from '../src/shared/chinaTime';
import { addPeriod, dueDate } from '../src/subgraphs/workflow/deadlines';
import { sql } from './support/db';
import { dispatchMutation, stepMutation } from './support/handoffs';
import { startTestHub, type TestHub } from './support/hub';

/**
 * A community correction's whole life through the gateway (社区矫正法): the court commissions the
 * pre-sentence assessment (调查评估) → the justice bureau answers → judgment → CORRECTION_HANDOVER
 * accepted within its limit → the correction exists for the defendant with the sentence's kind →
 * report → warning → release; each step's state, deadline and audit rows.
 */
let t: TestHub;
type Officer = 'police' | 'procuratorate' | 'court' | 'justice';
// The officers of 龙港区 (211403), where the demo city has cases still under investigation.
const as = {} as Record<Officer, { token: string }>;
beforeAll(async () => {
  t = await startTestHub();
  for (const agency of ['police', 'procuratorate', 'court', 'justice'] as const) as[agency] = { token: await t.token(agency, { jurisdiction: ['211403'] }) };
});
afterAll(async () => {
  await t?.stop();
});

interface Handoff {
  id: string;
  state: string;
  dueOn: string | null;
  dueArticle: string | null;
}
const FIELDS = 'id state dueOn dueArticle';
const DISPATCH = dispatchMutation(FIELDS);
const STEP = stepMutation(FIELDS);

async function ok<T = Handoff>(who: Parameters<TestHub['query']>[0], query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await t.query<Record<string, T>>(who, query, variables);
  expect(res.body.errors).toBeUndefined();
  return Object.values(res.body.data!)[0];
}
const step = (who: Officer, mutation: string, id: string, text?: [string, string]) =>
  ok(as[who], STEP(mutation, text?.[0]), { id, key: randomUUID(), ...(text ? { text: text[1] } : {}) });
const dispatch = (who: Officer, input: Record<string, unknown>) => ok(as[who], DISPATCH, { key: randomUUID(), input: { note: '移送', ...input } });

async function eventually<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const effectOf = (handoffId: string) =>
  eventually(
    `effect of ${handoffId}`,
    () =>
      sql<{ id: string; record_key: string | null; mutation: string; delivered: boolean; last_error: string | null }>(
        t,
        `select id, record_key, mutation, delivered_at is not null as delivered, last_error from workflow.handoff_effect where handoff_id = $1`,
        [handoffId],
      ),
    (rows) => rows.length === 1 && rows[0].delivered,
  ).then((rows) => rows[0]);
const auditOf = (chain: string, entityType: string, entityId: string) =>
  sql<{ subject: string; field: string; reason: string }>(
    t,
    `select subject, field, reason from audit.access_log where chain = $1 and entity_type = $2 and entity_id = $3 and reason ~ '^(handoff effect|pre-sentence assessment|recordCriminalJudgment|REPORTED|WARNING|REVOCATION|RELEASE|correction group)' order by seq`,
    [chain, entityType, entityId],
  );

const CORRECTION = `query ($id: ID!) { communityCorrection(id: $id) { id kind status startOn endOn reportedOn correctionOfficer person { id }
  events { kind occurredOn reason officer } group { role name } } }`;
interface Correction {
  id: string;
  kind: string;
  status: string;
  startOn: string;
  endOn: string;
  reportedOn: string | null;
  correctionOfficer: string;
  person: { id: string } | null;
  events: Array<{ kind: string; occurredOn: string; reason: string | null; officer: string }>;
  group: Array<{ role: string; name: string | null }>;
}

describe('community correction, from the assessment to the release', () => {
  it('assessment → judgment → handover → correction for the defendant → report → warning → release, each step audited', async () => {
    const today = todayCst();
    const chain = t.city.criminalChains.findLast(
      (c) => c.districtCode === '211403' && c.stage === 'INVESTIGATING' && !c.prosecution && c.suspectIdNumbers.length === 1,
    )!;
    // The criminal case reaches the court through the effects (police → procuratorate → court).
    const review = await dispatch('police', {
      kind: 'PROSECUTION_REVIEW',
      subjectKey: chain.policeCaseNo,
      scopeCode: chain.gridCode,
      toAgency: 'procuratorate',
      toUnitCode: '211403',
    });
    await step('procuratorate', 'acceptHandoff', review.id);
    const prosecution = (await effectOf(review.id)).record_key!;
    const indictment = await dispatch('procuratorate', {
      kind: 'PUBLIC_PROSECUTION',
      subjectKey: prosecution,
      scopeCode: chain.gridCode,
      toAgency: 'court',
      toUnitCode: '211403',
    });
    await step('court', 'acceptHandoff', indictment.id);
    const caseNo = (await effectOf(indictment.id)).record_key!;
    const [defendant] = await sql<{ person_id: string }>(
      t,
      `select person_id from court.court_party where case_no = $1 and role = 'DEFENDANT' order by id limit 1`,
      [caseNo],
    );
    expect(defendant).toBeDefined();

    // 调查评估: 10 working days (社区矫正法实施办法 art. 14); the justice bureau answers, then completes the handoff.
    const assessment = await dispatch('court', {
      kind: 'PRE_SENTENCE_ASSESSMENT',
      subjectKey: caseNo,
      scopeCode: chain.gridCode,
      toAgency: 'justice',
      toUnitCode: '211403',
      note: '委托调查评估',
    });
    expect(assessment).toMatchObject({ state: 'SENT', dueOn: dueDate(today, { workingDays: 10 }) });
    expect(assessment.dueArticle).toContain('实施办法 art. 14');
    await step('justice', 'acceptHandoff', assessment.id);
    const answer = await ok<{ id: string; suitable: boolean; opinion: string }>(
      as.justice,
      `mutation ($c: String!) { answerPreSentenceAssessment(courtCaseNo: $c, districtCode: "211403", suitable: true, opinion: "家庭稳定，社区愿意接纳，适宜社区矫正") { id suitable opinion } }`,
      { c: caseNo },
    );
    expect(answer).toMatchObject({ suitable: true, opinion: '家庭稳定，社区愿意接纳，适宜社区矫正' });
    await step('justice', 'recordHandoffProgress', assessment.id, ['note', '走访社区']);
    expect((await step('justice', 'completeHandoff', assessment.id, ['result', '适宜社区矫正'])).state).toBe('DONE');
    const seen = await t.query<{ courtCase: { preSentenceAssessment: { suitable: boolean } | null } }>(
      as.court,
      `query ($c: String!) { courtCase(caseNo: $c) { preSentenceAssessment { suitable } } }`,
      { c: caseNo },
    );
    expect(seen.body.data?.courtCase.preSentenceAssessment).toEqual({ suitable: true });
    // The police learn nothing of the assessment (社区矫正法 art. 8).
    const police = await t.query<{ courtCase: { preSentenceAssessment: { suitable: boolean | null } | null } | null }>(
      as.police,
      `query ($c: String!) { courtCase(caseNo: $c) { preSentenceAssessment { suitable } } }`,
      { c: caseNo },
    );
    expect(police.body.data?.courtCase?.preSentenceAssessment?.suitable ?? null).toBeNull();
    expect(police.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
    expect((await auditOf('justice', 'PreSentenceAssessment', answer.id)).map((r) => [r.subject, r.field])).toEqual([['co-211402-001', '*']]);

    // The judgment: 12 months, suspended (缓刑).
    const judged = await ok<{ judgment: { verdict: string; communitySentence: string } }>(
      as.court,
      `mutation ($c: String!, $d: Date!) { recordCriminalJudgment(input: { caseNo: $c, verdict: GUILTY, sentenceMonths: 12, communitySentence: PROBATION, judgedOn: $d }) { judgment { verdict communitySentence } } }`,
      { c: caseNo, d: today },
    );
    expect(judged.judgment).toEqual({ verdict: 'GUILTY', communitySentence: 'PROBATION' });
    expect((await auditOf('court', 'CourtCase', caseNo)).map((r) => r.field)).toContain('judgment');

    // 交付执行 within 10 days (社区矫正法 art. 20): accepted, the correction is opened in justice for the defendant.
    const handover = await dispatch('court', {
      kind: 'CORRECTION_HANDOVER',
      subjectKey: caseNo,
      scopeCode: chain.gridCode,
      toAgency: 'justice',
      toUnitCode: '211403',
      startedOn: today,
    });
    expect(handover).toMatchObject({ state: 'SENT', dueOn: dueDate(today, { days: 10 }) });
    expect((await step('justice', 'acceptHandoff', handover.id)).state).toBe('ACCEPTED');
    const effect = await effectOf(handover.id);
    expect(effect.mutation).toBe('openCorrectionFromHandoff');
    const id = effect.record_key!;
    let c = await ok<Correction>(as.justice, CORRECTION, { id });
    expect(c).toMatchObject({
      kind: 'PROBATION',
      status: 'ACTIVE',
      startOn: today,
      endOn: addPeriod(addPeriod(today, { months: 12 }), { days: -1 }),
      reportedOn: null,
      correctionOfficer: 'co-211402-001',
      person: { id: defendant.person_id },
      events: [],
    });
    expect((await auditOf('justice', 'CommunityCorrection', id)).map((r) => r.reason)).toEqual([
      `handoff effect ${effect.id} (accept ${handover.id}): ${id} (PROBATION) opened for CourtCase ${caseNo}`,
    ]);
    // The effect worker read the judgment from the court for justice (its defendants and sentence went with the effect): the look is in the court's chain.
    const looks = await sql<{ agency: string; subject: string; field: string; decision: string }>(
      t,
      `select agency, subject, field, decision from audit.access_log where chain = 'court' and request_id = $1 and entity_type = 'CourtCase' and entity_id = $2 order by seq`,
      [`effect-${effect.id}`, caseNo],
    );
    expect(looks.map((l) => l.field)).toEqual(expect.arrayContaining(['judgment', 'parties']));
    expect(new Set(looks.map((l) => `${l.agency} ${l.subject} ${l.decision}`))).toEqual(new Set(['justice service:workflow-effects allow']));

    // 报到, 矫正小组, 警告.
    await ok(as.justice, `mutation ($id: ID!, $d: Date!) { recordCorrectionReport(correctionId: $id, reportedOn: $d) { id } }`, { id, d: today });
    await ok(as.justice, `mutation ($id: ID!) { addCorrectionGroupMember(correctionId: $id, role: FAMILY, name: "张桂兰") { id } }`, { id });
    await ok(as.justice, `mutation ($id: ID!, $d: Date!) { issueCorrectionWarning(correctionId: $id, issuedOn: $d, reason: "未经批准离开居住地") { id } }`, {
      id,
      d: today,
    });
    // Released only when the period is over: refused today, naming the argument.
    const early = await t.query(as.justice, `mutation ($id: ID!, $d: Date!) { releaseFromCorrection(correctionId: $id, releasedOn: $d) { id } }`, {
      id,
      d: today,
    });
    expect(early.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'releasedOn' });
    // The period elapses (its last day moved to yesterday): 解除矫正.
    await sql(t, `update justice.community_correction set end_on = $2 where id = $1`, [id, addPeriod(today, { days: -1 })]);
    await ok(as.justice, `mutation ($id: ID!, $d: Date!) { releaseFromCorrection(correctionId: $id, releasedOn: $d) { id } }`, { id, d: today });
    c = await ok<Correction>(as.justice, CORRECTION, { id });
    expect(c).toMatchObject({ status: 'COMPLETED', reportedOn: today, group: [{ role: 'FAMILY', name: '张桂兰' }] });
    expect(c.events.map((e) => [e.kind, e.occurredOn, e.reason, e.officer])).toEqual([
      ['REPORTED', today, null, 'co-211402-001'],
      ['WARNING', today, '未经批准离开居住地', 'co-211402-001'],
      ['RELEASE', today, null, 'co-211402-001'],
    ]);
    expect((await auditOf('justice', 'CommunityCorrection', id)).map((r) => r.field)).toEqual(['*', 'reportedOn', 'group', 'events', 'status']);
    // A released correction takes no more entries.
    const after = await t.query(
      as.justice,
      `mutation ($id: ID!, $d: Date!) { issueCorrectionWarning(correctionId: $id, issuedOn: $d, reason: "再次违规") { id } }`,
      { id, d: today },
    );
    expect(after.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'correctionId' });

    // The procuratorate supervises (reads the file), writes nothing; the police see no correction.
    const supervised = await t.query<{ communityCorrection: Correction }>(as.procuratorate, CORRECTION, { id });
    expect(supervised.body.data?.communityCorrection.events).toHaveLength(3);
    const write = await t.query(as.procuratorate, `mutation ($id: ID!) { addCorrectionGroupMember(correctionId: $id, role: VOLUNTEER, name: "李四") { id } }`, {
      id,
    });
    expect(write.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
    const byPolice = await t.query<{ communityCorrection: unknown }>(as.police, CORRECTION, { id });
    expect(byPolice.body.data?.communityCorrection ?? null).toBeNull();
    expect(byPolice.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
  });
});
