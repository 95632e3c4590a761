import { cityWideChange } from '../src/auth/devTokens';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import type { DemoCriminalChain } from '../src/demo/types';
import { personKey } from '../src/shared/personKey';
import { sql } from './support/db';
import { notSealedErrors } from './support/sealed';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

let t: TestHub;
/** A city bureau (市公安局) officer: police lists are scoped to the officer's jurisdiction. */
let cityPolice: { token: string };
/** The same city-level officer, as the gateway vouches for it to a subgraph reached directly. */
let cityWide: { internalToken: string };
beforeAll(async () => {
  t = await startTestHub();
  cityPolice = { token: await t.token('police', cityWideChange('police')) };
  cityWide = { internalToken: await t.agencyInternalToken('police', cityWideChange('police')) };
});
afterAll(async () => {
  await t?.stop();
});

const key = (idNumber: string) => personKey(idNumber, DEV_PERSON_KEY_SECRET);

/** Every incident the demo city implies: the calls that stayed calls and the ones behind each criminal case. */
function expectedIncidents() {
  return [
    ...t.city.incidents.map((i) => ({
      id: i.id,
      reportedAt: i.reportedAt,
      gridCode: i.gridCode,
      reporter: i.reporterIdNumber ? key(i.reporterIdNumber) : null,
      caseNo: null as string | null,
    })),
    ...t.city.criminalChains.map((c) => ({
      id: c.incidentId,
      reportedAt: c.occurredAt,
      gridCode: c.gridCode,
      reporter: c.victimIdNumbers[0] ? key(c.victimIdNumbers[0]) : null,
      caseNo: c.policeCaseNo,
    })),
  ];
}

function newestFirst<T>(rows: T[], at: (r: T) => string, id: (r: T) => string): T[] {
  return [...rows].sort((x, y) => (at(x) !== at(y) ? (at(x) < at(y) ? 1 : -1) : id(x) < id(y) ? 1 : -1));
}

function participantsOf(c: DemoCriminalChain): Array<{ role: string; person: { id: string } }> {
  return [
    ...c.suspectIdNumbers.map((id) => ({ role: 'SUSPECT', id: key(id) })),
    ...c.victimIdNumbers.map((id) => ({ role: 'VICTIM', id: key(id) })),
    ...c.witnessIdNumbers.map((id) => ({ role: 'WITNESS', id: key(id) })),
  ]
    .sort((x, y) => (x.role !== y.role ? (x.role < y.role ? -1 : 1) : x.id < y.id ? -1 : 1))
    .map((p) => ({ role: p.role, person: { id: p.id } }));
}

type Stats = { incidents: number; casesFiled: number; casesTransferred: number };
type Page<N> = { edges: Array<{ node: N; cursor: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** Follows a list's cursor to the end, checking each page is clean; returns the nodes in order and the number of pages. */
async function readAll<N>(field: string, query: string, variables: Record<string, unknown>): Promise<{ nodes: N[]; pages: number }> {
  const nodes: N[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const res: GraphQLResponse<Record<string, Page<N>>> = await t.query<Record<string, Page<N>>>(cityPolice, query, { ...variables, after });
    expect(res.body.errors).toBeUndefined();
    const page: Page<N> = res.body.data![field];
    nodes.push(...page.edges.map((e) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    pages++;
  } while (after && pages < 100);
  return { nodes, pages };
}

const POLICE_CASES = `query ($first: Int, $after: String, $filter: PoliceCaseFilter) {
  policeCases(first: $first, after: $after, filter: $filter) { edges { cursor node { caseNo filedOn stage } } pageInfo { hasNextPage endCursor } }
}`;

describe('police subgraph through the gateway', () => {
  it('lists the cases of a district newest first, page by page, exactly as the demo city has them', async () => {
    const expected = newestFirst(
      t.city.criminalChains.filter((c) => c.districtCode === '211402'),
      (c) => c.filedOn,
      (c) => c.policeCaseNo,
    );
    expect(expected.length).toBeGreaterThan(3);
    const { nodes, pages } = await readAll<{ caseNo: string; filedOn: string; stage: string }>('policeCases', POLICE_CASES, {
      first: 3,
      filter: { divisionCode: '211402' },
    });
    expect(nodes).toEqual(expected.map((c) => ({ caseNo: c.policeCaseNo, filedOn: c.filedOn, stage: c.stage })));
    expect(pages).toBe(Math.ceil(expected.length / 3));
  });

  it('filters cases by township, stage and filing dates (both ends included)', async () => {
    const chain = t.city.criminalChains.find((c) => c.stage === 'TRANSFERRED')!;
    const township = chain.gridCode.slice(0, 9);
    const filter = { divisionCode: township, stage: 'TRANSFERRED', from: chain.filedOn, to: chain.filedOn };
    const res = await t.query<{ policeCases: Page<{ caseNo: string }> }>(cityPolice, POLICE_CASES, { first: 100, filter });
    expect(res.body.errors).toBeUndefined();
    const expected = t.city.criminalChains.filter((c) => c.gridCode.startsWith(township) && c.stage === 'TRANSFERRED' && c.filedOn === chain.filedOn);
    expect(res.body.data!.policeCases.edges.map((e) => e.node.caseNo).sort()).toEqual(expected.map((c) => c.policeCaseNo).sort());

    const year = await t.query<{ policeCases: Page<{ caseNo: string }> }>(cityPolice, POLICE_CASES, {
      first: 100,
      filter: { from: '2026-01-01', to: '2026-12-31' },
    });
    expect(year.body.data!.policeCases.edges.map((e) => e.node.caseNo).sort()).toEqual(
      t.city.criminalChains
        .filter((c) => c.filedOn >= '2026-01-01')
        .map((c) => c.policeCaseNo)
        .sort(),
    );
  });

  it('shows one case with its incident, participants and transfer date, and the people through the registry', async () => {
    const chain = t.city.criminalChains.find((c) => c.prosecution && c.suspectIdNumbers.length + c.victimIdNumbers.length + c.witnessIdNumbers.length > 1)!;
    const res = await t.query<{ policeCase: Record<string, unknown> & { participants: Array<{ role: string; person: { id: string; name: string } }> } }>(
      cityPolice,
      `query ($n: String!) { policeCase(caseNo: $n) {
        caseNo charge stage filedOn occurredAt districtCode gridCode investigatingOfficer transferredOn
        incident { id kind reportedAt policeCase { caseNo } reporter { id } }
        participants { role person { id name } policeCase { caseNo } }
        grid { code village }
      } }`,
      { n: chain.policeCaseNo },
    );
    expect(res.body.errors).toBeUndefined();
    const got = res.body.data!.policeCase;
    expect(got).toMatchObject({
      caseNo: chain.policeCaseNo,
      charge: chain.charge,
      stage: 'TRANSFERRED',
      filedOn: chain.filedOn,
      occurredAt: chain.occurredAt,
      districtCode: chain.districtCode,
      gridCode: chain.gridCode,
      investigatingOfficer: chain.officerId,
      transferredOn: chain.prosecution!.receivedOn,
      incident: {
        id: chain.incidentId,
        kind: '刑事',
        reportedAt: chain.occurredAt,
        policeCase: { caseNo: chain.policeCaseNo },
        reporter: chain.victimIdNumbers[0] ? { id: key(chain.victimIdNumbers[0]) } : null,
      },
      grid: { code: chain.gridCode, village: t.city.grids.find((g) => g.code === chain.gridCode)!.village },
    });
    expect(got.participants.map((p) => ({ role: p.role, person: { id: p.person.id } }))).toEqual(participantsOf(chain));
    // Names come from the grid department's registry, linked by the person key alone.
    const names = new Map(t.city.persons.map((p) => [key(p.idNumber), p.name]));
    for (const p of got.participants) expect(p.person.name).toBe(names.get(p.person.id));

    const open = t.city.criminalChains.find((c) => !c.prosecution)!;
    const notTransferred = await t.query<{ policeCase: { transferredOn: string | null; stage: string } }>(
      cityPolice,
      `query ($n: String!) { policeCase(caseNo: $n) { stage transferredOn } }`,
      { n: open.policeCaseNo },
    );
    expect(notTransferred.body.data!.policeCase).toEqual({ stage: open.stage, transferredOn: null });
    const missing = await t.query<{ policeCase: null }>(cityPolice, `{ policeCase(caseNo: "A211402202599999") { caseNo } }`);
    expect(missing.body.errors).toBeUndefined();
    expect(missing.body.data!.policeCase).toBeNull();
  });

  it("takes the real systems' numbers as they are: a case numbered by the police platform, a procuratorate document number with a department and a lettered sequence", async () => {
    const open = t.city.criminalChains.find((c) => !c.prosecution && !c.sealed)!;
    const platformNo = 'A2114020400002025010012';
    // A record the police platform filed, copied from a demo case under the platform's own number (for an incident no case has).
    const columns = (
      await sql<{ c: string }>(
        t,
        `select column_name as c from information_schema.columns
          where table_schema = 'police' and table_name = 'police_case' and column_name not in ('case_no', 'incident_id')`,
      )
    )
      .map((r) => `"${r.c}"`)
      .join(', ');
    await sql(
      t,
      `insert into police.police_case (case_no, incident_id, ${columns})
        select $1, (select id from police.incident where id not in (select incident_id from police.police_case) limit 1), ${columns}
          from police.police_case where case_no = $2`,
      [platformNo, open.policeCaseNo],
    );
    try {
      const res = await t.query<{ policeCase: { caseNo: string; stage: string } | null; prosecutionCase: null }>(
        cityPolice,
        `query ($n: String!, $p: String!) { policeCase(caseNo: $n) { caseNo stage } prosecutionCase(caseNo: $p) { caseNo } }`,
        { n: platformNo, p: '葫连检一部刑诉〔2025〕Z91号' },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual({ policeCase: { caseNo: platformNo, stage: open.stage }, prosecutionCase: null });
    } finally {
      await sql(t, 'delete from police.police_case where case_no = $1', [platformNo]);
    }
  });

  it('lists every incident newest first, calls and crime reports alike, with reporter and case', async () => {
    const expected = newestFirst(
      expectedIncidents(),
      (i) => i.reportedAt,
      (i) => i.id,
    );
    const { nodes } = await readAll<{ id: string; reportedAt: string; reporter: { id: string } | null; policeCase: { caseNo: string } | null }>(
      'incidents',
      `query ($first: Int, $after: String) { incidents(first: $first, after: $after) { edges { cursor node { id reportedAt reporter { id } policeCase { caseNo } } } pageInfo { hasNextPage endCursor } } }`,
      { first: 30 },
    );
    expect(nodes).toEqual(
      expected.map((i) => ({
        id: i.id,
        reportedAt: i.reportedAt,
        reporter: i.reporter ? { id: i.reporter } : null,
        policeCase: i.caseNo ? { caseNo: i.caseNo } : null,
      })),
    );
  });

  it('filters incidents by township and a time window [from, to)', async () => {
    const all = expectedIncidents();
    const perTownship = new Map<string, number>();
    for (const i of all) perTownship.set(i.gridCode.slice(0, 9), (perTownship.get(i.gridCode.slice(0, 9)) ?? 0) + 1);
    const township = [...perTownship].sort((x, y) => y[1] - x[1])[0][0];
    const from = '2025-06-01T00:00:00.000Z';
    const to = '2026-06-01T00:00:00.000Z';
    const res = await t.query<{ incidents: Page<{ id: string; grid: { code: string } }> }>(
      cityPolice,
      `query ($f: IncidentFilter) { incidents(first: 100, filter: $f) { edges { node { id grid { code } } } pageInfo { hasNextPage } } }`,
      { f: { divisionCode: township, from, to } },
    );
    expect(res.body.errors).toBeUndefined();
    const expected = all.filter((i) => i.gridCode.startsWith(township) && i.reportedAt >= from && i.reportedAt < to);
    // The window keeps some of the township's incidents, not all of them.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(perTownship.get(township)!);
    expect(res.body.data!.incidents.edges.map((e) => e.node.id).sort()).toEqual(expected.map((i) => i.id).sort());
    for (const e of res.body.data!.incidents.edges) expect(e.node.grid.code.startsWith(township)).toBe(true);
  });

  it('adds police records and reported incidents to a person of the registry', async () => {
    const chain = t.city.criminalChains.find((c) => c.suspectIdNumbers.some((s) => t.city.incidents.some((i) => i.reporterIdNumber === s)))!;
    const idNumber = chain.suspectIdNumbers.find((s) => t.city.incidents.some((i) => i.reporterIdNumber === s))!;
    const res = await t.query<{
      personByIdNumber: { id: string; name: string; policeRecords: Array<{ role: string; policeCase: { caseNo: string } }>; incidents: Array<{ id: string }> };
    }>(cityPolice, `query ($n: String!) { personByIdNumber(idNumber: $n) { id name policeRecords { role policeCase { caseNo } } incidents { id } } }`, {
      n: idNumber,
    });
    expect(res.body.errors).toBeUndefined();
    const person = res.body.data!.personByIdNumber;
    expect(person.id).toBe(key(idNumber));
    const records = t.city.criminalChains
      .flatMap((c) => [
        ...(c.suspectIdNumbers.includes(idNumber) ? [{ role: 'SUSPECT', policeCase: { caseNo: c.policeCaseNo } }] : []),
        ...(c.victimIdNumbers.includes(idNumber) ? [{ role: 'VICTIM', policeCase: { caseNo: c.policeCaseNo } }] : []),
        ...(c.witnessIdNumbers.includes(idNumber) ? [{ role: 'WITNESS', policeCase: { caseNo: c.policeCaseNo } }] : []),
      ])
      .sort((x, y) => (x.policeCase.caseNo < y.policeCase.caseNo ? 1 : -1));
    expect(person.policeRecords).toEqual(records);
    const reported = newestFirst(
      expectedIncidents().filter((i) => i.reporter === key(idNumber)),
      (i) => i.reportedAt,
      (i) => i.id,
    );
    expect(person.incidents.map((i) => i.id)).toEqual(reported.map((i) => i.id));
  });

  it('lists the auxiliary officers of a district, one per village grid', async () => {
    const district = t.city.auxiliaryOfficers[0].townshipCode.slice(0, 6);
    const expected = t.city.auxiliaryOfficers.filter((a) => a.gridCode.startsWith(district)).sort((x, y) => (x.id < y.id ? -1 : 1));
    const { nodes, pages } = await readAll<Record<string, unknown>>(
      'auxiliaryOfficers',
      `query ($d: String!, $first: Int, $after: String) { auxiliaryOfficers(divisionCode: $d, first: $first, after: $after) { edges { cursor node { id name phone village gridCode townshipCode grid { code village } } } pageInfo { hasNextPage endCursor } } }`,
      { d: district, first: 2 },
    );
    expect(nodes).toEqual(expected.map((a) => ({ ...a, grid: { code: a.gridCode, village: a.village } })));
    expect(pages).toBe(Math.ceil(expected.length / 2));
  });

  it('adds police statistics to every district and township, counted over a date range', async () => {
    const from = '2025-03-01';
    const to = '2026-02-28';
    const res = await t.query<{ districts: Array<{ code: string; policeStatistics: Stats; townships: Array<{ code: string; policeStatistics: Stats }> }> }>(
      cityPolice,
      `query ($from: Date, $to: Date) { districts { code policeStatistics(from: $from, to: $to) { incidents casesFiled casesTransferred }
        townships { code policeStatistics(from: $from, to: $to) { incidents casesFiled casesTransferred } } } }`,
      { from, to },
    );
    expect(res.body.errors).toBeUndefined();
    const inRange = (day: string | null | undefined) => !!day && day.slice(0, 10) >= from && day.slice(0, 10) <= to;
    const expectedFor = (code: string): Stats => {
      const chains = t.city.criminalChains.filter((c) => c.gridCode.startsWith(code));
      return {
        incidents: expectedIncidents().filter((i) => i.gridCode.startsWith(code) && inRange(i.reportedAt)).length,
        casesFiled: chains.filter((c) => inRange(c.filedOn)).length,
        casesTransferred: chains.filter((c) => inRange(c.prosecution?.receivedOn)).length,
      };
    };
    const districts = res.body.data!.districts;
    expect(districts.length).toBe(6);
    let total = 0;
    for (const d of districts) {
      expect(d.policeStatistics).toEqual(expectedFor(d.code));
      for (const township of d.townships) expect(township.policeStatistics).toEqual(expectedFor(township.code));
      total += d.policeStatistics.incidents;
    }
    expect(total).toBeGreaterThan(0);

    const police = t.hub.subgraphs.police.stats;
    const before = police.sqlStatements;
    const unbounded = await t.query<{ district: { policeStatistics: Stats } }>(
      cityPolice,
      `{ district(code: "211402") { policeStatistics { incidents casesFiled casesTransferred } } }`,
    );
    const forOne = police.sqlStatements - before;
    const again = police.sqlStatements;
    const all = await t.query(cityPolice, `{ districts { policeStatistics { incidents casesFiled casesTransferred } } }`);
    expect(all.body.errors).toBeUndefined();
    // Counted in SQL for all districts of the query at once: six cost what one costs.
    expect(police.sqlStatements - again).toBe(forOne);
    const chains = t.city.criminalChains.filter((c) => c.districtCode === '211402');
    expect(unbounded.body.data!.district.policeStatistics).toEqual({
      incidents: expectedIncidents().filter((i) => i.gridCode.startsWith('211402')).length,
      casesFiled: chains.length,
      casesTransferred: chains.filter((c) => c.prosecution).length,
    });
  });

  describe('bad input gets BAD_USER_INPUT naming the argument', () => {
    const cases: Array<[string, string, string]> = [
      ['malformed case number', `{ policeCase(caseNo: "(2025)辽1402刑初1号") { caseNo } }`, 'caseNo'],
      ['malformed incident id', `{ incident(id: "GE2025000001") { id } }`, 'id'],
      ['malformed division code', `{ policeCases(filter: { divisionCode: "2114" }) { edges { cursor } } }`, 'filter.divisionCode'],
      ['impossible filing date', `{ policeCases(filter: { from: "2025-02-30" }) { edges { cursor } } }`, 'filter.from'],
      ['filing date out of any calendar', `{ policeCases(filter: { to: "2025-13-45" }) { edges { cursor } } }`, 'filter.to'],
      ['filing dates the wrong way round', `{ policeCases(filter: { from: "2025-06-01", to: "2025-05-01" }) { edges { cursor } } }`, 'filter.from'],
      [
        'incident window the wrong way round',
        `{ incidents(filter: { from: "2026-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }) { edges { cursor } } }`,
        'filter.from',
      ],
      ['page size over the bound', `{ incidents(first: 101) { edges { cursor } } }`, 'first'],
      ['malformed cursor', `{ policeCases(after: "not-a-cursor") { edges { cursor } } }`, 'after'],
      ['malformed auxiliary officer division', `{ auxiliaryOfficers(divisionCode: "连山区") { edges { cursor } } }`, 'divisionCode'],
      ['statistics date not YYYY-MM-DD', `{ district(code: "211402") { policeStatistics(from: "2025/01/01") { incidents } } }`, 'from'],
      ['statistics range the wrong way round', `{ district(code: "211402") { policeStatistics(from: "2025-02-01", to: "2025-01-01") { incidents } } }`, 'from'],
    ];
    it.each(cases)('%s', async (_name, query, argument) => {
      const res = await t.query(cityPolice, query);
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].extensions?.argument).toBe(argument);
      expect(res.body.errors?.[0].message).toContain(argument);
    });
  });

  it('costs the same number of SQL statements for 5 incidents as for 50', async () => {
    const query = `query ($first: Int) { incidents(first: $first) { edges { node {
      id reporter { id incidents { id } policeRecords { role } }
      policeCase { caseNo participants { role person { id name policeRecords { role policeCase { caseNo } } } } }
      grid { code name }
    } } } }`;
    const top = newestFirst(
      expectedIncidents(),
      (i) => i.reportedAt,
      (i) => i.id,
    );
    // Both pages exercise every nested list: some incidents have a reporter, some a case.
    for (const n of [5, 50]) {
      expect(top.slice(0, n).some((i) => i.caseNo)).toBe(true);
      expect(top.slice(0, n).some((i) => i.reporter)).toBe(true);
    }
    const statements = async (first: number) => {
      const before = t.sqlStatements();
      const res = await t.query<{ incidents: { edges: unknown[] } }>(cityPolice, query, { first });
      expect(notSealedErrors(res.body.errors)).toEqual([]);
      expect(res.body.data!.incidents.edges).toHaveLength(first);
      return t.sqlStatements() - before;
    };
    const few = await statements(5);
    const many = await statements(50);
    expect(few).toBeGreaterThan(0);
    expect(many).toBe(few);
  });
});

describe('police subgraph reached directly', () => {
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
    ... on Incident { id kind }
    ... on PoliceCase { caseNo charge }
    ... on AuxiliaryOfficer { id village }
    ... on Person { id policeRecords { role policeCase { caseNo } } }
    ... on District { code policeStatistics { casesFiled } }
  } }`;

  it('resolves its own entities and the ones it extends from representations', async () => {
    const chain = t.city.criminalChains[0];
    const incident = t.city.incidents[0];
    const officer = t.city.auxiliaryOfficers[0];
    const suspect = chain.suspectIdNumbers[0];
    // The dev officer's own district: statistics of the others are outside its jurisdiction.
    const district = '211402';
    const res = await t.subgraphQuery<{ _entities: unknown[] }>('police', cityWide, ENTITIES, {
      r: [
        { __typename: 'Incident', id: incident.id },
        { __typename: 'Incident', id: 'JQ2099999999' },
        { __typename: 'PoliceCase', caseNo: chain.policeCaseNo },
        { __typename: 'PoliceCase', caseNo: 'A211402209999999' },
        { __typename: 'AuxiliaryOfficer', id: officer.id },
        { __typename: 'Person', id: key(suspect) },
        { __typename: 'District', code: district },
      ],
    });
    expect(res.body.errors).toBeUndefined();
    const records = t.city.criminalChains.filter((c) => [...c.suspectIdNumbers, ...c.victimIdNumbers, ...c.witnessIdNumbers].includes(suspect));
    expect(res.body.data!._entities).toEqual([
      { id: incident.id, kind: incident.kind },
      null,
      { caseNo: chain.policeCaseNo, charge: chain.charge },
      null,
      { id: officer.id, village: officer.village },
      { id: key(suspect), policeRecords: expect.arrayContaining([{ role: 'SUSPECT', policeCase: { caseNo: chain.policeCaseNo } }]) },
      { code: district, policeStatistics: { casesFiled: t.city.criminalChains.filter((c) => c.districtCode === district).length } },
    ]);
    expect((res.body.data!._entities[5] as { policeRecords: unknown[] }).policeRecords).toHaveLength(records.length);
  });

  it.each([
    ['PoliceCase', { caseNo: '(2025)辽1402刑初1号' }],
    ['Incident', { id: 42 }],
    ['AuxiliaryOfficer', {}],
    ['Person', { id: '211402198001010011' }],
    ['District', { code: "211402' or '1'='1" }],
  ])('refuses a malformed %s representation with BAD_REPRESENTATION', async (typename, fields) => {
    const res = await t.subgraphQuery('police', cityWide, ENTITIES, { r: [{ __typename: typename, ...fields }] });
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_REPRESENTATION');
  });
});
