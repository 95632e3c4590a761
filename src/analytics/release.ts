import highsLoader from 'highs';
import type { AuditStats } from '../kit/department';
import { cellRange, hiddenGroups, suppressCells, type Line, type Table } from './suppression';
import { lineBoundedIntervals, witnessedIntervals } from './witness';

/*
 * A statistics release (统计发布): the only cells analysts ever see. A department's counts are
 * published once per release on a fixed grid — calendar month and complete calendar year × the
 * city, its counties and their townships (and their grids, for a measure that says so) × measure,
 * each measure at the levels and periods of its granularity — and suppression is decided once over
 * the whole hierarchy, so no query, alias or range can ask for a cell the release did not decide on.
 * Pure logic: `releaseStore.ts` stores it, `loaders.ts` answers analysts from it.
 */

/** A division's counts for one month (YYYY-MM), as the department's SQL aggregates them. */
export interface MonthRow<M extends string> {
  county: string;
  /** Null on the county's own row (which counts the county's records kept per county too). */
  township: string | null;
  /** A grid's row (12 digits) of its township, for statistics released at grid level; absent or null on the township's and county's rows. */
  grid?: string | null;
  month: string;
  counts: Record<M, number>;
}

/** The division levels of a release, top down. */
export type ReleaseLevel = 'city' | 'county' | 'township' | 'grid';

/** The periods of a release: calendar months and complete calendar years. */
export type ReleasePeriod = 'month' | 'year';

/** Which periods a measure is released at, per division level; a level not named is not released at all. */
export type Granularity = Partial<Record<ReleaseLevel, readonly ReleasePeriod[]>>;

/** Every measure's cells unless it declares otherwise: months and years of the city, its counties and their townships. */
export const DEFAULT_GRANULARITY: Granularity = { city: ['month', 'year'], county: ['month', 'year'], township: ['month', 'year'] };

export interface ReleaseMeasure<M extends string> {
  name: M;
  /** Adds up over months: only such measures get year cells (a year's distinct people are not the sum of its months'). */
  overTime: boolean;
  /**
   * A measure this one never exceeds in any cell (its records are a subset of that one's, e.g.
   * closures on time of closures): an attacker knows it, so the audit bounds a withheld cell by it.
   */
  atMost?: M;
  /**
   * Measures at most the same one whose records never overlap this one's (hazards besides disputes,
   * both grid events): their sum is at most that one too, and what is left of it is a difference
   * the release protects like the pairs' (`differencesOf`).
   */
  besides?: readonly M[];
  /**
   * The cells the measure is released at (default `DEFAULT_GRANULARITY`): e.g. county and city
   * years only for a count whose month or township cells would all be withheld, or grid years
   * below the townships for a hotspot map. Its table has those cells only, with the lines among them.
   */
  granularity?: Granularity;
}

/** One released cell: a division (city, county, township, grid) × a period (YYYY-MM or YYYY) × a measure. */
export interface ReleasedCell<M extends string> {
  measure: M;
  code: string;
  period: string;
  /** Null when withheld. */
  value: number | null;
}

/** The city's code (6 digits ending in 00) from a county's. */
export const cityOf = (county: string) => `${county.slice(0, 4)}00`;

/** A city's code (6 digits ending in 00): its figures are the city totals. */
export const isCity = (code: string) => code.length === 6 && code === cityOf(code);

/** A cell id of the release's tables: division and period. */
export const releaseCell = (code: string, period: string) => `${code}@${period}`;

/** The months from `first` to `last` (YYYY-MM), both included. */
export function monthRange(first: string, last: string): string[] {
  const months: string[] = [];
  let [y, m] = first.split('-').map(Number);
  for (let month = first; month <= last; month = `${y}-${String(m).padStart(2, '0')}`) {
    months.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return months;
}

/** The calendar years whose twelve months are all in `months`: only those get a year cell (a partial year would change with the next release). */
export function completeYears(months: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const m of months) count.set(m.slice(0, 4), (count.get(m.slice(0, 4)) ?? 0) + 1);
  return [...count].filter(([, n]) => n === 12).map(([y]) => y);
}

/** Marks the part of a division's count kept without a division below it (no township, no grid): never released, but it keeps the division's line exact. */
const UNATTRIBUTED = '~';

const LEVELS: readonly ReleaseLevel[] = ['city', 'county', 'township', 'grid'];

/** A code's level (an unattributed part sits at the level of the parts it completes). */
export function levelOf(code: string): ReleaseLevel {
  if (code.endsWith(UNATTRIBUTED)) return LEVELS[LEVELS.indexOf(levelOf(code.slice(0, -UNATTRIBUTED.length))) + 1];
  if (code.length === 12) return 'grid';
  if (code.length === 9) return 'township';
  return isCity(code) ? 'city' : 'county';
}

/** A period's kind: YYYY is a year, YYYY-MM a month. */
export const periodOf = (period: string): ReleasePeriod => (period.length === 4 ? 'year' : 'month');

/**
 * Whether a measure has cells of this division and period in its release: its granularity names
 * the level and the kind of period, and a year only for a measure that adds up over months.
 */
export function releasedAt(measure: ReleaseMeasure<string>, code: string, period: string): boolean {
  return releasedAtLevel(measure, levelOf(code), period);
}

/** Whether a measure has cells of this level and period in its release (`releasedAt`). */
export function releasedAtLevel(measure: ReleaseMeasure<string>, level: ReleaseLevel, period: string): boolean {
  const kind = periodOf(period);
  return (kind === 'month' || measure.overTime) && ((measure.granularity ?? DEFAULT_GRANULARITY)[level] ?? []).includes(kind);
}

/**
 * One measure's table over the whole hierarchy: cells division × period, lines city = Σ counties,
 * county = Σ townships (+ its unattributed part) and township = Σ grids (+ its part without a
 * grid) in every period, and, for a measure that adds up over time, year = Σ its months for
 * every division — then only the cells of the measure's granularity, and the lines among them (a
 * line with a part the release does not have tells the attacker nothing of the others).
 */
export function hierarchyTable<M extends string>(rows: ReadonlyArray<MonthRow<M>>, measure: ReleaseMeasure<M>, months: readonly string[]): Table {
  const values = new Map<string, number>();
  const add = (code: string, period: string, n: number) => values.set(releaseCell(code, period), (values.get(releaseCell(code, period)) ?? 0) + n);
  const counties = [...new Set(rows.map((r) => r.county))].sort();
  /** The divisions below each county and township that have rows of their own. */
  const below = new Map<string, Set<string>>(counties.map((c) => [c, new Set<string>()]));
  for (const r of rows) {
    if (r.township === null) continue;
    below.get(r.county)!.add(r.township);
    if (r.grid) {
      if (!below.has(r.township)) below.set(r.township, new Set());
      below.get(r.township)!.add(r.grid);
    }
  }
  const years = measure.overTime ? completeYears(months) : [];
  const city = counties.length ? cityOf(counties[0]) : '';
  for (const m of months) {
    for (const c of counties) add(c, m, 0);
    if (city) add(city, m, 0);
  }
  for (const r of rows) {
    const n = r.counts[measure.name];
    add(r.grid ?? r.township ?? r.county, r.month, n);
    if (r.township === null) add(city, r.month, n);
    // Each row's count is taken from its parent's unattributed part, which is its parent's count less its parts'.
    else add(`${r.grid ? r.township : r.county}${UNATTRIBUTED}`, r.month, -n);
  }
  const parents = [...below.keys()].filter((p) => below.get(p)!.size > 0);
  for (const p of parents)
    for (const m of months) {
      const id = releaseCell(`${p}${UNATTRIBUTED}`, m);
      values.set(id, (values.get(id) ?? 0) + (values.get(releaseCell(p, m)) ?? 0));
    }
  const partsOf = (p: string, period: string) => [...[...below.get(p)!].sort().map((c) => releaseCell(c, period)), releaseCell(`${p}${UNATTRIBUTED}`, period)];
  const lines: Line[] = [];
  for (const m of months) {
    if (city) lines.push({ total: releaseCell(city, m), parts: counties.map((c) => releaseCell(c, m)) });
    for (const p of parents) lines.push({ total: releaseCell(p, m), parts: partsOf(p, m) });
  }
  for (const y of years) {
    const inYear = months.filter((m) => m.startsWith(y));
    const codes = [city, ...counties, ...parents.map((p) => `${p}${UNATTRIBUTED}`), ...[...below.values()].flatMap((s) => [...s])];
    for (const code of codes) {
      const parts = inYear.map((m) => releaseCell(code, m)).filter((id) => values.has(id));
      if (!parts.length) continue;
      values.set(
        releaseCell(code, y),
        parts.reduce((s, id) => s + values.get(id)!, 0),
      );
      lines.push({ total: releaseCell(code, y), parts });
    }
    for (const p of parents) lines.push({ total: releaseCell(p, y), parts: partsOf(p, y) });
    if (city) lines.push({ total: releaseCell(city, y), parts: counties.map((c) => releaseCell(c, y)) });
  }
  // Only the measure's cells; and unattributed parts that are zero everywhere: nothing to keep exact.
  const kept = (id: string) => {
    const at = id.lastIndexOf('@');
    return releasedAt(measure, id.slice(0, at), id.slice(at + 1));
  };
  for (const id of [...values.keys()]) if (!kept(id)) values.delete(id);
  const dropped = new Set<string>();
  for (const p of parents) {
    const ids = [...values.keys()].filter((id) => id.startsWith(`${p}${UNATTRIBUTED}@`));
    if (ids.every((id) => values.get(id) === 0)) for (const id of ids) dropped.add(id);
  }
  for (const id of dropped) values.delete(id);
  return {
    values,
    lines: lines
      .filter((l) => kept(l.total) && l.parts.every(kept) && !dropped.has(l.total))
      .map((l) => ({ total: l.total, parts: l.parts.filter((p) => !dropped.has(p)) })),
  };
}

// ---- Differences of measures: counts published by subtraction ------------------------------------

/**
 * A count the release would publish by subtraction where all its measures are released in a cell:
 * `total` less the sum of `parts` (mediations closed less succeeded: the failed ones). The attacker
 * knows the line total = Σ parts + d with d ≥ 0: a small d (0 < d < k) is a small count, which must
 * not follow from the released cells.
 */
export interface Difference<M extends string> {
  total: M;
  parts: readonly M[];
}

/** The differences a department's measures publish: every `atMost` pair, and each `besides` group with the measure they are at most. */
export function differencesOf<M extends string>(measures: ReadonlyArray<ReleaseMeasure<M>>): Array<Difference<M>> {
  const names = new Set(measures.map((m) => m.name));
  const out: Array<Difference<M>> = [];
  for (const m of measures) if (m.atMost && names.has(m.atMost)) out.push({ total: m.atMost, parts: [m.name] });
  for (const m of measures)
    if (m.atMost && names.has(m.atMost) && m.besides?.length) out.push({ total: m.atMost, parts: [...m.besides.filter((b) => names.has(b)), m.name] });
  return out;
}

// ---- Feasible intervals: what an attacker can learn of withheld cells -----------------------------

/** What the auditor, who knows the true table, may skip: a `feasibleIntervals` that decides rather than attacks. */
export interface Audit {
  /** The true values: a cell whose maximum is `protection` above its value is wide enough without its minimum (reported as `[value, maximum]`). */
  values: ReadonlyMap<string, number>;
  protection: number;
  /** Solve only these cells (the others are proven wide already), each with its whole group's lines. */
  only?: ReadonlySet<string>;
  /** Intervals known to lie inside the feasible ones (witnesses), and to contain them (single lines): where they meet, no LP is solved. */
  inner?: ReadonlyMap<string, readonly [number, number]>;
  outer?: ReadonlyMap<string, readonly [number, number]>;
  /** Intervals of earlier rounds, by group and cell: a group no new withheld cell joined is not solved again. */
  cache?: Map<string, [number, number]>;
}

/** HiGHS, loaded once (WebAssembly; every solve after that is synchronous). */
let highs: ReturnType<typeof highsLoader> | undefined;

/**
 * The feasible interval of every withheld cell given the published ones and the lines, by linear
 * programming (HiGHS): minimise and maximise each withheld cell subject to every line, with each
 * withheld cell ≥ `floor` (1: a withheld count is known to be positive, zeros are published; 0 for
 * a difference of measures) and within `bounds` (the order of measures, `Table.bounds`). Solved per
 * connected group of withheld cells (lines link them), which keeps each program small. The LP
 * relaxation: an attacker who also uses integrality may narrow an interval by less than 1.
 */
export async function feasibleIntervals(
  lines: readonly Line[],
  published: ReadonlyMap<string, number>,
  withheld: ReadonlySet<string>,
  audit?: Audit,
  bounds?: Table['bounds'],
  floor?: number,
): Promise<Map<string, [number, number]>> {
  highs ??= highsLoader();
  const solver = await highs;
  const out = new Map<string, [number, number]>();
  const known = audit;
  for (const group of hiddenGroups(lines, withheld)) {
    const asked = audit?.only ? group.cells.filter((id) => audit.only!.has(id)) : group.cells;
    if (!asked.length) continue;
    // A group's intervals depend only on its cells (its lines are those touching them, the other cells' values are fixed).
    const key = `${group.cells.join(',')}#`;
    const cached = asked.map((id) => audit?.cache?.get(key + id));
    if (cached.every((c) => c !== undefined)) {
      asked.forEach((id, i) => out.set(id, cached[i]));
      continue;
    }
    const name = new Map(group.cells.map((id, i) => [id, `x${i}`]));
    const rows = group.lines.map((line, i) => {
      let known = 0;
      const terms: string[] = [];
      const term = (id: string, c: number) => {
        if (withheld.has(id)) terms.push(`${c > 0 ? '+' : '-'} ${name.get(id)!}`);
        else known -= c * (published.get(id) ?? 0);
      };
      for (const p of line.parts) term(p, 1);
      term(line.total, -1);
      return ` c${i}: ${terms.join(' ')} = ${known}`;
    });
    const cellBounds = group.cells.map((id) => {
      const [lo, hi] = cellRange({ values: published, lines, bounds, floor }, id);
      return Number.isFinite(hi) ? ` ${lo} <= ${name.get(id)!} <= ${hi}` : ` ${name.get(id)!} >= ${lo}`;
    });
    for (const id of asked) {
      const bound = (direction: 'Minimize' | 'Maximize') => {
        const model = [direction, ` obj: ${name.get(id)!}`, 'Subject To', ...rows, 'Bounds', ...cellBounds, 'End'].join('\n');
        const s = solver.solve(model, { presolve: 'off' });
        if (s.Status === 'Unbounded') return direction === 'Maximize' ? Infinity : -Infinity;
        if (s.Status !== 'Optimal') throw new Error(`feasible interval of ${id}: ${s.Status}`);
        return s.ObjectiveValue;
      };
      const [inner, outer] = [audit?.inner?.get(id), audit?.outer?.get(id)];
      const hi = inner && outer && inner[1] === outer[1] ? inner[1] : bound('Maximize');
      const value = known?.values.get(id);
      const lo = (): number => {
        if (!audit) return bound('Minimize');
        // Bounds already known decide the cell without its minimum: the same verdict (wide or narrow), not the exact interval.
        if (inner && outer && inner[0] === outer[0]) return inner[0];
        const widest = Math.min(inner?.[0] ?? Infinity, value ?? Infinity);
        if (hi - widest >= audit.protection) return widest;
        if (outer && hi - outer[0] < audit.protection) return outer[0];
        return bound('Minimize');
      };
      const interval: [number, number] = [lo(), hi];
      out.set(id, interval);
      audit?.cache?.set(key + id, interval);
    }
  }
  return out;
}

// ---- Deciding a release ------------------------------------------------------------------------

export interface ReleaseRules {
  /** Counts from 1 to threshold − 1 are withheld. */
  threshold: number;
  /** Every withheld cell's feasible interval must be at least this wide. */
  protection: number;
}

/**
 * The withheld cells of one measure's table: the small ones and their complements
 * (`suppressCells`: every line keeps none or several withheld parts, no cell derivable), then,
 * while some withheld cell's feasible interval is narrower than the protection range, one more
 * published cell of its lines is withheld (the smallest positive) and the rule runs again.
 */
export async function withheldCells(table: Table, rules: ReleaseRules, stats?: AuditStats, forced: Iterable<string> = []): Promise<Set<string>> {
  let hidden = suppressCells(table, rules.threshold, forced);
  const cache = new Map<string, [number, number]>();
  for (;;) {
    const published = new Map([...table.values].filter(([id]) => !hidden.has(id)));
    // Cheap bounds first: witnesses prove a cell wide, single lines prove it narrow; the LP decides only the cells in between.
    const wide = (interval: [number, number] | undefined) => interval !== undefined && interval[1] - interval[0] >= rules.protection;
    const witnessed = witnessedIntervals(table, hidden, rules.protection);
    const bounded = lineBoundedIntervals(table, hidden);
    const pinned = [...hidden].filter((id) => !wide(bounded.get(id)));
    const unproven = new Set([...hidden].filter((id) => !wide(witnessed.get(id)) && wide(bounded.get(id))));
    const intervals = await feasibleIntervals(
      table.lines,
      published,
      hidden,
      {
        values: table.values,
        protection: rules.protection,
        only: unproven,
        inner: witnessed,
        outer: bounded,
        cache,
      },
      table.bounds,
      table.floor,
    );
    if (stats) {
      stats.rounds++;
      stats.witnessed += hidden.size - unproven.size - pinned.length;
      stats.bounded += pinned.length;
      stats.solved += unproven.size;
    }
    const isNarrow = new Set([...pinned, ...[...intervals].filter(([, [lo, hi]]) => hi - lo < rules.protection).map(([id]) => id)]);
    // In the order of the groups (the order the LP audit has always gone through them), which decides ties between neighbours.
    const narrow = hiddenGroups(table.lines, hidden)
      .flatMap((g) => g.cells)
      .filter((id) => isNarrow.has(id));
    // Every narrow cell gets one more withheld neighbour at once, then the whole rule runs again.
    const more = new Set<string>();
    for (const id of narrow) {
      const near = table.lines.filter((l) => l.total === id || l.parts.includes(id)).flatMap((l) => [l.total, ...l.parts]);
      // A neighbour withheld this round for another narrow cell may widen this one too: see after the rerun before adding another.
      if (near.some((n) => more.has(n))) continue;
      const next = near
        .filter((n) => !hidden.has(n) && (table.values.get(n) ?? 0) > 0)
        .sort((a, b) => table.values.get(a)! - table.values.get(b)! || (a < b ? -1 : 1))[0];
      if (next !== undefined) more.add(next);
    }
    // Nothing narrow, or no published neighbour left to withhold (the interval is then what the lines allow).
    if (!more.size) return hidden;
    hidden = suppressCells(table, rules.threshold, [...hidden, ...more]);
  }
}

/** A department's release of one statistic: every cell of every measure, withheld ones null. */
export async function decideRelease<M extends string>(
  rows: ReadonlyArray<MonthRow<M>>,
  measures: ReadonlyArray<ReleaseMeasure<M>>,
  months: readonly string[],
  rules: ReleaseRules,
  stats?: AuditStats,
): Promise<Array<ReleasedCell<M>>> {
  const tables = new Map(measures.map((m) => [m.name, hierarchyTable(rows, m, months)]));
  const differences = differencesOf(measures);
  // Each measure is decided with the bounds the others' published cells put on it; withholding one
  // measure's cells loosens the others' bounds, so the release is decided again (keeping what was
  // withheld) until no measure withholds more. Bounds from a cell withheld later only understate
  // what the attacker can move, so every audit stays valid.
  let hidden = new Map<M, Set<string>>();
  for (let first = true; ; first = false) {
    const next = new Map<M, Set<string>>();
    for (const measure of measures) {
      const table = { ...tables.get(measure.name)!, bounds: first ? undefined : orderBounds(measure.name, tables, differences, hidden) };
      next.set(measure.name, await withheldCells(table, rules, stats, hidden.get(measure.name)));
    }
    // A small difference (0 < d < k) of measures all published in a cell: the smallest positive of them
    // is withheld (the measures' cost rule, ties to a part), and its complements follow in the next pass.
    // A difference with a withheld measure moves with that measure's cell, whose interval the audit
    // bounds by the order of measures (published total and parts): it is as wide.
    for (const d of differences) {
      const names = [...d.parts, d.total];
      const value = (m: M, id: string) => tables.get(m)!.values.get(id) ?? 0;
      for (const id of [...tables.get(d.total)!.values.keys()].sort()) {
        if (id.includes(UNATTRIBUTED) || !names.every((m) => tables.get(m)!.values.has(id)) || names.some((m) => next.get(m)!.has(id))) continue;
        const n = value(d.total, id) - d.parts.reduce((sum, m) => sum + value(m, id), 0);
        if (n <= 0 || n >= rules.threshold) continue;
        const smallest = names.filter((m) => value(m, id) > 0).sort((a, b) => value(a, id) - value(b, id))[0];
        next.get(smallest)!.add(id);
      }
    }
    const grew = measures.some((m) => next.get(m.name)!.size !== (hidden.get(m.name)?.size ?? -1));
    hidden = next;
    if (!grew) break;
  }
  const out: Array<ReleasedCell<M>> = [];
  for (const measure of measures) {
    const table = tables.get(measure.name)!;
    const withheld = hidden.get(measure.name)!;
    for (const [id, value] of table.values) {
      const at = id.lastIndexOf('@');
      const code = id.slice(0, at);
      if (code.endsWith(UNATTRIBUTED)) continue;
      out.push({ measure: measure.name, code, period: id.slice(at + 1), value: withheld.has(id) ? null : value });
    }
  }
  return out;
}

/**
 * What the order of measures tells of `name`'s cells, from every difference it is in (total ≥ Σ
 * parts): a total at least its published parts plus 1 for each withheld one (a withheld count is
 * positive), a part at most its published total less the other parts, likewise.
 */
function orderBounds<M extends string>(
  name: M,
  tables: ReadonlyMap<M, Table>,
  differences: ReadonlyArray<Difference<M>>,
  hidden: ReadonlyMap<M, ReadonlySet<string>>,
): Map<string, [number, number]> {
  const bounds = new Map<string, [number, number]>();
  for (const id of tables.get(name)!.values.keys()) {
    let [lo, hi] = [1, Infinity];
    for (const d of differences) {
      const names = [d.total, ...d.parts];
      if (!names.includes(name) || !names.every((m) => tables.get(m)!.values.has(id))) continue;
      /** The least the cells of `ms` other than `name` add up to: published values, 1 for a withheld one. */
      const least = (ms: readonly M[]) => ms.reduce((s, m) => s + (m === name ? 0 : hidden.get(m)?.has(id) ? 1 : tables.get(m)!.values.get(id)!), 0);
      if (d.total === name) lo = Math.max(lo, least(d.parts));
      else if (!hidden.get(d.total)?.has(id)) hi = Math.min(hi, tables.get(d.total)!.values.get(id)! - least(d.parts));
    }
    if (lo > 1 || hi < Infinity) bounds.set(id, [lo, hi]);
  }
  return bounds;
}
