import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { orgUnit, OrgUnit } from '../../kit/orgUnit';
import { stubOf } from '../../kit/extends';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope } from '../../kit/scope';
import { checkCode, checkRecordId } from '../../shared/validate';
import { checkDayRange } from '../../analytics/dayRange';
import {
  CommunityCorrection,
  CorrectionStatus,
  LegalAidCase,
  LegalAidStatus,
  MediationCase,
  MediationOutcome,
  MediationParty,
  MediationPoint,
  MediationPointKind,
  MediationSource,
  Mediator,
} from './entities';
import { CourtCase, GridEvent, Incident, PetitionCase, Person } from './extends';
import { DateScalar } from '../../shared/scalars';

@ObjectType({ description: 'A page of mediation points (Relay connection).' })
class MediationPointConnection extends ConnectionType(MediationPoint, 'MediationPoint') {}
@ObjectType({ description: 'A page of mediation cases (Relay connection).' })
class MediationCaseConnection extends ConnectionType(MediationCase, 'MediationCase') {}
@ObjectType({ description: 'A page of community corrections (Relay connection).' })
class CommunityCorrectionConnection extends ConnectionType(CommunityCorrection, 'CommunityCorrection') {}
@ObjectType({ description: 'A page of legal aid cases (Relay connection).' })
class LegalAidCaseConnection extends ConnectionType(LegalAidCase, 'LegalAidCase') {}

@InputType({ description: 'Filters of the mediation case list; all optional, combined with AND.' })
class MediationCaseFilter {
  @Field(() => String, { nullable: true, description: 'A district (6 digits) or township (9 digits) code.' })
  divisionCode?: string;

  @Field(() => MediationOutcome, { nullable: true, description: 'Only cases with this outcome.' })
  outcome?: MediationOutcome;

  @Field(() => MediationSource, { nullable: true, description: 'Only cases from this source (a grid event, a police or petition referral, ...).' })
  source?: MediationSource;

  @Field(() => DateScalar, { nullable: true, description: 'Started on or after this day (YYYY-MM-DD).' })
  from?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Started on or before this day (YYYY-MM-DD).' })
  to?: string;
}

@InputType({ description: 'Filters of the community correction list; all optional, combined with AND.' })
class CommunityCorrectionFilter {
  @Field(() => String, { nullable: true, description: 'A district code (6 digits): corrections are recorded per district.' })
  divisionCode?: string;

  @Field(() => CorrectionStatus, { nullable: true, description: 'Only corrections in this state.' })
  status?: CorrectionStatus;
}

@InputType({ description: 'Filters of the legal aid list; all optional, combined with AND.' })
class LegalAidCaseFilter {
  @Field(() => String, { nullable: true, description: 'A district code (6 digits): legal aid is recorded per district.' })
  divisionCode?: string;

  @Field(() => LegalAidStatus, { nullable: true, description: 'Only applications in this state.' })
  status?: LegalAidStatus;
}

/** A district or township filter on records that store their township code (which starts with the district code). */
function inDivision<T extends { townshipCode: string }>(argument: string, code: string): FilterQuery<T> {
  return { townshipCode: { $like: `${checkCode(argument, code, 'division')}%` } } as FilterQuery<T>;
}

function newestFirst(a: MediationCase, b: MediationCase): number {
  return a.startedOn === b.startedOn ? b.id.localeCompare(a.id) : b.startedOn.localeCompare(a.startedOn);
}

@Resolver(() => MediationPoint)
export class MediationPointResolver {
  @Query(() => MediationPointConnection, { description: 'The mediation points of a district or township, by id.' })
  mediationPoints(
    @Arg('divisionCode', { description: 'A district (6 digits) or township (9 digits) code.' }) divisionCode: string,
    @Arg('kind', () => MediationPointKind, { nullable: true, description: 'Only points of this kind.' }) kind: MediationPointKind | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<MediationPointConnection> {
    const where: FilterQuery<MediationPoint>[] = [inDivision<MediationPoint>('divisionCode', divisionCode)];
    if (kind) where.push({ kind });
    return paginate(ctx, MediationPoint, { $and: where }, page, { columns: ['id'], direction: 'asc' });
  }

  @FieldResolver(() => [Mediator], { nullable: true, description: 'The mediators working at the point.' })
  mediators(@Root() point: MediationPoint, @Ctx() ctx: SubgraphContext): Promise<Mediator[]> {
    return ctx.loaders.many(Mediator, 'pointId', { id: 'asc' }).load(point.id);
  }
}

@Resolver(() => Mediator)
export class MediatorResolver {
  @FieldResolver(() => MediationPoint, { nullable: true, description: 'The mediation point the mediator works at.' })
  point(@Root() mediator: Mediator, @Ctx() ctx: SubgraphContext): Promise<MediationPoint | null> {
    return ctx.loaders.one(MediationPoint, 'id').load(mediator.pointId);
  }
}

@Resolver(() => MediationCase)
export class MediationCaseResolver {
  @FieldResolver(() => OrgUnit, {
    nullable: true,
    description: "The justice office (司法所) of the township, which guides its people's mediation (not sensitive).",
  })
  unit(@Root() mediation: MediationCase): OrgUnit | null {
    return orgUnit(mediation.unitCode);
  }

  @Query(() => MediationCase, { nullable: true, description: "One people's mediation case by its id." })
  mediationCase(@Arg('id', () => ID, { description: "The mediation case's id." }) id: string, @Ctx() ctx: SubgraphContext): Promise<MediationCase | null> {
    return ctx.loaders.one(MediationCase, 'id').load(checkRecordId('id', id, 'MC'));
  }

  @Query(() => MediationCaseConnection, { description: 'Mediation cases by division, outcome and start day, newest first.' })
  mediationCases(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => MediationCaseFilter, { nullable: true, description: 'Which cases; all filters optional, combined with AND.' })
    filter: MediationCaseFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<MediationCaseConnection> {
    const where: FilterQuery<MediationCase>[] = [rowScope<MediationCase>(ctx, 'MediationCase')];
    if (filter?.divisionCode) where.push(inDivision<MediationCase>('filter.divisionCode', filter.divisionCode));
    if (filter?.outcome) where.push({ outcome: filter.outcome });
    if (filter?.source) where.push({ source: filter.source });
    const { from, to } = checkDayRange(filter?.from, filter?.to, 'filter.');
    if (from) where.push({ startedOn: { $gte: from } });
    if (to) where.push({ startedOn: { $lte: to } });
    return paginate(ctx, MediationCase, { $and: where }, page, { columns: ['startedOn', 'id'], direction: 'desc' });
  }

  @FieldResolver(() => GridEvent, { nullable: true, description: 'The dispute reported by a grid worker that the case started from.' })
  gridEvent(@Root() mediation: MediationCase): GridEvent | null {
    return mediation.gridEventId ? Object.assign(new GridEvent(), { id: mediation.gridEventId }) : null;
  }

  @FieldResolver(() => Incident, {
    nullable: true,
    description: 'The police incident (警情) a 警调对接 referral brought, resolved by the police under their policy; null for other sources.',
  })
  incident(@Root() mediation: MediationCase): Incident | null {
    return mediation.incidentId ? stubOf(Incident, { id: mediation.incidentId }) : null;
  }

  @FieldResolver(() => PetitionCase, {
    nullable: true,
    description: 'The petition (信访件) a 访调对接 referral brought, resolved by the petition department under its policy; null for other sources.',
  })
  petition(@Root() mediation: MediationCase): PetitionCase | null {
    return mediation.petitionCaseId ? stubOf(PetitionCase, { xfjbh: mediation.petitionCaseId }) : null;
  }

  @FieldResolver(() => MediationPoint, { nullable: true, description: 'The mediation point that handled the case.' })
  point(@Root() mediation: MediationCase, @Ctx() ctx: SubgraphContext): Promise<MediationPoint | null> {
    return ctx.loaders.one(MediationPoint, 'id').load(mediation.pointId);
  }

  @FieldResolver(() => Mediator, { nullable: true, description: 'The mediator in charge.' })
  mediator(@Root() mediation: MediationCase, @Ctx() ctx: SubgraphContext): Promise<Mediator | null> {
    return ctx.loaders.one(Mediator, 'id').load(mediation.mediatorId);
  }

  @FieldResolver(() => [Person], { nullable: true, description: 'The parties (当事人), in the order they were recorded.' })
  async parties(@Root() mediation: MediationCase, @Ctx() ctx: SubgraphContext): Promise<Person[]> {
    const parties = await ctx.loaders.many(MediationParty, 'mediationId', { seq: 'asc' }).load(mediation.id);
    return parties.map((p) => stubOf(Person, { id: p.personId }));
  }
}

@Resolver(() => CommunityCorrection)
export class CommunityCorrectionResolver {
  @FieldResolver(() => OrgUnit, {
    nullable: true,
    description: 'The district justice bureau (司法局), whose community correction agency runs the correction (社区矫正法 art. 9; not sensitive).',
  })
  unit(@Root() correction: CommunityCorrection): OrgUnit | null {
    return orgUnit(correction.unitCode);
  }

  @Query(() => CommunityCorrection, { nullable: true, description: 'One community correction (社区矫正) by its id.' })
  communityCorrection(
    @Arg('id', () => ID, { description: "The correction's id." }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CommunityCorrection | null> {
    return ctx.loaders.one(CommunityCorrection, 'id').load(checkRecordId('id', id, 'CC'));
  }

  @Query(() => CommunityCorrectionConnection, { description: 'Community corrections by district and status, latest start first.' })
  communityCorrections(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CommunityCorrectionFilter, { nullable: true, description: 'Which corrections; all filters optional, combined with AND.' })
    filter: CommunityCorrectionFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CommunityCorrectionConnection> {
    const where: FilterQuery<CommunityCorrection>[] = [rowScope<CommunityCorrection>(ctx, 'CommunityCorrection')];
    if (filter?.divisionCode) where.push({ districtCode: checkCode('filter.divisionCode', filter.divisionCode, 'district') });
    if (filter?.status) where.push({ status: filter.status });
    return paginate(ctx, CommunityCorrection, { $and: where }, page, { columns: ['startOn', 'id'], direction: 'desc' });
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The person under correction (社区矫正对象).' })
  person(@Root() correction: CommunityCorrection): Person {
    return stubOf(Person, { id: correction.personId });
  }

  @FieldResolver(() => CourtCase, { nullable: true, description: 'The judgment the correction executes.' })
  courtCase(@Root() correction: CommunityCorrection): CourtCase {
    return Object.assign(new CourtCase(), { caseNo: correction.courtCaseNo });
  }
}

@Resolver(() => LegalAidCase)
export class LegalAidCaseResolver {
  @FieldResolver(() => OrgUnit, {
    nullable: true,
    description: 'The district justice bureau (司法局), whose legal aid agency decides the application (法律援助法 art. 12; not sensitive).',
  })
  unit(@Root() legalAid: LegalAidCase): OrgUnit | null {
    return orgUnit(legalAid.unitCode);
  }

  @Query(() => LegalAidCaseConnection, { description: 'Legal aid applications by district and status, latest first.' })
  legalAidCases(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => LegalAidCaseFilter, { nullable: true, description: 'Which applications; all filters optional, combined with AND.' })
    filter: LegalAidCaseFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<LegalAidCaseConnection> {
    const where: FilterQuery<LegalAidCase>[] = [rowScope<LegalAidCase>(ctx, 'LegalAidCase')];
    if (filter?.divisionCode) where.push({ districtCode: checkCode('filter.divisionCode', filter.divisionCode, 'district') });
    if (filter?.status) where.push({ status: filter.status });
    return paginate(ctx, LegalAidCase, { $and: where }, page, { columns: ['appliedOn', 'id'], direction: 'desc' });
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The applicant in the population registry (resolved by the grid department).' })
  applicant(@Root() aid: LegalAidCase): Person {
    return stubOf(Person, { id: aid.applicantId });
  }
}

@Resolver(() => Person)
export class PersonJusticeResolver {
  @FieldResolver(() => [MediationCase], { nullable: true, description: 'Mediation cases the person is a party to, newest first.' })
  async mediations(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<MediationCase[]> {
    const parties = await ctx.loaders.many(MediationParty, 'personId').load(person.id);
    const cases = await ctx.loaders.one(MediationCase, 'id').loadMany(parties.map((p) => p.mediationId));
    return cases.filter((c): c is MediationCase => c instanceof MediationCase).sort(newestFirst);
  }

  @FieldResolver(() => CommunityCorrection, { nullable: true, description: "The person's running community correction, or else the latest one." })
  async communityCorrection(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<CommunityCorrection | null> {
    const corrections = await ctx.loaders.many(CommunityCorrection, 'personId', { startOn: 'desc', id: 'desc' }).load(person.id);
    return corrections.find((c) => c.status === CorrectionStatus.ACTIVE) ?? corrections[0] ?? null;
  }

  @FieldResolver(() => [LegalAidCase], { nullable: true, description: 'Legal aid the person applied for, latest first.' })
  legalAid(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<LegalAidCase[]> {
    return ctx.loaders.many(LegalAidCase, 'applicantId', { appliedOn: 'desc', id: 'desc' }).load(person.id);
  }
}

@Resolver(() => GridEvent)
export class GridEventJusticeResolver {
  @FieldResolver(() => MediationCase, { nullable: true, description: "The people's mediation the dispute went to, if any." })
  mediation(@Root() event: GridEvent, @Ctx() ctx: SubgraphContext): Promise<MediationCase | null> {
    return ctx.loaders.one(MediationCase, 'gridEventId').load(event.id);
  }
}

@Resolver(() => CourtCase)
export class CourtCaseJusticeResolver {
  @FieldResolver(() => CommunityCorrection, {
    nullable: true,
    description: "The community correction the judgment is served as, if any (the first-recorded defendant's, when several serve it).",
  })
  async communityCorrection(@Root() courtCase: CourtCase, @Ctx() ctx: SubgraphContext): Promise<CommunityCorrection | null> {
    const corrections = await ctx.loaders.many(CommunityCorrection, 'courtCaseNo', { id: 'asc' }).load(courtCase.caseNo);
    return corrections[0] ?? null;
  }
}
