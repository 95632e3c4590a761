import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, FieldResolver, InputType, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { checkDayRange } from '../../analytics/dayRange';
import type { SubgraphContext } from '../../kit/context';
import { orgUnit, OrgUnit } from '../../kit/orgUnit';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope } from '../../kit/scope';
import { checkCode } from '../../shared/validate';
import { checkCourtCaseNo } from './keys';
import { CommunitySentence, CourtCase, CourtCaseKind, CourtParty, Hearing, Judgment, PreLitigationMediation } from './entities';
import { MediationCase, Person, ProsecutionCase } from './extends';
import { DateScalar } from '../../shared/scalars';

@ObjectType({ description: 'A page of court cases (Relay connection).' })
class CourtCaseConnection extends ConnectionType(CourtCase, 'CourtCase') {}

@InputType({ description: 'Filters of the court case list; all optional, combined with AND.' })
class CourtCaseFilter {
  @Field(() => String, { nullable: true, description: 'A district (6 digits) or township (9 digits) code: where the matter arose.' })
  divisionCode?: string;

  @Field(() => CourtCaseKind, { nullable: true, description: 'Only cases of this kind.' })
  kind?: CourtCaseKind;

  @Field(() => DateScalar, { nullable: true, description: 'Filed on or after this day (YYYY-MM-DD).' })
  from?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Filed on or before this day (YYYY-MM-DD).' })
  to?: string;
}

/** Newest first; ties by case number. */
function newestFirst(x: CourtCase, y: CourtCase): number {
  if (x.filedOn !== y.filedOn) return x.filedOn < y.filedOn ? 1 : -1;
  return x.caseNo < y.caseNo ? 1 : -1;
}

@Resolver(() => CourtCase)
export class CourtCaseResolver {
  @FieldResolver(() => OrgUnit, {
    nullable: true,
    description:
      "The court handling the case: the people's tribunal (人民法庭) of its township for a civil case or a judicial confirmation where there is one, else the basic court (not sensitive).",
  })
  unit(@Root() courtCase: CourtCase): OrgUnit | null {
    return orgUnit(courtCase.unitCode);
  }

  @Query(() => CourtCase, { nullable: true, description: 'One case by its number, e.g. `(2025)辽1402刑初123号` (full-width brackets accepted).' })
  courtCase(
    @Arg('caseNo', { description: "The court's case number, e.g. `(2025)辽1402刑初123号`." }) caseNo: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CourtCase | null> {
    return ctx.loaders.one(CourtCase, 'caseNo').load(checkCourtCaseNo('caseNo', caseNo));
  }

  @Query(() => CourtCaseConnection, { description: 'Cases by division, kind and filing day, newest first.' })
  courtCases(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CourtCaseFilter, { nullable: true, description: 'Which cases; all filters optional, combined with AND.' })
    filter: CourtCaseFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CourtCaseConnection> {
    const where: FilterQuery<CourtCase>[] = [rowScope<CourtCase>(ctx, 'CourtCase')];
    if (filter?.divisionCode) where.push({ townshipCode: { $like: `${checkCode('filter.divisionCode', filter.divisionCode, 'division')}%` } });
    if (filter?.kind) where.push({ kind: filter.kind });
    const { from, to } = checkDayRange(filter?.from, filter?.to, 'filter.');
    if (from) where.push({ filedOn: { $gte: from } });
    if (to) where.push({ filedOn: { $lte: to } });
    return paginate(ctx, CourtCase, { $and: where }, page, { columns: ['filedOn', 'caseNo'], direction: 'desc' });
  }

  @FieldResolver(() => [CourtParty], {
    nullable: true,
    description:
      "The parties: defendants, plaintiffs, applicants, respondents, victims; an appeal's are those of the case it hears, in their first-instance roles.",
  })
  parties(@Root() courtCase: CourtCase, @Ctx() ctx: SubgraphContext): Promise<CourtParty[]> {
    return ctx.loaders.many(CourtParty, 'caseNo', { id: 'asc' }).load(courtCase.appealOfCaseNo ?? courtCase.caseNo);
  }

  @FieldResolver(() => [Hearing], { nullable: true, description: 'The hearings held or scheduled, in date order.' })
  hearings(@Root() courtCase: CourtCase, @Ctx() ctx: SubgraphContext): Promise<Hearing[]> {
    return ctx.loaders.many(Hearing, 'caseNo', { heldOn: 'asc', id: 'asc' }).load(courtCase.caseNo);
  }

  @FieldResolver(() => Judgment, { nullable: true, description: 'Null while the case awaits a decision, and for enforcement cases.' })
  judgment(@Root() c: CourtCase): Judgment | null {
    if (!c.verdict) return null;
    const communitySentence = c.communitySentence ?? (c.probation ? CommunitySentence.PROBATION : null);
    return { verdict: c.verdict, sentenceMonths: c.sentenceMonths, probation: c.probation, communitySentence, judgedOn: c.concludedOn };
  }

  @FieldResolver(() => PreLitigationMediation, { nullable: true, description: "Civil lawsuits: the court's mediation attempt before filing." })
  preLitigationMediation(@Root() c: CourtCase): PreLitigationMediation | null {
    if (!c.preLitigationOutcome) return null;
    return { startedOn: c.preLitigationStartedOn, endedOn: c.preLitigationEndedOn, outcome: c.preLitigationOutcome };
  }

  @FieldResolver(() => ProsecutionCase, { nullable: true, description: 'Criminal cases: the prosecution that brought the case to court.' })
  prosecutionCase(@Root() c: CourtCase): ProsecutionCase | null {
    return c.prosecutionCaseNo ? Object.assign(new ProsecutionCase(), { caseNo: c.prosecutionCaseNo }) : null;
  }

  @FieldResolver(() => MediationCase, {
    nullable: true,
    description: "The people's mediation whose agreement is confirmed (民特), or that failed before the lawsuit (民初).",
  })
  mediationCase(@Root() c: CourtCase): MediationCase | null {
    return c.mediationCaseId ? Object.assign(new MediationCase(), { id: c.mediationCaseId }) : null;
  }
}

@Resolver(() => CourtParty)
export class CourtPartyResolver {
  @FieldResolver(() => Person, { nullable: true, description: 'The person in the population registry (resolved by the grid department).' })
  person(@Root() party: CourtParty): Person {
    return Object.assign(new Person(), { id: party.personId });
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => [CourtCase], { nullable: true, description: 'Cases the person is a party to, newest first.' })
  async courtCases(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<CourtCase[]> {
    const parties = await ctx.loaders.many(CourtParty, 'personId').load(person.id);
    const cases = await ctx.loaders.one(CourtCase, 'caseNo').loadMany([...new Set(parties.map((p) => p.caseNo))]);
    return cases.filter((c): c is CourtCase => c instanceof CourtCase).sort(newestFirst);
  }
}

@Resolver(() => ProsecutionCase)
export class ProsecutionCaseResolver {
  @FieldResolver(() => CourtCase, { nullable: true, description: 'The criminal case the prosecution was filed as; null until then.' })
  courtCase(@Root() prosecution: ProsecutionCase, @Ctx() ctx: SubgraphContext): Promise<CourtCase | null> {
    return ctx.loaders.one(CourtCase, 'prosecutionCaseNo').load(prosecution.caseNo);
  }
}

@Resolver(() => MediationCase)
export class MediationCaseResolver {
  @FieldResolver(() => CourtCase, {
    nullable: true,
    description: 'The judicial confirmation (司法确认, 民特) of the agreement, if the parties applied for one.',
  })
  async judicialConfirmation(@Root() mediation: MediationCase, @Ctx() ctx: SubgraphContext): Promise<CourtCase | null> {
    return (await this.cases(mediation, ctx)).find((c) => c.kind === CourtCaseKind.SPECIAL_PROCEDURE) ?? null;
  }

  @FieldResolver(() => CourtCase, { nullable: true, description: 'The civil lawsuit (民初) filed after the mediation failed, if any.' })
  async lawsuit(@Root() mediation: MediationCase, @Ctx() ctx: SubgraphContext): Promise<CourtCase | null> {
    return (await this.cases(mediation, ctx)).find((c) => c.kind === CourtCaseKind.CIVIL) ?? null;
  }

  /** Both fields share one loader: one statement for all mediations of the request. */
  private cases(mediation: MediationCase, ctx: SubgraphContext): Promise<CourtCase[]> {
    return ctx.loaders.many(CourtCase, 'mediationCaseId', { filedOn: 'asc' }).load(mediation.id);
  }
}
