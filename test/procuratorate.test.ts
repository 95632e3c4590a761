import { cityWideChange } from '../src/auth/devTokens';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import type { DemoCriminalChain } from '../src/demo/types';
import { personKey } from '../src/shared/personKey';
import { casePurpose, notSealedErrors, sealedPositions } from './support/sealed';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

let t: TestHub;
/** A city-level officer of the department: its lists are scoped to the officer's jurisdiction. */
let cityProcuratorate: { token: string };
/** The same city-level officer, as the gateway vouches for it to a subgraph reached directly. */
let cityWide: { internalToken: string };
beforeAll(async () => {
  t = await startTestHub();
  cityProcuratorate = { token: await t.token('procuratorate', cityWideChange('procuratorate')) };
  cityWide = { internalToken: await t.agencyInternalToken('procuratorate', cityWideChange('procuratorate')) };
});
afterAll(async () => {
  await t?.stop();
});

type Transferred = DemoCriminalChain & { prosecution: NonNullable<DemoCriminalChain['prosecution']> };
const transferred = (): Transferred[] => t.city.criminalChains.filter((c): c is Transferred => c.prosecution !== null);
type Review = NonNullable<Transferred['prosecution']['arrestReview']>;
/** Transferred cases whose suspect the police first asked to arrest (审查逮捕), with that review. */
const reviewed = (): Array<Transferred & { review: Review }> =>
  transferred().flatMap((c) => (c.prosecution.arrestReview ? [{ ...c, review: c.prosecution.arrestReview }] : []));
const key = (idNumber: string) => personKey(idNumber, DEV_PERSON_KEY_SECRET);
const township = (c: Transferred) => c.gridCode.slice(0, 9);

interface CaseNode {
  caseNo: string;
  receivedOn: string;
  decision: string;
}
type CasesPage = { prosecutionCases: { edges: Array<{ node: CaseNode }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

const CASES = `query ($first: Int, $after: String, $filter: ProsecutionCaseFilter) {
  prosecutionCases(first: $first, after: $after, filter: $filter) { edges { node { caseNo receivedOn decision } } pageInfo { hasNextPage endCursor } }
}`;

/** Every case the list returns for `filter`, following the cursor page by page. */
async function allCases(filter: Record<string, unknown> | null, first: number): Promise<{ nodes: CaseNode[]; pages: number }> {
  const nodes: CaseNode[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const res: GraphQLResponse<CasesPage> = await t.query<CasesPage>(cityProcuratorate, CASES, { first, after, filter });
    const { edges } = res.body.data!.prosecutionCases;
    // A sealed case (a minor's) withholds its decision in a list; it is read for its case.
    for (const i of sealedPositions(res.body.errors)) {
      const one = await t.query<{ prosecutionCase: CaseNode }>(
        cityProcuratorate,
        `query ($no: String!) { prosecutionCase(caseNo: $no) { caseNo receivedOn decision } }`,
        { no: edges[i].node.caseNo },
        casePurpose(edges[i].node.caseNo),
      );
      expect(one.body.errors).toBeUndefined();
      edges[i].node = one.body.data!.prosecutionCase;
    }
    nodes.push(...edges.map((e) => e.node));
    after = res.body.data!.prosecutionCases.pageInfo.hasNextPage ? res.body.data!.prosecutionCases.pageInfo.endCursor : null;
    pages++;
  } while (after && pages < 50);
  return { nodes, pages };
}

describe('procuratorate subgraph through the gateway', () => {
  it('returns one prosecution case with its arrest review, police case, defendants and district', async () => {
    const chain = reviewed().find((c) => c.suspectIdNumbers.length > 1) ?? reviewed()[0];
    const p = chain.prosecution;
    const res = await t.query<{ prosecutionCase: Record<string, unknown> }>(
      cityProcuratorate,
      `query ($n: String!) { prosecutionCase(caseNo: $n) {
      caseNo charges receivedOn decision decidedOn prosecutor districtCode
      policeCase { caseNo prosecution { caseNo } arrestReview { caseNo } }
      arrestReview { caseNo decision decidedOn districtCode policeCase { caseNo } }
      defendants { id }
      district { code name }
    } }`,
      { n: p.prosecutionCaseNo },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.prosecutionCase).toEqual({
      caseNo: p.prosecutionCaseNo,
      charges: [chain.charge],
      receivedOn: p.receivedOn,
      decision: p.decision,
      decidedOn: p.decidedOn,
      prosecutor: p.prosecutorId,
      districtCode: chain.districtCode,
      policeCase: { caseNo: chain.policeCaseNo, prosecution: { caseNo: p.prosecutionCaseNo }, arrestReview: { caseNo: chain.review.caseNo } },
      arrestReview: {
        caseNo: chain.review.caseNo,
        decision: chain.review.decision,
        decidedOn: chain.review.decidedOn,
        districtCode: chain.districtCode,
        policeCase: { caseNo: chain.policeCaseNo },
      },
      defendants: chain.suspectIdNumbers.map((n) => ({ id: key(n) })),
      district: { code: chain.districtCode, name: t.city.divisions.find((d) => d.code === chain.districtCode)!.name },
    });
  });

  it('returns an arrest review by its own number, and null for numbers that do not exist', async () => {
    const chain = reviewed()[3];
    const res = await t.query<{ arrestReview: { decision: string; policeCase: { caseNo: string } }; prosecutionCase: null; missing: null }>(
      cityProcuratorate,
      `query ($a: String!) { arrestReview(caseNo: $a) { decision policeCase { caseNo } } prosecutionCase(caseNo: "连检刑诉〔1999〕1号") { caseNo } missing: arrestReview(caseNo: "连检捕〔1999〕1号") { caseNo } }`,
      { a: chain.review.caseNo },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      arrestReview: { decision: chain.review.decision, policeCase: { caseNo: chain.policeCaseNo } },
      prosecutionCase: null,
      missing: null,
    });
  });

  it('lists every case page by page, newest first, without overlap', async () => {
    const { nodes, pages } = await allCases(null, 7);
    const expected = transferred();
    expect(nodes.map((n) => n.caseNo).sort()).toEqual(expected.map((c) => c.prosecution.prosecutionCaseNo).sort());
    expect(new Set(nodes.map((n) => n.caseNo)).size).toBe(nodes.length);
    expect(pages).toBe(Math.ceil(expected.length / 7));
    const days = nodes.map((n) => n.receivedOn);
    expect([...days].sort().reverse()).toEqual(days);
  });

  it('filters by district, township, decision and days received (both ends inclusive)', async () => {
    const sample = transferred()[0];
    const pending = transferred().find((c) => c.prosecution.decision === 'PENDING')!;
    const days = transferred()
      .map((c) => c.prosecution.receivedOn)
      .sort();
    const from = days[Math.floor(days.length / 4)];
    const to = days[Math.floor((days.length * 3) / 4)];
    const filters: Array<[Record<string, unknown>, (c: Transferred) => boolean]> = [
      [{ divisionCode: sample.districtCode }, (c) => c.districtCode === sample.districtCode],
      [{ divisionCode: township(sample) }, (c) => township(c) === township(sample)],
      [{ decision: 'NOT_PROSECUTE' }, (c) => c.prosecution.decision === 'NOT_PROSECUTE'],
      [{ decision: 'PENDING', divisionCode: pending.districtCode }, (c) => c.prosecution.decision === 'PENDING' && c.districtCode === pending.districtCode],
      [{ from, to }, (c) => c.prosecution.receivedOn >= from && c.prosecution.receivedOn <= to],
      [{ from: to, to }, (c) => c.prosecution.receivedOn === to],
    ];
    for (const [filter, keep] of filters) {
      const expected = transferred()
        .filter(keep)
        .map((c) => c.prosecution.prosecutionCaseNo)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      const { nodes } = await allCases(filter, 100);
      expect({ filter, cases: nodes.map((n) => n.caseNo).sort() }).toEqual({ filter, cases: expected });
    }
  });

  it('adds the prosecutions of a defendant to the person, and none to anybody else', async () => {
    const chain = transferred()[1];
    const defendant = t.city.persons.find((p) => p.idNumber === chain.suspectIdNumbers[0])!;
    const expected = transferred()
      .filter((c) => c.suspectIdNumbers.includes(defendant.idNumber))
      .sort((a, b) => b.prosecution.receivedOn.localeCompare(a.prosecution.receivedOn));
    const bystander = t.city.persons.find((p) => !t.city.criminalChains.some((c) => c.suspectIdNumbers.includes(p.idNumber)))!;
    const Q = `query ($n: String!) { personByIdNumber(idNumber: $n) { name prosecutions { caseNo decision } } }`;
    const res = await t.query<{ personByIdNumber: { name: string; prosecutions: Array<{ caseNo: string; decision: string }> } }>(cityProcuratorate, Q, {
      n: defendant.idNumber,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.personByIdNumber).toEqual({
      name: defendant.name,
      prosecutions: expected.map((c) => ({ caseNo: c.prosecution.prosecutionCaseNo, decision: c.prosecution.decision })),
    });
    const none = await t.query<{ personByIdNumber: { prosecutions: unknown[] } }>(cityProcuratorate, Q, { n: bystander.idNumber });
    expect(none.body.data!.personByIdNumber.prosecutions).toEqual([]);
  });

  it('counts decisions per district and township, in SQL, by the day of the decision', async () => {
    const days = reviewed()
      .map((c) => c.review.decidedOn)
      .sort();
    const from = days[Math.floor(days.length / 3)];
    const to = transferred()
      .map((c) => c.prosecution.decidedOn ?? c.prosecution.receivedOn)
      .sort()
      .at(-3)!;
    const within = (day: string | null, span: { from?: string; to?: string }) =>
      day !== null && (!span.from || day >= span.from) && (!span.to || day <= span.to);
    const expectedFor = (code: string, span: { from?: string; to?: string }) => {
      const here = transferred().filter((c) => c.gridCode.startsWith(code));
      const reviewedHere = reviewed()
        .filter((c) => c.gridCode.startsWith(code))
        .map((c) => c.review);
      const decided = (decision: string) => here.filter((c) => c.prosecution.decision === decision && within(c.prosecution.decidedOn, span)).length;
      return {
        arrestsApproved: reviewedHere.filter((r) => r.decision === 'APPROVED' && within(r.decidedOn, span)).length,
        arrestsNotApproved: reviewedHere.filter((r) => r.decision === 'NOT_APPROVED' && within(r.decidedOn, span)).length,
        prosecutions: decided('PROSECUTE'),
        nonProsecutions: decided('NOT_PROSECUTE'),
        pending: here.filter((c) => c.prosecution.decision === 'PENDING' && within(c.prosecution.receivedOn, span)).length,
      };
    };
    type Stats = ReturnType<typeof expectedFor>;
    type D = { code: string; all: Stats; span: Stats; townships: Array<{ code: string; span: Stats }> };
    const FIELDS = 'arrestsApproved arrestsNotApproved prosecutions nonProsecutions pending';
    const res = await t.query<{ districts: D[] }>(
      cityProcuratorate,
      `query ($from: Date, $to: Date) { districts {
      code all: procuratorateStatistics { ${FIELDS} } span: procuratorateStatistics(from: $from, to: $to) { ${FIELDS} }
      townships { code span: procuratorateStatistics(from: $from, to: $to) { ${FIELDS} } }
    } }`,
      { from, to },
    );
    expect(res.body.errors).toBeUndefined();
    const districts = res.body.data!.districts;
    expect(districts.length).toBeGreaterThan(1);
    for (const d of districts) {
      expect({ code: d.code, all: d.all, span: d.span }).toEqual({ code: d.code, all: expectedFor(d.code, {}), span: expectedFor(d.code, { from, to }) });
      for (const tw of d.townships) expect({ code: tw.code, span: tw.span }).toEqual({ code: tw.code, span: expectedFor(tw.code, { from, to }) });
    }
    // The demo data exercises every count, so a wrong column or decision would show.
    const total = (k: keyof Stats) => districts.reduce((n, d) => n + d.all[k], 0);
    for (const k of FIELDS.split(' ') as Array<keyof Stats>) expect(total(k)).toBeGreaterThan(0);
  });

  it('costs the same number of SQL statements for 5 and for 50 cases with nested fields', async () => {
    const Q = `query ($first: Int) { prosecutionCases(first: $first) { edges { node {
      caseNo defendants { id prosecutions { caseNo } } arrestReview { decision policeCase { prosecution { caseNo } } }
      policeCase { arrestReview { caseNo } } district { name procuratorateStatistics { prosecutions } }
    } } } }`;
    const cost = async (first: number) => {
      const before = t.sqlStatements();
      const res = await t.query<CasesPage>(cityProcuratorate, Q, { first });
      expect(notSealedErrors(res.body.errors)).toEqual([]);
      return { rows: res.body.data!.prosecutionCases.edges.length, statements: t.sqlStatements() - before };
    };
    const few = await cost(5);
    const many = await cost(50);
    expect(few.rows).toBe(5);
    expect(many.rows).toBe(Math.min(50, transferred().length));
    expect(many.rows).toBeGreaterThan(25);
    expect(many.statements).toBe(few.statements);
  });

  describe('bad input gets BAD_USER_INPUT naming the argument', () => {
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['empty case number', `query ($n: String!) { prosecutionCase(caseNo: $n) { caseNo } }`, { n: '  ' }, 'caseNo'],
      ['overlong case number', `query ($n: String!) { prosecutionCase(caseNo: $n) { caseNo } }`, { n: `连检刑诉〔2025〕${'1'.repeat(40)}号` }, 'caseNo'],
      ['arrest number asked as a prosecution case', `query ($n: String!) { prosecutionCase(caseNo: $n) { caseNo } }`, { n: '连检捕〔2025〕17号' }, 'caseNo'],
      ['prosecution number asked as an arrest review', `query ($n: String!) { arrestReview(caseNo: $n) { caseNo } }`, { n: '连检刑诉〔2025〕17号' }, 'caseNo'],
      ['SQL-looking case number', `query ($n: String!) { prosecutionCase(caseNo: $n) { caseNo } }`, { n: "' or 1=1 --" }, 'caseNo'],
      ['malformed division', `{ prosecutionCases(filter: { divisionCode: "2114" }) { edges { cursor } } }`, {}, 'filter.divisionCode'],
      ['impossible date', `{ prosecutionCases(filter: { from: "2025-02-30" }) { edges { cursor } } }`, {}, 'filter.from'],
      ['from after to', `{ prosecutionCases(filter: { from: "2025-06-01", to: "2025-05-01" }) { edges { cursor } } }`, {}, 'filter.from'],
      ['page size over the bound', `{ prosecutionCases(first: 101) { edges { cursor } } }`, {}, 'first'],
      ['malformed cursor', `{ prosecutionCases(after: "nope") { edges { cursor } } }`, {}, 'after'],
      ['statistics date not YYYY-MM-DD', `{ district(code: "211402") { procuratorateStatistics(to: "2025/06/01") { pending } } }`, {}, 'to'],
      ['statistics from after to', `{ district(code: "211402") { procuratorateStatistics(from: "2025-06-02", to: "2025-06-01") { pending } } }`, {}, 'from'],
    ];
    it.each(cases)('%s', async (_name, query, variables, argument) => {
      const res = await t.query(cityProcuratorate, query, variables);
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].extensions?.argument).toBe(argument);
      expect(res.body.errors?.[0].message).toContain(argument);
    });
  });
});

describe('procuratorate subgraph reached directly', () => {
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
    ... on ProsecutionCase { caseNo prosecutionDecision: decision }
    ... on ArrestReview { caseNo arrestDecision: decision }
    ... on PoliceCase { caseNo prosecution { caseNo } arrestReview { caseNo } }
    ... on Person { id prosecutions { caseNo } }
    ... on District { code procuratorateStatistics { prosecutions } }
  } }`;

  it('resolves owned and extended entities from representations', async () => {
    const chain = reviewed()[2];
    const p = chain.prosecution;
    const notTransferred = t.city.criminalChains.find((c) => c.prosecution === null)!;
    // A case of the dev prosecutor's own district: statistics of the others are outside its jurisdiction.
    const own = transferred().find((c) => c.districtCode === '211402')!;
    const prosecuted = (code: string) => transferred().filter((c) => c.gridCode.startsWith(code) && c.prosecution.decision === 'PROSECUTE').length;
    const res = await t.subgraphQuery<{ _entities: unknown[] }>('procuratorate', cityWide, ENTITIES, {
      r: [
        { __typename: 'ProsecutionCase', caseNo: p.prosecutionCaseNo },
        { __typename: 'ProsecutionCase', caseNo: '连检刑诉〔1999〕1号' },
        { __typename: 'ArrestReview', caseNo: chain.review.caseNo },
        { __typename: 'PoliceCase', caseNo: chain.policeCaseNo },
        { __typename: 'PoliceCase', caseNo: notTransferred.policeCaseNo },
        { __typename: 'Person', id: key(chain.suspectIdNumbers[0]) },
        { __typename: 'District', code: own.districtCode },
        { __typename: 'District', code: township(own) },
      ],
    });
    expect(res.body.errors).toBeUndefined();
    const ofSuspect = transferred().filter((c) => c.suspectIdNumbers.includes(chain.suspectIdNumbers[0]));
    expect(res.body.data!._entities).toEqual([
      { caseNo: p.prosecutionCaseNo, prosecutionDecision: p.decision },
      null,
      { caseNo: chain.review.caseNo, arrestDecision: chain.review.decision },
      { caseNo: chain.policeCaseNo, prosecution: { caseNo: p.prosecutionCaseNo }, arrestReview: { caseNo: chain.review.caseNo } },
      { caseNo: notTransferred.policeCaseNo, prosecution: null, arrestReview: null },
      { id: key(chain.suspectIdNumbers[0]), prosecutions: expect.arrayContaining(ofSuspect.map((c) => ({ caseNo: c.prosecution.prosecutionCaseNo }))) },
      { code: own.districtCode, procuratorateStatistics: { prosecutions: prosecuted(own.districtCode) } },
      { code: township(own), procuratorateStatistics: { prosecutions: prosecuted(township(own)) } },
    ]);
  });

  const malformed: Array<Record<string, unknown>> = [
    { __typename: 'ProsecutionCase', caseNo: 'not a case' },
    { __typename: 'ArrestReview', caseNo: '连检刑诉〔2025〕1号' },
    { __typename: 'PoliceCase', caseNo: '' },
    { __typename: 'Person', id: 'not-a-person-key' },
    { __typename: 'District', code: '2114' },
    { __typename: 'ProsecutionCase' },
  ];
  it.each(malformed)('refuses the malformed representation %j with BAD_REPRESENTATION', async (representation) => {
    const res = await t.subgraphQuery('procuratorate', cityWide, ENTITIES, { r: [representation] });
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_REPRESENTATION');
  });

  it("answers a person's prosecutions for 5 and for 50 people with the same number of SQL statements", async () => {
    const defendants = [...new Set(transferred().flatMap((c) => c.suspectIdNumbers))];
    const others = t.city.persons.map((p) => p.idNumber).filter((n) => !defendants.includes(n));
    const Q = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { prosecutions { caseNo arrestReview { decision } defendants { id } policeCase { prosecution { caseNo } } } } } }`;
    const cost = async (idNumbers: string[]) => {
      const before = t.sqlStatements();
      const res = await t.subgraphQuery<{ _entities: Array<{ prosecutions: unknown[] }> }>('procuratorate', cityWide, Q, {
        r: idNumbers.map((n) => ({ __typename: 'Person', id: key(n) })),
      });
      expect(notSealedErrors(res.body.errors)).toEqual([]);
      expect(res.body.data!._entities).toHaveLength(idNumbers.length);
      return t.sqlStatements() - before;
    };
    const fifty = [...defendants, ...others].slice(0, 50);
    expect(fifty.filter((n) => defendants.includes(n)).length).toBeGreaterThan(25);
    expect(await cost(fifty)).toBe(await cost(defendants.slice(0, 5)));
  });
});
