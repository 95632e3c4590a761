import { cityWideChange } from '../src/auth/devTokens';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import type { DemoCriminalChain, DemoDisputeChain, DemoLegalAid } from '../src/demo/types';
import { personKey } from '../src/shared/personKey';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';
import { notSealedErrors } from './support/sealed';

let t: TestHub;
/** A city-level officer of the department: its lists are scoped to the officer's jurisdiction. */
let cityJustice: { token: string };
/** The same city-level officer, as the gateway vouches for it to a subgraph reached directly. */
let cityWide: { internalToken: string };
beforeAll(async () => {
  t = await startTestHub();
  cityJustice = { token: await t.token('justice', cityWideChange('justice')) };
  cityWide = { internalToken: await t.agencyInternalToken('justice', cityWideChange('justice')) };
});
afterAll(async () => {
  await t?.stop();
});

const key = (idNumber: string) => personKey(idNumber, DEV_PERSON_KEY_SECRET);
const pointOf = (d: DemoDisputeChain) => t.city.mediationPoints.find((p) => p.id === d.pointId)!;
const corrections = () =>
  t.city.criminalChains.filter(
    (c): c is DemoCriminalChain & { correction: NonNullable<DemoCriminalChain['correction']>; trial: NonNullable<DemoCriminalChain['trial']> } =>
      c.correction !== null,
  );
/** Newest first: start day descending, then id descending, as the lists page. */
const newestFirst =
  <T>(day: (x: T) => string, id: (x: T) => string) =>
  (a: T, b: T) =>
    day(a) === day(b) ? id(b).localeCompare(id(a)) : day(b).localeCompare(day(a));
const aidOrder = newestFirst<DemoLegalAid>(
  (l) => l.appliedOn,
  (l) => l.id,
);

type Connection<N> = { edges: Array<{ node: N; cursor: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** Follows a list query's cursors to the end; returns every node and the number of pages. */
async function readAll<N>(field: string, query: string, variables: Record<string, unknown>, first: number): Promise<{ nodes: N[]; pages: number }> {
  const nodes: N[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const res: GraphQLResponse<Record<string, Connection<N>>> = await t.query<Record<string, Connection<N>>>(cityJustice, query, {
      ...variables,
      first,
      after,
    });
    // A sealed record's fields are withheld (刑事诉讼法 art. 286); the expected nodes say which.
    expect(notSealedErrors(res.body.errors)).toEqual([]);
    const page = res.body.data![field];
    nodes.push(...page.edges.map((e) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    pages++;
  } while (after && pages < 100);
  return { nodes, pages };
}

describe('justice subgraph through the gateway', () => {
  it('lists the mediation points of a district and of a township, with their mediators', async () => {
    const query = `query ($d: String!, $k: MediationPointKind, $first: Int, $after: String) {
      mediationPoints(divisionCode: $d, kind: $k, first: $first, after: $after) { edges { node { id name kind townshipCode districtCode mediators { id name } } } pageInfo { hasNextPage endCursor } }
    }`;
    type Point = { id: string; name: string; kind: string; townshipCode: string; districtCode: string; mediators: Array<{ id: string; name: string }> };
    const { nodes } = await readAll<Point>('mediationPoints', query, { d: '211402' }, 2);
    const expected = t.city.mediationPoints.filter((p) => p.districtCode === '211402').sort((a, b) => a.id.localeCompare(b.id));
    expect(expected.length).toBeGreaterThan(2);
    expect(nodes.map(({ mediators: _, ...p }) => p)).toEqual(expected);
    for (const node of nodes) {
      expect(node.mediators).toEqual(t.city.mediators.filter((m) => m.pointId === node.id).map((m) => ({ id: m.id, name: m.name })));
    }

    const township = expected[0].townshipCode;
    const rooms = await readAll<Point>('mediationPoints', query, { d: township, k: 'PERSONAL_MEDIATION_ROOM' }, 20);
    const expectedRooms = t.city.mediationPoints.filter((p) => p.townshipCode === township && p.kind === 'PERSONAL_MEDIATION_ROOM');
    expect(expectedRooms.length).toBeGreaterThan(0);
    expect(rooms.nodes.map((p) => p.id)).toEqual(expectedRooms.map((p) => p.id));
  });

  const CASES = `query ($filter: MediationCaseFilter, $first: Int, $after: String) {
    mediationCases(filter: $filter, first: $first, after: $after) {
      edges { node { id startedOn outcome agreement closedOn districtCode townshipCode gridEvent { id } point { id } mediator { id } parties { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  type Case = {
    id: string;
    startedOn: string;
    outcome: string;
    agreement: string | null;
    closedOn: string | null;
    districtCode: string;
    townshipCode: string;
    gridEvent: { id: string } | null;
    point: { id: string };
    mediator: { id: string };
    parties: Array<{ id: string }>;
  };
  const asCase = (d: DemoDisputeChain): Case => ({
    id: d.mediationId,
    startedOn: d.startedOn,
    outcome: d.outcome,
    agreement: d.agreement,
    closedOn: d.closedOn,
    districtCode: pointOf(d).districtCode,
    townshipCode: pointOf(d).townshipCode,
    gridEvent: d.gridEventId ? { id: d.gridEventId } : null,
    point: { id: d.pointId },
    mediator: { id: d.mediatorId },
    parties: d.partyIdNumbers.map((n) => ({ id: key(n) })),
  });
  const byStart = newestFirst<DemoDisputeChain>(
    (d) => d.startedOn,
    (d) => d.mediationId,
  );

  it('pages through every mediation case, newest first, exactly as the demo city has them', async () => {
    const { nodes, pages } = await readAll<Case>('mediationCases', CASES, {}, 7);
    expect(nodes).toEqual([...t.city.disputes].sort(byStart).map(asCase));
    expect(pages).toBe(Math.ceil(t.city.disputes.length / 7));
  });

  it('filters mediation cases by division, outcome and start days (both ends inclusive)', async () => {
    const from = '2025-03-01';
    const sample = t.city.disputes.find((d) => d.outcome === 'SUCCEEDED' && d.startedOn > from)!;
    const district = pointOf(sample).districtCode;
    const to = sample.startedOn;
    const { nodes } = await readAll<Case>('mediationCases', CASES, { filter: { divisionCode: district, outcome: 'SUCCEEDED', from, to } }, 100);
    const expected = t.city.disputes
      .filter((d) => pointOf(d).districtCode === district && d.outcome === 'SUCCEEDED' && d.startedOn >= from && d.startedOn <= to)
      .sort(byStart);
    expect(expected.map((d) => d.mediationId)).toContain(sample.mediationId);
    expect(nodes.map((n) => n.id)).toEqual(expected.map((d) => d.mediationId));

    const township = pointOf(sample).townshipCode;
    const inTownship = await readAll<Case>('mediationCases', CASES, { filter: { divisionCode: township } }, 100);
    expect(inTownship.nodes.map((n) => n.id)).toEqual(
      t.city.disputes
        .filter((d) => pointOf(d).townshipCode === township)
        .sort(byStart)
        .map((d) => d.mediationId),
    );
  });

  it('follows a dispute from the grid event to its mediation and back, with the parties from the registry', async () => {
    const dispute = t.city.disputes[0];
    const res = await t.query<{
      mediationCase: {
        gridEvent: { id: string; title: string; mediation: { id: string } };
        parties: Array<{ id: string; name: string; mediations: Array<{ id: string }> }>;
      };
    }>(cityJustice, `query ($id: ID!) { mediationCase(id: $id) { gridEvent { id title mediation { id } } parties { id name mediations { id } } } }`, {
      id: dispute.mediationId,
    });
    expect(res.body.errors).toBeUndefined();
    const mediation = res.body.data!.mediationCase;
    const event = t.city.gridEvents.find((e) => e.id === dispute.gridEventId)!;
    expect(mediation.gridEvent).toEqual({ id: event.id, title: event.title, mediation: { id: dispute.mediationId } });
    expect(mediation.parties.map((p) => p.name)).toEqual(dispute.partyIdNumbers.map((n) => t.city.persons.find((p) => p.idNumber === n)!.name));
    for (const [i, party] of mediation.parties.entries()) {
      const theirs = t.city.disputes.filter((d) => d.partyIdNumbers.includes(dispute.partyIdNumbers[i])).sort(byStart);
      expect(party.mediations.map((m) => m.id)).toEqual(theirs.map((d) => d.mediationId));
    }

    const events = await readAll<{ id: string; mediation: { id: string } | null }>(
      'gridEvents',
      `query ($first: Int, $after: String) { gridEvents(first: $first, after: $after, filter: { kind: DISPUTE }) { edges { node { id mediation { id } } } pageInfo { hasNextPage endCursor } } }`,
      {},
      100,
    );
    const mediationOf = new Map(t.city.disputes.map((d) => [d.gridEventId, d.mediationId]));
    expect(events.nodes.length).toBe(t.city.gridEvents.filter((e) => e.kind === 'DISPUTE').length);
    for (const e of events.nodes) expect(e.mediation?.id ?? null).toBe(mediationOf.get(e.id) ?? null);
    expect(events.nodes.filter((e) => e.mediation).length).toBe(t.city.disputes.filter((d) => d.gridEventId).length);
  });

  it('lists community corrections by district and status, each with its person and judgment', async () => {
    const query = `query ($filter: CommunityCorrectionFilter, $first: Int, $after: String) {
      communityCorrections(filter: $filter, first: $first, after: $after) { edges { node { id startOn endOn status correctionOfficer districtCode person { id } courtCase { caseNo } } } pageInfo { hasNextPage endCursor } }
    }`;
    const asCorrection = (c: ReturnType<typeof corrections>[number]) => ({
      id: c.correction.id,
      startOn: c.correction.startOn,
      endOn: c.correction.endOn,
      status: c.correction.status,
      correctionOfficer: c.correction.officerId,
      districtCode: c.districtCode,
      // A sealed correction's person is the case's to know (刑事诉讼法 art. 286): a city officer who does not handle it gets null.
      person: c.sealed ? null : { id: key(c.suspectIdNumbers[0]) },
      courtCase: { caseNo: c.trial.courtCaseNo },
    });
    const order = newestFirst<ReturnType<typeof corrections>[number]>(
      (c) => c.correction.startOn,
      (c) => c.correction.id,
    );
    const all = await readAll('communityCorrections', query, {}, 3);
    expect(corrections().length).toBeGreaterThan(3);
    expect(all.nodes).toEqual(corrections().sort(order).map(asCorrection));

    const district = corrections()[0].districtCode;
    const active = await readAll<{ id: string }>('communityCorrections', query, { filter: { divisionCode: district, status: 'ACTIVE' } }, 100);
    expect(active.nodes.map((n) => n.id)).toEqual(
      corrections()
        .filter((c) => c.districtCode === district && c.correction.status === 'ACTIVE')
        .sort(order)
        .map((c) => c.correction.id),
    );
    const completed = await readAll<{ id: string }>('communityCorrections', query, { filter: { status: 'COMPLETED' } }, 100);
    expect(completed.nodes.map((n) => n.id)).toEqual(
      corrections()
        .filter((c) => c.correction.status === 'COMPLETED')
        .sort(order)
        .map((c) => c.correction.id),
    );
  });

  it('lists legal aid by district and status, latest first', async () => {
    const query = `query ($filter: LegalAidCaseFilter, $first: Int, $after: String) {
      legalAidCases(filter: $filter, first: $first, after: $after) { edges { node { id matter appliedOn status districtCode applicant { id } } } pageInfo { hasNextPage endCursor } }
    }`;
    // A minor's defence in a sealed case keeps its matter and applicant from the city's justice staff who state no case.
    const sealedCases = new Set(t.city.criminalChains.filter((c) => c.sealed).map((c) => c.policeCaseNo));
    const asAid = (l: (typeof t.city.legalAid)[number]) => {
      const sealed = l.policeCaseNo !== null && sealedCases.has(l.policeCaseNo);
      return {
        id: l.id,
        matter: sealed ? null : l.matter,
        appliedOn: l.appliedOn,
        status: l.status,
        districtCode: l.districtCode,
        applicant: sealed ? null : { id: key(l.applicantIdNumber) },
      };
    };
    expect(t.city.legalAid.some((l) => l.policeCaseNo && sealedCases.has(l.policeCaseNo))).toBe(true);
    const all = await readAll('legalAidCases', query, {}, 6);
    expect(all.nodes).toEqual([...t.city.legalAid].sort(aidOrder).map(asAid));
    expect(all.pages).toBe(Math.ceil(t.city.legalAid.length / 6));

    const { districtCode, status } = t.city.legalAid[0];
    const some = await readAll('legalAidCases', query, { filter: { divisionCode: districtCode, status } }, 100);
    expect(some.nodes).toEqual(
      t.city.legalAid
        .filter((l) => l.districtCode === districtCode && l.status === status)
        .sort(aidOrder)
        .map(asAid),
    );
  });

  it("adds a person's mediations, community correction and legal aid to the registry entry", async () => {
    const chain = corrections()[0];
    const aid = t.city.legalAid[0];
    const query = `query ($n: String!) { personByIdNumber(idNumber: $n) { name communityCorrection { id courtCase { caseNo communityCorrection { id } } } legalAid { id } mediations { id } } }`;
    type P = {
      personByIdNumber: {
        name: string;
        communityCorrection: { id: string; courtCase: { caseNo: string; communityCorrection: { id: string } } } | null;
        legalAid: Array<{ id: string }>;
        mediations: Array<{ id: string }>;
      };
    };
    const convict = await t.query<P>(cityJustice, query, { n: chain.suspectIdNumbers[0] });
    expect(convict.body.errors).toBeUndefined();
    expect(convict.body.data!.personByIdNumber.communityCorrection).toEqual({
      id: chain.correction.id,
      courtCase: { caseNo: chain.trial.courtCaseNo, communityCorrection: { id: chain.correction.id } },
    });
    const applicant = await t.query<P>(cityJustice, query, { n: aid.applicantIdNumber });
    expect(applicant.body.errors).toBeUndefined();
    expect(applicant.body.data!.personByIdNumber.legalAid.map((l) => l.id)).toEqual(
      t.city.legalAid
        .filter((l) => l.applicantIdNumber === aid.applicantIdNumber)
        .sort(aidOrder)
        .map((l) => l.id),
    );
    const outsider = t.city.persons.find(
      (p) =>
        !t.city.disputes.some((d) => d.partyIdNumbers.includes(p.idNumber)) &&
        !t.city.legalAid.some((l) => l.applicantIdNumber === p.idNumber) &&
        !corrections().some((c) => c.suspectIdNumbers[0] === p.idNumber),
    )!;
    const none = await t.query<P>(cityJustice, query, { n: outsider.idNumber });
    expect(none.body.data!.personByIdNumber).toEqual({ name: outsider.name, communityCorrection: null, legalAid: [], mediations: [] });
  });

  describe('district statistics', () => {
    const STATS = `query ($from: Date, $to: Date) {
      districts { code justiceStatistics(from: $from, to: $to) { mediationCases mediationsSucceeded successRate peopleUnderCorrection legalAidCases }
        townships { code justiceStatistics(from: $from, to: $to) { mediationCases mediationsSucceeded successRate peopleUnderCorrection legalAidCases } } }
    }`;
    type Stats = {
      mediationCases: number;
      mediationsSucceeded: number;
      successRate: number | null;
      peopleUnderCorrection: number | null;
      legalAidCases: number | null;
    };
    type Division = { code: string; justiceStatistics: Stats };

    function expected(code: string, from?: string, to?: string): Stats {
      const inRange = (day: string) => (!from || day >= from) && (!to || day <= to);
      const cases = t.city.disputes.filter((d) => pointOf(d).townshipCode.startsWith(code) && inRange(d.startedOn));
      const succeeded = cases.filter((d) => d.outcome === 'SUCCEEDED').length;
      const closed = cases.filter((d) => d.outcome !== 'IN_PROGRESS').length;
      const district = code.length === 6;
      const under = corrections().filter(
        (c) =>
          c.districtCode === code &&
          (from || to ? (!to || c.correction.startOn <= to) && (!from || c.correction.endOn >= from) : c.correction.status === 'ACTIVE'),
      );
      return {
        mediationCases: cases.length,
        mediationsSucceeded: succeeded,
        successRate: closed === 0 ? null : succeeded / closed,
        peopleUnderCorrection: district ? new Set(under.map((c) => c.suspectIdNumbers[0])).size : null,
        legalAidCases: district ? t.city.legalAid.filter((l) => l.districtCode === code && inRange(l.appliedOn)).length : null,
      };
    }

    const sortedDays = (days: string[]) => [...days].sort();
    // Ranges whose ends fall on days records were made, so that both ends are shown to be inclusive.
    const ranges: Array<[string, () => [string | undefined, string | undefined]]> = [
      ['without a range', () => [undefined, undefined]],
      ['within a range', () => ['2025-04-01', '2025-09-30']],
      [
        "from a mediation's start to a legal aid application",
        () => {
          const from = sortedDays(t.city.disputes.map((d) => d.startedOn))[10];
          const later = sortedDays(t.city.legalAid.map((l) => l.appliedOn)).filter((day) => day > from);
          return [from, later[Math.floor(later.length / 2)]];
        },
      ],
      ['on the one day a correction started', () => [corrections()[0].correction.startOn, corrections()[0].correction.startOn]],
      ['from a day only', () => ['2025-10-01', undefined]],
      ['before anything happened', () => ['2024-01-01', '2024-12-31']],
    ];
    it.each(ranges)('counts every district and township %s', async (_name, range) => {
      const [from, to] = range();
      const res = await t.query<{ districts: Array<Division & { townships: Division[] }> }>(cityJustice, STATS, { from, to });
      expect(res.body.errors).toBeUndefined();
      const divisions = res.body.data!.districts.flatMap((d) => [d, ...d.townships]);
      expect(divisions.length).toBe(t.city.divisions.filter((d) => d.level !== 'CITY').length);
      for (const d of divisions) expect({ code: d.code, ...d.justiceStatistics }).toEqual({ code: d.code, ...expected(d.code, from, to) });
      if (!from) expect(divisions.some((d) => d.justiceStatistics.mediationCases > 0 && d.justiceStatistics.legalAidCases !== 0)).toBe(true);
    });

    it('computes the figures of all divisions in one statement per kind of figure and query-plan step', async () => {
      const before = t.sqlStatements();
      const res = await t.query(cityJustice, STATS, { from: '2025-01-01' });
      expect(res.body.errors).toBeUndefined();
      // grid: districts, then townships; justice: one statement for the districts' figures (mediation,
      // correction and legal aid counted together) and one for the townships'.
      expect(t.sqlStatements() - before).toBe(4);
    });
  });

  describe('bad input gets BAD_USER_INPUT naming the argument', () => {
    const cases: Array<[string, string, string]> = [
      ['malformed division code', `{ mediationPoints(divisionCode: "2114") { edges { cursor } } }`, 'divisionCode'],
      ['malformed case filter division', `{ mediationCases(filter: { divisionCode: "21140x" }) { edges { cursor } } }`, 'filter.divisionCode'],
      ['a day that does not exist', `{ mediationCases(filter: { from: "2025-02-30" }) { edges { cursor } } }`, 'filter.from'],
      ['a range that ends before it starts', `{ mediationCases(filter: { from: "2025-06-01", to: "2025-05-31" }) { edges { cursor } } }`, 'filter.from'],
      [
        'a township where corrections are per district',
        `{ communityCorrections(filter: { divisionCode: "211402001" }) { edges { cursor } } }`,
        'filter.divisionCode',
      ],
      ['a malformed legal aid district', `{ legalAidCases(filter: { divisionCode: "x" }) { edges { cursor } } }`, 'filter.divisionCode'],
      ['page size under the bound', `{ legalAidCases(first: 0) { edges { cursor } } }`, 'first'],
      ['malformed cursor', `{ communityCorrections(after: "nope") { edges { cursor } } }`, 'after'],
      ['a statistics day in the wrong format', `{ district(code: "211402") { justiceStatistics(to: "2025/06/01") { mediationCases } } }`, 'to'],
      [
        'a statistics range that ends before it starts',
        `{ district(code: "211402") { justiceStatistics(from: "2025-06-02", to: "2025-06-01") { mediationCases } } }`,
        'from',
      ],
    ];
    it.each(cases)('%s', async (_name, query, argument) => {
      const res = await t.query(cityJustice, query);
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].extensions?.argument).toBe(argument);
      expect(res.body.errors?.[0].message).toContain(argument);
    });
  });
});

describe('justice subgraph reached directly', () => {
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
    ... on MediationPoint { id name }
    ... on MediationCase { id outcome }
    ... on CommunityCorrection { id status }
    ... on Person { id mediations { id } legalAid { id } communityCorrection { id } }
    ... on District { code justiceStatistics { mediationCases } }
    ... on GridEvent { id mediation { id } }
    ... on CourtCase { caseNo communityCorrection { id } }
  } }`;

  it('resolves its own entities by key, and null for unknown keys', async () => {
    const point = t.city.mediationPoints[0];
    const dispute = t.city.disputes[0];
    const chain = corrections()[0];
    const res = await t.subgraphQuery<{ _entities: unknown[] }>('justice', 'justice', ENTITIES, {
      r: [
        { __typename: 'MediationPoint', id: point.id },
        { __typename: 'MediationCase', id: dispute.mediationId },
        { __typename: 'CommunityCorrection', id: chain.correction.id },
        { __typename: 'MediationCase', id: 'MC2099999999' },
      ],
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!._entities).toEqual([
      { id: point.id, name: point.name },
      { id: dispute.mediationId, outcome: dispute.outcome },
      { id: chain.correction.id, status: chain.correction.status },
      null,
    ]);
  });

  it('adds its fields to the entities it extends', async () => {
    const dispute = t.city.disputes[0];
    const party = dispute.partyIdNumbers[0];
    const chain = corrections()[0];
    // The dev officer's own district: statistics of the others are outside its jurisdiction.
    const district = '211402';
    const res = await t.subgraphQuery<{ _entities: unknown[] }>('justice', 'justice', ENTITIES, {
      r: [
        { __typename: 'Person', id: key(party) },
        { __typename: 'District', code: district },
        { __typename: 'GridEvent', id: dispute.gridEventId },
        { __typename: 'CourtCase', caseNo: chain.trial.courtCaseNo },
        { __typename: 'CourtCase', caseNo: '(2025)辽1402民初999999号' },
      ],
    });
    expect(res.body.errors).toBeUndefined();
    const partyCorrection = corrections().find((c) => c.suspectIdNumbers[0] === party);
    expect(res.body.data!._entities).toEqual([
      {
        id: key(party),
        mediations: t.city.disputes
          .filter((d) => d.partyIdNumbers.includes(party))
          .sort(
            newestFirst(
              (d) => d.startedOn,
              (d) => d.mediationId,
            ),
          )
          .map((d) => ({ id: d.mediationId })),
        legalAid: t.city.legalAid
          .filter((l) => l.applicantIdNumber === party)
          .sort(aidOrder)
          .map((l) => ({ id: l.id })),
        communityCorrection: partyCorrection ? { id: partyCorrection.correction.id } : null,
      },
      { code: district, justiceStatistics: { mediationCases: t.city.disputes.filter((d) => pointOf(d).districtCode === district).length } },
      { id: dispute.gridEventId, mediation: { id: dispute.mediationId } },
      { caseNo: chain.trial.courtCaseNo, communityCorrection: { id: chain.correction.id } },
      { caseNo: '(2025)辽1402民初999999号', communityCorrection: null },
    ]);
  });

  it.each([
    ['a person key that is not one', { __typename: 'Person', id: '211402198001011234' }],
    ['a district code of the wrong length', { __typename: 'District', code: '2114' }],
    ['a court case without its case number', { __typename: 'CourtCase' }],
    ['a mediation case with an empty id', { __typename: 'MediationCase', id: '' }],
  ])('refuses %s with BAD_REPRESENTATION', async (_name, representation) => {
    const res = await t.subgraphQuery('justice', 'justice', ENTITIES, { r: [representation] });
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_REPRESENTATION');
  });

  it('costs the same number of SQL statements for 5 and for 50 people', async () => {
    const parties = [...new Set(t.city.disputes.flatMap((d) => d.partyIdNumbers))];
    expect(parties.length).toBeGreaterThanOrEqual(50);
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person {
      mediations { id point { name } mediator { name } parties { id } } communityCorrection { id } legalAid { id }
    } } }`;
    const cost = async (n: number) => {
      const before = t.sqlStatements();
      const res = await t.subgraphQuery<{ _entities: Array<{ mediations: unknown[] }> }>('justice', cityWide, query, {
        r: parties.slice(0, n).map((p) => ({ __typename: 'Person', id: key(p) })),
      });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!._entities.every((p) => p.mediations.length > 0)).toBe(true);
      return t.sqlStatements() - before;
    };
    const five = await cost(5);
    // parties, cases, points, mediators, parties of the cases, corrections, legal aid
    expect(five).toBe(7);
    expect(await cost(50)).toBe(five);
  });
});
