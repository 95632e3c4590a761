import { Ctx, Directive, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { columnsOf } from '../../analytics/columns';
import { districtStatisticsResolvers } from '../../analytics/resolvers';
import { type DayRange } from '../../analytics/dayRange';
import { Aggregate, aggregate } from '../../analytics/figures';
import type { Granularity } from '../../analytics/release';
import { releaseRefresher } from '../../analytics/releaseStore';
import { yearOnYearResolver } from '../../analytics/yearOnYear';
import { flowStageLoader, type StatisticsSource } from '../../analytics/loaders';
import { dayWithin, sql, startsWithAny, type SqlFragment } from '../../analytics/sql';
import { type Figures } from '../../analytics/suppression';
import type { SubgraphContext } from '../../kit/context';
import type { DepartmentColumns } from '../../shared/statisticsColumns';
import { CaseFlow, DisputeFlow, District, DistrictMonth } from './extends';

/**
 * The time a people's mediation should take: "人民调解委员会调解纠纷，一般在一个月内调结" (司法部
 * 《人民调解工作若干规定》, 2002, art. 33; the 人民调解法 of 2010 sets no limit of its own). Taken as
 * 30 days from the start, the closing day included.
 */
export const MEDIATION_DAYS = 30;

@ObjectType({ description: "The justice bureau's figures for a district or township. Judicial confirmations are counted by the court." })
export class JusticeStatistics extends Aggregate {
  @Field(() => Int, { nullable: true, description: "People's mediation cases started in the range." })
  mediationCases!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Of those, the ones that ended in an agreement. For the aggregate-only agencies, released per district and city calendar year only (withheld otherwise).',
  })
  mediationsSucceeded!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Succeeded ÷ closed (succeeded or failed) among those cases; null when none is closed, or when either count is withheld.',
  })
  successRate!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: `Of those cases, the ones closed (succeeded or failed) within ${MEDIATION_DAYS} days of their start (一个月内调结). For the aggregate-only agencies, released per district and city calendar year only (withheld otherwise).`,
  })
  mediationsClosedOnTime!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: `On-time closure rate (按期调结率): closed within ${MEDIATION_DAYS} days ÷ closed, among the cases started in the range; null when none is closed, or when either count is withheld.`,
  })
  onTimeClosureRate!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'People whose community correction overlaps the range; without a range, those under correction now. Null for a township (recorded per district).',
  })
  peopleUnderCorrection!: number | null;

  @Field(() => Int, { nullable: true, description: 'Legal aid applications made in the range. Null for a township (recorded per district).' })
  legalAidCases!: number | null;
}

@ObjectType({ description: 'Year-on-year change (同比) of the justice counts that add up over time: (this − last year) ÷ last year.' })
export class JusticeYearOnYear extends Aggregate {
  @Field(() => Float, { nullable: true, description: 'Change of `mediationCases`; null when last year had none, or (named) when either count is withheld.' })
  mediationCases!: number | null;
}

export type JusticeMeasure =
  'mediationCases' | 'mediationsSucceeded' | 'mediationsClosed' | 'mediationsClosedOnTime' | 'peopleUnderCorrection' | 'legalAidCases';

/** People under correction: one event per person and month of the range their correction overlaps, or, without a range, per running correction. */
function corrections(counties: readonly string[], { from, to }: DayRange): SqlFragment {
  if (!from && !to) {
    return sql`select district_code, start_on as day, person_id from justice.community_correction
      where status = 'ACTIVE' and ${startsWithAny('district_code', counties)}`;
  }
  return sql`select c.district_code, greatest(gs::date, c.start_on, coalesce(${from}::date, c.start_on)) as day, c.person_id
    from justice.community_correction c
    cross join lateral generate_series(date_trunc('month', greatest(c.start_on, coalesce(${from}::date, c.start_on))),
      least(c.end_on, coalesce(${to}::date, c.end_on)), interval '1 month') as gs
    where ${startsWithAny('c.district_code', counties)} and (${to}::date is null or c.start_on <= ${to}::date) and (${from}::date is null or c.end_on >= ${from}::date)`;
}

/**
 * The closure counts behind the two rates are released per county and city year only (the lead's
 * decision, issue #19): in a past month every mediation is closed, so a closed count lies between
 * the published succeeded and started counts, an interval as wide as the month's failures — a
 * handful in a township month, which withheld every closed cell up to the city at city scale. A
 * county's failures over a year are tens, and a rate is read per year anyway.
 */
const CLOSURES: Granularity = { city: ['year'], county: ['year'] };

/**
 * Mediations by the day started, placed at their mediation point's township; corrections and legal
 * aid are recorded per district only (no township). `mediationsClosed` only feeds the two rates.
 */
const JUSTICE_STATISTICS: StatisticsSource<JusticeMeasure> = {
  name: 'justice',
  schema: 'justice',
  measures: [
    { name: 'mediationCases', overTime: true },
    // Succeeded and on time are closed mediations, and closed ones were started: an attacker knows the order.
    { name: 'mediationsSucceeded', overTime: true, atMost: 'mediationsClosed', granularity: CLOSURES },
    { name: 'mediationsClosed', overTime: true, atMost: 'mediationCases', granularity: CLOSURES },
    { name: 'mediationsClosedOnTime', overTime: true, atMost: 'mediationsClosed', granularity: CLOSURES },
    { name: 'peopleUnderCorrection', overTime: false, distinct: true },
    { name: 'legalAidCases', overTime: true },
  ],
  events: (counties, range) => sql`
    select m.district_code as county, m.township_code as township, m.started_on as day, k.measure, null::text as subject
      from justice.mediation_case m
      cross join lateral (values ('mediationCases'),
        (case when m.outcome = 'SUCCEEDED' then 'mediationsSucceeded' end),
        (case when m.outcome <> 'IN_PROGRESS' then 'mediationsClosed' end),
        (case when m.outcome <> 'IN_PROGRESS' and m.closed_on <= m.started_on + ${MEDIATION_DAYS}::int then 'mediationsClosedOnTime' end)) as k(measure)
      where k.measure is not null and ${startsWithAny('m.township_code', counties)} and ${dayWithin('m.started_on', range)}
    union all
    select district_code, null, day, 'peopleUnderCorrection', person_id from (${corrections(counties, range)}) c
    union all
    select district_code, null, applied_on, 'legalAidCases', null
      from justice.legal_aid_case where ${startsWithAny('district_code', counties)} and ${dayWithin('applied_on', range)}`,
};

/** The statistics object of a district or township from its figures: the rate from the published counts. */
export function justiceStatistics(code: string, { values, suppressed }: Figures<JusticeMeasure>): JusticeStatistics {
  const perDistrict = code.length === 6;
  const { mediationsSucceeded: succeeded, mediationsClosed: closed, mediationsClosedOnTime: onTime } = values;
  // A ratio of published counts only: withheld with either of them, so it gives no withheld count away.
  const rateWithheld = succeeded === null || closed === null;
  const onTimeWithheld = onTime === null || closed === null;
  return Object.assign(new JusticeStatistics(), {
    mediationCases: values.mediationCases,
    mediationsSucceeded: succeeded,
    successRate: rateWithheld || closed === 0 ? null : succeeded / closed,
    mediationsClosedOnTime: onTime,
    onTimeClosureRate: onTimeWithheld || closed === 0 ? null : onTime / closed,
    peopleUnderCorrection: perDistrict ? values.peopleUnderCorrection : null,
    legalAidCases: perDistrict ? values.legalAidCases : null,
    suppressedFields: [
      ...suppressed.filter(
        (f) =>
          f === 'mediationCases' ||
          f === 'mediationsSucceeded' ||
          f === 'mediationsClosedOnTime' ||
          (perDistrict && (f === 'peopleUnderCorrection' || f === 'legalAidCases')),
      ),
      ...(rateWithheld ? ['successRate'] : []),
      ...(onTimeWithheld ? ['onTimeClosureRate'] : []),
    ],
  });
}

@ObjectType({ description: 'The justice bureau stage of a case flow.' })
export class JusticeCaseFlowStage extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Convictions served as community corrections (社区矫正).' })
  communityCorrections!: number | null;
}

@ObjectType({ description: "The people's mediation stage of a dispute flow." })
export class JusticeDisputeStage extends Aggregate {
  @Field(() => Int, { nullable: true, description: "Reported disputes that went to people's mediation (人民调解)." })
  mediated!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, settled by an agreement.' })
  succeeded!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, failed.' })
  failed!: number | null;
}

/** Corrections serving the convictions received, by court case number: the last stage. */
function correctionStage(ctx: SubgraphContext, range: DayRange) {
  return flowStageLoader(
    ctx,
    'justice.corrections',
    range,
    [{ name: 'communityCorrections', overTime: true }],
    (_counties, upstream) => sql`
    select upstream.county, upstream.township, grouping(upstream.township) as all_townships, count(*) as "communityCorrections", null::text[] as keys
    from ${upstream} join justice.community_correction c on c.court_case_no = upstream.key
    group by grouping sets ((upstream.county), (upstream.county, upstream.township))`,
  );
}

/** Mediations of the disputes received, by grid event id; all of them go on to the court stage. */
function mediationStage(ctx: SubgraphContext, range: DayRange) {
  const measures = [
    { name: 'mediated', overTime: true },
    { name: 'succeeded', overTime: true },
    { name: 'failed', overTime: true },
  ] as const;
  return flowStageLoader(
    ctx,
    'justice.mediations',
    range,
    measures,
    (_counties, upstream) => sql`
    select upstream.county, upstream.township, grouping(upstream.township) as all_townships,
      count(*) as "mediated", count(*) filter (where m.outcome = 'SUCCEEDED') as "succeeded", count(*) filter (where m.outcome = 'FAILED') as "failed",
      array_agg(upstream.township || '|' || m.id order by m.id) as keys
    from ${upstream} join justice.mediation_case m on m.grid_event_id = upstream.key
    group by grouping sets ((upstream.county), (upstream.county, upstream.township))`,
  );
}

export const [DistrictJusticeResolver, DistrictMonthJusticeResolver] = districtStatisticsResolvers({
  field: 'justiceStatistics',
  type: JusticeStatistics,
  source: JUSTICE_STATISTICS,
  district: { type: District, description: 'Mediation, community correction and legal aid figures; days YYYY-MM-DD, both ends inclusive.' },
  month: { type: DistrictMonth, description: "Justice figures of the month's days within the range." },
  build: justiceStatistics,
});

export const JusticeYearOnYearResolver = yearOnYearResolver({
  type: JusticeStatistics,
  changes: JusticeYearOnYear,
  source: JUSTICE_STATISTICS,
  measures: ['mediationCases'],
});

@Resolver(() => CaseFlow)
export class CaseFlowJusticeResolver {
  @FieldResolver(() => JusticeCaseFlowStage, { nullable: true, description: 'Convictions served in community corrections.' })
  @Directive('@requires(fields: "convictedCaseKeys")')
  async justice(@Root() flow: CaseFlow, @Ctx() ctx: SubgraphContext): Promise<JusticeCaseFlowStage> {
    const stage = await correctionStage(ctx, flow.range).load({ key: flow, upstream: flow.convictedCaseKeys ?? [] });
    return aggregate(JusticeCaseFlowStage, stage.figures);
  }
}

@Resolver(() => DisputeFlow)
export class DisputeFlowJusticeResolver {
  @FieldResolver(() => JusticeDisputeStage, { nullable: true, description: 'Disputes mediated, settled and failed.' })
  @Directive('@requires(fields: "disputeEventKeys")')
  async justice(@Root() flow: DisputeFlow, @Ctx() ctx: SubgraphContext): Promise<JusticeDisputeStage> {
    const stage = await mediationStage(ctx, flow.range).load({ key: flow, upstream: flow.disputeEventKeys ?? [] });
    return aggregate(JusticeDisputeStage, stage.figures);
  }

  @FieldResolver(() => [String], { nullable: true, description: 'Keys of the mediations, for the next stage only.' })
  @Directive('@requires(fields: "disputeEventKeys")')
  @Directive('@inaccessible')
  async mediationCaseKeys(@Root() flow: DisputeFlow, @Ctx() ctx: SubgraphContext): Promise<string[]> {
    return (await mediationStage(ctx, flow.range).load({ key: flow, upstream: flow.disputeEventKeys ?? [] })).keys;
  }
}

/** The justice bureau's columns in the statistics export. */
export const justiceColumns: DepartmentColumns = {
  districts: columnsOf(JusticeStatistics, 'justiceStatistics', '司法', {
    mediationCases: '人民调解',
    mediationsSucceeded: '调解成功',
    successRate: '调解成功率',
    mediationsClosedOnTime: '按期调结',
    onTimeClosureRate: '按期调结率',
    peopleUnderCorrection: '社区矫正人数',
    legalAidCases: '法律援助',
  }),
  caseFlow: { stage: 4, ...columnsOf(JusticeCaseFlowStage, 'justice', '司法', { communityCorrections: '社区矫正' }) },
  disputeFlow: { stage: 2, ...columnsOf(JusticeDisputeStage, 'justice', '司法', { mediated: '人民调解', succeeded: '调解成功', failed: '调解未成' }) },
};

/** Decides and stores the justice department's statistics release. */
export const refreshJusticeStatistics = releaseRefresher(JUSTICE_STATISTICS);
