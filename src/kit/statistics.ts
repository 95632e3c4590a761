import type DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { Field, ObjectType } from 'type-graphql';
import { publishFigures, type CountRow, type Figures, type Measure } from '../policy/suppression';
import { badInput, ErrorCode } from '../shared/errors';
import { checkDateSpan } from '../shared/validate';
import type { SubgraphContext } from './context';
import type { ReferenceResolver } from './department';
import { representationKey } from './references';

/*
 * District statistics, written once for every department: counting in SQL (one statement per
 * statistic and range for all the divisions of a query-plan step), small-cell suppression for the
 * agencies the policy names, the ids of the computed `DistrictMonth`, `CaseFlow` and `DisputeFlow`
 * entities, and date ranges.
 */

/** Huludao keeps Beijing time: a day of a range is a day there, whatever the server's zone. */
export const CITY_TIME_ZONE = 'Asia/Shanghai';

/** Days of a statistics range, both ends included; either end may be open. */
export interface DayRange {
  from: string | null;
  to: string | null;
}

/** Validates `from`/`to` days (YYYY-MM-DD, from ≤ to), naming the bad argument. */
export function statisticsRange(from: string | null | undefined, to: string | null | undefined): DayRange {
  return checkDateSpan(from, to);
}

/** The longest monthly series one field returns. */
export const MAX_MONTHS = 60;

/** The months (YYYY-MM) a closed range touches, first to last. */
export function monthsOf(range: DayRange): string[] {
  if (!range.from) throw badInput('from', 'a monthly series needs `from`');
  if (!range.to) throw badInput('to', 'a monthly series needs `to`');
  const months: string[] = [];
  let [y, m] = range.from.slice(0, 7).split('-').map(Number);
  const last = range.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    months.push(month);
    if (month >= last) return months;
    if (months.length >= MAX_MONTHS) throw badInput('to', `a monthly series covers at most ${MAX_MONTHS} months`);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}

// ---- Published figures -----------------------------------------------------------------------

/**
 * What every statistics object carries besides its counts: which of them were withheld. Decorated
 * only so that type-graphql passes the field on to subclasses; never referenced, never in a schema.
 */
@ObjectType()
export abstract class Aggregate {
  @Field(() => [String], {
    description: 'Counts of this object withheld as null because they are small (from 1 to the policy\'s threshold − 1) or would give a small one away through a total; only for the aggregate-only agencies of the policy (analyst, oversight). Empty when nothing is withheld.',
  })
  suppressedFields!: string[];
}

/** A department's statistics object from published figures. */
export function aggregate<T extends Aggregate, M extends string>(type: new () => T, figures: Figures<M>): T {
  return Object.assign(new type(), figures.values, { suppressedFields: [...figures.suppressed] });
}

/**
 * A district statistic's count under a flow stage's name. A stage that counts the same thing as a
 * statistic (cases filed, disputes reported in a division and range) takes the statistic's
 * published figure, so that the two suppress alike and one cannot give the other away.
 */
export function sameAs<N extends string>(figures: Figures<string>, measure: string, name: N): Figures<N> {
  return { values: { [name]: figures.values[measure] } as Record<N, number | null>, suppressed: figures.suppressed.includes(measure) ? [name] : [] };
}

/** Figures of one object from several sources. */
export function mergeFigures<A extends string, B extends string>(a: Figures<A>, b: Figures<B>): Figures<A | B> {
  return { values: { ...a.values, ...b.values }, suppressed: [...a.suppressed, ...b.suppressed] };
}

/** Publishes counts to the viewer: suppressed for the agencies the policy names, exact for the others. */
export function publish<M extends string>(
  ctx: SubgraphContext,
  rows: readonly CountRow<M>[],
  measures: readonly Measure<M>[],
  requested: ReadonlyArray<{ code: string; month: string | null }>,
): Array<Figures<M>> {
  return publishFigures(rows, measures, requested, ctx.policy.suppressionFor(ctx.viewer.agency));
}

// ---- SQL -------------------------------------------------------------------------------------

/** A piece of SQL with its `?` parameters in order. */
export class SqlFragment {
  constructor(readonly text: string, readonly params: readonly unknown[]) {}
}

/** Builds SQL: interpolated fragments are spliced in, any other value becomes a `?` parameter. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((v, i) => {
    if (v instanceof SqlFragment) {
      text += v.text;
      params.push(...v.params);
    } else {
      text += '?';
      params.push(v);
    }
    text += strings[i + 1];
  });
  return new SqlFragment(text, params);
}

/** Trusted SQL text (a column name written in code). */
export function raw(text: string): SqlFragment {
  return new SqlFragment(text, []);
}

/** `column` starts with one of the codes: OR-ed prefix matches, so the pattern-ops indexes serve them. */
export function startsWithAny(column: string, codes: readonly string[]): SqlFragment {
  if (!codes.length) return raw('false');
  const parts = codes.map((c) => sql`${raw(column)} like ${`${c}%`}`);
  return new SqlFragment(`(${parts.map((p) => p.text).join(' or ')})`, parts.flatMap((p) => [...p.params]));
}

/** A `date` column inside the range. */
export function dayWithin(column: string, range: DayRange): SqlFragment {
  const parts = [sql`${raw(column)} is not null`];
  if (range.from) parts.push(sql`${raw(column)} >= ${range.from}::date`);
  if (range.to) parts.push(sql`${raw(column)} <= ${range.to}::date`);
  return new SqlFragment(parts.map((p) => p.text).join(' and '), parts.flatMap((p) => [...p.params]));
}

/** A `timestamptz` column inside the range's days in city time, compared with the day boundaries so indexes serve it. */
export function momentWithin(column: string, range: DayRange): SqlFragment {
  const parts = [raw('true')];
  if (range.from) parts.push(sql`${raw(column)} >= (${range.from}::date)::timestamp at time zone '${raw(CITY_TIME_ZONE)}'`);
  if (range.to) parts.push(sql`${raw(column)} < (${range.to}::date + 1)::timestamp at time zone '${raw(CITY_TIME_ZONE)}'`);
  return new SqlFragment(parts.map((p) => p.text).join(' and '), parts.flatMap((p) => [...p.params]));
}

/** The city day of a `timestamptz` column. */
export function cityDay(column: string): SqlFragment {
  return raw(`(${column} at time zone '${CITY_TIME_ZONE}')::date`);
}

export interface StatisticsMeasure<M extends string> extends Measure<M> {
  /** Count distinct `subject`s (people, workers) rather than events. */
  distinct?: boolean;
}

/** A department's statistic: what it counts, and the SQL listing the events counted. */
export interface StatisticsSource<M extends string> {
  /** Names the statistic's loader (with the range): unique per department. */
  name: string;
  measures: ReadonlyArray<StatisticsMeasure<M>>;
  /**
   * The events of the given counties in the range, one row each, with the columns `county`
   * (6 digits), `township` (9 digits; null for records kept per county only), `day` (a date inside
   * the range), `measure` (a measure name) and `subject` (what a distinct measure counts, else null).
   */
  events(counties: readonly string[], range: DayRange): SqlFragment;
}

const MEASURE_NAME = /^[A-Za-z]+$/;

/** Counts per county and township, for the range and per month, in one statement (grouping sets). */
function aggregateSql<M extends string>(source: StatisticsSource<M>, counties: readonly string[], range: DayRange): SqlFragment {
  const columns = source.measures.map(({ name, distinct }) => {
    if (!MEASURE_NAME.test(name)) throw new Error(`bad measure name ${name}`);
    return `count(${distinct ? 'distinct subject' : '*'}) filter (where measure = '${name}') as "${name}"`;
  });
  return sql`select county, township, month, grouping(township) as all_townships, grouping(month) as whole_range, ${raw(columns.join(', '))}
    from (select county, township, to_char(day, 'YYYY-MM') as month, measure, subject from (${source.events(counties, range)}) events) e
    group by grouping sets ((county), (county, township), (county, month), (county, township, month))`;
}

type AggregateRow = Record<string, string | number | null> & { county: string; township: string | null; month: string | null; all_townships: number; whole_range: number };

/**
 * The loader of a statistic's figures over one range: keys are cells (`cellId(code, month)`),
 * a district or township and a month of the range or null for all of it. One SQL statement per
 * batch, over the counties of the requested cells; suppression is decided on each county's whole
 * table, so a cell gets the same answer whatever else the query asked for.
 */
export function statisticsLoader<M extends string>(ctx: SubgraphContext, source: StatisticsSource<M>, range: DayRange): DataLoader<string, Figures<M>> {
  return ctx.loaders.custom<string, Figures<M>>(`statistics:${source.name}:${rangeName(range)}`, async (cells) => {
    const requested = cells.map((c) => {
      const [code, month = null] = c.split('@');
      return { code, month };
    });
    const counties = [...new Set(requested.map((r) => r.code.slice(0, 6)))].sort();
    const query = aggregateSql(source, counties, range);
    const result = await ctx.em.getConnection().execute<AggregateRow[]>(query.text, [...query.params]);
    const rows: Array<CountRow<M>> = result
      // A township grouping of records kept per county only: no township to attribute them to.
      .filter((r) => Number(r.all_townships) === 1 || r.township !== null)
      .map((r) => ({
        county: r.county,
        township: Number(r.all_townships) === 1 ? null : r.township,
        month: Number(r.whole_range) === 1 ? null : r.month,
        counts: Object.fromEntries(source.measures.map(({ name }) => [name, Number(r[name])])) as Record<M, number>,
      }));
    const stash = loaded.get(ctx.loaders) ?? new Map<string, Array<CountRow<string>>>();
    loaded.set(ctx.loaders, stash);
    for (const county of counties) stash.set(`${source.name}:${rangeName(range)}:${county}`, rows.filter((r) => r.county === county));
    return publish(ctx, rows, source.measures, requested);
  });
}

const rangeName = (range: DayRange) => `${range.from ?? ''}..${range.to ?? ''}`;

/** The counts each request's statistics loaders read, by statistic, range and county (for `withheldDivisions`). */
const loaded = new WeakMap<object, Map<string, Array<CountRow<string>>>>();

/** Every division of a county's table: the county and the townships it has counts for. */
function divisionsOf(rows: ReadonlyArray<CountRow<string>>, county: string): string[] {
  return [county, ...new Set(rows.map((r) => r.township).filter((t): t is string => t !== null))];
}

/**
 * The divisions of a county (itself and its townships) whose `measure` over the range the viewer
 * gets withheld; call after loading the statistic for a cell of that county.
 */
export function withheldDivisions<M extends string>(ctx: SubgraphContext, source: StatisticsSource<M>, range: DayRange, county: string, measure: M): string[] {
  const rows = (loaded.get(ctx.loaders)?.get(`${source.name}:${rangeName(range)}:${county}`) ?? []) as Array<CountRow<M>>;
  const divisions = divisionsOf(rows, county);
  const figures = publish(ctx, rows, source.measures, divisions.map((code) => ({ code, month: null })));
  return divisions.filter((_, i) => figures[i].suppressed.includes(measure));
}

/** Marks a division withheld upstream, among the keys a flow stage passes on. */
const WITHHELD = '!';

/** The keys a first stage passes on for the divisions withheld in the statistic it starts from. */
export function withheldMarks(divisions: readonly string[]): string[] {
  return divisions.map((code) => WITHHELD + code);
}

// ---- Computed entities: a division's month, a division's case or dispute flow ----------------

const DIVISION = /^\d{6}(\d{3})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

function validDay(value: string): boolean {
  const ms = DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  // 2025-02-30 parses as March 2nd: a real day prints back as itself.
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

/** What a `DistrictMonth` id stands for. */
export interface DistrictMonthKey {
  id: string;
  code: string;
  month: string;
  range: DayRange;
}

/** `211402:2025-01-01:2025-12-31:2025-03`: the division, the range the series covers, and the month. */
export function districtMonthId(code: string, range: DayRange, month: string): string {
  return `${code}:${range.from}:${range.to}:${month}`;
}

export function parseDistrictMonthId(id: string): DistrictMonthKey | null {
  const [code, from, to, month, ...rest] = id.split(':');
  if (rest.length || !DIVISION.test(code ?? '') || !validDay(from ?? '') || !validDay(to ?? '') || !MONTH.test(month ?? '')) return null;
  if (from > to || month < from.slice(0, 7) || month > to.slice(0, 7)) return null;
  return { id, code, month, range: { from, to } };
}

/** What a `CaseFlow` or `DisputeFlow` id stands for. */
export interface FlowKey {
  id: string;
  code: string;
  range: DayRange;
}

/** `211402:2025-01-01:2025-12-31`, either day empty when the range is open. */
export function flowId(code: string, range: DayRange): string {
  return `${code}:${range.from ?? ''}:${range.to ?? ''}`;
}

export function parseFlowId(id: string): FlowKey | null {
  const [code, from, to, ...rest] = id.split(':');
  if (rest.length || to === undefined || !DIVISION.test(code) || (from && !validDay(from)) || (to && !validDay(to)) || (from && to && from > to)) return null;
  return { id, code, range: { from: from || null, to: to || null } };
}

/** Reference resolver of a `DistrictMonth` (owned or extended): everything comes from its id. */
export function districtMonthReference<T extends object>(type: new () => T): ReferenceResolver {
  return (representation) => Object.assign(new type(), parseDistrictMonthId(representationKey(representation, 'id', (id) => parseDistrictMonthId(id) !== null)));
}

/**
 * Reference resolver of a flow: its id, and the upstream keys the gateway sends along for the
 * fields that `@requires` them (`carried`: lists of strings, or absent when not required).
 */
export function flowReference<T extends object>(type: new () => T, carried: readonly string[] = []): ReferenceResolver {
  return (representation) => {
    const key = parseFlowId(representationKey(representation, 'id', (id) => parseFlowId(id) !== null))!;
    const extra: Record<string, string[] | null> = {};
    for (const field of carried) {
      const value = representation[field] ?? null;
      if (value !== null && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        throw new GraphQLError(`cannot resolve ${String(representation.__typename)} representation: "${field}" must be a list of strings`, {
          extensions: { code: ErrorCode.BadRepresentation },
        });
      }
      extra[field] = value as string[] | null;
    }
    return Object.assign(new type(), key, key.range, extra);
  };
}

/**
 * A flow key passed downstream: the township the first department attributed the case or dispute
 * to, and the key of the record at the current stage (`211402001|A211402202500109`).
 */
export function flowKey(township: string, key: string): string {
  return `${township}|${key}`;
}

// ---- Flow stages -------------------------------------------------------------------------------

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
      if (Number(r.all_townships) === 1) keys.set(r.county, r.keys ?? []);
      else if (r.township === null) continue;
      const rows = byCounty.get(r.county) ?? [];
      rows.push({
        county: r.county,
        township: Number(r.all_townships) === 1 ? null : r.township,
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
        const all = publishFigures(rows, measures, divisions.map((code) => ({ code, month: null })), threshold, marks);
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
