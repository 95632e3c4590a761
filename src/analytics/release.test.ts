import { releasedFigure } from './loaders';
import {
  DEFAULT_GRANULARITY,
  decideRelease,
  differencesOf,
  feasibleIntervals,
  hierarchyTable,
  monthRange,
  releaseCell,
  releasedAt,
  withheldCells,
  type MonthRow,
} from './release';
import { derivableCells, suppressCells } from './suppression';
import { lineBoundedIntervals, witnessedIntervals } from './witness';

/** A city of `counties` × `townships` with Poisson-like monthly counts around `mean` (seeded, so reproducible). */
function city(counties: number, townships: number, months: readonly string[], mean: number): Array<MonthRow<'n'>> {
  let seed = 42;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const rows: Array<MonthRow<'n'>> = [];
  for (let c = 1; c <= counties; c++) {
    const county = `2114${String(c).padStart(2, '0')}`;
    for (const month of months) {
      let total = 0;
      for (let t = 1; t <= townships; t++) {
        const n = Math.floor(random() * 2 * mean);
        total += n;
        rows.push({ county, township: `${county}${String(t).padStart(3, '0')}`, month, counts: { n } });
      }
      rows.push({ county, township: null, month, counts: { n: total } });
    }
  }
  return rows;
}

const RULES = { threshold: 5, protection: 3 };
const MONTHS = monthRange('2025-01', '2026-11');

describe('a release over the hierarchy', () => {
  const rows = city(3, 3, MONTHS, 5);
  const table = hierarchyTable(rows, { name: 'n', overTime: true }, MONTHS);

  it('has the city, counties and townships, per month and per complete year, whose lines add up', () => {
    expect(table.values.get(releaseCell('211400', '2025'))).toBe(
      rows.filter((r) => r.township === null && r.month.startsWith('2025')).reduce((s, r) => s + r.counts.n, 0),
    );
    expect(table.values.has(releaseCell('211401', '2026'))).toBe(false);
    for (const line of table.lines) expect(line.parts.reduce((s, p) => s + table.values.get(p)!, 0)).toBe(table.values.get(line.total));
  });

  it('withholds every small count, derives none, and leaves every withheld cell an interval at least the protection range wide', async () => {
    const hidden = await withheldCells(table, RULES);
    for (const [id, n] of table.values) if (n > 0 && n < RULES.threshold) expect(hidden.has(id)).toBe(true);
    expect(derivableCells(table.lines, hidden)).toEqual([]);
    const published = new Map([...table.values].filter(([id]) => !hidden.has(id)));
    const intervals = await feasibleIntervals(table.lines, published, hidden);
    expect(intervals.size).toBe(hidden.size);
    for (const [id, [lo, hi]] of intervals) {
      expect(hi - lo).toBeGreaterThanOrEqual(RULES.protection);
      expect(table.values.get(id)).toBeGreaterThanOrEqual(lo - 1e-6);
      expect(table.values.get(id)).toBeLessThanOrEqual(hi + 1e-6);
    }
  });

  it('a lone small cell in a line is pinned by the LP unless complemented', async () => {
    const lines = [{ total: 'T', parts: ['a', 'b', 'c'] }];
    expect(
      (
        await feasibleIntervals(
          lines,
          new Map([
            ['T', 20],
            ['b', 10],
            ['c', 8],
          ]),
          new Set(['a']),
        )
      ).get('a'),
    ).toEqual([2, 2]);
    const [lo, hi] = (
      await feasibleIntervals(
        lines,
        new Map([
          ['T', 20],
          ['b', 10],
        ]),
        new Set(['a', 'c']),
      )
    ).get('a')!;
    expect([lo, hi]).toEqual([1, 9]);
  });

  it('releases every cell once, withheld ones as null, none of the unattributed parts', async () => {
    const cells = await decideRelease(rows, [{ name: 'n', overTime: true }], MONTHS, RULES);
    expect(cells.length).toBe(table.values.size);
    expect(cells.some((c) => c.value === null)).toBe(true);
    expect(cells.some((c) => c.code.includes('~'))).toBe(false);
  });
});

describe('the cheap bounds the audit tries before the LP', () => {
  const rows = city(3, 3, MONTHS, 3);
  const table = hierarchyTable(rows, { name: 'n', overTime: true }, MONTHS);
  const hidden = suppressCells(table, RULES.threshold);

  it('witnesses never claim more than the LP finds, single lines never less (so both give the verdicts of the LP audit)', async () => {
    const published = new Map([...table.values].filter(([id]) => !hidden.has(id)));
    const exact = await feasibleIntervals(table.lines, published, hidden);
    const inner = witnessedIntervals(table, hidden, Infinity);
    const outer = lineBoundedIntervals(table, hidden);
    let witnessed = 0;
    for (const [id, [lo, hi]] of exact) {
      const [wlo, whi] = inner.get(id)!;
      const [blo, bhi] = outer.get(id)!;
      expect({ id, inside: lo <= wlo + 1e-6 && whi <= hi + 1e-6, around: blo <= lo + 1e-6 && hi <= bhi + 1e-6 }).toEqual({ id, inside: true, around: true });
      if (whi - wlo > 0) witnessed++;
    }
    // The witnesses find room for most cells of a table this dense.
    expect(witnessed).toBeGreaterThan(hidden.size / 2);
  });

  it('a rectangle of withheld cells (two townships × two months of a year) is a witness', () => {
    const cells = new Map([
      ['C@2025-01', 10],
      ['a@2025-01', 2],
      ['b@2025-01', 8],
      ['C@2025-02', 10],
      ['a@2025-02', 6],
      ['b@2025-02', 4],
      ['C@2025', 20],
      ['a@2025', 8],
      ['b@2025', 12],
    ]);
    const lines = [
      { total: 'C@2025-01', parts: ['a@2025-01', 'b@2025-01'] },
      { total: 'C@2025-02', parts: ['a@2025-02', 'b@2025-02'] },
      { total: 'C@2025', parts: ['a@2025', 'b@2025'] },
      { total: 'a@2025', parts: ['a@2025-01', 'a@2025-02'] },
      { total: 'b@2025', parts: ['b@2025-01', 'b@2025-02'] },
      { total: 'C@2025', parts: ['C@2025-01', 'C@2025-02'] },
    ];
    const rectangle = new Set(['a@2025-01', 'b@2025-01', 'a@2025-02', 'b@2025-02']);
    // a@2025-01 (2) rises while b@2025-01 (8) and a@2025-02 (6) fall to 1: by 5; it falls by 1.
    expect(witnessedIntervals({ values: cells, lines }, rectangle, Infinity).get('a@2025-01')).toEqual([1, 7]);
    expect(lineBoundedIntervals({ values: cells, lines }, rectangle).get('a@2025-01')).toEqual([1, 7]);
  });
});

describe('the order of measures (on time ≤ closed ≤ cases), which the attacker knows', () => {
  // One line: closed mediations of a county = its three townships'. The town with 8 closed closed all 8 on time, and on-time counts of 8 are published.
  const closed = {
    values: new Map([
      ['T', 20],
      ['a', 2],
      ['b', 10],
      ['c', 8],
    ]),
    lines: [{ total: 'T', parts: ['a', 'b', 'c'] }],
  };
  const onTimeBound = new Map<string, [number, number]>([['c', [8, Infinity]]]);

  it('narrows a withheld cell the lines alone leave wide, so the release withholds more until it is wide again', async () => {
    const alone = await withheldCells(closed, RULES);
    expect([...alone].sort()).toEqual(['a', 'c']);
    const published = new Map([...closed.values].filter(([id]) => !alone.has(id)));
    expect((await feasibleIntervals(closed.lines, published, alone)).get('a')).toEqual([1, 9]);
    // c ≥ 8 leaves a at most 2: the on-time count gives the small cell away.
    expect((await feasibleIntervals(closed.lines, published, alone, undefined, onTimeBound)).get('a')).toEqual([1, 2]);
    // The cheap bounds agree: no witness claims more, the single line sees it narrow.
    expect(lineBoundedIntervals({ ...closed, bounds: onTimeBound }, alone).get('a')).toEqual([1, 2]);
    expect(witnessedIntervals({ ...closed, bounds: onTimeBound }, alone, Infinity).get('a')).toEqual([2, 2]);

    const ordered = await withheldCells({ ...closed, bounds: onTimeBound }, RULES);
    expect(ordered.size).toBeGreaterThan(alone.size);
    const stillPublished = new Map([...closed.values].filter(([id]) => !ordered.has(id)));
    for (const [, [lo, hi]] of await feasibleIntervals(closed.lines, stillPublished, ordered, undefined, onTimeBound))
      expect(hi - lo).toBeGreaterThanOrEqual(RULES.protection);
  });

  it('a release of ordered measures protects every withheld cell against the bounds its published neighbours give', async () => {
    const base = city(3, 3, MONTHS, 6);
    // Most closures are on time: the on-time count is the closed count less a few.
    const rows: Array<MonthRow<'closed' | 'onTime'>> = base.map((r) => ({
      ...r,
      counts: { closed: r.counts.n, onTime: Math.max(0, r.counts.n - (r.counts.n % 3)) },
    }));
    // County rows add up their townships' on-time counts too.
    for (const r of rows.filter((x) => x.township === null))
      r.counts.onTime = rows.filter((x) => x.township?.startsWith(r.county) && x.month === r.month).reduce((s, x) => s + x.counts.onTime, 0);
    const measures = [
      { name: 'closed' as const, overTime: true },
      { name: 'onTime' as const, overTime: true, atMost: 'closed' as const },
    ];
    const cells = await decideRelease(rows, measures, MONTHS, RULES);
    const value = new Map(cells.map((c) => [`${c.measure}:${releaseCell(c.code, c.period)}`, c.value]));
    for (const measure of measures) {
      const table = hierarchyTable(rows, measure, MONTHS);
      const hidden = new Set([...table.values.keys()].filter((id) => value.get(`${measure.name}:${id}`) === null));
      const bounds = new Map<string, [number, number]>();
      for (const id of hidden) {
        const lo = measure.name === 'closed' ? (value.get(`onTime:${id}`) ?? 1) : 1;
        const hi = measure.name === 'onTime' ? (value.get(`closed:${id}`) ?? Infinity) : Infinity;
        bounds.set(id, [Math.max(1, lo), hi]);
      }
      const published = new Map([...table.values].filter(([id]) => !hidden.has(id)));
      for (const [id, [lo, hi]] of await feasibleIntervals(table.lines, published, hidden, undefined, bounds))
        expect({ id, wide: hi - lo >= RULES.protection - 1e-6 }).toEqual({ id, wide: true });
    }
  });
});

describe("a measure's granularity: the levels and periods it is released at", () => {
  /** The rows of `city` with grids below each township: a township's count spread over two grids, one event a month kept without a grid. */
  function withGrids(rows: ReadonlyArray<MonthRow<'n'>>): Array<MonthRow<'n'>> {
    const out: Array<MonthRow<'n'>> = [...rows];
    for (const r of rows.filter((x) => x.township !== null && x.counts.n > 1)) {
      const left = Math.floor((r.counts.n - 1) / 2);
      out.push({ ...r, grid: `${r.township!}001`, counts: { n: left } }, { ...r, grid: `${r.township!}002`, counts: { n: r.counts.n - 1 - left } });
    }
    return out;
  }
  const rows = withGrids(city(3, 3, MONTHS, 5));

  it('county and city years only: those cells, and city = Σ counties among them', () => {
    const table = hierarchyTable(rows, { name: 'n', overTime: true, granularity: { city: ['year'], county: ['year'] } }, MONTHS);
    expect([...table.values.keys()].sort()).toEqual(['211400@2025', '211401@2025', '211402@2025', '211403@2025']);
    expect(table.lines).toEqual([{ total: '211400@2025', parts: ['211401@2025', '211402@2025', '211403@2025'] }]);
    expect(releasedAt({ name: 'n', overTime: true, granularity: { county: ['year'] } }, '211401001', '2025')).toBe(false);
    expect(releasedAt({ name: 'n', overTime: true, granularity: { county: ['year'] } }, '211401', '2025-03')).toBe(false);
    // A distinct count has no year cell whatever its granularity says.
    expect(releasedAt({ name: 'n', overTime: false }, '211401', '2025')).toBe(false);
  });

  it('grid years below the townships: township = Σ its grids + its events without a grid, and no grid month', () => {
    const table = hierarchyTable(rows, { name: 'n', overTime: true, granularity: { ...DEFAULT_GRANULARITY, grid: ['year'] } }, MONTHS);
    const ids = [...table.values.keys()];
    expect(ids.some((id) => /^\d{12}@\d{4}-\d{2}$/.test(id))).toBe(false);
    expect(ids.filter((id) => /^\d{12}@2025$/.test(id)).length).toBe(18);
    const line = table.lines.find((l) => l.total === '211401001@2025' && l.parts.includes('211401001001@2025'))!;
    expect(line.parts).toEqual(['211401001001@2025', '211401001002@2025', '211401001~@2025']);
    for (const l of table.lines) expect(l.parts.reduce((s, p) => s + table.values.get(p)!, 0)).toBe(table.values.get(l.total));
    // Without the grid level, the same rows give the table of before.
    expect(hierarchyTable(rows, { name: 'n', overTime: true }, MONTHS)).toEqual(hierarchyTable(city(3, 3, MONTHS, 5), { name: 'n', overTime: true }, MONTHS));
  });

  it('decides the grid cells with the rest: every withheld cell, grids included, keeps an interval at least the protection range wide', async () => {
    const measure = { name: 'n' as const, overTime: true, granularity: { ...DEFAULT_GRANULARITY, grid: ['year'] as const } };
    const table = hierarchyTable(rows, measure, MONTHS);
    const cells = await decideRelease(rows, [measure], MONTHS, RULES);
    expect(cells.length).toBe([...table.values.keys()].filter((id) => !id.includes('~')).length);
    const hidden = new Set([...table.values.keys()].filter((id) => cells.find((c) => releaseCell(c.code, c.period) === id)?.value === null));
    expect([...hidden].filter((id) => id.length === '211401001001@2025'.length).length).toBeGreaterThan(0);
    const published = new Map([...table.values].filter(([id]) => !hidden.has(id)));
    for (const [id, [lo, hi]] of await feasibleIntervals(table.lines, published, hidden))
      expect({ id, wide: hi - lo >= RULES.protection - 1e-6 }).toEqual({ id, wide: true });
  });

  it("answers a range from the release's cells only: withheld (null) for a period or level the measure is not released at, a zero where a released cell is absent", () => {
    const measure = { name: 'n' as const, overTime: true, granularity: { city: ['year'], county: ['month', 'year'] } as const };
    const release = {
      cells: new Map<string, number | null>([
        ['n:211401@2025', 40],
        ['n:211401@2025-03', 7],
        ['n:211402@2025', null],
      ]),
      months: MONTHS,
    };
    expect(releasedFigure(release, measure, '211401', ['2025'])).toBe(40);
    expect(releasedFigure(release, measure, '211401', ['2025', '2026-01'])).toBe(40);
    expect(releasedFigure(release, measure, '211402', ['2025'])).toBeNull();
    expect(releasedFigure(release, measure, '211401001', ['2025'])).toBeNull();
    expect(releasedFigure(release, measure, '211400', ['2025-03'])).toBeNull();
    expect(releasedFigure({ ...release }, { name: 'n', overTime: false }, '211401', ['2025-03', '2025-04'])).toBeNull();
  });
});

describe('differences of measures: a count published by subtraction', () => {
  it('every atMost pair is a difference, and measures of different kinds besides one another are one more', () => {
    const measures = [
      { name: 'events' as const, overTime: true },
      { name: 'disputes' as const, overTime: true, atMost: 'events' as const },
      { name: 'hazards' as const, overTime: true, atMost: 'events' as const, besides: ['disputes' as const] },
    ];
    expect(differencesOf(measures)).toEqual([
      { total: 'events', parts: ['disputes'] },
      { total: 'events', parts: ['hazards'] },
      { total: 'events', parts: ['disputes', 'hazards'] },
    ]);
  });

  it('no cell publishes both measures of a pair whose difference is small (0 < d < k)', async () => {
    // Most mediations succeed: the failed ones (closed − succeeded) are 0–2 a cell, often small.
    const rows: Array<MonthRow<'closed' | 'succeeded'>> = city(3, 3, MONTHS, 8).map((r) => ({
      ...r,
      counts: { closed: r.counts.n, succeeded: r.counts.n - (r.counts.n % 3) },
    }));
    for (const r of rows.filter((x) => x.township === null))
      r.counts.succeeded = rows.filter((x) => x.township?.startsWith(r.county) && x.month === r.month).reduce((s, x) => s + x.counts.succeeded, 0);
    const measures = [
      { name: 'closed' as const, overTime: true },
      { name: 'succeeded' as const, overTime: true, atMost: 'closed' as const },
    ];
    const value = (cells: ReadonlyArray<{ measure: string; code: string; period: string; value: number | null }>) =>
      new Map(cells.map((c) => [`${c.measure}:${releaseCell(c.code, c.period)}`, c.value]));
    const released = value(await decideRelease(rows, measures, MONTHS, RULES));
    const exact = new Map(measures.map((m) => [m.name, hierarchyTable(rows, m, MONTHS).values]));
    let small = 0;
    for (const [id, closed] of exact.get('closed')!) {
      if (id.includes('~')) continue;
      const d = closed - exact.get('succeeded')!.get(id)!;
      if (d <= 0 || d >= RULES.threshold) continue;
      small++;
      expect({ id, published: released.get(`closed:${id}`) !== null && released.get(`succeeded:${id}`) !== null }).toEqual({ id, published: false });
    }
    expect(small).toBeGreaterThan(10);
  });
});
