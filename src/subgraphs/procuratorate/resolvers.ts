import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, FieldResolver, InputType, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { checkDayRange } from '../../analytics/dayRange';
import type { SubgraphContext } from '../../kit/context';
import { orgUnit, OrgUnit } from '../../kit/orgUnit';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope } from '../../kit/scope';
import { checkCode } from '../../shared/validate';
import { checkArrestReviewCaseNo, checkProsecutionCaseNo } from './keys';
import { ArrestReview, ProsecutionCase, ProsecutionDecision, ProsecutionDefendant } from './entities';
import { District, Person, PoliceCase } from './extends';
import { DateScalar } from '../../shared/scalars';

@ObjectType({ description: 'A page of prosecution review cases (Relay connection).' })
class ProsecutionCaseConnection extends ConnectionType(ProsecutionCase, 'ProsecutionCase') {}

@InputType({ description: 'Filters of the prosecution case list; all optional, combined with AND.' })
class ProsecutionCaseFilter {
  @Field(() => String, { nullable: true, description: 'A district (6 digits) or township (9 digits) code.' })
  divisionCode?: string;

  @Field(() => ProsecutionDecision, { nullable: true, description: 'Only cases with this decision.' })
  decision?: ProsecutionDecision;

  @Field(() => DateScalar, { nullable: true, description: 'Received on or after this day (YYYY-MM-DD).' })
  from?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Received on or before this day (YYYY-MM-DD).' })
  to?: string;
}

const policeCase = (caseNo: string): PoliceCase => Object.assign(new PoliceCase(), { caseNo });

@Resolver(() => ProsecutionCase)
export class ProsecutionCaseResolver {
  @FieldResolver(() => OrgUnit, { nullable: true, description: "The department handling the review: the district procuratorate's 第一检察部 (not sensitive)." })
  unit(@Root() prosecution: ProsecutionCase): OrgUnit | null {
    return orgUnit(prosecution.unitCode);
  }

  @Query(() => ProsecutionCase, { nullable: true, description: 'One prosecution review case by its number, e.g. 连检刑诉〔2025〕17号.' })
  prosecutionCase(
    @Arg('caseNo', { description: "The procuratorate's document number, e.g. 连检刑诉〔2025〕12号." }) caseNo: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProsecutionCase | null> {
    return ctx.loaders.one(ProsecutionCase, 'caseNo').load(checkProsecutionCaseNo('caseNo', caseNo));
  }

  @Query(() => ProsecutionCaseConnection, { description: 'Prosecution review cases by division, decision and day received, newest first.' })
  prosecutionCases(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ProsecutionCaseFilter, { nullable: true, description: 'Which cases; all filters optional, combined with AND.' })
    filter: ProsecutionCaseFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProsecutionCaseConnection> {
    const where: FilterQuery<ProsecutionCase>[] = [rowScope<ProsecutionCase>(ctx, 'ProsecutionCase')];
    // The township code starts with its district's, so one prefix match serves both levels.
    if (filter?.divisionCode) where.push({ townshipCode: { $like: `${checkCode('filter.divisionCode', filter.divisionCode, 'division')}%` } });
    if (filter?.decision) where.push({ decision: filter.decision });
    const span = checkDayRange(filter?.from, filter?.to, 'filter.');
    if (span.from) where.push({ receivedOn: { $gte: span.from } });
    if (span.to) where.push({ receivedOn: { $lte: span.to } });
    return paginate(ctx, ProsecutionCase, { $and: where }, page, { columns: ['receivedOn', 'caseNo'], direction: 'desc' });
  }

  @FieldResolver(() => PoliceCase, { description: 'The police case transferred for prosecution.' })
  policeCase(@Root() prosecution: ProsecutionCase): PoliceCase {
    return policeCase(prosecution.policeCaseNo);
  }

  @FieldResolver(() => ArrestReview, { nullable: true, description: 'The arrest review (审查逮捕) of the same case, if there was one.' })
  arrestReview(@Root() prosecution: ProsecutionCase, @Ctx() ctx: SubgraphContext): Promise<ArrestReview | null> | null {
    return prosecution.arrestReviewCaseNo ? ctx.loaders.one(ArrestReview, 'caseNo').load(prosecution.arrestReviewCaseNo) : null;
  }

  @FieldResolver(() => [Person], { nullable: true, description: 'The suspects (犯罪嫌疑人), principal suspect first.' })
  async defendants(@Root() prosecution: ProsecutionCase, @Ctx() ctx: SubgraphContext): Promise<Person[]> {
    const rows = await ctx.loaders.many(ProsecutionDefendant, 'caseNo', { position: 'asc' }).load(prosecution.caseNo);
    return rows.map((d) => Object.assign(new Person(), { id: d.personId }));
  }

  @FieldResolver(() => District, { description: 'The district of the procuratorate that reviews the case.' })
  district(@Root() prosecution: ProsecutionCase): District {
    return Object.assign(new District(), { code: prosecution.districtCode });
  }
}

@Resolver(() => ArrestReview)
export class ArrestReviewResolver {
  @FieldResolver(() => OrgUnit, {
    nullable: true,
    description:
      "The department that reviewed the arrest: the district procuratorate's 第一检察部, which also reviews the prosecution (捕诉一体; not sensitive).",
  })
  unit(@Root() review: ArrestReview): OrgUnit | null {
    return orgUnit(review.unitCode);
  }

  @Query(() => ArrestReview, { nullable: true, description: 'One arrest review by its number, e.g. 连检捕〔2025〕17号.' })
  arrestReview(
    @Arg('caseNo', { description: "The arrest review's document number, e.g. 连检捕〔2025〕17号." }) caseNo: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ArrestReview | null> {
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

  @FieldResolver(() => ArrestReview, { nullable: true, description: "Arrest review (审查逮捕) of the case's suspects, if requested." })
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
