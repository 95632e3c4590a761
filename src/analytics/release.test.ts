import { decideRelease, feasibleIntervals, hierarchyTable, monthRange, releaseCell, withheldCells, type MonthRow } from './release';
import { derivableCells } from './suppression';

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
