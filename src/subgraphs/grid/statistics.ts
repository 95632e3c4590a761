import { Arg, Args, Ctx, Directive, Field, FieldResolver, Float, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { DayRangeArgs } from '../../analytics/args';
import { columnsOf } from '../../analytics/columns';
import { districtStatisticsResolvers } from '../../analytics/resolvers';
import { districtMonthId, flowOf, ownedFlow } from '../../analytics/computed';
import { checkDayRange, monthsOf, type DayRange } from '../../analytics/dayRange';
import { Aggregate, aggregate, mergeFigures, perTenThousand, sameAs } from '../../analytics/figures';
import { DEFAULT_GRANULARITY, type Granularity } from '../../analytics/release';
import { releaseRefresher } from '../../analytics/releaseStore';
import { yearOnYearResolver } from '../../analytics/yearOnYear';
import { flowStageLoader, flowStatisticsLoader, statisticsLoader, withheldMarks, type StatisticsSource } from '../../analytics/loaders';
import { cellId, type Figures } from '../../analytics/suppression';
import { cityDay, momentWithin, sql, startsWithAny } from '../../analytics/sql';
import type { SubgraphContext } from '../../kit/context';
import type { Stub } from '../../kit/extends';
import type { DepartmentColumns } from '../../shared/statisticsColumns';
import { District } from './entities';
import { DateScalar } from '../../shared/scalars';

@ObjectType({ description: 'Grid governance figures (网格化) of a district or township over a range of days (both ends included).' })
export class GridStatistics extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Events grid workers reported: disputes, hazards, public-order problems and service requests.' })
  eventsReported!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, disputes (矛盾纠纷).' })
  disputes!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, hazards (安全隐患).' })
  hazards!: number | null;

  @Field(() => Int, { nullable: true, description: 'Grid workers who reported at least one event.' })
  gridWorkersActive!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Residents in the grid registry (实有人口: registered and floating) at the end of last year, whatever the range: the registry as it stands, less the people born after that day (it records no moves).',
  })
  residents!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Disputes per 10,000 residents (万人矛盾纠纷数): `disputes` ÷ `residents` × 10,000; null when either is withheld (then named) or there are no residents.',
  })
  disputesPer10000Residents!: number | null;
}

@ObjectType({ description: 'Year-on-year change (同比) of the grid counts that add up over time: (this − last year) ÷ last year.' })
export class GridYearOnYear extends Aggregate {
  @Field(() => Float, { nullable: true, description: 'Change of `disputes`; null when last year had none, or (named) when either count is withheld.' })
  disputes!: number | null;
}

export type GridMeasure = 'eventsReported' | 'disputes' | 'hazards' | 'gridWorkersActive';

/**
 * The counts a hotspot map serves are released for grids too, per calendar year (grid months were
 * measured and left out: docs/analytics.md, "Hotspots"), with the lines township = Σ its grids.
 */
const WITH_GRIDS: Granularity = { ...DEFAULT_GRANULARITY, grid: ['year'] };

/** Every event counts once as reported, once more as a dispute or hazard, and names its reporter. */
export const GRID_STATISTICS: StatisticsSource<GridMeasure> = {
  name: 'grid',
  schema: 'grid',
  measures: [
    { name: 'eventsReported', overTime: true, granularity: WITH_GRIDS },
    // Disputes and hazards are events of different kinds: an attacker knows the order, and that events less both are the other kinds.
    { name: 'disputes', overTime: true, atMost: 'eventsReported', granularity: WITH_GRIDS },
    { name: 'hazards', overTime: true, atMost: 'eventsReported', besides: ['disputes'], granularity: WITH_GRIDS },
    { name: 'gridWorkersActive', overTime: false, distinct: true },
  ],
  events: (counties, range) => sql`
    select substr(e.grid_code, 1, 6) as county, substr(e.grid_code, 1, 9) as township, e.grid_code as grid, ${cityDay('e.reported_at')} as day, m.measure, m.subject
    from grid.grid_event e
    cross join lateral (values
      ('eventsReported', null::text),
      (case e.kind when 'DISPUTE' then 'disputes' when 'HAZARD' then 'hazards' end, null::text),
      ('gridWorkersActive', e.reported_by)) as m(measure, subject)
    where m.measure is not null and ${startsWithAny('e.grid_code', counties)} and ${momentWithin('e.reported_at', range)}`,
};

/** Made once: a formatter costs tens of microseconds, and a monthly series asks the year-end for every county and month. */
const CITY_YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' });

/**
 * The last 31 December before `today` in city time: the day the residents figure stands for. A
 * registry snapshot has no month of its own, so it is one cell per division in that December.
 */
export function residentsYearEnd(today = new Date()): string {
  const year = Number(CITY_YEAR.format(today));
  return `${year - 1}-12-31`;
}

/** The range the residents figure is released for: the December of `residentsYearEnd`. */
const residentsRange = (): DayRange => {
  const yearEnd = residentsYearEnd();
  return { from: `${yearEnd.slice(0, 7)}-01`, to: yearEnd };
};

/** Registered residents born by the year-end, one row each, dated that day: decided and released like any count. */
const RESIDENTS: StatisticsSource<'residents'> = {
  name: 'grid.residents',
  schema: 'grid',
  measures: [{ name: 'residents', overTime: false }],
  events: (counties, range) => {
    const yearEnd = residentsYearEnd();
    const within = (!range.from || range.from <= yearEnd) && (!range.to || yearEnd <= range.to);
    return sql`
    select substr(p.grid_code, 1, 6) as county, substr(p.grid_code, 1, 9) as township, ${yearEnd}::date as day, 'residents' as measure, null::text as subject
    from grid.person p
    where ${within}::boolean and p.birth_date <= ${yearEnd}::date and ${startsWithAny('p.grid_code', counties)}`;
  },
};

/** A division's year-end residents as the viewer gets them (released for analysts), whatever range or month is asked. */
function residentsOf(ctx: SubgraphContext, code: string): Promise<Figures<'residents'>> {
  return statisticsLoader(ctx, RESIDENTS, residentsRange()).load(cellId(code, null));
}

/** The grid's statistics object: its counts, the residents and the disputes per 10,000 of them. */
async function gridStatistics(code: string, figures: Figures<GridMeasure>, ctx: SubgraphContext): Promise<GridStatistics> {
  const people = await residentsOf(ctx, code);
  const rate = perTenThousand(figures.values.disputes, people.values.residents, 'disputesPer10000Residents');
  return aggregate(GridStatistics, mergeFigures(mergeFigures(figures, people), rate));
}

@ObjectType({
  description: "One calendar month of a division's figures within a range: every department adds its own statistics for the days of the range in that month.",
})
@Directive('@key(fields: "id")')
export class DistrictMonth {
  @Field(() => ID, { description: 'Opaque: the division, the range of the series and the month.' })
  id!: string;

  @Field({ description: 'The district (6 digits) or township (9 digits).' })
  code!: string;

  @Field({ description: 'YYYY-MM' })
  month!: string;

  range!: DayRange;
}

export const DisputeFlow = ownedFlow(
  'DisputeFlow',
  "Dispute outcomes (矛盾纠纷化解) of the disputes grid workers reported in a division over a range: how many went to people's mediation and were settled there, and how many a court confirmed or heard as a lawsuit. Each stage is counted by the department that holds it, from the keys of the stage before (never returned to callers).",
  'the disputes were reported in',
);
export type DisputeFlow = Stub<typeof DisputeFlow>;

@ObjectType({ description: 'The grid stage of a dispute flow.' })
export class GridDisputeStage extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Disputes grid workers reported in the division over the range.' })
  disputesReported!: number | null;
}

/**
 * The keys of the disputes reported in the counties over the range (each tagged with its township),
 * for the mediation stage. (Their number is the district statistic `disputes`.)
 */
function disputeStage(ctx: SubgraphContext, range: DayRange) {
  return flowStageLoader(
    ctx,
    'grid.disputes',
    range,
    [],
    (counties) => sql`
    select county, township, grouping(township) as all_townships, array_agg(township || '|' || id order by id) as keys
    from (select substr(grid_code, 1, 6) as county, substr(grid_code, 1, 9) as township, id from grid.grid_event
      where kind = 'DISPUTE' and ${startsWithAny('grid_code', counties)} and ${momentWithin('reported_at', range)}) d
    group by grouping sets ((county), (county, township))`,
  );
}

export const [GridStatisticsResolver, DistrictMonthResolver] = districtStatisticsResolvers({
  field: 'gridStatistics',
  type: GridStatistics,
  source: GRID_STATISTICS,
  district: {
    type: District,
    description: 'Events reported by grid workers in the district or township, between `from` and `to` (YYYY-MM-DD, both included, optional).',
  },
  month: { type: DistrictMonth, description: "Grid figures of the month's days within the range." },
  build: (code, figures, ctx) => gridStatistics(code, figures, ctx),
});

export const GridYearOnYearResolver = yearOnYearResolver({ type: GridStatistics, changes: GridYearOnYear, source: GRID_STATISTICS, measures: ['disputes'] });

@Resolver(() => District)
export class DistrictStatisticsResolver {
  @FieldResolver(() => [DistrictMonth], {
    nullable: true,
    description: "The months from `from` to `to` (both required, at most 60 months), each carrying every department's statistics for its days of the range.",
  })
  monthly(
    @Root() district: District,
    @Arg('from', () => DateScalar, { description: 'First day of the range, YYYY-MM-DD (inclusive).' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Last day of the range, YYYY-MM-DD (inclusive).' }) to: string,
  ): DistrictMonth[] {
    const range = checkDayRange(from, to);
    return monthsOf(range).map((month) =>
      Object.assign(new DistrictMonth(), { id: districtMonthId(district.code, range, month), code: district.code, month, range }),
    );
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "The division's year-end residents as the viewer gets them (`GridStatistics.residents`), for the rates other departments divide by it; null when withheld.",
  })
  @Directive('@inaccessible')
  async residents(@Root() district: District, @Ctx() ctx: SubgraphContext): Promise<number | null> {
    return (await residentsOf(ctx, district.code)).values.residents;
  }

  @FieldResolver(() => DisputeFlow, {
    nullable: true,
    description: 'What became of the disputes reported in the district or township between `from` and `to` (YYYY-MM-DD, both included, optional).',
  })
  disputeFlow(@Root() district: District, @Args(() => DayRangeArgs) { from, to }: DayRangeArgs): DisputeFlow {
    const range = checkDayRange(from, to);
    return flowOf(DisputeFlow, district.code, range);
  }
}

@Resolver(() => DistrictMonth)
export class DistrictMonthResidentsResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: "The division's year-end residents as the viewer gets them, for the rates other departments divide a month's counts by; null when withheld.",
  })
  @Directive('@inaccessible')
  async residents(@Root() month: DistrictMonth, @Ctx() ctx: SubgraphContext): Promise<number | null> {
    return (await residentsOf(ctx, month.code)).values.residents;
  }
}

@Resolver(() => DisputeFlow)
export class DisputeFlowResolver {
  @FieldResolver(() => GridDisputeStage, { nullable: true, description: 'Disputes reported.' })
  async grid(@Root() flow: DisputeFlow, @Ctx() ctx: SubgraphContext): Promise<GridDisputeStage> {
    return aggregate(GridDisputeStage, sameAs(await flowStatisticsLoader(ctx, GRID_STATISTICS, flow.range).load(flow.code), 'disputes', 'disputesReported'));
  }

  @FieldResolver(() => [String], { nullable: true, description: 'Keys of the reported disputes, for the next stage only.' })
  @Directive('@inaccessible')
  async disputeEventKeys(@Root() flow: DisputeFlow, @Ctx() ctx: SubgraphContext): Promise<string[]> {
    // Withheld reported disputes withhold what became of them.
    const reported = await flowStatisticsLoader(ctx, GRID_STATISTICS, flow.range).load(flow.code);
    const withheld = reported.withheldIn('disputes');
    return (await disputeStage(ctx, flow.range).load({ key: flow, upstream: withheldMarks(withheld) })).keys;
  }
}

/** The grid's columns in the statistics export. */
export const gridColumns: DepartmentColumns = {
  districts: columnsOf(GridStatistics, 'gridStatistics', '网格', {
    eventsReported: '上报事件',
    disputes: '矛盾纠纷',
    hazards: '安全隐患',
    gridWorkersActive: '上报网格员',
    residents: '实有人口',
    disputesPer10000Residents: '万人矛盾纠纷数',
  }),
  disputeFlow: { stage: 1, ...columnsOf(GridDisputeStage, 'grid', '网格', { disputesReported: '上报纠纷' }) },
};

/** Decides and stores the grid department's statistics release. */
export const refreshGridStatistics = releaseRefresher(GRID_STATISTICS, RESIDENTS);
