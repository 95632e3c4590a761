import { Ctx, Directive, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { columnsOf } from '../../analytics/columns';
import { districtStatisticsResolvers } from '../../analytics/resolvers';
import { type DayRange } from '../../analytics/dayRange';
import { Aggregate, aggregate } from '../../analytics/figures';
import { releaseRefresher } from '../../analytics/releaseStore';
import { yearOnYearResolver } from '../../analytics/yearOnYear';
import { flowStageLoader, type StatisticsSource } from '../../analytics/loaders';
import { dayWithin, sql, startsWithAny } from '../../analytics/sql';
import type { SubgraphContext } from '../../kit/context';
import type { DepartmentColumns } from '../../shared/statisticsColumns';
import { CaseFlow, DisputeFlow, District, DistrictMonth } from './extends';

@ObjectType({
  description: 'Court figures of a district or township over a period (dates inclusive): first-instance and enforcement cases; appeals (二审) are not counted.',
})
export class CourtStatistics extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Cases filed (立案) in the period.' })
  casesFiled!: number | null;

  @Field(() => Int, { nullable: true, description: 'Cases concluded (结案) in the period.' })
  casesConcluded!: number | null;

  @Field(() => Int, { nullable: true, description: 'Criminal cases ending in a guilty verdict in the period.' })
  convictions!: number | null;

  @Field(() => Int, { nullable: true, description: 'Civil cases settled by court mediation in the period.' })
  mediatedSettlements!: number | null;

  @Field(() => Int, { nullable: true, description: 'Mediation agreements confirmed by the court (司法确认) in the period.' })
  judicialConfirmations!: number | null;
}

@ObjectType({ description: 'Year-on-year change (同比) of the court counts that add up over time: (this − last year) ÷ last year.' })
export class CourtYearOnYear extends Aggregate {
  @Field(() => Float, { nullable: true, description: 'Change of `casesFiled`; null when last year had none, or (named) when either count is withheld.' })
  casesFiled!: number | null;
}

type CourtMeasure = 'casesFiled' | 'casesConcluded' | 'convictions' | 'mediatedSettlements' | 'judicialConfirmations';

/**
 * Cases placed in the township where the matter arose: filed cases on the filing day, the others
 * on the day they were concluded (a concluded case also counts under its verdict). The basic
 * courts' cases only: an appeal (二审, 刑终/民终) is the same matter heard again, not another case
 * of the township, so it is left out rather than counted twice (docs/domain.md, "Appeals").
 */
const COURT_STATISTICS: StatisticsSource<CourtMeasure> = {
  name: 'court',
  schema: 'court',
  measures: (['casesFiled', 'casesConcluded', 'convictions', 'mediatedSettlements', 'judicialConfirmations'] as const).map((name) => ({
    name,
    overTime: true,
  })),
  events: (counties, range) => sql`
    select substr(township_code, 1, 6) as county, township_code as township, filed_on as day, 'casesFiled' as measure, null::text as subject
      from court.court_case where appeal_of_case_no is null and ${startsWithAny('township_code', counties)} and ${dayWithin('filed_on', range)}
    union all
    select substr(c.township_code, 1, 6), c.township_code, c.concluded_on, m.measure, null
      from court.court_case c
      cross join lateral (values ('casesConcluded'), (case c.verdict
        when 'GUILTY' then 'convictions' when 'MEDIATED' then 'mediatedSettlements' when 'CONFIRMED' then 'judicialConfirmations' end)) as m(measure)
      where m.measure is not null and c.appeal_of_case_no is null and ${startsWithAny('c.township_code', counties)} and ${dayWithin('c.concluded_on', range)}`,
};

@ObjectType({ description: 'The court stage of a case flow.' })
export class CourtCaseFlowStage extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Prosecuted cases the court filed for criminal trial (刑事一审立案).' })
  tried!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, the ones ending in a guilty verdict.' })
  convicted!: number | null;
}

@ObjectType({ description: 'The court stage of a dispute flow.' })
export class CourtDisputeStage extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Mediation agreements the parties brought for judicial confirmation (司法确认, 民特).' })
  judicialConfirmations!: number | null;

  @Field(() => Int, { nullable: true, description: 'Civil lawsuits (民初) filed after the mediation.' })
  lawsuits!: number | null;
}

/** Criminal cases brought by the prosecutions received, by prosecution case number; the convictions go on to corrections. */
function courtCaseStage(ctx: SubgraphContext, range: DayRange) {
  return flowStageLoader(
    ctx,
    'court.trials',
    range,
    [
      { name: 'tried', overTime: true },
      { name: 'convicted', overTime: true },
    ],
    (_counties, upstream) => sql`
    select upstream.county, upstream.township, grouping(upstream.township) as all_townships,
      count(*) as "tried", count(*) filter (where c.verdict = 'GUILTY') as "convicted",
      array_agg(upstream.township || '|' || c.case_no order by c.case_no) filter (where c.verdict = 'GUILTY') as keys
    from ${upstream} join court.court_case c on c.prosecution_case_no = upstream.key
    group by grouping sets ((upstream.county), (upstream.county, upstream.township))`,
  );
}

/** Court cases following the mediations received, by mediation case id: the last stage. */
function courtDisputeStage(ctx: SubgraphContext, range: DayRange) {
  const measures = [
    { name: 'judicialConfirmations', overTime: true },
    { name: 'lawsuits', overTime: true },
  ] as const;
  return flowStageLoader(
    ctx,
    'court.mediations',
    range,
    measures,
    (_counties, upstream) => sql`
    select upstream.county, upstream.township, grouping(upstream.township) as all_townships,
      count(*) filter (where c.kind = 'SPECIAL_PROCEDURE') as "judicialConfirmations",
      count(*) filter (where c.kind = 'CIVIL') as "lawsuits", null::text[] as keys
    from ${upstream} join court.court_case c on c.mediation_case_id = upstream.key
    group by grouping sets ((upstream.county), (upstream.county, upstream.township))`,
  );
}

export const [DistrictResolver, DistrictMonthResolver] = districtStatisticsResolvers({
  field: 'courtStatistics',
  type: CourtStatistics,
  source: COURT_STATISTICS,
  district: { type: District, description: 'Court figures for cases that arose in the division, over an optional period (both days included).' },
  month: { type: DistrictMonth, description: "Court figures of the month's days within the range." },
});

export const CourtYearOnYearResolver = yearOnYearResolver({
  type: CourtStatistics,
  changes: CourtYearOnYear,
  source: COURT_STATISTICS,
  measures: ['casesFiled'],
});

@Resolver(() => CaseFlow)
export class CaseFlowResolver {
  @FieldResolver(() => CourtCaseFlowStage, { nullable: true, description: 'Prosecuted cases tried, and convicted.' })
  @Directive('@requires(fields: "prosecutedCaseKeys")')
  async court(@Root() flow: CaseFlow, @Ctx() ctx: SubgraphContext): Promise<CourtCaseFlowStage> {
    return aggregate(CourtCaseFlowStage, (await courtCaseStage(ctx, flow.range).load({ key: flow, upstream: flow.prosecutedCaseKeys ?? [] })).figures);
  }

  @FieldResolver(() => [String], { nullable: true, description: 'Keys of the convictions, for the next stage only.' })
  @Directive('@requires(fields: "prosecutedCaseKeys")')
  @Directive('@inaccessible')
  async convictedCaseKeys(@Root() flow: CaseFlow, @Ctx() ctx: SubgraphContext): Promise<string[]> {
    return (await courtCaseStage(ctx, flow.range).load({ key: flow, upstream: flow.prosecutedCaseKeys ?? [] })).keys;
  }
}

@Resolver(() => DisputeFlow)
export class DisputeFlowResolver {
  @FieldResolver(() => CourtDisputeStage, { nullable: true, description: 'Mediations that went to court: confirmed, or followed by a lawsuit.' })
  @Directive('@requires(fields: "mediationCaseKeys")')
  async court(@Root() flow: DisputeFlow, @Ctx() ctx: SubgraphContext): Promise<CourtDisputeStage> {
    return aggregate(CourtDisputeStage, (await courtDisputeStage(ctx, flow.range).load({ key: flow, upstream: flow.mediationCaseKeys ?? [] })).figures);
  }
}

/** The court's columns in the statistics export. */
export const courtColumns: DepartmentColumns = {
  districts: columnsOf(CourtStatistics, 'courtStatistics', '法院', {
    casesFiled: '立案',
    casesConcluded: '结案',
    convictions: '有罪判决',
    mediatedSettlements: '调解结案',
    judicialConfirmations: '司法确认',
  }),
  caseFlow: { stage: 3, ...columnsOf(CourtCaseFlowStage, 'court', '法院', { tried: '刑事一审立案', convicted: '有罪判决' }) },
  disputeFlow: { stage: 3, ...columnsOf(CourtDisputeStage, 'court', '法院', { judicialConfirmations: '司法确认', lawsuits: '民事起诉' }) },
};

/** Decides and stores the court department's statistics release. */
export const refreshCourtStatistics = releaseRefresher(COURT_STATISTICS);
