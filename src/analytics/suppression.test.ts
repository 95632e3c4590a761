import fc from 'fast-check';
import { divisionTable, publishFigures, suppressCells, type Cell, type CountRow, type Line, type Table } from './suppression';

const K = 5;

/** Rank of an integer matrix, by fraction-free elimination over BigInt (independent of the float elimination under test). */
function rank(matrix: number[][]): number {
  const rows = matrix.map((r) => r.map((x) => BigInt(x)));
  const width = rows[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < width && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p], rows[r]];
    for (let i = r + 1; i < rows.length; i++) {
      if (rows[i][c] === 0n) continue;
      const f = rows[i][c];
      const g = rows[r][c];
      rows[i] = rows[i].map((x, j) => x * g - rows[r][j] * f);
    }
    r++;
  }
  return r;
}

/** Whether the published cells and the lines determine a hidden cell exactly: e_cell lies in the row space. */
function derivable(lines: readonly Line[], hidden: ReadonlySet<string>, cell: string): boolean {
  const unknowns = [...hidden];
  const rows = lines.map((l) => unknowns.map((u) => (l.parts.includes(u) ? 1 : 0) - (l.total === u ? 1 : 0))).filter((row) => row.some((x) => x !== 0));
  if (rows.length === 0) return false;
  const unit = unknowns.map((u) => (u === cell ? 1 : 0));
  return rank(rows) === rank([...rows, unit]);
}

/** A county table whose lines add up: up to 6 townships × 6 months of counts, with their sums over months and townships. */
const countyTable = fc
  .record({
    townships: fc.integer({ min: 0, max: 6 }),
    months: fc.integer({ min: 0, max: 6 }),
    overTime: fc.boolean(),
    seed: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 30 })), { minLength: 49, maxLength: 49 }),
  })
  .map(({ townships, months, overTime, seed }) => {
    const codes = Array.from({ length: townships }, (_, i) => `211402${String(i + 1).padStart(3, '0')}`);
    const slices = Array.from({ length: months }, (_, i) => `2025-0${i + 1}`);
    const leaf = (t: number, m: number) => seed[t * 7 + m];
    const cells: Cell[] = [];
    // Without townships the county is the leaf; without months the range is.
    const rowsOf = codes.length ? codes : ['211402'];
    const monthsOf = slices.length ? slices : [null];
    const grid = rowsOf.map((_, t) => monthsOf.map((_, m) => leaf(t, m)));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    if (codes.length) {
      codes.forEach((code, t) => {
        if (slices.length) slices.forEach((month, m) => cells.push({ code, month, value: grid[t][m] }));
        cells.push({ code, month: null, value: sum(grid[t]) });
      });
    }
    if (slices.length) slices.forEach((month, m) => cells.push({ code: '211402', month, value: sum(grid.map((r) => r[m])) }));
    cells.push({ code: '211402', month: null, value: sum(grid.map(sum)) });
    return { cells, overTime };
  });

describe('suppressCells on a county table', () => {
  const run = ({ cells, overTime }: { cells: Cell[]; overTime: boolean }) => {
    const table = divisionTable(cells, overTime);
    return { table, hidden: suppressCells(table, K) };
  };

  it('suppresses every count from 1 to k-1, and never a zero', () => {
    fc.assert(
      fc.property(countyTable, (input) => {
        const { table, hidden } = run(input);
        for (const [id, n] of table.values) {
          if (n > 0 && n < K) expect(hidden.has(id)).toBe(true);
          if (n === 0) expect(hidden.has(id)).toBe(false);
        }
      }),
    );
  });

  it('leaves no line with a published total and a lone, small or all-ones group of suppressed parts', () => {
    fc.assert(
      fc.property(countyTable, (input) => {
        const { table, hidden } = run(input);
        for (const line of table.lines) {
          const parts = line.parts.filter((p) => hidden.has(p));
          const sum = parts.reduce((s, p) => s + table.values.get(p)!, 0);
          if (hidden.has(line.total)) {
            if (line.parts.some((p) => table.values.get(p)! > 0)) expect(parts.length).toBeGreaterThan(0);
          } else if (parts.length > 0) {
            expect(parts.length).toBeGreaterThanOrEqual(2);
            expect(sum).toBeGreaterThanOrEqual(K);
            expect(sum).toBeGreaterThan(parts.length);
          }
        }
      }),
    );
  });

  it('leaves no suppressed cell derivable from the published ones by adding and subtracting along the lines', () => {
    fc.assert(
      fc.property(countyTable, (input) => {
        const { table, hidden } = run(input);
        for (const cell of hidden) expect({ cell, derivable: derivable(table.lines, hidden, cell) }).toEqual({ cell, derivable: false });
      }),
      { numRuns: 500 },
    );
  });

  it('depends on the values only, not on the order cells come in', () => {
    fc.assert(
      fc.property(countyTable, fc.integer(), (input, salt) => {
        // Fisher–Yates driven by the salt.
        const shuffled = [...input.cells];
        let x = salt >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          const j = x % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        expect([...run({ ...input, cells: shuffled }).hidden].sort()).toEqual([...run(input).hidden].sort());
      }),
    );
  });

  const townships = (...values: number[]): Table =>
    divisionTable(
      [
        { code: '211402', month: null, value: values.reduce((a, b) => a + b, 0) },
        ...values.map((value, i) => ({ code: `21140200${i + 1}`, month: null, value })),
      ],
      true,
    );

  it('hides a township of 3 and the smallest other township, so the county total does not give it away', () => {
    expect([...suppressCells(townships(3, 10, 40), K)].sort()).toEqual(['211402001', '211402002']);
  });

  it('needs no complement when two small townships already hide at least k together', () => {
    expect([...suppressCells(townships(3, 4, 20), K)].sort()).toEqual(['211402001', '211402002']);
  });

  it('does not stop at a group of ones whose sum equals their number', () => {
    const hidden = suppressCells(townships(1, 1, 1, 1, 1, 30, 40), K);
    expect([...hidden].sort()).toEqual(['211402001', '211402002', '211402003', '211402004', '211402005', '211402006']);
  });

  it('hides a total whose only positive part had to be hidden', () => {
    // Township A had 3 cases in January, B 20: B's January complements A's in the county's January,
    // and B's range, all of it January, would give it away: the range total goes too.
    const cell = (code: string, month: string | null, value: number): Cell => ({ code, month, value });
    const table = divisionTable(
      [
        cell('211402', null, 23),
        cell('211402', '2025-01', 23),
        cell('211402', '2025-02', 0),
        cell('211402001', null, 3),
        cell('211402001', '2025-01', 3),
        cell('211402001', '2025-02', 0),
        cell('211402002', null, 20),
        cell('211402002', '2025-01', 20),
        cell('211402002', '2025-02', 0),
      ],
      true,
    );
    expect([...suppressCells(table, K)].sort()).toEqual(['211402001', '211402001@2025-01', '211402002', '211402002@2025-01']);
  });

  it('hides forced cells too (a stage withheld upstream), with their complements, but never a forced zero', () => {
    const hidden = suppressCells(townships(10, 20, 30, 0), K, ['211402002', '211402004']);
    expect([...hidden].sort()).toEqual(['211402001', '211402002']);
  });

  it('suppresses nothing with a threshold of 1', () => {
    expect(suppressCells(townships(1, 2, 3), 1).size).toBe(0);
  });
});

describe('publishFigures', () => {
  const rows: Array<CountRow<'cases' | 'people'>> = [
    { county: '211402', township: null, month: null, counts: { cases: 13, people: 2 } },
    { county: '211402', township: '211402001', month: null, counts: { cases: 3, people: 1 } },
    { county: '211402', township: '211402002', month: null, counts: { cases: 10, people: 1 } },
    { county: '211403', township: null, month: null, counts: { cases: 7, people: 7 } },
  ];
  const measures = [
    { name: 'cases', overTime: true },
    { name: 'people', overTime: false },
  ] as const;

  it('gives exact counts without a threshold, and 0 for a division without any', () => {
    const [a, b] = publishFigures(
      rows,
      measures,
      [
        { code: '211402001', month: null },
        { code: '211404', month: null },
      ],
      null,
    );
    expect(a).toEqual({ values: { cases: 3, people: 1 }, suppressed: [] });
    expect(b).toEqual({ values: { cases: 0, people: 0 }, suppressed: [] });
  });

  it('nulls and names suppressed counts, deciding on the whole county whatever was asked', () => {
    const asked = publishFigures(rows, measures, [{ code: '211402002', month: null }], K);
    expect(asked).toEqual([{ values: { cases: null, people: null }, suppressed: ['cases', 'people'] }]);
    const all = publishFigures(
      rows,
      measures,
      [
        { code: '211402', month: null },
        { code: '211402001', month: null },
        { code: '211403', month: null },
      ],
      K,
    );
    expect(all).toEqual([
      { values: { cases: 13, people: null }, suppressed: ['people'] },
      { values: { cases: null, people: null }, suppressed: ['cases', 'people'] },
      { values: { cases: 7, people: 7 }, suppressed: [] },
    ]);
  });

  it('publishes every count it does not suppress exactly as counted', () => {
    fc.assert(
      fc.property(countyTable, ({ cells, overTime }) => {
        const asRows: Array<CountRow<'n'>> = cells.map((c) => ({
          county: '211402',
          township: c.code.length > 6 ? c.code : null,
          month: c.month,
          counts: { n: c.value },
        }));
        const figures = publishFigures(asRows, [{ name: 'n', overTime }], cells, K);
        figures.forEach((f, i) => {
          if (f.suppressed.length) expect(f.values.n).toBeNull();
          else expect(f.values.n).toBe(cells[i].value);
        });
      }),
    );
  });
});
