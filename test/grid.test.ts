import { makeIdNumber } from '../src/shared/idNumber';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const PERSONS = `query ($first: Int, $after: String, $filter: PersonFilter) {
  persons(first: $first, after: $after, filter: $filter) { edges { cursor node { id name grid { code village } } } pageInfo { hasNextPage endCursor } }
}`;

describe('grid subgraph through the gateway', () => {
  it('lists people page by page, without overlap, and follows the cursor to the end', async () => {
    const seen = new Set<string>();
    type Page = { persons: { edges: Array<{ node: { id: string; grid: { code: string } } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    let after: string | null = null;
    let pages = 0;
    do {
      const res: GraphQLResponse<Page> = await t.query<Page>('admin', PERSONS, { first: 100, after, filter: { divisionCode: '211402' } });
      expect(res.body.errors).toBeUndefined();
      for (const e of res.body.data!.persons.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        expect(e.node.grid.code.startsWith('211402')).toBe(true);
        seen.add(e.node.id);
      }
      after = res.body.data!.persons.pageInfo.hasNextPage ? res.body.data!.persons.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 50);
    const expected = t.city.persons.filter((p) => p.gridCode.startsWith('211402')).length;
    expect(seen.size).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / 100) || 1);
  });

  it('finds one person by ID number and by key, with the registry fields', async () => {
    const p = t.city.persons[5];
    const res = await t.query<{ personByIdNumber: { id: string; name: string; idNumber: string; birthDate: string; householdStatus: string } }>(
      { token: await t.token('police', { roles: ['household'] }) },
      `query ($n: String!) { personByIdNumber(idNumber: $n) { id name idNumber birthDate householdStatus } }`,
      { n: p.idNumber },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.personByIdNumber).toMatchObject({ name: p.name, idNumber: p.idNumber, birthDate: p.birthDate, householdStatus: p.householdStatus });
    const byId = await t.query<{ person: { name: string } }>('police', `query ($id: ID!) { person(id: $id) { name } }`, {
      id: res.body.data!.personByIdNumber.id,
    });
    expect(byId.body.data!.person.name).toBe(p.name);
  });

  it('lists the grids of a district and the townships under it', async () => {
    const res = await t.query<{
      district: { name: string; townships: Array<{ code: string }> };
      grids: { edges: Array<{ node: { code: string; worker: { id: string } } }> };
    }>('admin', `{ district(code: "211402") { name townships { code } } grids(divisionCode: "211402", first: 100) { edges { node { code worker { id } } } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.district.name).toBe('连山区');
    const expectedGrids = t.city.grids.filter((g) => g.districtCode === '211402');
    expect(res.body.data!.grids.edges.map((e) => e.node.code).sort()).toEqual(expectedGrids.map((g) => g.code).sort());
    expect(res.body.data!.grids.edges[0].node.worker.id).toBe(`gw-${res.body.data!.grids.edges[0].node.code}`);
  });

  it('filters events by grid and status, newest first', async () => {
    const event = t.city.gridEvents.find((e) => e.kind === 'DISPUTE')!;
    const res = await t.query<{ gridEvents: { edges: Array<{ node: { id: string; status: string; reportedAt: string } }> } }>(
      'admin',
      `query ($g: String!, $s: GridEventStatus!) { gridEvents(first: 50, filter: { gridCode: $g, status: $s }) { edges { node { id status reportedAt } } } }`,
      { g: event.gridCode, s: event.status },
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.gridEvents.edges.map((e) => e.node);
    const expected = t.city.gridEvents.filter((e) => e.gridCode === event.gridCode && e.status === event.status);
    expect(nodes.map((n) => n.id).sort()).toEqual(expected.map((e) => e.id).sort());
    const times = nodes.map((n) => Date.parse(n.reportedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  describe('bad input gets BAD_USER_INPUT naming the argument, and nothing is written', () => {
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['invalid ID number', `query ($n: String!) { personByIdNumber(idNumber: $n) { id } }`, { n: '110105194912310021' }, 'idNumber'],
      ['unknown district', `{ grids(divisionCode: "211499") { edges { cursor } } }`, {}, 'divisionCode'],
      ['unknown grid', `{ persons(filter: { gridCode: "211402999999" }) { edges { cursor } } }`, {}, 'filter.gridCode'],
      ['page size over the bound', `{ persons(first: 101) { edges { cursor } } }`, {}, 'first'],
      ['malformed cursor', `{ persons(after: "not-a-cursor") { edges { cursor } } }`, {}, 'after'],
    ];
    it.each(cases)('%s', async (_name, query, variables, argument) => {
      const res = await t.query('admin', query, variables);
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].extensions?.argument).toBe(argument);
      expect(res.body.errors?.[0].message).toContain(argument);
    });
  });

  describe('reportGridEvent', () => {
    const REPORT = `mutation ($input: ReportGridEventInput!) { reportGridEvent(input: $input) { id kind status grid { code } reportedBy { id } involvedPersons { id } } }`;

    it('lets a grid worker report an event in their grid, linking the people involved', async () => {
      const grid = t.city.grids[0];
      const resident = t.city.persons.find((p) => p.gridCode === grid.code)!;
      const res = await t.query<{
        reportGridEvent: { id: string; status: string; grid: { code: string }; reportedBy: { id: string }; involvedPersons: Array<{ id: string }> };
      }>('grid', REPORT, {
        input: { gridCode: grid.code, kind: 'DISPUTE', title: '邻里噪音纠纷', description: '楼上装修噪音，双方争执', involvedIdNumbers: [resident.idNumber] },
      });
      expect(res.body.errors).toBeUndefined();
      const event = res.body.data!.reportGridEvent;
      expect(event).toMatchObject({ status: 'REPORTED', grid: { code: grid.code }, reportedBy: { id: `gw-${grid.code}` } });
      expect(event.id).toMatch(/^GE\d{4}5\d{5}$/);
      expect(event.involvedPersons).toHaveLength(1);
      const again = await t.query<{ gridEvent: { id: string } }>('admin', `query ($id: ID!) { gridEvent(id: $id) { id } }`, { id: event.id });
      expect(again.body.data!.gridEvent.id).toBe(event.id);
    });

    async function eventCount(gridCode: string): Promise<number> {
      const res = await t.query<{ gridEvents: { edges: unknown[] } }>(
        'admin',
        `query ($g: String!) { gridEvents(first: 100, filter: { gridCode: $g }) { edges { cursor } } }`,
        { g: gridCode },
      );
      return res.body.data!.gridEvents.edges.length;
    }

    it('refuses invalid input with the argument named, writing nothing', async () => {
      const grid = t.city.grids[0];
      const before = await eventCount(grid.code);
      const valid = makeIdNumber('211402', '1980-01-01', 11);
      const bad: Array<[Record<string, unknown>, string]> = [
        [{ involvedIdNumbers: [valid, '110105194912310021'] }, 'input.involvedIdNumbers[1]'],
        [{ title: 'x' }, 'input.title'],
        [{ gridCode: '211402999999' }, 'input.gridCode'],
        [{ occurredAt: '2099-01-01T00:00:00Z' }, 'input.occurredAt'],
      ];
      for (const [change, argument] of bad) {
        const res = await t.query('grid', REPORT, {
          input: { gridCode: grid.code, kind: 'HAZARD', title: '井盖缺失', description: '路口井盖缺失', ...change },
        });
        expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      }
      expect(await eventCount(grid.code)).toBe(before);
    });

    it("refuses a grid outside the worker's jurisdiction and callers who are not grid workers", async () => {
      const other = t.city.grids[1];
      const res = await t.query('grid', REPORT, { input: { gridCode: other.code, kind: 'HAZARD', title: '井盖缺失', description: '路口井盖缺失' } });
      expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const police = await t.query('police', REPORT, {
        input: { gridCode: t.city.grids[0].code, kind: 'HAZARD', title: '井盖缺失', description: '路口井盖缺失' },
      });
      // The policy grants the mutation to grid workers only; nothing reaches the resolver.
      expect(police.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
    });
  });
});

describe('grid subgraph reached directly', () => {
  it('resolves its entities from representations, and refuses malformed ones with a clear error', async () => {
    const p = t.city.grids[0];
    const ok = await t.subgraphQuery<{ _entities: Array<{ code: string; name: string } | null> }>(
      'grid',
      'admin',
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Grid { code name } } }`,
      {
        r: [
          { __typename: 'Grid', code: p.code },
          { __typename: 'Grid', code: '211402999999' },
        ],
      },
    );
    expect(ok.body.data!._entities).toEqual([{ code: p.code, name: p.name }, null]);
    const bad = await t.subgraphQuery('grid', 'admin', `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }`, {
      r: [{ __typename: 'Person', id: 'not-a-person-key' }],
    });
    expect(bad.status).toBe(200);
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_REPRESENTATION');
  });
});
