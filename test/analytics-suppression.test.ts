import { feasibleIntervals, monthRange } from '../src/analytics/release';
import type { Line } from '../src/analytics/suppression';
import { loadPolicy } from '../src/policy/policy';
import { withSubgraphOrm } from '../src/kit/migrate';
import { withDatabase } from '../src/shared/db';
import { subgraphs } from '../src/subgraphs';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/*
 * The attacker test: an analyst reads the whole police release of the demo city through the
 * gateway — every county and township, every month and the complete year — and solves, by linear
 * programming over every line of the hierarchy (county = Σ townships, year = Σ months), the
 * feasible interval of each withheld cell. None may be narrower than the policy's protection
 * range. The same for the petition bureau's release (kept in the hub's own schema for it), with
 * the order of its measures as the attacker's bounds too (repeat petitions ≤ petitions), and for
 * grid's release down to the grids of the hotspot map. Then the attacks the release was built
 * against: cumulative ranges as aliases, and a day.
 */

let t: TestHub;
const policy = loadPolicy();

/** A department's released statistic as the attacker reads it: its field, measures, months and the order of its measures. */
interface Released {
  field: string;
  measures: readonly string[];
  months: readonly string[];
  /** `[a, b]`: a ≤ b in every cell (the measures' `atMost`), which the attacker knows too. */
  order: ReadonlyArray<readonly [string, string]>;
}
/** The demo city's police records: 2025-01 … 2026-11, so 2025 is the one complete year. */
const POLICE: Released = {
  field: 'policeStatistics',
  measures: ['incidents', 'casesFiled', 'casesTransferred'],
  months: monthRange('2025-01', '2026-11'),
  order: [],
};
/** The petition bureau's fixture: 2025-01 … 2026-05; a repeat petition is a petition. */
const PETITION: Released = {
  field: 'petitionStatistics',
  measures: ['petitions', 'repeatPetitions'],
  months: monthRange('2025-01', '2026-05'),
  order: [['repeatPetitions', 'petitions']],
};
const MEASURES = POLICE.measures;
const MONTHS = POLICE.months;
type Figures = Record<string, number | null> & { suppressedFields: string[] };
const FIELDS = `{ ${MEASURES.join(' ')} suppressedFields }`;
type Division = { code: string; year: Figures; monthly: Array<{ month: string; figures: Figures }> };

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

/** Every released cell (`code@period`, null when withheld) of every measure, county and township as `who` reads them. */
async function release(
  who: 'analyst' | 'admin',
  of: Released,
): Promise<{ cells: Map<string, Map<string, number | null>>; divisions: Array<Division & { townships: Division[] }> }> {
  const fields = `{ ${of.measures.join(' ')} suppressedFields }`;
  const division = `code year: ${of.field}(from: "2025-01-01", to: "2025-12-31") ${fields}
    monthly(from: "${of.months[0]}-01", to: "${lastDay(of.months.at(-1)!)}") { month figures: ${of.field} ${fields} }`;
  const res = await t.query<{ districts: Array<Division & { townships: Division[] }> }>(who, `{ districts { ${division} townships { ${division} } } }`);
  expect(res.body.errors).toBeUndefined();
  const divisions = res.body.data!.districts;
  const cells = new Map(
    of.measures.map((m) => {
      const out = new Map<string, number | null>();
      for (const d of divisions.flatMap((c) => [c, ...c.townships])) {
        out.set(`${d.code}@2025`, d.year[m]);
        for (const x of d.monthly) out.set(`${d.code}@${x.month}`, x.figures[m]);
      }
      return [m, out];
    }),
  );
  return { cells, divisions };
}

/** The lines an attacker knows: a county is the sum of its townships, a year the sum of its months (the demo's records all have a township). */
function hierarchyLines(divisions: ReadonlyArray<Division & { townships: Division[] }>, months: readonly string[]): Line[] {
  const lines: Line[] = [];
  for (const county of divisions) {
    for (const period of ['2025', ...months]) lines.push({ total: `${county.code}@${period}`, parts: county.townships.map((x) => `${x.code}@${period}`) });
    for (const d of [county, ...county.townships])
      lines.push({ total: `${d.code}@2025`, parts: months.filter((m) => m.startsWith('2025')).map((m) => `${d.code}@${m}`) });
  }
  return lines;
}

/** What the order of measures tells the attacker of `measure`'s cells, from the other measures' released cells. */
function orderBounds(of: Released, measure: string, cells: ReadonlyMap<string, ReadonlyMap<string, number | null>>): Map<string, [number, number]> {
  const bounds = new Map<string, [number, number]>();
  for (const id of cells.get(measure)!.keys()) {
    const below = of.order.filter(([, b]) => b === measure).map(([a]) => cells.get(a)!.get(id) ?? 1);
    const above = of.order.filter(([a]) => a === measure).map(([, b]) => cells.get(b)!.get(id) ?? Infinity);
    bounds.set(id, [Math.max(1, ...below), Math.min(Infinity, ...above)]);
  }
  return bounds;
}

it.each([
  ['police', POLICE],
  ['petition', PETITION],
])('no withheld cell of the %s release can be narrowed below the protection range by any combination of released cells', async (_, of) => {
  const [shown, exact] = [await release('analyst', of), await release('admin', of)];
  const lines = hierarchyLines(shown.divisions, of.months);
  let withheld = 0;
  for (const m of of.measures) {
    const cells = shown.cells.get(m)!;
    const hidden = new Set([...cells].filter(([, v]) => v === null).map(([id]) => id));
    const published = new Map([...cells].filter((e): e is [string, number] => e[1] !== null));
    // Released cells are exact.
    for (const [id, v] of published) expect({ m, id, v }).toEqual({ m, id, v: exact.cells.get(m)!.get(id) });
    for (const [id, [lo, hi]] of await feasibleIntervals(lines, published, hidden, undefined, orderBounds(of, m, shown.cells))) {
      const value = exact.cells.get(m)!.get(id)!;
      expect({ m, id, wide: hi - lo >= policy.protectionRange }).toEqual({ m, id, wide: true });
      expect(value >= lo - 1e-6 && value <= hi + 1e-6).toBe(true);
    }
    withheld += hidden.size;
  }
  // The small demo city has small cells: the test protects something.
  expect(withheld).toBeGreaterThan(10);
});

/*
 * The grid release below the townships: the hotspot map's grid cells (grid × 2025, read as the
 * analyst reads them, through `hotspots`) with the city, county and township cells of the same
 * measures (month and year, through the statistics), over every line an attacker knows — city = Σ
 * counties, county = Σ townships, township = Σ its grids, year = Σ months — and the order of
 * measures (disputes and hazards are events: a published events count bounds them, a published
 * dispute or hazard count bounds the events from below).
 */
const GRID_MEASURES = ['eventsReported', 'disputes', 'hazards'] as const;
type GridMeasure = (typeof GRID_MEASURES)[number];
const KINDS: Record<GridMeasure, string | null> = { eventsReported: null, disputes: 'DISPUTE', hazards: 'HAZARD' };
const GRID_FIELDS = `{ ${GRID_MEASURES.join(' ')} suppressedFields }`;
const GRID_DIVISION = `code year: gridStatistics(from: "2025-01-01", to: "2025-12-31") ${GRID_FIELDS}
  monthly(from: "2025-01-01", to: "2026-11-30") { month gridStatistics ${GRID_FIELDS} }`;
type GridDivision = {
  code: string;
  year: Record<GridMeasure, number | null>;
  monthly: Array<{ month: string; gridStatistics: Record<GridMeasure, number | null> }>;
};
type Hotspot = { properties: { gridCode: string; events: number | null; suppressedFields: string[] } };

/** Every cell of grid's release for the three measures as `who` reads it: city, counties, townships (months and 2025) and grids (2025), and the hierarchy's lines. */
async function gridRelease(who: 'analyst' | 'admin'): Promise<{ cells: Record<GridMeasure, Map<string, number | null>>; lines: Line[]; grids: number }> {
  const res = await t.query<{ city: GridDivision; districts: Array<GridDivision & { townships: GridDivision[] }> }>(
    who,
    `{ city { ${GRID_DIVISION} } districts { ${GRID_DIVISION} townships { ${GRID_DIVISION} } } }`,
  );
  expect(res.body.errors).toBeUndefined();
  const { city, districts } = res.body.data!;
  const cells = Object.fromEntries(GRID_MEASURES.map((m) => [m, new Map<string, number | null>()])) as Record<GridMeasure, Map<string, number | null>>;
  for (const d of [city, ...districts.flatMap((c) => [c, ...c.townships])])
    for (const m of GRID_MEASURES) {
      cells[m].set(`${d.code}@2025`, d.year[m]);
      for (const x of d.monthly) cells[m].set(`${d.code}@${x.month}`, x.gridStatistics[m]);
    }
  const lines: Line[] = [];
  const periods = ['2025', ...MONTHS];
  for (const p of periods) lines.push({ total: `${city.code}@${p}`, parts: districts.map((c) => `${c.code}@${p}`) });
  for (const county of districts) {
    for (const p of periods) lines.push({ total: `${county.code}@${p}`, parts: county.townships.map((x) => `${x.code}@${p}`) });
    for (const d of [county, ...county.townships])
      lines.push({ total: `${d.code}@2025`, parts: MONTHS.filter((m) => m.startsWith('2025')).map((m) => `${d.code}@${m}`) });
  }
  lines.push({ total: `${city.code}@2025`, parts: MONTHS.filter((m) => m.startsWith('2025')).map((m) => `${city.code}@${m}`) });
  // The grid cells: every grid of every county, one hotspot map per county and kind (aliases), as the analyst may ask them.
  const grids = new Map<string, string[]>();
  for (const m of GRID_MEASURES) {
    const kind = KINDS[m] ? `, kind: ${KINDS[m]}` : '';
    const maps = await t.query<Record<string, { features: Hotspot[] }>>(
      who,
      `{ ${districts.map((c) => `c${c.code}: hotspots(divisionCode: "${c.code}", from: "2025-01-01", to: "2025-12-31"${kind}) { features { properties { gridCode events suppressedFields } } }`).join('\n')} }`,
    );
    expect(maps.body.errors).toBeUndefined();
    for (const map of Object.values(maps.body.data!))
      for (const { properties: g } of map.features) {
        // Withheld is null and named, never 0.
        expect({ grid: g.gridCode, named: g.suppressedFields.includes('events') }).toEqual({ grid: g.gridCode, named: g.events === null });
        cells[m].set(`${g.gridCode}@2025`, g.events);
        const township = g.gridCode.slice(0, 9);
        if (!grids.has(township)) grids.set(township, []);
        if (m === 'eventsReported') grids.get(township)!.push(`${g.gridCode}@2025`);
      }
  }
  for (const [township, parts] of grids) lines.push({ total: `${township}@2025`, parts });
  return { cells, lines, grids: [...grids.values()].flat().length };
}

/**
 * Makes one township of the demo city a case that needs grid complements: 2025's events of its
 * county all in its other grids (6 a month each, every month and year of it published) but 2 in
 * one grid, so that without another withheld grid that one would be the township's count less the
 * others'. Then decides grid's release again, as `hub stats refresh` does.
 */
async function aGridThatNeedsComplements(): Promise<{ small: string; township: string }> {
  const county = t.city.grids[0].code.slice(0, 6);
  // The county's last township, and every other grid of the county busy, so that the township's year is published and its line is what pins the small grid.
  const township = t.city.grids.filter((g) => g.code.startsWith(county)).at(-1)!.townshipCode;
  const small = t.city.grids.find((g) => g.townshipCode === township)!.code;
  const busy = t.city.grids.filter((g) => g.code.startsWith(county) && g.code !== small).map((g) => g.code);
  const inYear = `reported_at >= '2025-01-01T00:00:00+08:00' and reported_at < '2026-01-01T00:00:00+08:00'`;
  await sql(t, `delete from grid.grid_event where grid_code like $1 || '%' and ${inYear}`, [county]);
  // Copies of one event of the demo, moved to the grids and days wanted.
  await sql(
    t,
    `insert into grid.grid_event
     select (jsonb_populate_record(null::grid.grid_event, to_jsonb(e) || jsonb_build_object('id', 'attack-' || c.grid || '-' || c.n, 'grid_code', c.grid,
       'kind', 'SERVICE_REQUEST', 'reported_at', make_timestamptz(2025, c.month, 15, 10, 0, 0, 'Asia/Shanghai')))).*
     from (select * from grid.grid_event order by id limit 1) e,
       (select g as grid, m as month, m * 10 + n as n from unnest($1::text[]) g, generate_series(1, 12) m, generate_series(1, 6) n
        union all select $2, 3, n from generate_series(1, 2) n) c`,
    [busy, small],
  );
  const grid = subgraphs.grid;
  await withSubgraphOrm(grid, withDatabase(t.serverUrl, t.database), (orm) =>
    grid.refreshStatistics!(orm.em.fork(), { threshold: policy.suppressionThreshold, protection: policy.protectionRange }),
  );
  return { small, township };
}

it("no withheld cell of grid's release, grid cells of the hotspot map included, can be narrowed below the protection range over all lines (township = Σ its grids)", async () => {
  const { small, township } = await aGridThatNeedsComplements();
  const [shown, exact] = [await gridRelease('analyst'), await gridRelease('admin')];
  // The case is there: a small grid withheld, beside grids of 72.
  expect([shown.cells.eventsReported.get(`${small}@2025`), exact.cells.eventsReported.get(`${small}@2025`)]).toEqual([null, 2]);
  expect(exact.cells.eventsReported.get(`${township}@2025`)).toBe(146);
  expect(shown.grids).toBe(t.city.grids.length);
  let withheld = 0;
  let withheldGrids = 0;
  for (const m of GRID_MEASURES) {
    const cells = shown.cells[m];
    const hidden = new Set([...cells].filter(([, v]) => v === null).map(([id]) => id));
    const published = new Map([...cells].filter((e): e is [string, number] => e[1] !== null));
    for (const [id, v] of published) expect({ m, id, v }).toEqual({ m, id, v: exact.cells[m].get(id) });
    // The order of measures, as far as the published cells of the other measures tell it.
    const bounds = new Map<string, [number, number]>();
    for (const id of hidden) {
      const lo = m === 'eventsReported' ? Math.max(1, shown.cells.disputes.get(id) ?? 1, shown.cells.hazards.get(id) ?? 1) : 1;
      const hi = m === 'eventsReported' ? Infinity : (shown.cells.eventsReported.get(id) ?? Infinity);
      bounds.set(id, [lo, hi]);
    }
    for (const [id, [lo, hi]] of await feasibleIntervals(shown.lines, published, hidden, undefined, bounds)) {
      const value = exact.cells[m].get(id)!;
      expect({ m, id, wide: hi - lo >= policy.protectionRange - 1e-6 }).toEqual({ m, id, wide: true });
      expect(value >= lo - 1e-6 && value <= hi + 1e-6).toBe(true);
    }
    withheld += hidden.size;
    withheldGrids += [...hidden].filter((id) => /^\d{12}@/.test(id)).length;
  }
  // The small demo city has small grid cells: the test protects some.
  expect(withheldGrids).toBeGreaterThan(10);
  expect(withheld).toBeGreaterThan(withheldGrids);
});

it('cumulative ranges in aliases give only sums of released cells (withheld when one of them is), and a single day is refused', async () => {
  const county = t.city.divisions.find((d) => d.level === 'COUNTY')!.code;
  const months2026 = MONTHS.filter((m) => m.startsWith('2026'));
  const aliases = months2026.map((m, i) => `m${i}: policeStatistics(from: "2025-01-01", to: "${lastDay(m)}") ${FIELDS}`).join('\n');
  const res = await t.query<{ district: Record<string, Figures> }>('analyst', `{ district(code: "${county}") { ${aliases} } }`);
  expect(res.body.errors).toBeUndefined();
  const { cells } = await release('analyst', POLICE);
  for (const m of MEASURES) {
    for (const [i] of months2026.entries()) {
      const parts = [`${county}@2025`, ...months2026.slice(0, i + 1).map((x) => `${county}@${x}`)].map((id) => cells.get(m)!.get(id) ?? null);
      const sum = parts.some((v) => v === null) ? null : parts.reduce<number>((s, v) => s + (v ?? 0), 0);
      expect({ m, i, value: res.body.data!.district[`m${i}`][m] }).toEqual({ m, i, value: sum });
    }
  }
  const day = await t.query('analyst', `{ district(code: "${county}") { policeStatistics(from: "2026-02-01", to: "2026-02-01") { incidents } } }`);
  expect(day.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(day.body.errors?.[0].message).toContain('the last day of a month');
  const flow = await t.query('analyst', `{ district(code: "${county}") { caseFlow(from: "2025-01-01", to: "2025-06-30") { police { filed } } } }`);
  expect(flow.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(flow.body.errors?.[0].message).toContain('one calendar year');
});

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${new Date(Date.UTC(y, m, 0)).getUTCDate()}`;
}
