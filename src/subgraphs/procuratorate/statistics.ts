import { Ctx, Directive, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { columnsOf } from '../../analytics/columns';
import { districtStatisticsResolvers } from '../../analytics/resolvers';
import { type DayRange } from '../../analytics/dayRange';
import { Aggregate, aggregate } from '../../analytics/figures';
import { releaseRefresher } from '../../analytics/releaseStore';
import { flowStageLoader, type StatisticsSource } from '../../analytics/loaders';
import { dayWithin, sql, startsWithAny } from '../../analytics/sql';
import type { SubgraphContext } from '../../kit/context';
import type { DepartmentColumns } from '../../shared/statisticsColumns';
import { CaseFlow, District, DistrictMonth } from './extends';

@ObjectType({ description: 'Procuratorate decisions (检察院) in a district or township, counted by the day of the decision.' })
export class ProcuratorateStatistics extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Arrests approved (批准逮捕).' })
  arrestsApproved!: number | null;

  @Field(() => Int, { nullable: true, description: 'Arrests not approved (不批准逮捕).' })
  arrestsNotApproved!: number | null;

  @Field(() => Int, { nullable: true, description: 'Cases prosecuted (提起公诉).' })
  prosecutions!: number | null;

  @Field(() => Int, { nullable: true, description: 'Cases not prosecuted (不起诉).' })
  nonProsecutions!: number | null;

  @Field(() => Int, { nullable: true, description: 'Cases received in the span and not decided yet.' })
  pending!: number | null;
}

type Decision = 'arrestsApproved' | 'arrestsNotApproved' | 'prosecutions' | 'nonProsecutions' | 'pending';

/**
 * Decisions placed in the township where the offence happened: arrest reviews on the day decided,
 * prosecution reviews on the day decided or, still pending, on the day received.
 */
const PROCURATORATE_STATISTICS: StatisticsSource<Decision> = {
  name: 'procuratorate',
  schema: 'procuratorate',
  measures: (['arrestsApproved', 'arrestsNotApproved', 'prosecutions', 'nonProsecutions', 'pending'] as const).map((name) => ({ name, overTime: true })),
  events: (counties, range) => sql`
    select substr(township_code, 1, 6) as county, township_code as township, decided_on as day,
        case decision when 'APPROVED' then 'arrestsApproved' else 'arrestsNotApproved' end as measure, null::text as subject
      from procuratorate.arrest_review where ${startsWithAny('township_code', counties)} and ${dayWithin('decided_on', range)}
    union all
    select substr(township_code, 1, 6), township_code, coalesce(decided_on, received_on),
        case decision when 'PROSECUTE' then 'prosecutions' when 'NOT_PROSECUTE' then 'nonProsecutions' else 'pending' end, null
      from procuratorate.prosecution_case where ${startsWithAny('township_code', counties)} and ${dayWithin('coalesce(decided_on, received_on)', range)}`,
};

@ObjectType({ description: 'The procuratorate stage of a case flow.' })
export class ProcuratorateCaseFlowStage extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Transferred cases the procuratorate received for prosecution review (受理审查起诉).' })
  received!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, the ones prosecuted (提起公诉).' })
  prosecuted!: number | null;
}

/** The police cases received, by police case number; the prosecuted ones go on to the court. */
function procuratorateStage(ctx: SubgraphContext, range: DayRange) {
  return flowStageLoader(
    ctx,
    'procuratorate.prosecutions',
    range,
    [
      { name: 'received', overTime: true },
      { name: 'prosecuted', overTime: true },
    ],
    (_counties, upstream) => sql`
    select upstream.county, upstream.township, grouping(upstream.township) as all_townships,
      count(*) as "received", count(*) filter (where p.decision = 'PROSECUTE') as "prosecuted",
      array_agg(upstream.township || '|' || p.case_no order by p.case_no) filter (where p.decision = 'PROSECUTE') as keys
    from ${upstream} join procuratorate.prosecution_case p on p.police_case_no = upstream.key
    group by grouping sets ((upstream.county), (upstream.county, upstream.township))`,
  );
}

export const [DistrictResolver, DistrictMonthResolver] = districtStatisticsResolvers({
  field: 'procuratorateStatistics',
  type: ProcuratorateStatistics,
  source: PROCURATORATE_STATISTICS,
  district: { type: District, description: 'Arrest and prosecution decisions made in the span of days (YYYY-MM-DD, both ends inclusive, either optional).' },
  month: { type: DistrictMonth, description: "Procuratorate decisions of the month's days within the range." },
});

@Resolver(() => CaseFlow)
export class CaseFlowResolver {
  @FieldResolver(() => ProcuratorateCaseFlowStage, { nullable: true, description: 'Cases received for prosecution review, and prosecuted.' })
  @Directive('@requires(fields: "transferredCaseKeys")')
  async procuratorate(@Root() flow: CaseFlow, @Ctx() ctx: SubgraphContext): Promise<ProcuratorateCaseFlowStage> {
    const stage = await procuratorateStage(ctx, flow.range).load({ key: flow, upstream: flow.transferredCaseKeys ?? [] });
    return aggregate(ProcuratorateCaseFlowStage, stage.figures);
  }

  @FieldResolver(() => [String], { nullable: true, description: 'Keys of the prosecuted cases, for the next stage only.' })
  @Directive('@requires(fields: "transferredCaseKeys")')
  @Directive('@inaccessible')
  async prosecutedCaseKeys(@Root() flow: CaseFlow, @Ctx() ctx: SubgraphContext): Promise<string[]> {
    return (await procuratorateStage(ctx, flow.range).load({ key: flow, upstream: flow.transferredCaseKeys ?? [] })).keys;
  }
}

/** The procuratorate's columns in the statistics export. */
export const procuratorateColumns: DepartmentColumns = {
  districts: columnsOf(ProcuratorateStatistics, 'procuratorateStatistics', '检察', {
    arrestsApproved: '批准逮捕',
    arrestsNotApproved: '不批准逮捕',
    prosecutions: '提起公诉',
    nonProsecutions: '不起诉',
    pending: '审查中',
  }),
  caseFlow: { stage: 2, ...columnsOf(ProcuratorateCaseFlowStage, 'procuratorate', '检察', { received: '受理', prosecuted: '提起公诉' }) },
};

/** Decides and stores the procuratorate department's statistics release. */
export const refreshProcuratorateStatistics = releaseRefresher(PROCURATORATE_STATISTICS);
