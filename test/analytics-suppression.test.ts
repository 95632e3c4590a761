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
 * range. The same for the petition bureau's release (kept in the hub's own schema for it), the
 * justice bureau's and grid's down to the grids of the hotspot map, each over all its measures at
 * once with the lines between them the attacker knows (a repeat petition is a petition: petitions =
 * repeat petitions + first ones, d ≥ 0), and then every small difference (0 < d < k: failed
 * mediations, first petitions) must stay as wide. Then the attacks the release was built against:
 * cumulative ranges as aliases, and a day.
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

it.each([
  ['police', POLICE],
  ['petition', PETITION],
])('no withheld cell of the %s release can be narrowed below the protection range by any combination of released cells', async (_, of) => {
  const [shown, exact] = [await release('analyst', of), await release('admin', of)];
  const lines = hierarchyLines(shown.divisions, of.months);
  for (const m of of.measures)
    for (const [id, v] of shown.cells.get(m)!) if (v !== null) expect({ m, id, v }).toEqual({ m, id, v: exact.cells.get(m)!.get(id) });
  // Released cells are exact; every withheld cell and small difference (a first petition: petitions − repeat ones) stays wide.
  const intervals = await jointIntervals(
    shown.cells,
    exact.cells as Map<string, Map<string, number>>,
    new Map(of.measures.map((m) => [m, lines])),
    of.order.map(([a, b]) => ({ total: b, parts: [a] })),
  );
  expectProtected(intervals);
  const withheld = intervals.filter((x) => !x.id.includes('−')).length;
  // The small demo city has small cells: the test protects something.
  expect(withheld).toBeGreaterThan(10);
});

/** Every withheld cell and small difference: its feasible interval at least the protection range wide, and holding its true value. */
function expectProtected(intervals: ReadonlyArray<{ id: string; value: number; interval: readonly [number, number] }>): void {
  for (const {
    id,
    value,
    interval: [lo, hi],
  } of intervals) {
    expect({ id, wide: hi - lo >= policy.protectionRange - 1e-6 }).toEqual({ id, wide: true });
    expect(value >= lo - 1e-6 && value <= hi + 1e-6).toBe(true);
  }
}

/**
 * The attacker's joint program over all of a department's measures: each measure's cells (`measure:code@period`)
 * with its lines, and for every difference the release publishes when its measures are all released in a
 * cell (a measure at most another: closed − succeeded is the failed mediations; disjoint measures at most
 * one: events − disputes − hazards) the line total = Σ parts + d, with d ≥ 0 unknown. Returns the
 * feasible interval of every withheld cell and of every small difference (0 < d < k), with its true value.
 */
async function jointIntervals(
  shown: ReadonlyMap<string, ReadonlyMap<string, number | null>>,
  exact: ReadonlyMap<string, ReadonlyMap<string, number>>,
  lines: ReadonlyMap<string, readonly Line[]>,
  differences: ReadonlyArray<{ total: string; parts: readonly string[] }>,
): Promise<Array<{ id: string; value: number; interval: [number, number] }>> {
  const all: Line[] = [];
  const published = new Map<string, number>();
  const hidden = new Set<string>();
  const bounds = new Map<string, [number, number]>();
  const truth = new Map<string, number>();
  for (const [m, cells] of shown)
    for (const [id, v] of cells) {
      truth.set(`${m}:${id}`, exact.get(m)!.get(id)!);
      if (v === null) {
        hidden.add(`${m}:${id}`);
        bounds.set(`${m}:${id}`, [1, Infinity]);
      } else published.set(`${m}:${id}`, v);
    }
  for (const [m, list] of lines) for (const l of list) all.push({ total: `${m}:${l.total}`, parts: l.parts.map((p) => `${m}:${p}`) });
  const small = new Set<string>();
  const known = new Map<string, [number, number]>();
  for (const { total, parts } of differences) {
    const name = `${total}−${parts.join('−')}`;
    for (const id of shown.get(total)!.keys()) {
      if (!parts.every((p) => shown.get(p)!.has(id))) continue;
      const d = `${name}:${id}`;
      const value = exact.get(total)!.get(id)! - parts.reduce((s, p) => s + exact.get(p)!.get(id)!, 0);
      truth.set(d, value);
      if (value > 0 && value < policy.suppressionThreshold) small.add(d);
      // All its measures released: the difference is released too (no program needed).
      if ([total, ...parts].every((m) => published.has(`${m}:${id}`))) {
        known.set(d, [value, value]);
        continue;
      }
      hidden.add(d);
      bounds.set(d, [0, Infinity]);
      all.push({ total: `${total}:${id}`, parts: [...parts.map((p) => `${p}:${id}`), d] });
    }
  }
  // The true values let the solver skip a minimum where the maximum alone shows the cell wide (the same verdict).
  const intervals = await feasibleIntervals(all, published, hidden, { values: truth, protection: policy.protectionRange }, bounds, 0);
  return [...intervals, ...known].filter(([id]) => small.has(id) || !id.includes('−')).map(([id, interval]) => ({ id, value: truth.get(id)!, interval }));
}

/** The justice bureau's release: mediations per township month and year, the closure counts behind the two rates per county and city year. */
const JUSTICE_MEASURES = ['mediationCases', 'mediationsSucceeded', 'mediationsClosed', 'mediationsClosedOnTime'] as const;
const JUSTICE_FIELDS = '{ mediationCases mediationsSucceeded successRate mediationsClosedOnTime onTimeClosureRate suppressedFields }';
const JUSTICE_DIVISION = `code year: justiceStatistics(from: "2025-01-01", to: "2025-12-31") ${JUSTICE_FIELDS}
  monthly(from: "2025-01-01", to: "2026-11-30") { month justiceStatistics { mediationCases } }`;
type JusticeFigures = {
  mediationCases: number | null;
  mediationsSucceeded: number | null;
  successRate: number | null;
  mediationsClosedOnTime: number | null;
  onTimeClosureRate: number | null;
};
type JusticeDivision = { code: string; year: JusticeFigures; monthly: Array<{ month: string; justiceStatistics: { mediationCases: number | null } }> };

/**
 * Justice's release as `who` reads it: mediations of the city, counties and townships (months and 2025), and the
 * closure counts of the city and counties in 2025 — the closed count is not a field, but a rate and its
 * numerator give it (closed = succeeded ÷ success rate); where neither does, the attacker does not know it.
 */
async function justiceRelease(who: 'analyst' | 'admin') {
  const res = await t.query<{ city: JusticeDivision; districts: Array<JusticeDivision & { townships: JusticeDivision[] }> }>(
    who,
    `{ city { ${JUSTICE_DIVISION} } districts { ${JUSTICE_DIVISION} townships { ${JUSTICE_DIVISION} } } }`,
  );
  expect(res.body.errors).toBeUndefined();
  const { city, districts } = res.body.data!;
  const cells = new Map<string, Map<string, number | null>>(JUSTICE_MEASURES.map((m) => [m, new Map()]));
  const closedOf = ({ mediationsSucceeded: s, successRate: r, mediationsClosedOnTime: o, onTimeClosureRate: q }: JusticeFigures) =>
    s && r ? Math.round(s / r) : o && q ? Math.round(o / q) : null;
  for (const d of [city, ...districts]) {
    cells.get('mediationsSucceeded')!.set(`${d.code}@2025`, d.year.mediationsSucceeded);
    cells.get('mediationsClosedOnTime')!.set(`${d.code}@2025`, d.year.mediationsClosedOnTime);
    cells.get('mediationsClosed')!.set(`${d.code}@2025`, closedOf(d.year));
  }
  for (const d of [city, ...districts.flatMap((c) => [c, ...c.townships])]) {
    cells.get('mediationCases')!.set(`${d.code}@2025`, d.year.mediationCases);
    for (const x of d.monthly) cells.get('mediationCases')!.set(`${d.code}@${x.month}`, x.justiceStatistics.mediationCases);
  }
  const periods = ['2025', ...MONTHS];
  const cases: Line[] = periods.map((p) => ({ total: `${city.code}@${p}`, parts: districts.map((c) => `${c.code}@${p}`) }));
  for (const county of districts) for (const p of periods) cases.push({ total: `${county.code}@${p}`, parts: county.townships.map((x) => `${x.code}@${p}`) });
  for (const d of [city, ...districts.flatMap((c) => [c, ...c.townships])])
    cases.push({ total: `${d.code}@2025`, parts: MONTHS.filter((m) => m.startsWith('2025')).map((m) => `${d.code}@${m}`) });
  const closures: Line[] = [{ total: `${city.code}@2025`, parts: districts.map((c) => `${c.code}@2025`) }];
  const lines = new Map<string, Line[]>(JUSTICE_MEASURES.map((m) => [m, m === 'mediationCases' ? cases : closures]));
  return { cells, lines, city, districts };
}

it("no withheld cell of justice's release, nor any small difference of its measures (failed, late, still open mediations), can be narrowed below the protection range", async () => {
  const [shown, admin] = [await justiceRelease('analyst'), await justiceRelease('admin')];
  const exact = new Map([...admin.cells].map(([m, cells]) => [m, new Map([...cells].map(([id, v]) => [id, v!]))]));
  // The exact closed counts, counted from the records (the admin's rates give them only where a numerator is positive).
  const closed = await sql<{ code: string; closed: string }>(
    t,
    `select coalesce(district_code, $1) as code, count(*) filter (where outcome <> 'IN_PROGRESS') as closed from justice.mediation_case
     where started_on between '2025-01-01' and '2025-12-31' group by rollup (district_code)`,
    [shown.city.code],
  );
  for (const r of closed) exact.get('mediationsClosed')!.set(`${r.code}@2025`, Number(r.closed));
  for (const [m, cells] of shown.cells) for (const [id, v] of cells) if (v !== null) expect({ m, id, v }).toEqual({ m, id, v: exact.get(m)!.get(id) });
  const differences = [
    { total: 'mediationsClosed', parts: ['mediationsSucceeded'] },
    { total: 'mediationsClosed', parts: ['mediationsClosedOnTime'] },
    { total: 'mediationCases', parts: ['mediationsClosed'] },
  ];
  // The rates are ratios of released counts: withheld with either (the closed count as the release stored it).
  const stored = await sql<{ code: string; value: number | null }>(
    t,
    `select code, value from justice.statistics_release where measure = 'mediationsClosed' and period = '2025'`,
  );
  const closedReleased = new Map(stored.map((r) => [r.code, r.value !== null]));
  for (const d of [shown.city, ...shown.districts]) {
    const { successRate, onTimeClosureRate, mediationsSucceeded, mediationsClosedOnTime } = d.year;
    expect({ code: d.code, success: successRate !== null, onTime: onTimeClosureRate !== null }).toEqual({
      code: d.code,
      success: successRate !== null && mediationsSucceeded !== null && closedReleased.get(d.code) === true,
      onTime: onTimeClosureRate !== null && mediationsClosedOnTime !== null && closedReleased.get(d.code) === true,
    });
  }
  const intervals = await jointIntervals(shown.cells, exact, shown.lines, differences);
  expectProtected(intervals);
  // The small demo city has small mediation counts and small differences: the test protects some.
  expect(intervals.filter((x) => x.id.includes('−')).length).toBeGreaterThan(0);
  expect(intervals.length).toBeGreaterThan(10);
});

/*
 * The grid release below the townships: the hotspot map's grid cells (grid × 2025, read as the
 * analyst reads them, through `hotspots`) with the city, county and township cells of the same
 * measures (month and year, through the statistics), over every line an attacker knows — city = Σ
 * counties, county = Σ townships, township = Σ its grids, year = Σ months — and the lines between
 * measures (disputes and hazards are events of different kinds: events = disputes + hazards + the
 * other kinds, each part ≥ 0), with every small difference (the other kinds of a grid) as wide.
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
 * others'. And a small difference: every one of those events a dispute but 2 in one busy grid, so
 * that its grid, township, county and March cells, were both counts published, would publish those
 * 2 other events by subtraction. Then decides
 * grid's release again, as `hub stats refresh` does.
 */
async function aGridThatNeedsComplements(): Promise<{ small: string; township: string; mixed: string }> {
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
       'kind', c.kind, 'reported_at', make_timestamptz(2025, c.month, 15, 10, 0, 0, 'Asia/Shanghai')))).*
     from (select * from grid.grid_event order by id limit 1) e,
       (select g as grid, m as month, m * 10 + n as n, case when g = $3 and m = 3 and n <= 2 then 'SERVICE_REQUEST' else 'DISPUTE' end as kind
        from unnest($1::text[]) g, generate_series(1, 12) m, generate_series(1, 6) n
        union all select $2, 3, n, 'DISPUTE' from generate_series(1, 2) n) c`,
    [busy, small, busy[0]],
  );
  const grid = subgraphs.grid;
  await withSubgraphOrm(grid, withDatabase(t.serverUrl, t.database), (orm) =>
    grid.refreshStatistics!(orm.em.fork(), { threshold: policy.suppressionThreshold, protection: policy.protectionRange }),
  );
  return { small, township, mixed: busy[0] };
}

it("no withheld cell of grid's release, grid cells of the hotspot map included, can be narrowed below the protection range over all lines (township = Σ its grids)", async () => {
  const { small, township, mixed } = await aGridThatNeedsComplements();
  const [shown, exact] = [await gridRelease('analyst'), await gridRelease('admin')];
  // The case is there: a small grid withheld, beside grids of 72.
  expect([shown.cells.eventsReported.get(`${small}@2025`), exact.cells.eventsReported.get(`${small}@2025`)]).toEqual([null, 2]);
  expect(exact.cells.eventsReported.get(`${township}@2025`)).toBe(146);
  expect(shown.grids).toBe(t.city.grids.length);
  // And the small difference: 70 disputes of 72 events, the events released, the disputes withheld (else the 2 others follow).
  expect([exact.cells.eventsReported.get(`${mixed}@2025`), exact.cells.disputes.get(`${mixed}@2025`)]).toEqual([72, 70]);
  expect([shown.cells.eventsReported.get(`${mixed}@2025`), shown.cells.disputes.get(`${mixed}@2025`)]).toEqual([72, null]);
  for (const m of GRID_MEASURES) for (const [id, v] of shown.cells[m]) if (v !== null) expect({ m, id, v }).toEqual({ m, id, v: exact.cells[m].get(id) });
  // Disputes and hazards are events of different kinds: events = disputes + the rest, = hazards + the rest, = disputes + hazards + the rest.
  const intervals = await jointIntervals(
    new Map(Object.entries(shown.cells)),
    new Map(Object.entries(exact.cells)) as Map<string, Map<string, number>>,
    new Map(GRID_MEASURES.map((m) => [m, shown.lines])),
    [
      { total: 'eventsReported', parts: ['disputes'] },
      { total: 'eventsReported', parts: ['hazards'] },
      { total: 'eventsReported', parts: ['disputes', 'hazards'] },
    ],
  );
  expectProtected(intervals);
  const withheld = intervals.filter((x) => !x.id.includes('−')).length;
  const withheldGrids = intervals.filter((x) => /^\w+:\d{12}@/.test(x.id)).length;
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
