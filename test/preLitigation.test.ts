import { addDays } from '../src/demo/dates';
import { todayCst } from '../src/shared/chinaTime';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/* 诉前调解 through the gateway: the court delegates, the mediation point records the outcome, the court confirms (司法确认, 民特) or files (民初). */
let t: TestHub;
let parties: { applicantId: string; respondentId: string };
let point: { id: string; townshipCode: string };
beforeAll(async () => {
  t = await startTestHub();
  const persons = await sql<{ id: string }>(t, `select id from grid.person where grid_code like '211402%' order by id limit 2`);
  parties = { applicantId: persons[0].id, respondentId: persons[1].id };
  [point] = await sql<{ id: string; townshipCode: string }>(
    t,
    `select id, township_code as "townshipCode" from justice.mediation_point where district_code = '211402' order by id limit 1`,
  );
});
afterAll(async () => {
  await t?.stop();
});

const day = (offset: number) => addDays(todayCst(), offset);
const RECORD = `caseNo status delegatedOn deadlineOn endedOn agreement applicant { id } respondent { id }
  judicialConfirmation { caseNo kind status judgment { verdict } parties { role } }
  lawsuit { caseNo kind status preLitigationMediation { startedOn endedOn outcome } parties { role } }`;
type Record_ = {
  caseNo: string;
  status: string;
  deadlineOn: string;
  endedOn: string | null;
  agreement: string | null;
  applicant: { id: string } | null;
  judicialConfirmation: { caseNo: string; kind: string; status: string; judgment: { verdict: string }; parties: Array<{ role: string }> } | null;
  lawsuit: {
    caseNo: string;
    kind: string;
    status: string;
    preLitigationMediation: { startedOn: string; endedOn: string; outcome: string };
    parties: Array<{ role: string }>;
  } | null;
};

async function call(who: Parameters<TestHub['query']>[0], mutation: string, input: Record<string, unknown>) {
  const res = await t.query<Record<string, Record_>>(who, `mutation ($input: ${inputType[mutation]}!) { r: ${mutation}(input: $input) { ${RECORD} } }`, {
    input,
  });
  return { record: res.body.data?.r ?? null, code: res.body.errors?.[0]?.extensions?.code as string | undefined, errors: res.body.errors };
}
const inputType: Record<string, string> = {
  delegatePreLitigationMediation: 'DelegatePreLitigationInput',
  recordPreLitigationOutcome: 'PreLitigationOutcomeInput',
  confirmPreLitigationAgreement: 'ConfirmPreLitigationInput',
  filePreLitigationLawsuit: 'FilePreLitigationInput',
};

async function delegate(delegatedOn: string): Promise<Record_> {
  const { record, errors } = await call('court', 'delegatePreLitigationMediation', {
    townshipCode: point.townshipCode,
    cause: '民间借贷纠纷',
    ...parties,
    mediationPointId: point.id,
    delegatedOn,
  });
  expect(errors).toBeUndefined();
  return record!;
}

describe('诉前调解 through the gateway', () => {
  it('delegated by the court, settled at the mediation point and confirmed by 司法确认 within 30 days', async () => {
    const delegated = await delegate(day(-20));
    expect(delegated.caseNo).toMatch(/^\(\d{4}\)辽1402民诉前调\d+号$/);
    expect(delegated).toMatchObject({ status: 'MEDIATING', deadlineOn: day(10), applicant: { id: parties.applicantId } });

    const settled = await call('justice', 'recordPreLitigationOutcome', {
      caseNo: delegated.caseNo,
      outcome: 'SETTLED',
      endedOn: day(-10),
      agreement: '被申请人分三期归还借款两万元。',
    });
    expect(settled.errors).toBeUndefined();
    expect(settled.record).toMatchObject({ status: 'SETTLED', endedOn: day(-10), agreement: '被申请人分三期归还借款两万元。' });

    const confirmed = await call('court', 'confirmPreLitigationAgreement', { caseNo: delegated.caseNo, appliedOn: day(-5), ruledOn: day(0) });
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.record!.status).toBe('CONFIRMED');
    expect(confirmed.record!.judicialConfirmation).toMatchObject({
      kind: 'SPECIAL_PROCEDURE',
      status: 'CONCLUDED',
      judgment: { verdict: 'CONFIRMED' },
      parties: [{ role: 'APPLICANT' }, { role: 'APPLICANT' }],
    });
    expect(confirmed.record!.judicialConfirmation!.caseNo).toMatch(/^\(\d{4}\)辽1402民特\d+号$/);

    // Every step is in the audit trail, under the record's number.
    const audited = await sql<{ n: string }>(t, `select count(*) as n from audit.access_log where entity_id = $1`, [delegated.caseNo]);
    expect(Number(audited[0].n)).toBeGreaterThanOrEqual(3);
  });

  it('a failed mediation is filed as 民初, which points back to it', async () => {
    const delegated = await delegate(day(-30));
    expect((await call('justice', 'recordPreLitigationOutcome', { caseNo: delegated.caseNo, outcome: 'FAILED', endedOn: day(-3) })).record!.status).toBe(
      'FAILED',
    );
    const filed = await call('court', 'filePreLitigationLawsuit', { caseNo: delegated.caseNo, filedOn: day(0) });
    expect(filed.errors).toBeUndefined();
    expect(filed.record!.status).toBe('FILED');
    expect(filed.record!.lawsuit).toMatchObject({
      kind: 'CIVIL',
      status: 'FILED',
      preLitigationMediation: { startedOn: day(-30), endedOn: day(-3), outcome: 'FAILED' },
      parties: [{ role: 'PLAINTIFF' }, { role: 'DEFENDANT' }],
    });
  });

  it('refuses the wrong agency or role, an illegal order and a late confirmation, writing nothing', async () => {
    const input = { townshipCode: point.townshipCode, cause: '相邻关系纠纷', ...parties, mediationPointId: point.id, delegatedOn: day(-50) };
    expect((await call('justice', 'delegatePreLitigationMediation', input)).code).toMatch(/^FORBIDDEN/);
    const delegated = await delegate(day(-50));
    expect((await call('court', 'recordPreLitigationOutcome', { caseNo: delegated.caseNo, outcome: 'FAILED', endedOn: day(-45) })).code).toMatch(/^FORBIDDEN/);
    expect((await call('court', 'filePreLitigationLawsuit', { caseNo: delegated.caseNo, filedOn: day(0) })).code).toBe('INVALID_TRANSITION');
    await call('justice', 'recordPreLitigationOutcome', { caseNo: delegated.caseNo, outcome: 'SETTLED', endedOn: day(-40), agreement: '双方同意维持现状。' });
    const clerk = { token: await t.token('court', { roles: ['clerk'] }) };
    expect((await call(clerk, 'confirmPreLitigationAgreement', { caseNo: delegated.caseNo, appliedOn: day(-1), ruledOn: day(0) })).code).toMatch(/^FORBIDDEN/);
    // 民事诉讼法 art. 205: applied for more than 30 days after the agreement.
    expect((await call('court', 'confirmPreLitigationAgreement', { caseNo: delegated.caseNo, appliedOn: day(-1), ruledOn: day(0) })).code).toBe('LEGAL_LIMIT');
    const after = await t.query<{ preLitigationMediationCase: Record_ }>(
      'court',
      `query ($k: String!) { preLitigationMediationCase(caseNo: $k) { ${RECORD} } }`,
      { k: delegated.caseNo },
    );
    expect(after.body.data!.preLitigationMediationCase).toMatchObject({ status: 'SETTLED', judicialConfirmation: null });
    // An agreement after the term (30 days + agreed extension) is not a pre-litigation settlement.
    const late = await delegate(day(-50));
    expect(
      (await call('justice', 'recordPreLitigationOutcome', { caseNo: late.caseNo, outcome: 'SETTLED', endedOn: day(-5), agreement: '逾期达成。' })).code,
    ).toBe('LEGAL_LIMIT');
    expect((await call('court', 'delegatePreLitigationMediation', { ...input, applicantId: 'nope' })).errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argument: 'input.applicantId' },
    });
  });

  it('the demo city has delegations per district, about two in three settled, the agreement masked outside the district', async () => {
    const rows = await sql<{ status: string; n: string }>(
      t,
      `select status::text, count(*) as n from court.pre_litigation_mediation where judge_id like 'ju-%' and agreement is distinct from '双方同意维持现状。' group by status`,
    );
    const count = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    expect(count.SETTLED).toBeGreaterThan(count.FAILED);
    const [outside] = await sql<{ caseNo: string }>(
      t,
      `select case_no as "caseNo" from court.pre_litigation_mediation where district_code <> '211402' and status = 'SETTLED' order by case_no limit 1`,
    );
    const res = await t.query<{ preLitigationMediationCase: Record_ }>(
      'justice',
      `query ($k: String!) { preLitigationMediationCase(caseNo: $k) { caseNo agreement } }`,
      { k: outside.caseNo },
    );
    expect(res.body.data!.preLitigationMediationCase.agreement).not.toContain('调解协议');
  });
});
