import { GraphQLError } from 'graphql';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../kit/context';
import { badInput, ErrorCode } from '../shared/errors';
import { lastDay, type DayRange } from './dayRange';
import { aggregate, type Aggregate } from './figures';
import { statisticsLoader, type StatisticsSource } from './loaders';
import { firstReleasedMonth } from './releaseStore';
import { cellId, type Figures } from './suppression';

/*
 * Year-on-year change (同比): a count of a range against the same days one year earlier. The
 * previous period is counted by the same loader as the range itself, so an analyst's is a sum of
 * released cells too, and the change is withheld whenever either count is.
 */

/** Where a statistics object was counted: the division, the range asked, and the month of a series (null for the whole range). */
export interface CountedAt {
  code: string;
  range: DayRange;
  month: string | null;
}

/** Kept beside the statistics objects rather than on them: they are GraphQL values, and this is not a field. */
const counted = new WeakMap<object, CountedAt>();

/** Remembers where a statistics object was counted, for its `yearOnYear` field (and the police's `civilToCriminal`). */
export function countedAt<T extends object>(statistics: T, at: CountedAt): T {
  counted.set(statistics, at);
  return statistics;
}

/** Where a statistics object was counted (`countedAt`), for the fields computed from it. */
export function whereCounted(statistics: object): CountedAt | undefined {
  return counted.get(statistics);
}

/**
 * The same day a year earlier. The last day of a month stays the last day of that month (so
 * whole months stay whole months: 2025-02-28 → 2024-02-29, 2024-02-29 → 2023-02-28); any other
 * day keeps its number.
 */
export function yearEarlier(day: string): string {
  const month = `${Number(day.slice(0, 4)) - 1}${day.slice(4, 7)}`;
  return day === lastDay(day.slice(0, 7)) ? lastDay(month) : `${month}${day.slice(7)}`;
}

/**
 * 同比增长率 (国家统计局): (this period − the same period last year) ÷ the same period last year,
 * as a ratio (× 100 for the percentage). Null when last year counted nothing: no ratio to give.
 */
export function changeFrom(previous: number, current: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

/** The changes of `measures` between two published figures: withheld (null, named) where either count is. */
export function yearOnYearFigures<M extends string>(measures: readonly M[], current: Figures<M>, previous: Figures<M>): Figures<M> {
  const values = {} as Record<M, number | null>;
  const suppressed: M[] = [];
  for (const m of measures) {
    const [now, then] = [current.values[m], previous.values[m]];
    const withheld = now === null || then === null || current.suppressed.includes(m) || previous.suppressed.includes(m);
    values[m] = withheld ? null : changeFrom(then, now);
    if (withheld) suppressed.push(m);
  }
  return { values, suppressed };
}

/**
 * What a statistics object is compared with: the range's days a year earlier, or, for a month
 * of a series, that month's. Exact viewers count a series' months from the whole series a year
 * earlier (one statement); analysts read each month's own cell a year earlier (the release
 * answers whole released months only, and a month's previous one may be released when the
 * series' first months' are not).
 */
function previousOf(ctx: SubgraphContext, { code, range, month }: CountedAt): { range: DayRange; cell: string } {
  if (!range.from || !range.to)
    throw badInput(
      range.from ? 'to' : 'from',
      'year-on-year change (同比) compares the range with the same days a year earlier: it needs both `from` and `to`',
    );
  if (!month) return { range: { from: yearEarlier(range.from), to: yearEarlier(range.to) }, cell: code };
  const earlier = `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
  if (ctx.policy.suppressionFor(ctx.viewer.agency) === null)
    return { range: { from: yearEarlier(range.from), to: yearEarlier(range.to) }, cell: cellId(code, earlier) };
  const days = { from: range.from > `${month}-01` ? range.from : `${month}-01`, to: range.to < lastDay(month) ? range.to : lastDay(month) };
  return { range: { from: yearEarlier(days.from), to: yearEarlier(days.to) }, cell: cellId(code, earlier) };
}

/**
 * The resolver of a statistics object's `yearOnYear` field: the change of each of `measures`
 * (counts that add up over time) against the same days a year earlier, as an object of the
 * `changes` type (a field per measure, and `suppressedFields`). Asked only when selected, so the
 * statistics cost no more without it.
 */
export function yearOnYearResolver<T extends Aggregate, Y extends Aggregate, M extends string>(declared: {
  type: new () => T;
  changes: new () => Y;
  source: StatisticsSource<M>;
  measures: ReadonlyArray<M & keyof T & keyof Y>;
}): Function {
  @Resolver(() => declared.type)
  class YearOnYearResolver {
    @FieldResolver(() => declared.changes, {
      nullable: true,
      description:
        'Year-on-year change (同比) of the counts that add up over time, against the same days one year earlier (the same month of a series): (this − last year) ÷ last year. Needs both `from` and `to`; for the aggregate-only agencies, the days a year earlier must be released months too.',
    })
    async yearOnYear(@Root() statistics: T, @Ctx() ctx: SubgraphContext): Promise<Y> {
      const at = whereCounted(statistics);
      if (!at) throw new Error(`${declared.type.name} was not counted by districtStatisticsResolvers`);
      const previous = previousOf(ctx, at);
      const current: Figures<M> = {
        values: Object.fromEntries(declared.measures.map((m) => [m, statistics[m] as unknown as number | null])) as Record<M, number | null>,
        suppressed: statistics.suppressedFields.filter((f): f is M => (declared.measures as readonly string[]).includes(f)),
      };
      return aggregate(declared.changes, yearOnYearFigures(declared.measures, current, await loadPrevious(ctx, declared.source, previous)));
    }
  }
  return YearOnYearResolver;
}

/** The previous period's figures; a period before the first release is refused naming the form that works. */
async function loadPrevious<M extends string>(
  ctx: SubgraphContext,
  source: StatisticsSource<M>,
  previous: { range: DayRange; cell: string },
): Promise<Figures<M>> {
  try {
    return await statisticsLoader(ctx, source, previous.range).load(previous.cell);
  } catch (err) {
    // The range itself was answered, so its year-earlier days (whole months too) can only fail by starting before the release.
    if (!(err instanceof GraphQLError) || err.extensions.code !== ErrorCode.BadUserInput) throw err;
    const first = await firstReleasedMonth(ctx.releases, source);
    const since = first ? `${Number(first.slice(0, 4)) + 1}${first.slice(4)}-01` : 'a year after the first release';
    throw badInput(
      'from',
      `year-on-year change (同比) compares with the same days a year earlier (${previous.range.from} to ${previous.range.to}), which are not released: ask it for ranges (or series months) from ${since} on`,
    );
  }
}
