import { gridCentroid } from '../src/demo/centroids';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/* Hotspots (issue #19) through the gateway: per-grid counts as GeoJSON, who gets them, bad input, cost. */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const HOTSPOTS = `query ($code: String!, $from: Date!, $to: Date!, $kind: GridEventKind) {
  hotspots(divisionCode: $code, from: $from, to: $to, kind: $kind) {
    type divisionCode
    features { type geometry { type coordinates } properties { gridCode name events } }
  }
}`;

interface Feature {
  type: string;
  geometry: { type: string; coordinates: number[] } | null;
  properties: { gridCode: string; name: string; events: number };
}
interface Hotspots {
  hotspots: { type: string; divisionCode: string; features: Feature[] | null } | null;
}

const YEAR = { from: '2025-01-01', to: '2025-12-31' };

/** Events per grid of the division over the days (city time), straight from the table: grids with none are absent. */
async function expectedCounts(code: string, from: string, to: string, kind?: string): Promise<Record<string, number>> {
  const rows = await sql<{ grid_code: string; n: string }>(
    t,
    `select grid_code, count(*) as n from grid.grid_event
     where grid_code like $1 || '%' and (reported_at at time zone 'Asia/Shanghai')::date between $2::date and $3::date and ($4::text is null or kind::text = $4)
     group by grid_code`,
    [code, from, to, kind ?? null],
  );
  return Object.fromEntries(rows.map((r) => [r.grid_code, Number(r.n)]));
}

const nonZero = (features: Feature[]) =>
  Object.fromEntries(features.filter((f) => f.properties.events > 0).map((f) => [f.properties.gridCode, f.properties.events]));

describe('hotspots', () => {
  it('counts the events of every grid of a district, as the table holds them, one feature per grid at its centroid', async () => {
    const res = await t.query<Hotspots>('zongzhi', HOTSPOTS, { code: '211402', ...YEAR });
    expect(res.body.errors).toBeUndefined();
    const map = res.body.data!.hotspots!;
    expect(map.type).toBe('FeatureCollection');
    expect(map.divisionCode).toBe('211402');
    const features = map.features!;
    const grids = await sql<{ code: string; longitude: string; latitude: string }>(
      t,
      `select code, longitude, latitude from grid.grid where code like '211402%' order by code`,
    );
    expect(features.map((f) => f.properties.gridCode)).toEqual(grids.map((g) => g.code));
    const expected = await expectedCounts('211402', YEAR.from, YEAR.to);
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(nonZero(features)).toEqual(expected);
    for (const f of features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry!.type).toBe('Point');
      const grid = grids.find((g) => g.code === f.properties.gridCode)!;
      expect(f.geometry!.coordinates).toEqual([Number(grid.longitude), Number(grid.latitude)]);
    }
  });

  it('counts one kind only when asked, and a township of the district alone', async () => {
    const disputes = await t.query<Hotspots>('police', HOTSPOTS, { code: '211402', ...YEAR, kind: 'DISPUTE' });
    expect(disputes.body.errors).toBeUndefined();
    const expected = await expectedCounts('211402', YEAR.from, YEAR.to, 'DISPUTE');
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(nonZero(disputes.body.data!.hotspots!.features!)).toEqual(expected);
    const all = await expectedCounts('211402', YEAR.from, YEAR.to);
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBeLessThan(Object.values(all).reduce((a, b) => a + b, 0));

    const township = t.city.grids[0].townshipCode;
    const one = await t.query<Hotspots>('zongzhi', HOTSPOTS, { code: township, from: '2026-01-01', to: '2026-11-28' });
    expect(one.body.errors).toBeUndefined();
    const features = one.body.data!.hotspots!.features!;
    expect(features.length).toBe(t.city.grids.filter((g) => g.townshipCode === township).length);
    expect(nonZero(features)).toEqual(await expectedCounts(township, '2026-01-01', '2026-11-28'));
  });

  it('places every grid at its centroid: the demo’s, within its district, to 5 decimals', async () => {
    const res = await t.query<{ grids: { edges: Array<{ node: { code: string; centroid: { longitude: number; latitude: number } | null } }> } }>(
      'analyst',
      '{ grids(divisionCode: "211481", first: 100) { edges { node { code centroid { longitude latitude } } } } }',
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.grids.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(1);
    for (const node of nodes) {
      expect(node.centroid).toEqual(gridCentroid(t.city.seed, node.code));
      const { longitude, latitude } = node.centroid!;
      expect(Math.round(longitude * 1e5) / 1e5).toBe(longitude);
      // 兴城市 around 120.73E 40.61N: a township within 0.12°, a grid within 0.015° of it.
      expect(Math.abs(longitude - 120.73)).toBeLessThan(0.14);
      expect(Math.abs(latitude - 40.61)).toBeLessThan(0.14);
    }
    expect(new Set(nodes.map((n) => `${n.centroid!.longitude},${n.centroid!.latitude}`)).size).toBe(nodes.length);
  });

  it('refuses another district to its officers, limits a grid worker to their grid, and denies oversight and the other agencies', async () => {
    for (const agency of ['zongzhi', 'police'] as const) {
      const other = await t.query<Hotspots>(agency, HOTSPOTS, { code: '211403', ...YEAR });
      expect(other.body.data!.hotspots!.features).toBeNull();
      expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN_FIELD']);
    }
    const grid = t.city.grids[0];
    const own = await t.query<Hotspots>('grid', HOTSPOTS, { code: grid.townshipCode, ...YEAR });
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.hotspots!.features!.map((f) => f.properties.gridCode)).toEqual([grid.code]);
    expect(own.body.data!.hotspots!.features![0].properties.events).toBe((await expectedCounts(grid.code, YEAR.from, YEAR.to))[grid.code] ?? 0);
    const elsewhere = await t.query<Hotspots>('grid', HOTSPOTS, { code: '211403', ...YEAR });
    expect(elsewhere.body.data!.hotspots!.features).toEqual([]);
    for (const agency of ['oversight', 'justice', 'court'] as const) {
      const res = await t.query<Hotspots>(agency, HOTSPOTS, { code: '211402', ...YEAR });
      expect({ agency, data: res.body.data?.hotspots ?? null, code: res.body.errors?.[0]?.extensions?.code }).toEqual({
        agency,
        data: null,
        code: 'FORBIDDEN_FIELD',
      });
    }
  });

  describe('for analysts: the grid cells of the stored release', () => {
    const RELEASED = `query ($code: String!, $from: Date!, $to: Date!, $kind: GridEventKind) {
      hotspots(divisionCode: $code, from: $from, to: $to, kind: $kind) { features { properties { gridCode events suppressedFields } } }
    }`;
    type Released = { hotspots: { features: Array<{ properties: { gridCode: string; events: number | null; suppressedFields: string[] } }> | null } | null };
    const MEASURE: Record<string, string> = { '': 'eventsReported', DISPUTE: 'disputes', HAZARD: 'hazards' };

    it.each([
      ['all kinds', ''],
      ['disputes', 'DISPUTE'],
      ['hazards', 'HAZARD'],
    ])(
      'maps every grid of a district (%s) with its released 2025 cell: exact where released, null and named where withheld, never 0 for events',
      async (_, kind) => {
        const res = await t.query<Released>('analyst', RELEASED, { code: '211402', ...YEAR, kind: kind || null });
        expect(res.body.errors).toBeUndefined();
        const features = res.body.data!.hotspots!.features!;
        expect(features.map((f) => f.properties.gridCode)).toEqual(t.city.grids.filter((g) => g.code.startsWith('211402')).map((g) => g.code));
        const exact = await expectedCounts('211402', YEAR.from, YEAR.to, kind || undefined);
        const stored = new Map(
          (
            await sql<{ code: string; value: number | null }>(
              t,
              `select code, value from grid.statistics_release where measure = $1 and period = '2025' and length(code) = 12`,
              [MEASURE[kind]],
            )
          ).map((r) => [r.code, r.value]),
        );
        for (const { properties: p } of features) {
          expect({ grid: p.gridCode, events: p.events, named: p.suppressedFields }).toEqual({
            grid: p.gridCode,
            events: stored.get(p.gridCode) === null ? null : (exact[p.gridCode] ?? 0),
            named: stored.get(p.gridCode) === null ? ['events'] : [],
          });
          if (p.events === null) expect(exact[p.gridCode]).toBeGreaterThan(0);
        }
        if (kind === '') expect(features.filter((f) => f.properties.events === null).length).toBeGreaterThan(0);
      },
    );

    it('reads the stored cell, never a count of the request (a cell set for the test shows, then is put back)', async () => {
      const grid = t.city.grids.find((g) => g.code.startsWith('211402'))!.code;
      const where = `measure = 'eventsReported' and code = '${grid}' and period = '2025'`;
      const [kept] = await sql<{ value: number | null }>(t, `select value from grid.statistics_release where ${where}`);
      await sql(
        t,
        `insert into grid.statistics_release (statistic, measure, code, period, value, first_month, last_month)
        select 'grid', 'eventsReported', $1, '2025', 4321, first_month, last_month from grid.statistics_release where statistic = 'grid' limit 1
        on conflict (statistic, measure, code, period) do update set value = 4321`,
        [grid],
      );
      try {
        const res = await t.query<Released>('analyst', RELEASED, { code: grid.slice(0, 9), ...YEAR });
        expect(res.body.data!.hotspots!.features!.find((f) => f.properties.gridCode === grid)!.properties.events).toBe(4321);
      } finally {
        if (kept) await sql(t, `update grid.statistics_release set value = $1 where ${where}`, [kept.value]);
        else await sql(t, `delete from grid.statistics_release where ${where}`);
      }
    });

    it.each([
      ['half a year', { from: '2025-01-01', to: '2025-06-30' }, 'to', 'whole released calendar years'],
      ['a year not aligned to January', { from: '2025-02-01', to: '2026-01-31' }, 'from', 'whole released calendar years'],
      ['a year not released (2026 is not complete)', { from: '2026-01-01', to: '2026-12-31' }, 'to', 'whole released months'],
      ['a day', { from: '2025-03-01', to: '2025-03-01' }, 'to', 'the last day of a month'],
    ])('refuses %s with BAD_USER_INPUT naming the allowed form', async (_, range, argument, form) => {
      const res = await t.query<Released>('analyst', RELEASED, { code: '211402', ...range });
      expect(res.body.data?.hotspots ?? null).toBeNull();
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(res.body.errors?.[0]?.message).toContain(form);
    });

    it('refuses the kinds grid does not release per grid (public order, service requests): they would complete the events less the others', async () => {
      for (const kind of ['PUBLIC_ORDER', 'SERVICE_REQUEST']) {
        const res = await t.query<Released>('analyst', RELEASED, { code: '211402', ...YEAR, kind });
        expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'kind' });
        expect(res.body.errors?.[0]?.message).toContain('DISPUTE or HAZARD');
      }
    });

    it('costs the same SQL statements for a district as for a township (the release and the grids, no count)', async () => {
      const statements = async (code: string) => {
        const before = t.sqlStatements();
        const res = await t.query<Released>('analyst', RELEASED, { code, ...YEAR });
        expect(res.body.errors).toBeUndefined();
        return t.sqlStatements() - before;
      };
      const [district, township] = [await statements('211402'), await statements(t.city.grids[0].townshipCode)];
      expect(district).toBe(township);
      process.stdout.write(`hotspots as the analyst: ${district} SQL statements for a district or a township\n`);
    });
  });

  it.each([
    ['an unknown division', { code: '211499', ...YEAR }, 'divisionCode'],
    ['a division code of letters', { code: 'abc', ...YEAR }, 'divisionCode'],
    ['the city (no map of grids)', { code: '211400', ...YEAR }, 'divisionCode'],
    ['from after to', { code: '211402', from: '2025-12-31', to: '2025-01-01' }, 'from'],
    ['a range over 366 days', { code: '211402', from: '2025-01-01', to: '2026-01-02' }, 'to'],
    ['a day that does not exist', { code: '211402', from: '2025-02-30', to: '2025-12-31' }, 'from'],
    ['an unknown kind', { code: '211402', ...YEAR, kind: 'FIRE' }, 'kind'],
  ])('refuses %s with BAD_USER_INPUT naming the argument', async (_, variables, argument) => {
    const res = await t.query<Hotspots>('zongzhi', HOTSPOTS, variables);
    expect(res.body.data?.hotspots ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });

  it('takes a leap year’s 366 days', async () => {
    const res = await t.query<Hotspots>('zongzhi', HOTSPOTS, { code: '211402', from: '2024-01-01', to: '2024-12-31' });
    expect(res.body.errors).toBeUndefined();
  });

  it('sends as many SQL statements for a district as for one of its townships', async () => {
    const statements = async (code: string) => {
      const before = t.sqlStatements();
      const res = await t.query<Hotspots>('zongzhi', HOTSPOTS, { code, ...YEAR });
      expect(res.body.errors).toBeUndefined();
      return { grids: res.body.data!.hotspots!.features!.length, statements: t.sqlStatements() - before };
    };
    const township = await statements(t.city.grids[0].townshipCode);
    const district = await statements('211402');
    expect(district.grids).toBeGreaterThan(township.grids);
    expect(district.statements).toBe(township.statements);
    process.stdout.write(`hotspots: ${township.statements} SQL statements for ${township.grids} grids, ${district.statements} for ${district.grids}\n`);
  });
});
