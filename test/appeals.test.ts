import { cityWideChange } from '../src/auth/devTokens';
import { buildDemoCity, DEMO_PERIOD_END, DEMO_SIZES } from '../src/demo/city';
import { addDays, addMonths } from '../src/demo/dates';
import { dueDate } from '../src/shared/legalPeriods';
import { AppealOutcome, CourtCaseKind, Verdict } from '../src/subgraphs/court/entities';
import { courtCasesOf } from '../src/subgraphs/court/seed';
import { todayCst } from '../src/shared/chinaTime';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';
import { casePurpose, notSealedErrors } from './support/sealed';

/* Appeals (二审) at the intermediate court through the gateway: filing, deciding, who sees them, the refusals, the demo's appeals. */
let t: TestHub;
type Who = { token: string; headers?: Record<string, string> };
/** Judges of the intermediate court: the city-wide court token (the hub has no court identity of its own for it). */
let presiding: Who;
let otherIntermediateJudge: Who;
beforeAll(async () => {
  t = await startTestHub();
  presiding = { token: await t.token('court', { ...cityWideChange('court'), sub: 'ju-211400-001' }) };
  otherIntermediateJudge = { token: await t.token('court', { ...cityWideChange('court'), sub: 'ju-211400-002' }) };
  // The small city has two 民初: one judged, which its demo appeal takes, one mediated. The hub records
  // no civil judgment by mutation, so two judged copies of the mediated one are made here.
  for (const caseNo of ['(2025)辽1404民初900001号', '(2025)辽1404民初900002号'])
    await sql(
      t,
      `insert into court.court_case select (jsonb_populate_record(c, jsonb_build_object('case_no', $1::text, 'verdict', 'CLAIM_DISMISSED'))).*
         from court.court_case c where c.kind = 'CIVIL' and c.verdict = 'MEDIATED' order by c.case_no limit 1`,
      [caseNo],
    );
});
/** A judge of a district's basic court (`sub` the demo's judge of a case, to record its judgment). */
async function districtCourt(districtCode: string, sub = `ju-${districtCode}-001`): Promise<Who> {
  return { token: await t.token('court', { jurisdiction: [districtCode], sub }) };
}
afterAll(async () => {
  await t?.stop();
});

const APPEAL = `caseNo kind instance courtCode districtCode townshipCode sealed status filedOn concludedOn judge
  unit { code name level } appeal { appellant dueOn outcome decidedOn } appealOf { caseNo } appeals { caseNo }`;
type AppealNode = {
  caseNo: string;
  kind: string;
  instance: string;
  courtCode: string;
  districtCode: string;
  townshipCode: string;
  sealed: boolean;
  status: string;
  filedOn: string;
  concludedOn: string | null;
  judge: string;
  unit: { code: string; name: string; level: string };
  appeal: { appellant: string; dueOn: string; outcome: string | null; decidedOn: string | null } | null;
  appealOf: { caseNo: string } | null;
  appeals: Array<{ caseNo: string }>;
};

async function fileAppeal(who: Who, input: Record<string, unknown>, selection = APPEAL) {
  const res = await t.query<{ r: AppealNode }>(who, `mutation ($input: FileAppealInput!) { r: fileAppeal(input: $input) { ${selection} } }`, { input });
  return {
    appeal: res.body.data?.r ?? null,
    code: res.body.errors?.[0]?.extensions?.code as string | undefined,
    errors: res.body.errors,
  };
}
async function decideAppeal(who: Who, input: Record<string, unknown>) {
  const res = await t.query<{ r: AppealNode }>(who, `mutation ($input: DecideAppealInput!) { r: decideAppeal(input: $input) { ${APPEAL} } }`, { input });
  return {
    appeal: res.body.data?.r ?? null,
    code: res.body.errors?.[0]?.extensions?.code as string | undefined,
    errors: res.body.errors,
  };
}
async function courtCase(who: Who, caseNo: string, selection: string, headers?: Record<string, string>) {
  const res = await t.query<{ courtCase: Record<string, unknown> | null }>(
    who,
    `query ($n: String!) { courtCase(caseNo: $n) { ${selection} } }`,
    { n: caseNo },
    headers,
  );
  return { record: res.body.data?.courtCase ?? null, errors: res.body.errors };
}

type Judged = { caseNo: string; judgedOn: string; districtCode: string; townshipCode: string; judgeId: string };
/** Unsealed first-instance judgments of a kind and verdicts without an appeal yet, by number: a test appealing one takes it out of the next test's. */
async function judgments(kind: string, verdicts: string[]): Promise<Judged[]> {
  return sql<Judged>(
    t,
    `select c.case_no as "caseNo", c.concluded_on::text as "judgedOn", c.district_code as "districtCode", c.township_code as "townshipCode", c.judge_id as "judgeId"
       from court.court_case c where c.kind = $1 and c.verdict::text = any($2) and not c.sealed
       and not exists (select 1 from court.court_case a where a.appeal_of_case_no = c.case_no) order by c.case_no`,
    [kind, verdicts],
  );
}
const appealRows = async () => Number((await sql<{ n: string }>(t, `select count(*) as n from court.court_case where appeal_of_case_no is not null`))[0].n);

describe("the demo city's appeals", () => {
  it('holds appeals of both kinds at the intermediate court, each on a judgment within its period, filed in the first instance’s district', async () => {
    const rows = await sql<{
      caseNo: string;
      kind: string;
      unitCode: string;
      districtCode: string;
      firstDistrict: string;
      townshipCode: string;
      firstTownship: string;
      sealed: boolean;
      firstSealed: boolean;
      filedOn: string;
      judgedOn: string;
      firstKind: string;
      outcome: string | null;
      concludedOn: string | null;
    }>(
      t,
      `select a.case_no as "caseNo", a.kind::text as kind, a.unit_code as "unitCode", a.district_code as "districtCode", f.district_code as "firstDistrict",
         a.township_code as "townshipCode", f.township_code as "firstTownship", a.sealed, f.sealed as "firstSealed", a.filed_on::text as "filedOn",
         f.concluded_on::text as "judgedOn", f.kind::text as "firstKind", a.appeal_outcome::text as outcome, a.concluded_on::text as "concludedOn"
       from court.court_case a join court.court_case f on f.case_no = a.appeal_of_case_no`,
    );
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['CRIMINAL_APPEAL', 'CIVIL_APPEAL']));
    for (const r of rows) {
      expect(r.caseNo).toMatch(r.kind === 'CRIMINAL_APPEAL' ? /^\(\d{4}\)辽14刑终\d+号$/ : /^\(\d{4}\)辽14民终\d+号$/);
      expect(r.firstKind).toBe(r.kind === 'CRIMINAL_APPEAL' ? 'CRIMINAL' : 'CIVIL');
      expect(r).toMatchObject({ unitCode: 'FY211400000000', districtCode: r.firstDistrict, townshipCode: r.firstTownship, sealed: r.firstSealed });
      expect(r.filedOn > r.judgedOn && r.filedOn <= addDays(r.judgedOn, r.kind === 'CRIMINAL_APPEAL' ? 10 : 15)).toBe(true);
      expect(r.outcome === null).toBe(r.concludedOn === null);
      if (r.concludedOn) expect(r.concludedOn <= DEMO_PERIOD_END && r.concludedOn <= addMonths(r.filedOn, r.kind === 'CRIMINAL_APPEAL' ? 2 : 3)).toBe(true);
      // The demo remands nothing: a remand would set aside a judgment the other departments' rows are built on.
      expect(r.outcome).not.toBe('REMANDED');
    }
  });

  it('appeals about a tenth of the judgments, mostly upheld, in the medium city (shares in docs/domain.md)', () => {
    const cases = courtCasesOf(buildDemoCity(DEMO_SIZES.medium));
    const byNo = new Map(cases.map((c) => [c.caseNo, c]));
    const appeals = cases.filter((c) => c.appealOfCaseNo);
    const share = (kind: CourtCaseKind, verdicts: Verdict[]) => {
      const judged = cases.filter((c) => c.kind === kind && c.verdict && verdicts.includes(c.verdict)).length;
      return appeals.filter((a) => byNo.get(a.appealOfCaseNo!)!.kind === kind).length / judged;
    };
    const criminal = share(CourtCaseKind.CRIMINAL, [Verdict.GUILTY, Verdict.NOT_GUILTY]);
    const civil = share(CourtCaseKind.CIVIL, [Verdict.CLAIM_UPHELD, Verdict.CLAIM_PARTLY_UPHELD, Verdict.CLAIM_DISMISSED]);
    expect(criminal).toBeGreaterThan(0.07);
    expect(criminal).toBeLessThan(0.13);
    expect(civil).toBeGreaterThan(0.09);
    expect(civil).toBeLessThan(0.16);
    const decided = appeals.filter((a) => a.appealOutcome);
    expect(decided.length).toBeGreaterThan(10);
    const upheld = decided.filter((a) => a.appealOutcome === AppealOutcome.UPHELD).length / decided.length;
    expect(upheld).toBeGreaterThanOrEqual(0.7);
    expect(upheld).toBeLessThanOrEqual(0.9);
  });
});

describe('filing and deciding an appeal', () => {
  it('files a criminal appeal at the intermediate court, lists it under its first instance, decides it once, and then the judgment is final', async () => {
    const [first] = await judgments('CRIMINAL', ['GUILTY']);
    const filedOn = addDays(first.judgedOn, 3);
    const { appeal, errors } = await fileAppeal(presiding, { caseNo: first.caseNo, by: 'DEFENDANT', filedOn });
    expect(errors).toBeUndefined();
    expect(appeal!.caseNo).toMatch(new RegExp(`^\\(${filedOn.slice(0, 4)}\\)辽14刑终\\d+号$`));
    expect(appeal).toMatchObject({
      kind: 'CRIMINAL_APPEAL',
      instance: 'SECOND',
      courtCode: '辽14',
      // The first instance's district and township: who sees the case sees its appeal.
      districtCode: first.districtCode,
      townshipCode: first.townshipCode,
      sealed: false,
      status: 'FILED',
      filedOn,
      concludedOn: null,
      judge: 'ju-211400-001',
      unit: { code: 'FY211400000000', name: '葫芦岛市中级人民法院', level: 'CITY' },
      appeal: { appellant: 'DEFENDANT', dueOn: dueDate(filedOn, { months: 2 }), outcome: null, decidedOn: null },
      appealOf: { caseNo: first.caseNo },
      appeals: [],
    });
    const caseNo = appeal!.caseNo;

    // Listed under the first instance and found by its number, by the district court whose case it is.
    const basicCourt = await districtCourt(first.districtCode);
    const district = await courtCase(basicCourt, first.caseNo, 'instance appeals { caseNo appeal { appellant } }');
    expect(district.errors).toBeUndefined();
    expect(district.record).toEqual({ instance: 'FIRST', appeals: [{ caseNo, appeal: { appellant: 'DEFENDANT' } }] });
    const byNumber = await courtCase(basicCourt, caseNo.replace('(', '（').replace(')', '）'), 'caseNo appealOf { caseNo } parties { role }');
    expect(byNumber.errors).toBeUndefined();
    const parties = await sql<{ role: string }>(t, 'select role::text as role from court.court_party where case_no = $1 order by id', [first.caseNo]);
    expect(parties.length).toBeGreaterThan(0);
    // The parties are the first instance's, in their first-instance roles.
    expect(byNumber.record).toEqual({ caseNo, appealOf: { caseNo: first.caseNo }, parties });

    // One open appeal per judgment: the same appellant again, or the other side, is refused; nothing written.
    const rows = await appealRows();
    expect((await fileAppeal(presiding, { caseNo: first.caseNo, by: 'DEFENDANT', filedOn })).code).toBe('CONFLICT');
    expect((await fileAppeal(presiding, { caseNo: first.caseNo, by: 'PROSECUTION', filedOn })).code).toBe('CONFLICT');
    expect(await appealRows()).toBe(rows);

    // Only the presiding judge decides, not before the filing.
    expect((await decideAppeal(otherIntermediateJudge, { caseNo, outcome: 'UPHELD', decidedOn: todayCst() })).code).toBe('FORBIDDEN');
    expect((await decideAppeal(presiding, { caseNo, outcome: 'UPHELD', decidedOn: addDays(filedOn, -1) })).code).toBe('BAD_USER_INPUT');
    const decidedOn = todayCst();
    const decided = await decideAppeal(presiding, { caseNo, outcome: 'UPHELD', decidedOn });
    expect(decided.errors).toBeUndefined();
    expect(decided.appeal).toMatchObject({ status: 'CONCLUDED', concludedOn: decidedOn, appeal: { outcome: 'UPHELD', decidedOn } });
    const again = await decideAppeal(presiding, { caseNo, outcome: 'AMENDED', decidedOn });
    expect(again.code).toBe('INVALID_TRANSITION');
    expect(again.errors![0].extensions).toMatchObject({ state: 'UPHELD', step: 'decideAppeal' });
    // 两审终审: an upheld judgment is final.
    expect((await fileAppeal(presiding, { caseNo: first.caseNo, by: 'PROSECUTION', filedOn })).code).toBe('INVALID_TRANSITION');
    const [firstAfter] = await sql<{ status: string; verdict: string }>(
      t,
      'select status::text as status, verdict::text as verdict from court.court_case where case_no = $1',
      [first.caseNo],
    );
    expect(firstAfter).toEqual({ status: 'CONCLUDED', verdict: 'GUILTY' });
  });

  it('remands for retrial: the first-instance judgment is set aside, the case tried again and its new judgment appealable', async () => {
    const [first] = await judgments('CRIMINAL', ['GUILTY']);
    const { appeal } = await fileAppeal(presiding, { caseNo: first.caseNo, by: 'PROSECUTION', filedOn: first.judgedOn });
    const remanded = await decideAppeal(presiding, { caseNo: appeal!.caseNo, outcome: 'REMANDED', decidedOn: todayCst() });
    expect(remanded.errors).toBeUndefined();
    const basicCourt = await districtCourt(first.districtCode);
    const reopened = await courtCase(basicCourt, first.caseNo, 'status concludedOn judgment { verdict } appeals { caseNo appeal { outcome } }');
    expect(reopened.errors).toBeUndefined();
    expect(reopened.record).toEqual({
      status: 'FILED',
      concludedOn: null,
      judgment: null,
      appeals: [{ caseNo: appeal!.caseNo, appeal: { outcome: 'REMANDED' } }],
    });
    // No judgment to appeal while the retrial is under way.
    expect((await fileAppeal(presiding, { caseNo: first.caseNo, by: 'DEFENDANT', filedOn: todayCst() })).code).toBe('INVALID_TRANSITION');

    // The basic court's judge records the retrial's judgment; it is appealed again, a second 二审 of the case.
    const judge = await districtCourt(first.districtCode, first.judgeId);
    const retried = await t.query(judge, `mutation ($input: CriminalJudgmentInput!) { recordCriminalJudgment(input: $input) { status } }`, {
      input: { caseNo: first.caseNo, verdict: 'GUILTY', sentenceMonths: 30, judgedOn: todayCst() },
    });
    expect(retried.body.errors).toBeUndefined();
    const second = await fileAppeal(presiding, { caseNo: first.caseNo, by: 'DEFENDANT', filedOn: todayCst() });
    expect(second.errors).toBeUndefined();
    expect(second.appeal!.appealOf).toEqual({ caseNo: first.caseNo });
    const both = await courtCase(basicCourt, first.caseNo, 'appeals { caseNo }');
    expect(both.record).toEqual({ appeals: [{ caseNo: appeal!.caseNo }, { caseNo: second.appeal!.caseNo }] });
  });

  it('files a civil appeal by a party, due in three months, withdrawn', async () => {
    const [first] = await judgments('CIVIL', ['CLAIM_UPHELD', 'CLAIM_PARTLY_UPHELD', 'CLAIM_DISMISSED']);
    const filedOn = addDays(first.judgedOn, 15);
    const { appeal, errors } = await fileAppeal(presiding, { caseNo: first.caseNo, by: 'PARTY', filedOn });
    expect(errors).toBeUndefined();
    expect(appeal).toMatchObject({
      kind: 'CIVIL_APPEAL',
      unit: { code: 'FY211400000000' },
      appeal: { appellant: 'PARTY', dueOn: dueDate(filedOn, { months: 3 }) },
    });
    expect(appeal!.caseNo).toMatch(/^\(\d{4}\)辽14民终\d+号$/);
    const withdrawn = await decideAppeal(presiding, { caseNo: appeal!.caseNo, outcome: 'WITHDRAWN', decidedOn: todayCst() });
    expect(withdrawn.appeal!.appeal).toMatchObject({ outcome: 'WITHDRAWN' });
  });
});

describe('refusals, each with its code and nothing written', () => {
  it('refuses a late appeal, one of no judgment, of a kind without appeal, by the wrong side, and a bad number', async () => {
    const before = await appealRows();
    // The day after a period's last day (moved past rest days, as every legal period's is).
    const late = (judgedOn: string, days: number) => addDays(dueDate(judgedOn, { days }), 1);
    // Judgments whose appeal period ended more than a day ago, so that a late filing is not also one in the future.
    const old = (rows: Judged[]) => rows.find((r) => late(r.judgedOn, 15) < todayCst())!;
    const criminal = old(await judgments('CRIMINAL', ['GUILTY', 'NOT_GUILTY']));
    const civil = old(await judgments('CIVIL', ['CLAIM_UPHELD', 'CLAIM_PARTLY_UPHELD', 'CLAIM_DISMISSED']));
    // 刑事诉讼法 art. 230: ten days for a criminal judgment; 民事诉讼法 art. 171: fifteen for a civil one.
    expect((await fileAppeal(presiding, { caseNo: criminal.caseNo, by: 'DEFENDANT', filedOn: late(criminal.judgedOn, 10) })).code).toBe('LEGAL_LIMIT');
    expect((await fileAppeal(presiding, { caseNo: civil.caseNo, by: 'PARTY', filedOn: late(civil.judgedOn, 15) })).code).toBe('LEGAL_LIMIT');
    expect((await fileAppeal(presiding, { caseNo: criminal.caseNo, by: 'DEFENDANT', filedOn: addDays(criminal.judgedOn, -1) })).code).toBe('BAD_USER_INPUT');
    expect((await fileAppeal(presiding, { caseNo: criminal.caseNo, by: 'DEFENDANT', filedOn: addDays(todayCst(), 1) })).code).toBe('BAD_USER_INPUT');
    expect((await fileAppeal(presiding, { caseNo: criminal.caseNo, by: 'PARTY', filedOn: criminal.judgedOn })).code).toBe('BAD_USER_INPUT');
    expect((await fileAppeal(presiding, { caseNo: civil.caseNo, by: 'PROSECUTION', filedOn: civil.judgedOn })).code).toBe('BAD_USER_INPUT');

    // No judgment: a case still before the court, a civil case closed by a mediation statement (调解书).
    const [open] = await sql<{ caseNo: string }>(
      t,
      `select case_no as "caseNo" from court.court_case where kind = 'CRIMINAL' and status <> 'CONCLUDED' order by case_no limit 1`,
    );
    const noJudgment = await fileAppeal(presiding, { caseNo: open.caseNo, by: 'DEFENDANT', filedOn: todayCst() });
    expect(noJudgment.code).toBe('INVALID_TRANSITION');
    const [mediated] = await sql<{ caseNo: string; day: string }>(
      t,
      `select case_no as "caseNo", concluded_on::text as day from court.court_case where verdict = 'MEDIATED' order by case_no limit 1`,
    );
    expect((await fileAppeal(presiding, { caseNo: mediated.caseNo, by: 'PARTY', filedOn: mediated.day })).code).toBe('INVALID_TRANSITION');
    // 民特 and 执 have no appeal; a 二审 judgment is final.
    for (const kind of ['SPECIAL_PROCEDURE', 'ENFORCEMENT', 'CRIMINAL_APPEAL']) {
      const [c] = await sql<{ caseNo: string }>(t, `select case_no as "caseNo" from court.court_case where kind = $1 order by case_no limit 1`, [kind]);
      expect([kind, (await fileAppeal(presiding, { caseNo: c.caseNo, by: 'PARTY', filedOn: todayCst() })).code]).toEqual([kind, 'BAD_USER_INPUT']);
    }
    // Not a number; an unknown one; deciding a first instance.
    expect((await fileAppeal(presiding, { caseNo: '辽14刑终12', by: 'DEFENDANT', filedOn: todayCst() })).code).toBe('BAD_USER_INPUT');
    expect((await fileAppeal(presiding, { caseNo: '(2025)辽1402刑初99999号', by: 'DEFENDANT', filedOn: todayCst() })).code).toBe('NOT_FOUND');
    expect((await decideAppeal(presiding, { caseNo: criminal.caseNo, outcome: 'UPHELD', decidedOn: todayCst() })).code).toBe('BAD_USER_INPUT');
    expect((await decideAppeal(presiding, { caseNo: '(2025)辽14刑终99999号', outcome: 'UPHELD', decidedOn: todayCst() })).code).toBe('NOT_FOUND');
    expect(await appealRows()).toBe(before);
  });

  it("refuses a basic court's judge (the intermediate court files appeals) and a clerk (the policy)", async () => {
    const [first] = await judgments('CRIMINAL', ['GUILTY', 'NOT_GUILTY']);
    const input = { caseNo: first.caseNo, by: 'DEFENDANT', filedOn: first.judgedOn };
    const before = await appealRows();
    expect((await fileAppeal(await districtCourt(first.districtCode), input)).code).toBe('FORBIDDEN');
    const clerk = { token: await t.token('court', { ...cityWideChange('court'), roles: ['clerk', 'city'] }) };
    expect((await fileAppeal(clerk, input, 'caseNo')).code).toMatch(/^FORBIDDEN/);
    expect(await appealRows()).toBe(before);
  });
});

describe('who sees an appeal', () => {
  it("gives another district's court the appeal's number and links but not its substance, and leaves it out of its lists", async () => {
    // An unsealed appeal of the demo city.
    const [first] = await sql<{ caseNo: string; appealNo: string; districtCode: string; townshipCode: string; filedOn: string }>(
      t,
      `select a.appeal_of_case_no as "caseNo", a.case_no as "appealNo", a.district_code as "districtCode", a.township_code as "townshipCode", a.filed_on::text as "filedOn"
         from court.court_case a where a.appeal_of_case_no is not null and not a.sealed order by a.case_no limit 1`,
    );
    const ownCourt = await districtCourt(first.districtCode);
    const otherDistrictCourt = await districtCourt(first.districtCode === '211402' ? '211403' : '211402');
    const own = await courtCase(ownCourt, first.appealNo, 'caseNo cause appeal { appellant } appealOf { caseNo }');
    expect(own.errors).toBeUndefined();
    expect(own.record!.appeal).not.toBeNull();
    const other = await courtCase(otherDistrictCourt, first.appealNo, 'caseNo cause appeal { appellant } appealOf { caseNo }');
    expect(other.record).toEqual({ caseNo: first.appealNo, cause: null, appeal: null, appealOf: { caseNo: first.caseNo } });
    expect(other.errors!.map((e) => `${String(e.extensions?.code)} ${e.path!.join('.')}`).sort()).toEqual([
      'FORBIDDEN_FIELD courtCase.appeal',
      'FORBIDDEN_FIELD courtCase.cause',
    ]);
    const list = `query ($d: String!, $on: Date!) { courtCases(filter: { divisionCode: $d, from: $on, to: $on }, first: 100) { edges { node { caseNo } } } }`;
    const listed = async (who: Who) =>
      (
        await t.query<{ courtCases: { edges: Array<{ node: { caseNo: string } }> } }>(who, list, { d: first.townshipCode, on: first.filedOn })
      ).body.data!.courtCases.edges.map((e) => e.node.caseNo);
    expect(await listed(ownCourt)).toContain(first.appealNo);
    expect(await listed(otherDistrictCourt)).not.toContain(first.appealNo);
    expect(await listed(presiding)).toContain(first.appealNo);
  });

  it('keeps a sealed juvenile case sealed on appeal: the appeal inherits the seal, opened only for the case', async () => {
    const [first] = await judgments('CRIMINAL', ['GUILTY']);
    await sql(t, 'update court.court_case set sealed = true where case_no = $1', [first.caseNo]);
    const filed = await fileAppeal(presiding, { caseNo: first.caseNo, by: 'DEFENDANT', filedOn: first.judgedOn }, 'caseNo sealed');
    expect(filed.errors).toBeUndefined();
    expect(filed.appeal!.sealed).toBe(true);
    const caseNo = filed.appeal!.caseNo;
    const selection = 'caseNo sealed cause appeal { appellant } parties { role }';
    const closed = await courtCase(presiding, caseNo, selection);
    expect(closed.record).toMatchObject({ caseNo, sealed: true, cause: null, appeal: null, parties: null });
    expect(closed.errors!.length).toBe(3);
    expect(notSealedErrors(closed.errors)).toEqual([]);
    // The appeal belongs to the first instance's journey: stating either case opens it to the intermediate court.
    for (const stated of [caseNo, first.caseNo]) {
      const open = await courtCase(presiding, caseNo, selection, casePurpose(stated));
      expect([stated, open.errors]).toEqual([stated, undefined]);
      expect(open.record!.appeal).toEqual({ appellant: 'DEFENDANT' });
    }
    // The district court with no case stated: sealed too.
    expect((await courtCase(await districtCourt(first.districtCode), caseNo, selection)).record).toMatchObject({ appeal: null, cause: null });
  });
});
