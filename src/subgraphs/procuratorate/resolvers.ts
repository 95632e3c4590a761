import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope, startsWithCode } from '../../kit/scope';
import { checkCode, checkDateSpan } from '../../shared/validate';
import { checkArrestReviewCaseNo, checkProsecutionCaseNo } from './caseNumbers';
import { ArrestReview, ProsecutionCase, ProsecutionDecision, ProsecutionDefendant } from './entities';
import { District, Person, PoliceCase } from './stubs';

@ObjectType()
class ProsecutionCaseConnection extends ConnectionType(ProsecutionCase, 'ProsecutionCase') {}

@InputType({ description: 'Filters of the prosecution case list; all optional, combined with AND.' })
class ProsecutionCaseFilter {
  @Field(() => String, { nullable: true, description: 'A district (6 digits) or township (9 digits) code.' })
  divisionCode?: string;

  @Field(() => ProsecutionDecision, { nullable: true })
  decision?: ProsecutionDecision;

  @Field(() => String, { nullable: true, description: 'Received on or after this day (YYYY-MM-DD).' })
  from?: string;

  @Field(() => String, { nullable: true, description: 'Received on or before this day (YYYY-MM-DD).' })
  to?: string;
}

@ArgsType()
class StatisticsSpanArgs {
  @Field(() => String, { nullable: true, description: 'First day counted, YYYY-MM-DD.' })
  from?: string;

  @Field(() => String, { nullable: true, description: 'Last day counted, YYYY-MM-DD.' })
  to?: string;
}

@ObjectType({ description: 'Procuratorate decisions (检察院) in a district or township, counted by the day of the decision.' })
export class ProcuratorateStatistics {
  @Field(() => Int, { nullable: true, description: 'Arrests approved (批准逮捕).' })
  arrestsApproved!: number;

  @Field(() => Int, { nullable: true, description: 'Arrests not approved (不批准逮捕).' })
  arrestsNotApproved!: number;

  @Field(() => Int, { nullable: true, description: 'Cases prosecuted (提起公诉).' })
  prosecutions!: number;

  @Field(() => Int, { nullable: true, description: 'Cases not prosecuted (不起诉).' })
  nonProsecutions!: number;

  @Field(() => Int, { nullable: true, description: 'Cases received in the span and not decided yet.' })
  pending!: number;
}

const policeCase = (caseNo: string): PoliceCase => Object.assign(new PoliceCase(), { caseNo });

@Resolver(() => ProsecutionCase)
export class ProsecutionCaseResolver {
  @Query(() => ProsecutionCase, { nullable: true, description: 'One prosecution review case by its number, e.g. 连检刑诉〔2025〕17号.' })
  prosecutionCase(@Arg('caseNo') caseNo: string, @Ctx() ctx: SubgraphContext): Promise<ProsecutionCase | null> {
    return ctx.loaders.one(ProsecutionCase, 'caseNo').load(checkProsecutionCaseNo('caseNo', caseNo));
  }

  @Query(() => ProsecutionCaseConnection, { description: 'Prosecution review cases by division, decision and day received, newest first.' })
  prosecutionCases(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ProsecutionCaseFilter, { nullable: true }) filter: ProsecutionCaseFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProsecutionCaseConnection> {
    const where: FilterQuery<ProsecutionCase>[] = [rowScope<ProsecutionCase>(ctx, 'ProsecutionCase')];
    // The township code starts with its district's, so one prefix match serves both levels.
    if (filter?.divisionCode) where.push({ townshipCode: { $like: `${checkCode('filter.divisionCode', filter.divisionCode, 'division')}%` } });
    if (filter?.decision) where.push({ decision: filter.decision });
    const span = checkDateSpan(filter?.from, filter?.to, { from: 'filter.from', to: 'filter.to' });
    if (span.from) where.push({ receivedOn: { $gte: span.from } });
    if (span.to) where.push({ receivedOn: { $lte: span.to } });
    return paginate(ctx.em, ProsecutionCase, { $and: where }, page, { columns: ['receivedOn', 'caseNo'], direction: 'desc' });
  }

  @FieldResolver(() => PoliceCase, { description: 'The police case transferred for prosecution.' })
  policeCase(@Root() prosecution: ProsecutionCase): PoliceCase {
    return policeCase(prosecution.policeCaseNo);
  }

  @FieldResolver(() => ArrestReview, { nullable: true })
  arrestReview(@Root() prosecution: ProsecutionCase, @Ctx() ctx: SubgraphContext): Promise<ArrestReview | null> | null {
    return prosecution.arrestReviewCaseNo ? ctx.loaders.one(ArrestReview, 'caseNo').load(prosecution.arrestReviewCaseNo) : null;
  }

  @FieldResolver(() => [Person], { nullable: true, description: 'The suspects (犯罪嫌疑人), principal suspect first.' })
  async defendants(@Root() prosecution: ProsecutionCase, @Ctx() ctx: SubgraphContext): Promise<Person[]> {
    const rows = await ctx.loaders.many(ProsecutionDefendant, 'caseNo', { position: 'asc' }).load(prosecution.caseNo);
    return rows.map((d) => Object.assign(new Person(), { id: d.personId }));
  }

  @FieldResolver(() => District)
  district(@Root() prosecution: ProsecutionCase): District {
    return Object.assign(new District(), { code: prosecution.districtCode });
  }
}

@Resolver(() => ArrestReview)
export class ArrestReviewResolver {
  @Query(() => ArrestReview, { nullable: true, description: 'One arrest review by its number, e.g. 连检捕〔2025〕17号.' })
  arrestReview(@Arg('caseNo') caseNo: string, @Ctx() ctx: SubgraphContext): Promise<ArrestReview | null> {
    return ctx.loaders.one(ArrestReview, 'caseNo').load(checkArrestReviewCaseNo('caseNo', caseNo));
  }

  @FieldResolver(() => PoliceCase, { description: 'The police case whose suspects the arrest was requested for.' })
  policeCase(@Root() review: ArrestReview): PoliceCase {
    return policeCase(review.policeCaseNo);
  }
}

@Resolver(() => PoliceCase)
export class PoliceCaseResolver {
  @FieldResolver(() => ProsecutionCase, { nullable: true, description: 'Prosecution review (审查起诉) of the case, once transferred.' })
  prosecution(@Root() police: PoliceCase, @Ctx() ctx: SubgraphContext): Promise<ProsecutionCase | null> {
    return ctx.loaders.one(ProsecutionCase, 'policeCaseNo').load(police.caseNo);
  }

  @FieldResolver(() => ArrestReview, { nullable: true, description: 'Arrest review (审查逮捕) of the case\'s suspects, if requested.' })
  arrestReview(@Root() police: PoliceCase, @Ctx() ctx: SubgraphContext): Promise<ArrestReview | null> {
    return ctx.loaders.one(ArrestReview, 'policeCaseNo').load(police.caseNo);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => [ProsecutionCase], { nullable: true, description: 'Prosecution review cases with this person as a defendant, newest first.' })
  async prosecutions(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<ProsecutionCase[]> {
    const links = await ctx.loaders.many(ProsecutionDefendant, 'personId').load(person.id);
    const cases = await ctx.loaders.one(ProsecutionCase, 'caseNo').loadMany(links.map((l) => l.caseNo));
    return cases
      .filter((c): c is ProsecutionCase => c instanceof ProsecutionCase)
      .sort((a, b) => b.receivedOn.localeCompare(a.receivedOn) || b.caseNo.localeCompare(a.caseNo));
  }
}

interface DecisionCount {
  code: string;
  kind: string;
  n: number;
}

/**
 * Decisions per district or township, for all the districts of one query-plan step in one
 * statement. A review or case counts for every requested code its township starts with; a pending
 * case (no decision yet) counts on the day it was received.
 */
async function countDecisions(ctx: SubgraphContext, codes: readonly string[], span: { from: string | null; to: string | null }): Promise<ProcuratorateStatistics[]> {
  const bounds: string[] = [];
  const params: unknown[] = [codes];
  if (span.from) {
    bounds.push('d.day >= ?');
    params.push(span.from);
  }
  if (span.to) {
    bounds.push('d.day <= ?');
    params.push(span.to);
  }
  const rows = await ctx.em.getConnection().execute<DecisionCount[]>(
    `select c.code, d.kind, count(*)::int as n
     from unnest(array[?]::text[]) as c(code)
     join (
       select township_code, 'ARREST_' || decision::text as kind, decided_on as day from procuratorate.arrest_review
       union all
       select township_code, decision::text, coalesce(decided_on, received_on) from procuratorate.prosecution_case
     ) d on ${startsWithCode('d.township_code', 'c.code')}
     ${bounds.length ? `where ${bounds.join(' and ')}` : ''}
     group by c.code, d.kind`,
    params,
  );
  const counts = new Map(rows.map((r) => [`${r.code}:${r.kind}`, r.n]));
  const count = (code: string, kind: string) => counts.get(`${code}:${kind}`) ?? 0;
  return codes.map((code) => ({
    arrestsApproved: count(code, 'ARREST_APPROVED'),
    arrestsNotApproved: count(code, 'ARREST_NOT_APPROVED'),
    prosecutions: count(code, ProsecutionDecision.PROSECUTE),
    nonProsecutions: count(code, ProsecutionDecision.NOT_PROSECUTE),
    pending: count(code, ProsecutionDecision.PENDING),
  }));
}

@Resolver(() => District)
export class DistrictResolver {
  @FieldResolver(() => ProcuratorateStatistics, { nullable: true, description: 'Arrest and prosecution decisions made in the span of days (YYYY-MM-DD, both ends inclusive, either optional).' })
  procuratorateStatistics(@Root() district: District, @Args(() => StatisticsSpanArgs) args: StatisticsSpanArgs, @Ctx() ctx: SubgraphContext): Promise<ProcuratorateStatistics> {
    const span = checkDateSpan(args.from, args.to);
    // One loader per span: districts asked with the same span share one statement.
    return ctx.loaders
      .custom<string, ProcuratorateStatistics>(`procuratorateStatistics:${span.from ?? ''}:${span.to ?? ''}`, (codes) => countDecisions(ctx, codes, span))
      .load(district.code);
  }
}
