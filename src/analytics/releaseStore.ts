import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../shared/errors';
import { lastDay, type DayRange } from './dayRange';
import type { StatisticsSource } from './loaders';
import type { AuditStats, RefreshOptions, ReleaseSummary } from '../kit/department';
import { completeYears, decideRelease, monthRange, releasedAtLevel, type MonthRow, type ReleaseLevel, type ReleaseMeasure, type ReleaseRules } from './release';
import { raw, sql } from './sql';

/*
 * Where a release lives: in the department's own schema (`<schema>.statistics_release`), beside
 * the records it counts — in distributed mode each department has its own database and no other
 * one could compute or hold its figures. A release is decided once (`hub stats refresh`, after a
 * seed, or by the first analyst query when none is stored) and every analyst query reads it.
 */

/** One statistic's stored release: its cells by `code@period` (null when withheld) and the months it covers. */
export interface StoredRelease {
  cells: ReadonlyMap<string, number | null>;
  months: readonly string[];
}

const SCHEMA = /^[a-z][a-z0-9_]*$/;

function table(schema: string): string {
  if (!SCHEMA.test(schema)) throw new Error(`bad schema ${schema}`);
  return `"${schema}".statistics_release`;
}

/**
 * Decides and stores the release of a statistic over all its data (every county, January of the
 * first year with records to the last month with records): counted with `em`, stored with `store`
 * (the same, unless the records stay in a department's own read-only system).
 */
export async function refreshRelease<M extends string>(
  em: EntityManager,
  source: StatisticsSource<M>,
  rules: ReleaseRules,
  store: EntityManager = em,
): Promise<ReleaseSummary> {
  const columns = source.measures.map(({ name, distinct }) => `count(${distinct ? 'distinct subject' : '*'}) filter (where measure = '${name}') as "${name}"`);
  const all: DayRange = { from: null, to: null };
  // Grid rows only when a measure is released at grid level (the events then carry a `grid` column).
  const grids = source.measures.some((m) => m.granularity?.grid?.length);
  const q = sql`select county, township, month, grouping(township) as all_townships, ${raw(grids ? 'grid, grouping(grid) as all_grids' : 'null as grid, 1 as all_grids')}, ${raw(columns.join(', '))}
    from (select county, township, ${raw(grids ? 'grid, ' : '')}to_char(day, 'YYYY-MM') as month, measure, subject from (${source.events([''], all)}) events) e
    group by grouping sets ((county, month), (county, township, month)${raw(grids ? ', (county, township, grid, month)' : '')})`;
  const result = await em.getConnection().execute<Array<Record<string, string | number | null>>>(q.text, [...q.params]);
  const rows: Array<MonthRow<M>> = result
    // Records without a township (or grid) stay in the row above: the table's unattributed part.
    .filter((r) => r.all_townships === 1 || (r.township !== null && (r.all_grids === 1 || r.grid !== null)))
    .map((r) => ({
      county: String(r.county),
      township: r.all_townships === 1 ? null : String(r.township),
      grid: r.all_grids === 1 ? null : String(r.grid),
      month: String(r.month),
      counts: Object.fromEntries(source.measures.map(({ name }) => [name, Number(r[name])])) as Record<M, number>,
    }));
  const seen = rows.map((r) => r.month).sort();
  // From January of the first year with records: every department's release then starts alike (earlier months of that year are zeros).
  const months = seen.length ? monthRange(`${seen[0].slice(0, 4)}-01`, seen.at(-1)!) : [];
  const audit: AuditStats = { rounds: 0, witnessed: 0, bounded: 0, solved: 0 };
  const cells = await decideRelease(rows, source.measures, months, rules, audit);
  await storeCells(store, source.schema, source.name, cells, months);
  return { cells: cells.length, withheld: cells.filter((c) => c.value === null).length, audit };
}

/** Replaces a statistic's stored cells (of the months `months` cover) in `schema`'s release table. */
export async function storeCells(
  em: EntityManager,
  schema: string,
  statistic: string,
  cells: ReadonlyArray<{ measure: string; code: string; period: string; value: number | null }>,
  months: readonly string[],
): Promise<void> {
  await em.transactional(async (tx) => {
    // One refresh at a time per department; the others wait, then replace it with the same figures.
    await tx.execute(`lock table ${table(schema)} in share row exclusive mode`);
    await tx.execute(`delete from ${table(schema)} where statistic = ?`, [statistic]);
    await tx.execute(
      `insert into ${table(schema)} (statistic, measure, code, period, value, first_month, last_month)
       select ?, measure, code, period, value, ?, ? from json_to_recordset(?::json) as c(measure text, code text, period text, value int)`,
      [statistic, months[0] ?? '', months.at(-1) ?? '', JSON.stringify(cells)],
    );
  });
}

/** The first month of a statistic's stored release (YYYY-MM), or null when none is stored. */
export async function firstReleasedMonth<M extends string>(em: EntityManager, source: StatisticsSource<M>): Promise<string | null> {
  const [row] = await em
    .getConnection()
    .execute<Array<{ first_month: string }>>(`select first_month from ${table(source.schema)} where statistic = ? limit 1`, [source.name]);
  return row?.first_month || null;
}

/**
 * The stored release of a statistic for the given counties (and the city): their divisions' cells,
 * and their grids' too when `grids` is set (hotspot maps) — at city scale those are most of a
 * release (10,720 grids × years × measures), which a division's figures never read.
 */
export async function readRelease<M extends string>(
  em: EntityManager,
  source: StatisticsSource<M>,
  counties: readonly string[],
  opts: { grids: boolean } = { grids: false },
): Promise<StoredRelease> {
  const rows = await em
    .getConnection()
    .execute<Array<{ measure: string; code: string; period: string; value: number | null; first_month: string; last_month: string }>>(
      `select measure, code, period, value, first_month, last_month from ${table(source.schema)} where statistic = ? and substr(code, 1, 6) in (select json_array_elements_text(?::json))${opts.grids ? '' : ' and length(code) <= 9'}`,
      [source.name, JSON.stringify([...counties, ...counties.map((c) => `${c.slice(0, 4)}00`)])],
    );
  const cells = new Map(rows.map((r) => [`${r.measure}:${r.code}@${r.period}`, r.value]));
  return { cells, months: rows.length && rows[0].first_month ? monthRange(rows[0].first_month, rows[0].last_month) : [] };
}

/** The periods a range is answered from: its complete calendar years, then its other months. */
export function periodsOf(range: DayRange, months: readonly string[]): string[] {
  if (!months.length) throw badInput(range.from ? 'from' : 'to', 'no statistics are released yet');
  const first = months[0];
  const last = months.at(-1)!;
  const allowed = `a range of whole released months: \`from\` the 1st of a month, \`to\` the last day of a month, between ${first}-01 and ${lastDay(last)}`;
  if (range.from && (!range.from.endsWith('-01') || range.from.slice(0, 7) < first || range.from.slice(0, 7) > last))
    throw badInput('from', `must start ${allowed}`);
  if (range.to && (range.to !== lastDay(range.to.slice(0, 7)) || range.to.slice(0, 7) > last || range.to.slice(0, 7) < first))
    throw badInput('to', `must end ${allowed}`);
  const inRange = monthRange(range.from?.slice(0, 7) ?? first, range.to?.slice(0, 7) ?? last);
  const years = completeYears(inRange);
  return [...years, ...inRange.filter((m) => !years.includes(m.slice(0, 4)))];
}

/**
 * The periods a range is answered from for a measure at a level whose cells are coarser than
 * months (e.g. grid years): `periodsOf`, then every period must be one the measure is released at
 * there, else `BAD_USER_INPUT` naming the form that is (a range of it is a sum of released cells).
 */
export function releasedPeriodsOf(range: DayRange, months: readonly string[], measure: ReleaseMeasure<string>, level: ReleaseLevel): string[] {
  const periods = periodsOf(range, months);
  if (periods.every((p) => releasedAtLevel(measure, level, p))) return periods;
  const years = completeYears(months);
  const form = years.length
    ? `whole released calendar years at this level: \`from\` YYYY-01-01 and \`to\` YYYY-12-31, of ${years.join(', ')}`
    : 'whole calendar years at this level, and no year is released yet';
  throw badInput(range.from?.endsWith('-01-01') ? 'to' : 'from', `must cover ${form}`);
}

/**
 * A department's `refreshStatistics`: decides and stores the release of each of its statistics
 * (`onlyIfMissing`: only those without a stored release of all their measures, as a start does).
 */
export function releaseRefresher(
  ...sources: ReadonlyArray<StatisticsSource<string>>
): (em: EntityManager, rules: ReleaseRules, opts?: RefreshOptions) => Promise<ReleaseSummary> {
  return async (em, rules, opts = {}) => {
    const store = opts.store ?? em;
    const sum: ReleaseSummary = { cells: 0, withheld: 0, audit: { rounds: 0, witnessed: 0, bounded: 0, solved: 0 } };
    for (const source of sources) {
      if (opts.onlyIfMissing) {
        // Stored means every measure the statistic has today: a release kept from before a measure was added is decided again.
        const measures = source.measures.map((m) => m.name);
        const [{ stored }] = await store
          .getConnection()
          .execute<Array<{ stored: number }>>(
            `select count(distinct measure)::int as stored from ${table(source.schema)} where statistic = ? and measure in (${measures.map(() => '?').join(', ')})`,
            [source.name, ...measures],
          );
        if (stored === measures.length) continue;
      }
      const one = await refreshRelease(em, source, rules, store);
      sum.cells += one.cells;
      sum.withheld += one.withheld;
      for (const k of Object.keys(sum.audit) as Array<keyof AuditStats>) sum.audit[k] += one.audit[k];
    }
    return sum;
  };
}
