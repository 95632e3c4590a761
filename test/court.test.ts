import { cityWideChange } from '../src/auth/devTokens';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import { DEMO_PERIOD_END } from '../src/demo/city';
import { personKey } from '../src/shared/personKey';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';
import { casePurpose, notSealedErrors, sealedPositions } from './support/sealed';

let t: TestHub;
/** A city-level officer of the department: its lists are scoped to the officer's jurisdiction. */
let cityCourt: { token: string; headers: Record<string, string> };
beforeAll(async () => {
  t = await startTestHub();
  // A city-level court handles every case of the city; sealed juvenile cases open to it only case by case (x-purpose: case:<number>).
  cityCourt = { token: await t.token('court', cityWideChange('court')), headers: {} };
});
afterAll(async () => {
  await t?.stop();
});

const key = (idNumber: string) => personKey(idNumber, DEV_PERSON_KEY_SECRET);

interface CaseNode {
  caseNo: string;
  kind: string;
  instance: string;
  courtCode: string;
  districtCode: string;
  townshipCode: string;
  filedOn: string;
  concludedOn: string | null;
  sealed: boolean;
  status: string;
  judge: string;
  cause: string | null;
  amountYuan: number | null;
  parties: Array<{ role: string; person: { id: string } }>;
  hearings: Array<{ kind: string; heldOn: string; courtroom: string }>;
  judgment: { verdict: string; sentenceMonths: number | null; probation: boolean | null; judgedOn: string } | null;
  preLitigationMediation: { startedOn: string; endedOn: string; outcome: string } | null;
  prosecutionCase: { caseNo: string } | null;
  mediationCase: { id: string } | null;
}
type CasesPage = { courtCases: { edges: Array<{ node: CaseNode }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

const CASE_FIELDS = `caseNo kind instance courtCode districtCode townshipCode filedOn concludedOn sealed status judge cause amountYuan
  parties { role person { id } } hearings { kind heldOn courtroom }
  judgment { verdict sentenceMonths probation judgedOn } preLitigationMediation { startedOn endedOn outcome }
  prosecutionCase { caseNo } mediationCase { id }`;
const CASES = `query ($first: Int, $after: String, $filter: CourtCaseFilter) {
  courtCases(first: $first, after: $after, filter: $filter) { edges { node { ${CASE_FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;

async function allCases(filter?: Record<string, unknown>, first = 25): Promise<{ nodes: CaseNode[]; pages: number }> {
  const nodes: CaseNode[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const res: GraphQLResponse<CasesPage> = await t.query<CasesPage>(cityCourt, CASES, { first, after, filter });
    const { edges, pageInfo } = res.body.data!.courtCases;
    // Only sealed cases withhold their substance in a list; each is then read for its case.
    for (const i of sealedPositions(res.body.errors)) {
      expect(edges[i].node.sealed).toBe(true);
      const one = await t.query<{ courtCase: CaseNode }>(
        cityCourt,
        `query ($no: String!) { courtCase(caseNo: $no) { ${CASE_FIELDS} } }`,
        { no: edges[i].node.caseNo },
        casePurpose(edges[i].node.caseNo),
      );
      expect(one.body.errors).toBeUndefined();
      edges[i].node = one.body.data!.courtCase;
    }
    nodes.push(...edges.map((e) => e.node));
    after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    pages++;
  } while (after && pages < 100);
  return { nodes, pages };
}

/** What the demo city says about every court case, independently of the court's seed code. */
interface ExpectedCase {
  caseNo: string;
  kind: string;
  courtCode: string;
  townshipCode: string;
  parties: string[];
}

function township(idNumber: string): string {
  return t.city.persons.find((p) => p.idNumber === idNumber)!.gridCode.slice(0, 9);
}

function expectedCases(): ExpectedCase[] {
  const parties = (list: Array<[string, string[]]>) => list.flatMap(([role, ids]) => ids.map((id) => `${role}:${key(id)}`)).sort();
  const cases: ExpectedCase[] = [];
  for (const chain of t.city.criminalChains) {
    if (!chain.trial) continue;
    cases.push({
      caseNo: chain.trial.courtCaseNo,
      kind: 'CRIMINAL',
      courtCode: chain.trial.courtCode,
      townshipCode: chain.gridCode.slice(0, 9),
      parties: parties([
        ['DEFENDANT', chain.suspectIdNumbers],
        ['VICTIM', chain.victimIdNumbers],
      ]),
    });
  }
  for (const d of t.city.disputes) {
    const townshipCode = township(d.partyIdNumbers[0]);
    if (d.confirmationCaseNo) {
      cases.push({
        caseNo: d.confirmationCaseNo,
        kind: 'SPECIAL_PROCEDURE',
        courtCode: d.courtCode,
        townshipCode,
        parties: parties([['APPLICANT', d.partyIdNumbers]]),
      });
    }
    if (d.lawsuitCaseNo) {
      cases.push({
        caseNo: d.lawsuitCaseNo,
        kind: 'CIVIL',
        courtCode: d.courtCode,
        townshipCode,
        parties: parties([
          ['PLAINTIFF', [d.partyIdNumbers[0]]],
          ['DEFENDANT', [d.partyIdNumbers[1]]],
        ]),
      });
    }
  }
  for (const e of t.city.enforcementCases) {
    cases.push({
      caseNo: e.caseNo,
      kind: 'ENFORCEMENT',
      courtCode: e.courtCode,
      townshipCode: township(e.respondentIdNumber),
      parties: parties([
        ['APPLICANT', [e.applicantIdNumber]],
        ['RESPONDENT', [e.respondentIdNumber]],
      ]),
    });
  }
  return cases;
}

function isNewestFirst(nodes: Array<{ caseNo: string; filedOn: string }>): boolean {
  return nodes.every((n, i) => i === 0 || nodes[i - 1].filedOn > n.filedOn || (nodes[i - 1].filedOn === n.filedOn && nodes[i - 1].caseNo > n.caseNo));
}

describe('court subgraph through the gateway', () => {
  let all: CaseNode[];
  let byNo: Map<string, CaseNode>;
  beforeAll(async () => {
    // The plan's cases are the first instances; their appeals (二审) are the court's own, tested in test/appeals.test.ts.
    all = (await allCases()).nodes.filter((c) => c.instance === 'FIRST');
    byNo = new Map(all.map((c) => [c.caseNo, c]));
  });

  it('lists every case of the demo city page by page, newest first, with its parties', async () => {
    const expected = expectedCases();
    expect(all.map((c) => c.caseNo).sort()).toEqual(expected.map((c) => c.caseNo).sort());
    expect(byNo.size).toBe(all.length);
    expect(isNewestFirst(all)).toBe(true);
    for (const e of expected) {
      const c = byNo.get(e.caseNo)!;
      expect({ caseNo: c.caseNo, kind: c.kind, courtCode: c.courtCode, townshipCode: c.townshipCode }).toEqual({
        caseNo: e.caseNo,
        kind: e.kind,
        courtCode: e.courtCode,
        townshipCode: e.townshipCode,
      });
      expect(c.districtCode).toBe(`21${e.courtCode.slice(1)}`);
      expect(c.parties.map((p) => `${p.role}:${p.person.id}`).sort()).toEqual(e.parties);
      expect(c.caseNo.slice(1, 5)).toBe(c.filedOn.slice(0, 4));
      for (const h of c.hearings) expect(h.heldOn >= c.filedOn && h.heldOn <= DEMO_PERIOD_END).toBe(true);
    }
  });

  it('gives criminal cases their trial, judgment, prosecution and sealing as the demo city has them', () => {
    const chains = t.city.criminalChains.filter((c) => c.trial);
    expect(chains.some((c) => c.trial!.juvenile)).toBe(true);
    for (const chain of chains) {
      const trial = chain.trial!;
      const c = byNo.get(trial.courtCaseNo)!;
      expect(c).toMatchObject({
        filedOn: trial.filedOn,
        judge: trial.judgeId,
        cause: chain.charge,
        prosecutionCase: { caseNo: chain.prosecution!.prosecutionCaseNo },
        mediationCase: null,
        preLitigationMediation: null,
      });
      // 未成年人犯罪记录封存: under 18 at the offence and at most five years.
      expect(c.sealed).toBe(trial.juvenile && (trial.sentenceMonths ?? 0) <= 60);
      expect(c.hearings[0]).toMatchObject({ kind: 'TRIAL', heldOn: trial.hearingOn });
      if (trial.juvenile) expect(c.hearings[0].courtroom).toBe('少年法庭');
      if (trial.verdict) {
        expect(c.status).toBe('CONCLUDED');
        expect(c.judgment).toEqual({
          verdict: trial.verdict,
          sentenceMonths: trial.sentenceMonths,
          probation: trial.verdict === 'GUILTY' ? trial.probation : null,
          judgedOn: trial.judgedOn,
        });
        expect(c.concludedOn).toBe(trial.judgedOn);
      } else {
        expect(c).toMatchObject({ status: 'HEARD', judgment: null, concludedOn: null });
      }
    }
  });

  it('links judicial confirmations and lawsuits to their mediation, after it closed; every lawsuit had a failed pre-litigation mediation', () => {
    const disputes = t.city.disputes.filter((d) => d.confirmationCaseNo || d.lawsuitCaseNo);
    expect(disputes.some((d) => d.confirmationCaseNo)).toBe(true);
    expect(disputes.some((d) => d.lawsuitCaseNo)).toBe(true);
    for (const d of disputes) {
      const c = byNo.get((d.confirmationCaseNo ?? d.lawsuitCaseNo)!)!;
      expect(c.mediationCase).toEqual({ id: d.mediationId });
      expect(c.prosecutionCase).toBeNull();
      expect(c.filedOn > d.closedOn!).toBe(true);
      if (d.confirmationCaseNo) {
        expect(c.preLitigationMediation).toBeNull();
        expect(c.parties.every((p) => p.role === 'APPLICANT')).toBe(true);
        if (c.judgment) expect(c.judgment).toMatchObject({ verdict: 'CONFIRMED', sentenceMonths: null, probation: null });
        expect(c.status === 'CONCLUDED').toBe(c.judgment !== null);
      } else {
        const pre = c.preLitigationMediation!;
        expect(pre.outcome).toBe('FAILED');
        expect(pre.startedOn > d.closedOn! && pre.startedOn <= pre.endedOn && pre.endedOn <= c.filedOn).toBe(true);
        if (c.judgment) expect(['CLAIM_UPHELD', 'CLAIM_PARTLY_UPHELD', 'CLAIM_DISMISSED', 'MEDIATED']).toContain(c.judgment.verdict);
      }
    }
  });

  it('gives enforcement cases their filing, status and amount, and no judgment', () => {
    for (const e of t.city.enforcementCases) {
      const c = byNo.get(e.caseNo)!;
      expect(c).toMatchObject({
        filedOn: e.filedOn,
        amountYuan: e.amountYuan,
        judgment: null,
        hearings: [],
        status: e.status === 'CONCLUDED' ? 'CONCLUDED' : 'FILED',
      });
      expect(c.concludedOn === null).toBe(e.status === 'OPEN');
    }
  });

  it('filters by district, township, kind and filing days (inclusive)', async () => {
    const criminal = t.city.criminalChains.filter((c) => c.trial && c.districtCode === '211402');
    const days = criminal.map((c) => c.trial!.filedOn).sort();
    const [from, to] = [days[0], days[Math.floor(days.length / 2)]];
    const res = await allCases({ divisionCode: '211402', kind: 'CRIMINAL', from, to }, 2);
    const expected = criminal.filter((c) => c.trial!.filedOn >= from && c.trial!.filedOn <= to).map((c) => c.trial!.courtCaseNo);
    expect(expected.length).toBeGreaterThan(1);
    expect(res.nodes.map((n) => n.caseNo).sort()).toEqual(expected.sort());
    expect(res.pages).toBe(Math.ceil(expected.length / 2));
    expect(isNewestFirst(res.nodes)).toBe(true);

    const townshipCode = all[0].townshipCode;
    const inTownship = await allCases({ divisionCode: townshipCode });
    expect(
      inTownship.nodes
        .filter((n) => n.instance === 'FIRST')
        .map((n) => n.caseNo)
        .sort(),
    ).toEqual(
      expectedCases()
        .filter((c) => c.townshipCode === townshipCode)
        .map((c) => c.caseNo)
        .sort(),
    );
  });

  it('finds one case by its number, also written with full-width brackets, and null for an unknown one', async () => {
    const c = all.find((n) => n.kind === 'CRIMINAL')!;
    const q = `query ($n: String!) { courtCase(caseNo: $n) { caseNo kind prosecutionCase { caseNo courtCase { caseNo } } } }`;
    const res = await t.query<{ courtCase: { caseNo: string; kind: string; prosecutionCase: { caseNo: string; courtCase: { caseNo: string } } } }>(
      cityCourt,
      q,
      { n: c.caseNo.replace('(', '（').replace(')', '）') },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.courtCase).toEqual({
      caseNo: c.caseNo,
      kind: 'CRIMINAL',
      prosecutionCase: { caseNo: c.prosecutionCase!.caseNo, courtCase: { caseNo: c.caseNo } },
    });
    const unknown = await t.query<{ courtCase: null }>(cityCourt, q, { n: '(2025)辽1402刑初99999号' });
    expect(unknown.body.errors).toBeUndefined();
    expect(unknown.body.data!.courtCase).toBeNull();
  });

  it('adds to a person (from the registry) the cases they are a party to, newest first', async () => {
    const roles = new Map<string, Set<string>>();
    for (const e of expectedCases()) {
      for (const p of e.parties) {
        const id = p.split(':')[1];
        if (!roles.has(id)) roles.set(id, new Set());
        roles.get(id)!.add(e.caseNo);
      }
    }
    const [personId, caseNos] = [...roles.entries()].sort((x, y) => y[1].size - x[1].size)[0];
    expect(caseNos.size).toBeGreaterThan(1);
    const person = t.city.persons.find((p) => key(p.idNumber) === personId)!;
    const res = await t.query<{ personByIdNumber: { name: string; courtCases: Array<{ caseNo: string; filedOn: string }> } }>(
      cityCourt,
      `query ($n: String!) { personByIdNumber(idNumber: $n) { name courtCases { caseNo filedOn } } }`,
      { n: person.idNumber },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.personByIdNumber.name).toBe(person.name);
    const cases = res.body.data!.personByIdNumber.courtCases;
    expect(cases.map((c) => c.caseNo).sort()).toEqual([...caseNos].sort());
    expect(isNewestFirst(cases)).toBe(true);
  });

  it('counts court figures per district and township, in one statement for all of them', async () => {
    const q = `query ($from: Date, $to: Date) { districts { code townships { code courtStatistics(from: $from, to: $to) { casesFiled } }
      courtStatistics(from: $from, to: $to) { casesFiled casesConcluded convictions mediatedSettlements judicialConfirmations } } }`;
    type Stats = { casesFiled: number; casesConcluded: number; convictions: number; mediatedSettlements: number; judicialConfirmations: number };
    type Res = { districts: Array<{ code: string; townships: Array<{ code: string; courtStatistics: { casesFiled: number } }>; courtStatistics: Stats }> };
    const expectedFor = (code: string, from = '0000-00-00', to = '9999-99-99'): Stats => {
      const here = all.filter((c) => c.townshipCode.startsWith(code));
      const concluded = here.filter((c) => c.concludedOn !== null && c.concludedOn >= from && c.concludedOn <= to);
      return {
        casesFiled: here.filter((c) => c.filedOn >= from && c.filedOn <= to).length,
        casesConcluded: concluded.length,
        convictions: concluded.filter((c) => c.judgment?.verdict === 'GUILTY').length,
        mediatedSettlements: concluded.filter((c) => c.judgment?.verdict === 'MEDIATED').length,
        judicialConfirmations: concluded.filter((c) => c.judgment?.verdict === 'CONFIRMED').length,
      };
    };

    const whole = await t.query<Res>(cityCourt, q, {});
    expect(whole.body.errors).toBeUndefined();
    const districts = whole.body.data!.districts;
    expect(districts.length).toBeGreaterThan(1);
    for (const d of districts) {
      expect(d.courtStatistics).toEqual(expectedFor(d.code));
      // Straight from the demo city: every case filed, every conviction.
      expect(d.courtStatistics.casesFiled).toBe(expectedCases().filter((c) => c.courtCode === `辽${d.code.slice(2)}`).length);
      expect(d.courtStatistics.convictions).toBe(t.city.criminalChains.filter((c) => c.districtCode === d.code && c.trial?.verdict === 'GUILTY').length);
      for (const tw of d.townships) expect(tw.courtStatistics.casesFiled).toBe(expectedFor(tw.code).casesFiled);
    }
    expect(districts.reduce((n, d) => n + d.courtStatistics.casesFiled, 0)).toBe(all.length);

    const [from, to] = ['2025-06-01', '2025-12-31'];
    const period = await t.query<Res>(cityCourt, q, { from, to });
    expect(period.body.errors).toBeUndefined();
    for (const d of period.body.data!.districts) {
      expect(d.courtStatistics).toEqual(expectedFor(d.code, from, to));
      for (const tw of d.townships) expect(tw.courtStatistics.casesFiled).toBe(expectedFor(tw.code, from, to).casesFiled);
    }
    expect(period.body.data!.districts.some((d) => d.courtStatistics.convictions > 0 && d.courtStatistics.casesFiled < expectedFor(d.code).casesFiled)).toBe(
      true,
    );

    // One statement in grid for the districts, one in court for all their figures.
    const before = t.sqlStatements();
    const flat = await t.query<Res>(cityCourt, `query ($from: Date) { districts { code courtStatistics(from: $from) { casesFiled convictions } } }`, {
      from,
    });
    expect(flat.body.errors).toBeUndefined();
    expect(t.sqlStatements() - before).toBe(2);
  });

  it('costs the same number of SQL statements for 5 cases as for 50', async () => {
    const q = `query ($first: Int) { courtCases(first: $first) { edges { node { caseNo hearings { kind } judgment { verdict }
      parties { role person { id courtCases { caseNo parties { role } } } } } } } }`;
    const cost = async (first: number) => {
      const before = t.sqlStatements();
      const res = await t.query<{ courtCases: { edges: unknown[] } }>(cityCourt, q, { first });
      expect(notSealedErrors(res.body.errors)).toEqual([]);
      expect(res.body.data!.courtCases.edges).toHaveLength(first);
      return t.sqlStatements() - before;
    };
    const [five, fifty] = [await cost(5), await cost(50)];
    expect(fifty).toBe(five);
    // The page, hearings, parties, parties' cases (parties, then cases), and those cases' parties.
    expect(five).toBeLessThanOrEqual(6);
  });

  describe('bad input gets BAD_USER_INPUT naming the argument', () => {
    const cases: Array<[string, string, string]> = [
      ['malformed case number', `{ courtCase(caseNo: "2025-辽1402-刑初-12") { caseNo } }`, 'caseNo'],
      ['case number without 号', `{ courtCase(caseNo: "(2025)辽1402刑初12") { caseNo } }`, 'caseNo'],
      ['malformed division code', `{ courtCases(filter: { divisionCode: "2114" }) { edges { cursor } } }`, 'filter.divisionCode'],
      ['impossible day', `{ courtCases(filter: { from: "2025-02-30" }) { edges { cursor } } }`, 'filter.from'],
      ['from after to', `{ courtCases(filter: { from: "2026-01-01", to: "2025-01-01" }) { edges { cursor } } }`, 'filter.from'],
      ['page size over the bound', `{ courtCases(first: 101) { edges { cursor } } }`, 'first'],
      ['malformed cursor', `{ courtCases(after: "nope") { edges { cursor } } }`, 'after'],
      ['statistics day format', `{ district(code: "211402") { courtStatistics(from: "2025/01/01") { casesFiled } } }`, 'from'],
      ['statistics from after to', `{ district(code: "211402") { courtStatistics(from: "2026-01-01", to: "2025-12-31") { casesFiled } } }`, 'from'],
    ];
    it.each(cases)('%s', async (_name, query, argument) => {
      const res = await t.query(cityCourt, query);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(res.body.errors?.[0].message).toContain(argument);
    });
  });
});

describe('court subgraph reached directly', () => {
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
    ... on CourtCase { caseNo kind }
    ... on Person { id courtCases { caseNo } }
    ... on District { code courtStatistics { casesFiled } }
    ... on ProsecutionCase { caseNo courtCase { caseNo } }
    ... on MediationCase { id judicialConfirmation { caseNo } lawsuit { caseNo } }
  } }`;

  it('resolves its own and extended entities from representations', async () => {
    const chain = t.city.criminalChains.find((c) => c.trial)!;
    const confirmed = t.city.disputes.find((d) => d.confirmationCaseNo)!;
    const sued = t.city.disputes.find((d) => d.lawsuitCaseNo)!;
    const unmediated = t.city.disputes.find((d) => !d.confirmationCaseNo && !d.lawsuitCaseNo)!;
    const notTried = t.city.criminalChains.find((c) => c.prosecution && !c.trial)!;
    const enforcement = t.city.enforcementCases[0];
    const res = await t.subgraphQuery<{ _entities: unknown[] }>('court', 'court', ENTITIES, {
      r: [
        { __typename: 'CourtCase', caseNo: chain.trial!.courtCaseNo },
        { __typename: 'CourtCase', caseNo: '(2025)辽1402刑初99999号' },
        { __typename: 'Person', id: key(enforcement.respondentIdNumber) },
        { __typename: 'District', code: '211402' },
        { __typename: 'ProsecutionCase', caseNo: chain.prosecution!.prosecutionCaseNo },
        { __typename: 'ProsecutionCase', caseNo: notTried.prosecution!.prosecutionCaseNo },
        { __typename: 'MediationCase', id: confirmed.mediationId },
        { __typename: 'MediationCase', id: sued.mediationId },
        { __typename: 'MediationCase', id: unmediated.mediationId },
      ],
    });
    expect(res.body.errors).toBeUndefined();
    const respondentCases = expectedCases()
      .filter((c) => c.parties.some((p) => p.endsWith(`:${key(enforcement.respondentIdNumber)}`)))
      .map((c) => c.caseNo);
    const [court, unknown, person, district, prosecution, untried, confirmation, lawsuit, none] = res.body.data!._entities as Array<Record<string, unknown>>;
    expect(court).toEqual({ caseNo: chain.trial!.courtCaseNo, kind: 'CRIMINAL' });
    expect(unknown).toBeNull();
    expect((person.courtCases as Array<{ caseNo: string }>).map((c) => c.caseNo).sort()).toEqual(respondentCases.sort());
    expect(district).toEqual({ code: '211402', courtStatistics: { casesFiled: expectedCases().filter((c) => c.courtCode === '辽1402').length } });
    expect(prosecution).toEqual({ caseNo: chain.prosecution!.prosecutionCaseNo, courtCase: { caseNo: chain.trial!.courtCaseNo } });
    expect(untried).toEqual({ caseNo: notTried.prosecution!.prosecutionCaseNo, courtCase: null });
    expect(confirmation).toEqual({ id: confirmed.mediationId, judicialConfirmation: { caseNo: confirmed.confirmationCaseNo }, lawsuit: null });
    expect(lawsuit).toEqual({ id: sued.mediationId, judicialConfirmation: null, lawsuit: { caseNo: sued.lawsuitCaseNo } });
    expect(none).toEqual({ id: unmediated.mediationId, judicialConfirmation: null, lawsuit: null });
  });

  it.each([
    ['CourtCase', { caseNo: '2025-123' }],
    ['Person', { id: '211402198001011234' }],
    ['District', { code: '2114' }],
    ['MediationCase', {}],
  ])('refuses a malformed %s representation with BAD_REPRESENTATION', async (typename, fields) => {
    const res = await t.subgraphQuery('court', 'court', ENTITIES, { r: [{ __typename: typename, ...fields }] });
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_REPRESENTATION');
  });
});
