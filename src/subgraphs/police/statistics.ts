import { Args, Ctx, Directive, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { DayRangeArgs } from '../../analytics/args';
import { columnsOf } from '../../analytics/columns';
import { districtStatisticsResolvers } from '../../analytics/resolvers';
import { flowOf, ownedFlow } from '../../analytics/computed';
import { checkDayRange, type DayRange } from '../../analytics/dayRange';
import { Aggregate, aggregate, mergeFigures, perTenThousand, sameAs } from '../../analytics/figures';
import { releaseRefresher } from '../../analytics/releaseStore';
import { yearOnYearResolver } from '../../analytics/yearOnYear';
import { flowStageLoader, flowStatisticsLoader, withheldMarks, type StatisticsSource } from '../../analytics/loaders';
import { type Figures } from '../../analytics/suppression';
import { cityDay, dayWithin, momentWithin, sql, startsWithAny } from '../../analytics/sql';
import type { SubgraphContext } from '../../kit/context';
import type { Stub } from '../../kit/extends';
import type { DepartmentColumns } from '../../shared/statisticsColumns';
import { District, DistrictMonth } from './extends';

@ObjectType({ description: 'Police figures of a district or township over a date range (both ends included).' })
export class PoliceStatistics extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Incidents (警情) reported in the range.' })
  incidents!: number | null;

  @Field(() => Int, { nullable: true, description: 'Criminal cases filed (立案) in the range.' })
  casesFiled!: number | null;

  @Field(() => Int, { nullable: true, description: 'Cases transferred for prosecution review (移送审查起诉) in the range.' })
  casesTransferred!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Incidents per 10,000 residents (万人警情数): `incidents` ÷ grid's year-end residents × 10,000; null when either is withheld (then named) or there are no residents.",
  })
  incidentsPer10000Residents!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Criminal cases filed per 10,000 residents (万人刑事立案数, the 万人发案率): `casesFiled` ÷ grid's year-end residents × 10,000; null when either is withheld (then named) or there are no residents.",
  })
  casesFiledPer10000Residents!: number | null;
}

@ObjectType({ description: 'Year-on-year change (同比) of the police counts that add up over time: (this − last year) ÷ last year.' })
export class PoliceYearOnYear extends Aggregate {
  @Field(() => Float, { nullable: true, description: 'Change of `incidents`; null when last year had none, or (named) when either count is withheld.' })
  incidents!: number | null;

  @Field(() => Float, { nullable: true, description: 'Change of `casesFiled`; null when last year had none, or (named) when either count is withheld.' })
  casesFiled!: number | null;
}

type PoliceMeasure = 'incidents' | 'casesFiled' | 'casesTransferred';

/** Incidents by the day reported (city time), cases by the day filed and the day transferred; all placed by their grid. */
const POLICE_STATISTICS: StatisticsSource<PoliceMeasure> = {
  name: 'police',
  schema: 'police',
  measures: [
    { name: 'incidents', overTime: true },
    { name: 'casesFiled', overTime: true },
    { name: 'casesTransferred', overTime: true },
  ],
  events: (counties, range) => sql`
    select substr(grid_code, 1, 6) as county, substr(grid_code, 1, 9) as township, ${cityDay('reported_at')} as day, 'incidents' as measure, null::text as subject
      from police.incident where ${startsWithAny('grid_code', counties)} and ${momentWithin('reported_at', range)}
    union all
    select substr(grid_code, 1, 6), substr(grid_code, 1, 9), filed_on, 'casesFiled', null
      from police.police_case where ${startsWithAny('grid_code', counties)} and ${dayWithin('filed_on', range)}
    union all
    select substr(grid_code, 1, 6), substr(grid_code, 1, 9), transferred_on, 'casesTransferred', null
      from police.police_case where ${startsWithAny('grid_code', counties)} and ${dayWithin('transferred_on', range)}`,
};

export const CaseFlow = ownedFlow(
  'CaseFlow',
  'The criminal case flow (刑事案件流转) of the cases the police filed in a division over a range: how many were transferred, prosecuted, tried, convicted and served in community corrections. Each stage is counted by the department that holds it, from the keys of the stage before (never returned to callers); cases stay attributed to the township the police filed them in.',
  'the cases were filed in',
);
export type CaseFlow = Stub<typeof CaseFlow>;

@ObjectType({ description: 'The police stage of a case flow.' })
export class PoliceCaseFlowStage extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Criminal cases filed (立案) in the division over the range.' })
  filed!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, the ones transferred for prosecution review (移送审查起诉) since.' })
  transferred!: number | null;
}

/**
 * Cases filed in the counties over the range that were transferred since; their keys go on to the
 * procuratorate. (The cases filed are the district statistic `casesFiled`.)
 */
function policeStage(ctx: SubgraphContext, range: DayRange) {
  return flowStageLoader(
    ctx,
    'police.cases',
    range,
    [{ name: 'transferred', overTime: true }],
    (counties) => sql`
    select county, township, grouping(township) as all_townships, count(*) filter (where transferred) as "transferred",
      array_agg(township || '|' || case_no order by case_no) filter (where transferred) as keys
    from (select substr(grid_code, 1, 6) as county, substr(grid_code, 1, 9) as township, case_no, transferred_on is not null as transferred
      from police.police_case where ${startsWithAny('grid_code', counties)} and ${dayWithin('filed_on', range)}) c
    group by grouping sets ((county), (county, township))`,
  );
}

/** The cases filed (the district statistic) and the police stage, whose counts are withheld wherever the cases filed are. */
async function policeFlow(ctx: SubgraphContext, flow: CaseFlow) {
  const statistics = await flowStatisticsLoader(ctx, POLICE_STATISTICS, flow.range).load(flow.code);
  const withheld = statistics.withheldIn('casesFiled');
  const stage = await policeStage(ctx, flow.range).load({ key: flow, upstream: withheldMarks(withheld) });
  return { statistics, stage };
}

/**
 * The police's statistics object: its counts, and incidents and cases filed per 10,000 of the
 * residents grid gave this viewer for the division (the gateway fetches them under grid's
 * decision: released for analysts, null when withheld or denied).
 */
function policeStatistics(_code: string, figures: Figures<PoliceMeasure>, _ctx: SubgraphContext, on: { residents: number | null }): PoliceStatistics {
  const rate = (measure: 'incidents' | 'casesFiled') => perTenThousand(figures.values[measure], on.residents, `${measure}Per10000Residents` as const);
  return aggregate(PoliceStatistics, mergeFigures(mergeFigures(figures, rate('incidents')), rate('casesFiled')));
}

export const [PoliceStatisticsResolver, DistrictMonthResolver] = districtStatisticsResolvers({
  field: 'policeStatistics',
  type: PoliceStatistics,
  source: POLICE_STATISTICS,
  district: {
    type: District,
    description:
      'Incidents reported, cases filed and cases transferred for prosecution in the district or township, between `from` and `to` (YYYY-MM-DD, both included, optional).',
  },
  month: { type: DistrictMonth, description: "Police figures of the month's days within the range." },
  build: policeStatistics,
  requires: 'residents',
});

export const PoliceYearOnYearResolver = yearOnYearResolver({
  type: PoliceStatistics,
  changes: PoliceYearOnYear,
  source: POLICE_STATISTICS,
  measures: ['incidents', 'casesFiled'],
});

@Resolver(() => District)
export class DistrictResolver {
  @FieldResolver(() => CaseFlow, {
    nullable: true,
    description: 'What became of the criminal cases filed in the district or township between `from` and `to` (YYYY-MM-DD, both included, optional).',
  })
  caseFlow(@Root() district: District, @Args(() => DayRangeArgs) { from, to }: DayRangeArgs): CaseFlow {
    const range = checkDayRange(from, to);
    return flowOf(CaseFlow, district.code, range);
  }
}

@Resolver(() => CaseFlow)
export class CaseFlowResolver {
  @FieldResolver(() => PoliceCaseFlowStage, { nullable: true, description: 'Cases filed and transferred.' })
  async police(@Root() flow: CaseFlow, @Ctx() ctx: SubgraphContext): Promise<PoliceCaseFlowStage> {
    const { statistics, stage } = await policeFlow(ctx, flow);
    return aggregate(PoliceCaseFlowStage, mergeFigures(sameAs(statistics, 'casesFiled', 'filed'), stage.figures));
  }

  @FieldResolver(() => [String], { nullable: true, description: 'Keys of the transferred cases, for the next stage only.' })
  @Directive('@inaccessible')
  async transferredCaseKeys(@Root() flow: CaseFlow, @Ctx() ctx: SubgraphContext): Promise<string[]> {
    return (await policeFlow(ctx, flow)).stage.keys;
  }
}

/** The police's columns in the statistics export. */
export const policeColumns: DepartmentColumns = {
  districts: columnsOf(PoliceStatistics, 'policeStatistics', '公安', {
    incidents: '警情',
    casesFiled: '刑事立案',
    casesTransferred: '移送审查起诉',
    incidentsPer10000Residents: '万人警情数',
    casesFiledPer10000Residents: '万人刑事立案数',
  }),
  caseFlow: { stage: 1, ...columnsOf(PoliceCaseFlowStage, 'police', '公安', { filed: '立案', transferred: '移送审查起诉' }) },
};

/** Decides and stores the police department's statistics release. */
export const refreshPoliceStatistics = releaseRefresher(POLICE_STATISTICS);
