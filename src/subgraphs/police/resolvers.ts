import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { stubOf } from '../../kit/extends';
import { orgUnit, OrgUnit } from '../../kit/orgUnit';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope } from '../../kit/scope';
import { badInput } from '../../shared/errors';
import { checkCode, checkDateTime } from '../../shared/validate';
import { AuxiliaryOfficer, CaseParticipant, Incident, isIncidentId, PoliceCase, PoliceCaseStage } from './entities';
import { isPoliceCaseNo } from './keys';
import { checkDayRange } from '../../analytics/dayRange';
import { Grid, Person } from './extends';
import { DateScalar } from '../../shared/scalars';

@ObjectType({ description: 'A page of police incidents (Relay connection).' })
class IncidentConnection extends ConnectionType(Incident, 'Incident') {}
@ObjectType({ description: 'A page of criminal cases (Relay connection).' })
class PoliceCaseConnection extends ConnectionType(PoliceCase, 'PoliceCase') {}
@ObjectType({ description: 'A page of auxiliary officers (Relay connection).' })
class AuxiliaryOfficerConnection extends ConnectionType(AuxiliaryOfficer, 'AuxiliaryOfficer') {}

@InputType({ description: 'Filters of the incident list; all optional, combined with AND.' })
class IncidentFilter {
  @Field(() => String, { nullable: true, description: 'A district (6 digits) or township (9 digits) code.' })
  divisionCode?: string;

  @Field(() => Date, { nullable: true, description: 'Reported at or after.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Reported before.' })
  to?: Date;
}

@InputType({ description: 'Filters of the police case list; all optional, combined with AND.' })
class PoliceCaseFilter {
  @Field(() => String, { nullable: true, description: 'A district (6 digits) or township (9 digits) code.' })
  divisionCode?: string;

  @Field(() => PoliceCaseStage, { nullable: true, description: 'Only cases at this stage.' })
  stage?: PoliceCaseStage;

  @Field(() => DateScalar, { nullable: true, description: 'Filed on or after this day (YYYY-MM-DD).' })
  from?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Filed on or before this day (YYYY-MM-DD).' })
  to?: string;
}

/** Division filters match by prefix of the grid code, which starts with the township and district codes. */
function inDivision(argument: string, code: string): { gridCode: { $like: string } } {
  return { gridCode: { $like: `${checkCode(argument, code, 'division')}%` } };
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Query(() => Incident, { nullable: true, description: 'One incident by its id (JQ + 10 digits).' })
  incident(@Arg('id', () => ID, { description: 'JQ + 10 digits.' }) id: string, @Ctx() ctx: SubgraphContext): Promise<Incident | null> {
    if (!isIncidentId(id)) throw badInput('id', 'expected an incident id like JQ2025000123');
    return ctx.loaders.one(Incident, 'id').load(id);
  }

  @Query(() => IncidentConnection, { description: 'Incidents by division and time, newest first.' })
  async incidents(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => IncidentFilter, { nullable: true, description: 'Which incidents; all filters optional, combined with AND.' })
    filter: IncidentFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<IncidentConnection> {
    const where: FilterQuery<Incident>[] = [rowScope<Incident>(ctx, 'Incident')];
    if (filter?.divisionCode) where.push(inDivision('filter.divisionCode', filter.divisionCode));
    const from = filter?.from ? checkDateTime('filter.from', filter.from) : null;
    const to = filter?.to ? checkDateTime('filter.to', filter.to) : null;
    if (from && to && from > to) throw badInput('filter.from', 'must not be after `filter.to`');
    if (from) where.push({ reportedAt: { $gte: from } });
    if (to) where.push({ reportedAt: { $lt: to } });
    return paginate(ctx, Incident, { $and: where }, page, { columns: ['reportedAt', 'id'], direction: 'desc' });
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The caller, when identified.' })
  reporter(@Root() incident: Incident): Person | null {
    return incident.reporterId ? stubOf(Person, { id: incident.reporterId }) : null;
  }

  @FieldResolver(() => PoliceCase, { nullable: true, description: 'The criminal case filed on this incident, if any.' })
  policeCase(@Root() incident: Incident, @Ctx() ctx: SubgraphContext): Promise<PoliceCase | null> {
    return ctx.loaders.one(PoliceCase, 'incidentId').load(incident.id);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The police station (派出所) that handles the incident (not sensitive).' })
  unit(@Root() incident: Incident): OrgUnit | null {
    return orgUnit(incident.unitCode);
  }

  @FieldResolver(() => Grid, { nullable: true, description: 'The grid the incident happened in.' })
  grid(@Root() incident: Incident): Grid {
    return stubOf(Grid, { code: incident.gridCode });
  }
}

@Resolver(() => PoliceCase)
export class PoliceCaseResolver {
  @Query(() => PoliceCase, { nullable: true, description: 'One criminal case by its number.' })
  policeCase(@Arg('caseNo', { description: 'The police case number.' }) caseNo: string, @Ctx() ctx: SubgraphContext): Promise<PoliceCase | null> {
    if (!isPoliceCaseNo(caseNo)) throw badInput('caseNo', 'expected a police case number like A2114020400002025010012 or A211402202500109');
    return ctx.loaders.one(PoliceCase, 'caseNo').load(caseNo);
  }

  @Query(() => PoliceCaseConnection, { description: 'Criminal cases by division, stage and filing date, newest first.' })
  async policeCases(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => PoliceCaseFilter, { nullable: true, description: 'Which cases; all filters optional, combined with AND.' })
    filter: PoliceCaseFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PoliceCaseConnection> {
    const where: FilterQuery<PoliceCase>[] = [rowScope<PoliceCase>(ctx, 'PoliceCase')];
    if (filter?.divisionCode) where.push(inDivision('filter.divisionCode', filter.divisionCode));
    if (filter?.stage) where.push({ stage: filter.stage });
    const range = checkDayRange(filter?.from, filter?.to, 'filter.');
    if (range.from) where.push({ filedOn: { $gte: range.from } });
    if (range.to) where.push({ filedOn: { $lte: range.to } });
    return paginate(ctx, PoliceCase, { $and: where }, page, { columns: ['filedOn', 'caseNo'], direction: 'desc' });
  }

  @FieldResolver(() => Incident, { nullable: true, description: 'The incident (警情) the case was filed on.' })
  incident(@Root() policeCase: PoliceCase, @Ctx() ctx: SubgraphContext): Promise<Incident | null> {
    return ctx.loaders.one(Incident, 'id').load(policeCase.incidentId);
  }

  @FieldResolver(() => [CaseParticipant], { nullable: true, description: 'Suspects, victims and witnesses.' })
  participants(@Root() policeCase: PoliceCase, @Ctx() ctx: SubgraphContext): Promise<CaseParticipant[]> {
    return ctx.loaders.many(CaseParticipant, 'caseNo', { role: 'asc', personId: 'asc' }).load(policeCase.caseNo);
  }

  @FieldResolver(() => OrgUnit, {
    nullable: true,
    description: "The unit handling the case: the filing unit of a platform case number, else the township's police station (not sensitive).",
  })
  unit(@Root() policeCase: PoliceCase): OrgUnit | null {
    return orgUnit(policeCase.unitCode);
  }

  @FieldResolver(() => Grid, { nullable: true, description: 'The grid the offence happened in.' })
  grid(@Root() policeCase: PoliceCase): Grid {
    return stubOf(Grid, { code: policeCase.gridCode });
  }
}

@Resolver(() => CaseParticipant)
export class CaseParticipantResolver {
  @FieldResolver(() => Person, { nullable: true, description: 'The person in the population registry (resolved by the grid department).' })
  person(@Root() participant: CaseParticipant): Person {
    return stubOf(Person, { id: participant.personId });
  }

  @FieldResolver(() => PoliceCase, { nullable: true, description: 'The case this participation belongs to.' })
  policeCase(@Root() participant: CaseParticipant, @Ctx() ctx: SubgraphContext): Promise<PoliceCase | null> {
    return ctx.loaders.one(PoliceCase, 'caseNo').load(participant.caseNo);
  }
}

@Resolver(() => AuxiliaryOfficer)
export class AuxiliaryOfficerResolver {
  @Query(() => AuxiliaryOfficerConnection, { description: 'The auxiliary officers (辅警) of a district or township, one per village.' })
  auxiliaryOfficers(
    @Arg('divisionCode', { description: 'A district (6 digits) or township (9 digits) code.' }) divisionCode: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AuxiliaryOfficerConnection> {
    return paginate(ctx, AuxiliaryOfficer, inDivision('divisionCode', divisionCode), page, { columns: ['id'], direction: 'asc' });
  }

  @FieldResolver(() => Grid, { nullable: true, description: 'The grid the auxiliary officer is posted to.' })
  grid(@Root() officer: AuxiliaryOfficer): Grid {
    return stubOf(Grid, { code: officer.gridCode });
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => [CaseParticipant], {
    nullable: true,
    description: "The person's involvements in criminal cases as suspect, victim or witness (police records), by case number, latest first.",
  })
  policeRecords(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<CaseParticipant[]> {
    return ctx.loaders.many(CaseParticipant, 'personId', { caseNo: 'desc' }).load(person.id);
  }

  @FieldResolver(() => [Incident], { nullable: true, description: 'Incidents the person reported, newest first.' })
  incidents(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<Incident[]> {
    return ctx.loaders.many(Incident, 'reporterId', { reportedAt: 'desc', id: 'desc' }).load(person.id);
  }
}
