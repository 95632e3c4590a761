/**
 * Small-cell suppression (小数抑制) of published statistics, so that a count cannot single out a
 * person. Pure logic, used by every department through `src/analytics/loaders.ts`; who gets suppressed
 * figures is the policy's (`statistics.suppressFor`).
 *
 * The rule, for a viewer whose agency the policy lists under `statistics.suppressFor`, with the
 * threshold k = `statistics.suppressionThreshold`:
 *
 * 1. Primary: a count n with 0 < n < k is suppressed. Zero is published: it singles out nobody,
 *    and hiding zeros would blank most of a monthly series.
 * 2. Complementary: a statistic is published as a table per county — the county and its townships,
 *    each for the whole range and for every month of it — whose lines add up (county = Σ townships,
 *    range = Σ months). In every line with a published total, the suppressed parts are either none
 *    or at least two whose sum is at least k and more than their number (so they cannot all be 1);
 *    more parts are suppressed, smallest first, until that holds, and when no positive part is left
 *    the total is suppressed instead. A line with a suppressed total has at least one suppressed part.
 * 3. Audit: no suppressed cell may be derivable exactly by adding and subtracting the published
 *    cells along the lines (checked by elimination); if one is, one more cell is suppressed and the
 *    rule runs again.
 *
 * Suppressed cells are therefore always positive, and the outcome depends only on the table's
 * values, never on which cells a query asked for, so separate queries suppress the same cells.
 *
 * A stage of a funnel counts a subset of the stage before (cases prosecuted among those received):
 * its cells are also suppressed where the stage before was (`forced`, positive cells only), since a
 * published subset would bound the withheld count it belongs to.
 */

/** `total` is the sum of `parts`. */
export interface Line {
  total: string;
  parts: readonly string[];
}

/** Cells by id with their counts, and the lines that relate them. */
export interface Table {
  values: ReadonlyMap<string, number>;
  lines: readonly Line[];
  /**
   * What an attacker knows of single cells besides the lines, as [lowest, highest]: the order of
   * measures (on-time closures ≤ closures ≤ cases) bounds a withheld cell by the published cells of
   * the same division and period in the measures around it.
   */
  bounds?: ReadonlyMap<string, readonly [number, number]>;
  /**
   * The lowest value a withheld cell can have: 1 for a count (the default; zeros are published, so a
   * withheld count is positive), 0 for a difference of two measures (never published itself).
   */
  floor?: number;
}

/** The lowest and highest value the attacker allows a withheld cell: at least the table's floor, within the known bounds. */
export function cellRange(table: Table, id: string): [number, number] {
  const floor = table.floor ?? 1;
  const [lo, hi] = table.bounds?.get(id) ?? [floor, Infinity];
  return [Math.max(floor, lo), hi];
}

/** The ids of the cells to suppress: the small ones, the `forced` ones, and their complements. */
export function suppressCells(table: Table, threshold: number, forced: Iterable<string> = []): Set<string> {
  const value = (id: string) => table.values.get(id) ?? 0;
  const hidden = new Set<string>();
  for (const [id, n] of [...table.values].sort(([a], [b]) => compare(a, b))) if (n > 0 && n < threshold) hidden.add(id);
  for (const id of forced) if (value(id) > 0) hidden.add(id);
  // Nothing small: nothing to protect either.
  if (hidden.size === 0) return hidden;

  /** The smallest positive published cell among `ids`, ties broken by id. */
  const smallestPublished = (ids: readonly string[]): string | undefined =>
    ids.filter((id) => !hidden.has(id) && value(id) > 0).sort((a, b) => value(a) - value(b) || compare(a, b))[0];

  const protect = (line: Line): boolean => {
    const parts = line.parts.filter((p) => hidden.has(p));
    if (hidden.has(line.total)) {
      if (parts.length > 0) return false;
      const next = smallestPublished(line.parts);
      if (next !== undefined) hidden.add(next);
      return next !== undefined;
    }
    if (parts.length === 0) return false;
    let sum = parts.reduce((s, p) => s + value(p), 0);
    let count = parts.length;
    let changed = false;
    while (count < 2 || sum < threshold || sum <= count) {
      const next = smallestPublished(line.parts);
      if (next === undefined) {
        hidden.add(line.total);
        return true;
      }
      hidden.add(next);
      sum += value(next);
      count++;
      changed = true;
    }
    return changed;
  };

  for (;;) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const line of table.lines) if (protect(line)) changed = true;
    }
    const exposed = derivableCells(table.lines, hidden)[0];
    if (exposed === undefined) return hidden;
    // Hide one more published cell next to the exposed one (else anywhere): its lines get another unknown.
    const near = table.lines.filter((l) => l.total === exposed || l.parts.includes(exposed)).flatMap((l) => [...l.parts, l.total]);
    const next = smallestPublished(near) ?? smallestPublished([...table.values.keys()]);
    // Cannot happen for a table whose lines add up (an all-hidden table determines nothing); stop rather than loop.
    if (next === undefined) return hidden;
    hidden.add(next);
  }
}

/**
 * Hidden cells whose value follows exactly from the published ones: the unit vector of the cell
 * lies in the row space of the lines restricted to hidden cells (reduced row echelon form: a pivot
 * row with no other non-zero entry).
 */
export function derivableCells(lines: readonly Line[], hidden: ReadonlySet<string>): string[] {
  // Lines link hidden cells into independent groups: eliminate each on its own (cubic in the group, not in all the table's hidden cells).
  const groups = hiddenGroups(lines, hidden);
  if (groups.length > 1) return groups.flatMap((g) => derivableCells(g.lines, new Set(g.cells))).sort(compare);
  const unknowns = [...hidden].sort(compare);
  const column = new Map(unknowns.map((id, i) => [id, i]));
  const rows: number[][] = [];
  for (const line of lines) {
    const row = new Array<number>(unknowns.length).fill(0);
    let any = false;
    for (const p of line.parts) {
      const j = column.get(p);
      if (j !== undefined) {
        row[j] += 1;
        any = true;
      }
    }
    const t = column.get(line.total);
    if (t !== undefined) {
      row[t] -= 1;
      any = true;
    }
    if (any) rows.push(row);
  }
  const EPS = 1e-9;
  let r = 0;
  const pivots: Array<[number, number]> = [];
  for (let c = 0; c < unknowns.length && r < rows.length; c++) {
    let best = r;
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i][c]) > Math.abs(rows[best][c])) best = i;
    if (Math.abs(rows[best][c]) < EPS) continue;
    [rows[r], rows[best]] = [rows[best], rows[r]];
    const pivot = rows[r][c];
    for (let j = c; j < unknowns.length; j++) rows[r][j] /= pivot;
    for (let i = 0; i < rows.length; i++) {
      if (i === r || Math.abs(rows[i][c]) < EPS) continue;
      const f = rows[i][c];
      for (let j = c; j < unknowns.length; j++) rows[i][j] -= f * rows[r][j];
    }
    pivots.push([r, c]);
    r++;
  }
  return pivots.filter(([row, c]) => rows[row].every((x, j) => j === c || Math.abs(x) < EPS)).map(([, c]) => unknowns[c]);
}

/** Hidden cells grouped by the lines that link them (union-find), with those lines. */
export function hiddenGroups(lines: readonly Line[], hidden: ReadonlySet<string>): Array<{ cells: string[]; lines: Line[] }> {
  const parent = new Map([...hidden].map((id) => [id, id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  const touching = lines.map((l) => [l.total, ...l.parts].filter((id) => hidden.has(id)));
  for (const ids of touching) for (const id of ids.slice(1)) parent.set(find(id), find(ids[0]));
  const groups = new Map<string, { cells: string[]; lines: Line[] }>();
  for (const id of [...hidden].sort(compare)) {
    const g = groups.get(find(id)) ?? { cells: [], lines: [] };
    g.cells.push(id);
    groups.set(find(id), g);
  }
  lines.forEach((l, i) => {
    if (touching[i].length) groups.get(find(touching[i][0]))!.lines.push(l);
  });
  return [...groups.values()];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- Division × month tables -------------------------------------------------------------------

/** A cell's id: the division code, and `@YYYY-MM` for a month. */
export function cellId(code: string, month: string | null): string {
  return month ? `${code}@${month}` : code;
}

export interface Cell {
  /** The county (6 digits) or one of its townships (9 digits). */
  code: string;
  /** `YYYY-MM`, or null for the whole range. */
  month: string | null;
  value: number;
}

/**
 * One county's table of one statistic: the county and its townships, for the whole range and per
 * month. Lines: in every slice (the range, each month) the county is the sum of its townships; for
 * a count that adds up over time (`overTime`; not a number of distinct people, nor a stock like
 * people under correction), every division's range is the sum of its months.
 */
export function divisionTable(cells: readonly Cell[], overTime: boolean): Table {
  const values = new Map<string, number>();
  for (const c of cells) values.set(cellId(c.code, c.month), c.value);
  const counties = [...new Set(cells.map((c) => c.code.slice(0, 6)))];
  if (counties.length > 1) throw new Error(`one county per table, got ${counties.join(', ')}`);
  const county = counties[0];
  const townships = [...new Set(cells.filter((c) => c.code.length > 6).map((c) => c.code))].sort(compare);
  const months = [...new Set(cells.map((c) => c.month).filter((m): m is string => m !== null))].sort(compare);
  const present = (ids: string[]) => ids.filter((id) => values.has(id));
  const lines: Line[] = [];
  for (const slice of [null, ...months]) {
    const parts = present(townships.map((t) => cellId(t, slice)));
    if (parts.length) lines.push({ total: cellId(county, slice), parts });
  }
  if (overTime) {
    for (const code of [county, ...townships]) {
      const parts = present(months.map((m) => cellId(code, m)));
      if (parts.length) lines.push({ total: code, parts });
    }
  }
  return { values, lines };
}

// ---- Publishing a statistic's figures ------------------------------------------------------------

/** Aggregated counts of one county or township, for the whole range (month null) or one month. */
export interface CountRow<M extends string> {
  county: string;
  /** Null on the county's own row. */
  township: string | null;
  month: string | null;
  counts: Record<M, number>;
}

export interface Measure<M extends string> {
  name: M;
  /** The count adds up over months (events); false for distinct people or a stock. */
  overTime: boolean;
}

/** What a viewer gets for one cell: each count, null when suppressed, and the names of those. */
export interface Figures<M extends string> {
  values: Record<M, number | null>;
  suppressed: M[];
}

/**
 * The figures of the requested cells (a division code, and a month or null), from the counts of
 * every county they belong to. With a threshold, cells are suppressed by the rule above, decided
 * on each county's whole table, `forced` ones included; without one (agencies that see exact
 * counts), nothing is.
 */
export function publishFigures<M extends string>(
  rows: readonly CountRow<M>[],
  measures: readonly Measure<M>[],
  requested: ReadonlyArray<{ code: string; month: string | null }>,
  threshold: number | null,
  forced: ReadonlySet<string> = new Set(),
): Array<Figures<M>> {
  const byCounty = new Map<string, Array<CountRow<M>>>();
  for (const row of rows) {
    const list = byCounty.get(row.county) ?? [];
    list.push(row);
    byCounty.set(row.county, list);
  }
  const hidden = new Map<string, Set<string>>();
  const hiddenIn = (county: string, measure: Measure<M>): Set<string> => {
    const key = `${county}:${measure.name}`;
    let set = hidden.get(key);
    if (!set) {
      const cells = (byCounty.get(county) ?? []).map((r) => ({ code: r.township ?? r.county, month: r.month, value: r.counts[measure.name] }));
      set = threshold === null || cells.length === 0 ? new Set() : suppressCells(divisionTable(cells, measure.overTime), threshold, forced);
      hidden.set(key, set);
    }
    return set;
  };
  const index = new Map<string, CountRow<M>>();
  for (const row of rows) index.set(cellId(row.township ?? row.county, row.month), row);
  return requested.map(({ code, month }) => {
    const id = cellId(code, month);
    const row = index.get(id);
    const values = {} as Record<M, number | null>;
    const suppressed: M[] = [];
    for (const m of measures) {
      if (hiddenIn(code.slice(0, 6), m).has(id)) {
        values[m.name] = null;
        suppressed.push(m.name);
      } else values[m.name] = row?.counts[m.name] ?? 0;
    }
    return { values, suppressed };
  });
}
