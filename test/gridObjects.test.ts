import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/*
 * The grid worker's view of one grid (issue #22) through the gateway: residents, houses and
 * rentals, special populations, key places, visits and events, in full for the grid worker of the
 * grid, masked or denied for everyone else, and the visits a worker records, audited.
 */
let t: TestHub;
/** A grid of 连山区 with a special population of each side: one the justice bureau manages, one it does not. */
let grid: string;
let otherGrid: string;
beforeAll(async () => {
  t = await startTestHub();
  const [row] = await sql<{ grid: string }>(
    t,
    `select grid_code as grid from grid.special_population where grid_code like '211402%' group by grid_code
    order by count(*) filter (where responsible_agency = 'justice') > 0 and count(*) filter (where responsible_agency <> 'justice') > 0 desc, grid_code limit 1`,
  );
  grid = row.grid;
  otherGrid = t.city.grids.find((g) => g.code !== grid && g.districtCode === '211402')!.code;
});
afterAll(async () => {
  await t?.stop();
});

const VIEW = `query ($g: String!) {
  grid(code: $g) {
    houses(first: 100) { edges { node { id address occupancy tenantsDeclared owner { name } residents { id name } } } }
    rentals: houses(first: 100, occupancy: RENTED) { edges { node { id occupancy rentedSince } } }
    specialPopulations { id kind measures person { id name } }
    keyPlaces { id name kind managerName managerPhone }
    visits(first: 100) { edges { node { id purpose note visitedAt person { id } house { id } keyPlace { id } } } }
  }
  persons(first: 100, filter: { gridCode: $g }) { edges { node { id name house { id } } } }
  gridEvents(first: 100, filter: { gridCode: $g }) { edges { node { id title } } }
}`;
type Node<T> = { edges: Array<{ node: T }> };
interface View {
  grid: {
    houses: Node<{ id: string; address: string; occupancy: string; owner: { name: string } | null; residents: Array<{ id: string }> | null }> | null;
    rentals: Node<{ occupancy: string }> | null;
    specialPopulations: Array<{ id: string; kind: string | null; measures: string | null; person: { name: string } | null }> | null;
    keyPlaces: Array<{ managerPhone: string | null }> | null;
    visits: Node<{ id: string; purpose: string | null; note: string | null }> | null;
  };
  persons: Node<{ id: string; house: { id: string } | null }>;
}
const as = async (agency: string, jurisdiction: string[], roles?: string[]) =>
  t.query<View>({ token: await t.token(agency as never, { jurisdiction, ...(roles ? { roles } : {}) }) }, VIEW, { g: grid });
const codes = (errors: Array<{ extensions?: Record<string, unknown> }> | undefined) => new Set((errors ?? []).map((e) => e.extensions?.code));

describe("the grid worker's objects through the gateway", () => {
  it('shows the grid worker of the grid everything of it: residents in their houses, rentals, special populations, key places, visits', async () => {
    const res = await as('grid', [grid]);
    expect(res.body.errors).toBeUndefined();
    const view = res.body.data!;
    const houses = view.grid.houses!.edges.map((e) => e.node);
    const residents = view.persons.edges.map((e) => e.node);
    expect(houses.length).toBeGreaterThan(0);
    // Every resident lives in a house of the grid, listed with them among its residents.
    const houseIds = new Set(houses.map((h) => h.id));
    expect(residents.every((p) => p.house && houseIds.has(p.house.id))).toBe(true);
    expect(houses.flatMap((h) => h.residents ?? []).length).toBe(residents.length);
    expect(view.grid.rentals!.edges.every((e) => e.node.occupancy === 'RENTED')).toBe(true);
    expect(view.grid.specialPopulations!.length).toBeGreaterThan(0);
    for (const s of view.grid.specialPopulations!)
      expect(s).toMatchObject({ kind: expect.any(String), measures: expect.any(String), person: { name: expect.any(String) } });
    expect(view.grid.visits!.edges.length).toBeGreaterThan(0);
    expect(view.grid.visits!.edges.every((e) => e.node.purpose && e.node.note)).toBe(true);
    // Every look at a special population is audited, by record and field.
    const logged = await sql<{ entity_id: string }>(
      t,
      `select distinct entity_id from audit.access_log where entity_type = 'SpecialPopulation' and field = 'kind' and agency = 'grid'`,
    );
    expect(logged.map((r) => r.entity_id)).toEqual(expect.arrayContaining(view.grid.specialPopulations!.map((s) => s.id)));
  });

  it('lists nothing of the grid to the grid worker of another grid or the police of another district', async () => {
    for (const [agency, jurisdiction] of [
      ['grid', [otherGrid]],
      ['police', ['211403']],
    ] as const) {
      const res = await as(agency, [...jurisdiction]);
      const g = res.body.data!.grid;
      expect({ agency, houses: g.houses?.edges ?? [], special: g.specialPopulations ?? [], visits: g.visits?.edges ?? [] }).toEqual({
        agency,
        houses: [],
        special: [],
        visits: [],
      });
    }
  });

  it("gives the district's police who and which kind, the measures only for drug users (their duty), masked for the others", async () => {
    const res = await as('police', ['211402']);
    const special = res.body.data!.grid.specialPopulations!;
    expect(special.length).toBeGreaterThan(0);
    const rows = await sql<{ id: string; responsible_agency: string; measures: string }>(
      t,
      'select id, responsible_agency, measures from grid.special_population where grid_code = $1',
      [grid],
    );
    for (const s of special) {
      const row = rows.find((r) => r.id === s.id)!;
      expect(s.kind).not.toBeNull();
      expect(s.person).not.toBeNull();
      if (row.responsible_agency === 'police') expect(s.measures).toBe(row.measures);
      else expect(s.measures).not.toBe(row.measures);
    }
  });

  it('gives the justice bureau only the people whose management is its duty (community correction, 安置帮教)', async () => {
    const res = await as('justice', ['211402']);
    const special = res.body.data!.grid.specialPopulations!;
    const rows = await sql<{ id: string; kind: string; responsible_agency: string }>(
      t,
      'select id, kind::text, responsible_agency from grid.special_population where grid_code = $1',
      [grid],
    );
    expect(rows.some((r) => r.responsible_agency === 'justice')).toBe(true);
    for (const s of special) {
      const row = rows.find((r) => r.id === s.id)!;
      if (row.responsible_agency === 'justice') expect(s.kind).toBe(row.kind);
      else expect({ kind: s.kind, person: s.person, measures: s.measures }).toEqual({ kind: null, person: null, measures: null });
    }
    expect(codes(res.body.errors).has('FORBIDDEN_FIELD')).toBe(true);
  });

  it('gives analysts and other agencies no record of the grid', async () => {
    for (const agency of ['analyst', 'procuratorate', 'court']) {
      const res = await t.query<View>(
        agency as never,
        `query ($g: String!) { grid(code: $g) { specialPopulations { id } houses(first: 5) { edges { cursor } } } }`,
        { g: grid },
      );
      expect({ agency, grid: res.body.data?.grid ?? null }).toEqual({ agency, grid: { specialPopulations: null, houses: null } });
      expect(codes(res.body.errors)).toEqual(new Set(['FORBIDDEN_FIELD']));
    }
  });

  describe('recordVisit', () => {
    const RECORD = `mutation ($input: RecordVisitInput!) { recordVisit(input: $input) { id purpose note person { id } grid { code } visitedBy { id } } }`;
    const resident = () => t.city.persons.find((p) => p.gridCode === grid)!;

    it("records a visit in the grid worker's own grid, and its answer is audited", async () => {
      const [person] = await sql<{ id: string }>(t, 'select id from grid.person where grid_code = $1 order by id limit 1', [grid]);
      const res = await t.query<{ recordVisit: { id: string; person: { id: string }; grid: { code: string }; visitedBy: { id: string } } }>(
        { token: await t.token('grid', { jurisdiction: [grid] }) },
        RECORD,
        { input: { gridCode: grid, purpose: 'ROUTINE', personId: person.id, note: '入户走访，家中无异常。' } },
      );
      expect(res.body.errors).toBeUndefined();
      const visit = res.body.data!.recordVisit;
      expect(visit).toMatchObject({ person: { id: person.id }, grid: { code: grid }, visitedBy: { id: expect.stringMatching(/^gw-/) } });
      expect(visit.id).toMatch(/^VI\d{4}5\d{5}$/);
      let logged: unknown[] = [];
      for (let i = 0; i < 20 && !logged.length; i++) {
        logged = await sql(t, `select 1 from audit.access_log where entity_type = 'Visit' and entity_id = $1 and field = 'note'`, [visit.id]);
        if (!logged.length) await new Promise((r) => setTimeout(r, 100));
      }
      expect(logged.length).toBe(1);
      expect(resident()).toBeDefined();
    });

    it('refuses another grid (FORBIDDEN) and a subject outside the grid (BAD_USER_INPUT naming it), writing nothing', async () => {
      const [{ count: before }] = await sql<{ count: string }>(t, 'select count(*) from grid.visit');
      const [outside] = await sql<{ id: string }>(t, 'select id from grid.person where grid_code <> $1 order by id limit 1', [grid]);
      const token = await t.token('grid', { jurisdiction: [grid] });
      const other = await t.query({ token }, RECORD, { input: { gridCode: otherGrid, purpose: 'ROUTINE', personId: outside.id, note: '走访' } });
      expect(other.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ personId: outside.id }, 'input.personId'],
        [{ houseId: 'H0000' }, 'input.houseId'],
        [{}, 'input.personId'],
        [{ keyPlaceId: 'KP21140200100101', note: '' }, 'input.keyPlaceId'],
      ];
      for (const [subject, argument] of cases) {
        const res = await t.query({ token }, RECORD, { input: { gridCode: grid, purpose: 'ROUTINE', note: '走访', ...subject } });
        expect({ argument, code: res.body.errors?.[0].extensions?.code, named: res.body.errors?.[0].extensions?.argument }).toEqual({
          argument,
          code: 'BAD_USER_INPUT',
          named: argument,
        });
      }
      const [{ count: after }] = await sql<{ count: string }>(t, 'select count(*) from grid.visit');
      expect(after).toBe(before);
    });
  });

  it('draws realistic shares: rentals 10–20 % of the urban houses, special populations a few per thousand', async () => {
    const [shares] = await sql<{ rented: number; special: number }>(
      t,
      `select (select count(*) filter (where occupancy = 'RENTED')::float / count(*) from grid.house where substr(grid_code, 7, 3)::int < 100) as rented,
      (select count(*) from grid.special_population)::float / (select count(*) from grid.person) as special`,
    );
    expect(shares.rented).toBeGreaterThanOrEqual(0.1);
    expect(shares.rented).toBeLessThanOrEqual(0.2);
    expect(shares.special).toBeGreaterThan(0.002);
    expect(shares.special).toBeLessThan(0.02);
  });
});
