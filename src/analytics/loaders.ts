import type DataLoader from 'dataloader';
import type { SubgraphContext } from '../kit/context';
import { badInput } from '../shared/errors';
import type { FlowKey } from './computed';
import type { DayRange } from './dayRange';
import { publish } from './figures';
import { isCity, releasedAt, type ReleaseMeasure } from './release';
import { periodsOf, readRelease, type StoredRelease } from './releaseStore';
import { raw, sql, SqlFragment } from './sql';
import { publishFigures, type CountRow, type Figures, type Measure } from './suppression';

/*
 * The loaders of district statistics and flow stages, written once for every department: one SQL
 * statement per statistic (or stage) and range for all the divisions of a query-plan step, and
 * small-cell suppression decided on each county's whole table.
 */

/** A measure of a statistic: how it is counted, and how it is released (its order and granularity, `ReleaseMeasure`). */
export interface StatisticsMeasure<M extends string> extends ReleaseMeasure<M> {
  /** Count distinct `subject`s (people, workers) rather than events. */
  distinct?: boolean;
}

/** A department's statistic: what it counts, and the SQL listing the events counted. */
export interface StatisticsSource<M extends string> {
  /** Names the statistic's loader (with the range) and its release: unique per department. */
  name: string;
  /** The schema that holds its release (`statistics_release`): the department's own, or the hub's schema for a department whose records stay in its own system. */
  schema: string;
  measures: ReadonlyArray<StatisticsMeasure<M>>;
  /**
   * The events of the given counties in the range, one row each, with the columns `county`
   * (6 digits), `township` (9 digits; null for records kept per county only), `day` (a date inside
   * the range), `measure` (a measure name) and `subject` (what a distinct measure counts, else null);
   * and `grid` (12 digits, null for records without one) when a measure is released at grid level.
   */
  events(counties: readonly string[], range: DayRange): SqlFragment;
}

const MEASURE_NAME = /^[A-Za-z]+$/;

/**
 * Counts per county and township, for the range and per month, in one statement (grouping sets).
 * A city among `counties` stands for all its counties, and adds the city totals (`all_counties`).
 */
function aggregateSql<M extends string>(source: StatisticsSource<M>, counties: readonly string[], range: DayRange): SqlFragment {
  const city = counties.some(isCity);
  const columns = source.measures.map(({ name, distinct }) => {
    if (!MEASURE_NAME.test(name)) throw new Error(`bad measure name ${name}`);
    return `count(${distinct ? 'distinct subject' : '*'}) filter (where measure = '${name}') as "${name}"`;
  });
  const prefixes = counties.map((c) => (isCity(c) ? c.slice(0, 4) : c));
  return sql`select county, township, month, grouping(county) as all_counties, grouping(township) as all_townships, grouping(month) as whole_range, ${raw(columns.join(', '))}
    from (select county, township, to_char(day, 'YYYY-MM') as month, measure, subject from (${source.events(prefixes, range)}) events) e
    group by grouping sets ((county), (county, township), (county, month), (county, township, month)${raw(city ? ', (), (month)' : '')})`;
}

type AggregateRow = Record<string, string | number | null> & {
  county: string;
  all_counties: number;
  township: string | null;
  month: string | null;
  all_townships: number;
  whole_range: number;
};

/** One county's counts of a statistic over a range, as a loader read them: what `withheldDivisions` decides on. */
export interface CountyTable<M extends string> {
  county: string;
  measures: ReadonlyArray<Measure<M>>;
  rows: ReadonlyArray<CountRow<M>>;
}

/** A cell's published figures, and the divisions of its county's table (the county and its townships) whose `measure` the viewer gets withheld. */
export interface Counted<M extends string> extends Figures<M> {
  withheldIn(measure: M): string[];
}

/**
 * The loader of a statistic's figures over one range: keys are cells (`cellId(code, month)`),
 * a district or township and a month of the range or null for all of it. One SQL statement per
 * batch, over the counties of the requested cells; suppression is decided on each county's whole
 * table, so a cell gets the same answer whatever else the query asked for.
 */
export function statisticsLoader<M extends string>(ctx: SubgraphContext, source: StatisticsSource<M>, range: DayRange): DataLoader<string, Counted<M>> {
  if (ctx.policy.suppressionFor(ctx.viewer.agency) !== null) return releasedLoader(ctx, source, range);
  return ctx.loaders.custom<string, Counted<M>>(`statistics:${source.name}:${rangeName(range)}`, async (cells) => {
    const requested = cells.map((c) => {
      const [code, month = null] = c.split('@');
      return { code, month };
    });
    const counties = [...new Set(requested.map((r) => r.code.slice(0, 6)))].sort();
    const query = aggregateSql(source, counties, range);
    const result = await ctx.em.getConnection().execute<AggregateRow[]>(query.text, [...query.params]);
    const city = counties.find(isCity);
    const rows: Array<CountRow<M>> = result
      // A township grouping of records kept per county only: no township to attribute them to.
      .filter((r) => r.all_townships === 1 || r.township !== null)
      .map((r) => ({
        county: r.all_counties === 1 ? city! : r.county,
        township: r.all_townships === 1 ? null : r.township,
        month: r.whole_range === 1 ? null : r.month,
        counts: Object.fromEntries(source.measures.map(({ name }) => [name, Number(r[name])])) as Record<M, number>,
      }));
    const tables = new Map(counties.map((county) => [county, { county, measures: source.measures, rows: rows.filter((r) => r.county === county) }]));
    return publish(ctx, rows, source.measures, requested).map((figures, i) => {
      const table = tables.get(requested[i].code.slice(0, 6))!;
      return { ...figures, withheldIn: (measure: M) => withheldDivisions(ctx, table, measure) };
    });
  });
}

/**
 * A division's released figure of a measure over some periods (`periodsOf`): the sum of its cells,
 * withheld (null) when one of them is, or when the release has no such cell — a period or level
 * outside the measure's granularity, or a range of several months of a measure that does not add
 * up over time (distinct people). A cell absent from a period the measure is released at is a zero.
 */
export function releasedFigure(release: StoredRelease, measure: ReleaseMeasure<string>, code: string, periods: readonly string[]): number | null {
  if (!periods.every((p) => releasedAt(measure, code, p)) || (!measure.overTime && periods.length > 1)) return null;
  const cells = periods.map((p) => release.cells.get(`${measure.name}:${code}@${p}`));
  return cells.some((v) => v === null) ? null : cells.reduce<number>((s, v) => s + (v ?? 0), 0);
}

/**
 * The loader of a statistic's figures for the viewers who get the release (analysts): each cell is
 * the sum of the released cells of its range — complete years, then months — withheld when one of
 * them is or is not a cell of the measure's release (`releasedFigure`). Ranges must be whole
 * released months.
 */
function releasedLoader<M extends string>(ctx: SubgraphContext, source: StatisticsSource<M>, range: DayRange): DataLoader<string, Counted<M>> {
  return ctx.loaders.custom<string, Counted<M>>(`release:${source.name}:${rangeName(range)}`, async (keys) => {
    const requested = keys.map((c) => {
      const [code, month = null] = c.split('@');
      return { code, month };
    });
    const counties = [...new Set(requested.map((r) => r.code.slice(0, 6)))].sort();
    const release = await readRelease(ctx.releases, source, counties);
    const periods = periodsOf(range, release.months);
    const figuresOf = (code: string, month: string | null): Figures<M> => {
      const values = {} as Record<M, number | null>;
      const suppressed: M[] = [];
      for (const m of source.measures) {
        const value = releasedFigure(release, m, code, month ? [month] : periods);
        values[m.name] = value;
        if (value === null) suppressed.push(m.name);
      }
      return { values, suppressed };
    };
    const townships = (county: string) =>
      [...new Set([...release.cells.keys()].map((k) => k.slice(k.indexOf(':') + 1, k.indexOf('@'))))].filter((c) => c.length === 9 && c.startsWith(county));
    return requested.map(({ code, month }) => ({
      ...figuresOf(code, month),
      withheldIn: (measure: M) => [code.slice(0, 6), ...townships(code.slice(0, 6))].filter((c) => figuresOf(c, month).suppressed.includes(measure)),
    }));
  });
}

const rangeName = (range: DayRange) => `${range.from ?? ''}..${range.to ?? ''}`;

/** Every division of a county's table: the county and the townships it has counts for. */
function divisionsOf(rows: ReadonlyArray<CountRow<string>>, county: string): string[] {
  return [county, ...new Set(rows.map((r) => r.township).filter((t): t is string => t !== null))];
}

/** The divisions of a county's table (the county and its townships) whose `measure` the viewer gets withheld. */
function withheldDivisions<M extends string>(ctx: SubgraphContext, table: CountyTable<M>, measure: M): string[] {
  const divisions = divisionsOf(table.rows, table.county);
  const figures = publish(
    ctx,
    table.rows,
    table.measures,
    divisions.map((code) => ({ code, month: null })),
  );
  return divisions.filter((_, i) => figures[i].suppressed.includes(measure));
}

/** Marks a division withheld upstream, among the keys a flow stage passes on. */
const WITHHELD = '!';

/** The keys a first stage passes on for the divisions withheld in the statistic it starts from. */
export function withheldMarks(divisions: readonly string[]): string[] {
  return divisions.map((code) => WITHHELD + code);
}

// ---- Flow stages -------------------------------------------------------------------------------

/**
 * Funnels are cohorts joined across departments at query time, so they cannot be stored in one
 * department's release; instead, the viewers who get releases may ask them for one calendar year
 * at a time. Year cohorts do not overlap and no sum of them is published, so no two funnel
 * answers can be differenced; each year's table is suppressed on its own (county = Σ townships),
 * stage by stage.
 */
function checkFlowRange(ctx: SubgraphContext, range: DayRange): void {
  if (ctx.policy.suppressionFor(ctx.viewer.agency) === null) return;
  const year = range.from?.slice(0, 4);
  if (!year || range.from !== `${year}-01-01`)
    throw badInput('from', 'a flow is released for one calendar year: `from` YYYY-01-01 and `to` YYYY-12-31 of the same year');
  if (range.to !== `${year}-12-31`) throw badInput('to', 'a flow is released for one calendar year: `from` YYYY-01-01 and `to` YYYY-12-31 of the same year');
}

/** A statistic a flow's first stage takes its figure from, over the flow's range (checked first). */
export function flowStatisticsLoader<M extends string>(ctx: SubgraphContext, source: StatisticsSource<M>, range: DayRange): DataLoader<string, Counted<M>> {
  checkFlowRange(ctx, range);
  return statisticsLoader(ctx, source, range);
}

/** A flow to count a stage of: its key, and the upstream stage's keys when the stage `@requires` them. */
export interface FlowRequest {
  key: FlowKey;
  upstream: readonly string[] | null;
}

/** A stage's figures for one flow, and the keys of its records that go on to the next stage. */
export interface FlowStage<M extends string> {
  figures: Figures<M>;
  keys: string[];
}

type StageRow = Record<string, string | number | string[] | null> & { county: string; township: string | null; all_townships: number; keys: string[] | null };

/**
 * The loader of one stage of a flow over one range, for every flow of a query-plan step in one
 * statement. A flow is counted on its county's whole table (the county and the townships the
 * first department attributed its records to), so suppression is the same whatever was asked, and
 * the keys passed on are the county's. The keys received may mark divisions withheld upstream
 * (`!code`): the stage's counts there are withheld too (a subset would bound them), and the marks
 * go on with this stage's own withheld divisions.
 *
 * `query` gets the counties and `upstream`, a row source `upstream(county, township, key)` of the
 * keys received (empty for a first stage); it returns `county`, `township` (grouped:
 * `grouping(township) as all_townships`), one column per measure and `keys` (text[], on the county
 * rows) of the records that go on.
 */
export function flowStageLoader<M extends string>(
  ctx: SubgraphContext,
  name: string,
  range: DayRange,
  measures: ReadonlyArray<Measure<M>>,
  query: (counties: readonly string[], upstream: SqlFragment) => SqlFragment,
): DataLoader<FlowRequest, FlowStage<M>> {
  checkFlowRange(ctx, range);
  return ctx.loaders.custom<FlowRequest, FlowStage<M>>(`flow:${name}:${rangeName(range)}`, async (requests) => {
    const counties = [...new Set(requests.map((r) => r.key.code.slice(0, 6)))].sort();
    const received = new Map<string, Array<{ county: string; township: string; key: string }>>();
    const withheld = new Map<string, Set<string>>();
    for (const r of requests) {
      const county = r.key.code.slice(0, 6);
      // Every flow of a county carries the county's keys: take them once.
      if (!r.upstream || received.has(county)) continue;
      const keys: Array<{ county: string; township: string; key: string }> = [];
      const marks = new Set<string>();
      for (const k of r.upstream) {
        if (k.startsWith(WITHHELD)) {
          marks.add(k.slice(WITHHELD.length));
          continue;
        }
        const bar = k.indexOf('|');
        keys.push({ county, township: k.slice(0, bar), key: k.slice(bar + 1) });
      }
      received.set(county, keys);
      withheld.set(county, marks);
    }
    const upstream = sql`json_to_recordset(${JSON.stringify([...received.values()].flat())}::json) as upstream(county text, township text, key text)`;
    const q = query(counties, upstream);
    const result = await ctx.em.getConnection().execute<StageRow[]>(q.text, [...q.params]);
    const byCounty = new Map<string, Array<CountRow<M>>>();
    const keys = new Map<string, string[]>();
    for (const r of result) {
      if (r.all_townships === 1) keys.set(r.county, r.keys ?? []);
      else if (r.township === null) continue;
      const rows = byCounty.get(r.county) ?? [];
      rows.push({
        county: r.county,
        township: r.all_townships === 1 ? null : r.township,
        month: null,
        counts: Object.fromEntries(measures.map(({ name: m }) => [m, Number(r[m])])) as Record<M, number>,
      });
      byCounty.set(r.county, rows);
    }
    const threshold = ctx.policy.suppressionFor(ctx.viewer.agency);
    const stages = new Map<string, { figures: Map<string, Figures<M>>; keys: string[] }>();
    const stageOf = (county: string) => {
      let stage = stages.get(county);
      if (!stage) {
        const rows = byCounty.get(county) ?? [];
        const marks = withheld.get(county) ?? new Set<string>();
        const asked = requests.map((r) => r.key.code).filter((code) => code.startsWith(county));
        const divisions = [...new Set([...divisionsOf(rows, county), ...marks, ...asked])];
        const all = publishFigures(
          rows,
          measures,
          divisions.map((code) => ({ code, month: null })),
          threshold,
          marks,
        );
        const figures = new Map(divisions.map((code, i) => [code, all[i]]));
        const out = threshold === null ? [] : divisions.filter((code) => marks.has(code) || figures.get(code)!.suppressed.length > 0);
        stage = { figures, keys: [...(keys.get(county) ?? []), ...withheldMarks(out)] };
        stages.set(county, stage);
      }
      return stage;
    };
    return requests.map((r) => {
      const stage = stageOf(r.key.code.slice(0, 6));
      return { figures: stage.figures.get(r.key.code)!, keys: stage.keys };
    });
  });
}
