import type { FilterQuery } from '@mikro-orm/core';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { inJurisdiction } from '../../auth/viewer';
import type { SubgraphContext } from '../../kit/context';
import { orgUnit, OrgUnit } from '../../kit/orgUnit';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope } from '../../kit/scope';
import { clearOn, containing, recordSearch, searchScope } from '../../kit/search';
import { badInput, forbidden } from '../../shared/errors';
import { handlingUnitCode } from '../../shared/orgUnits';
import { isPinyinFragment, normalisePinyin } from '../../shared/pinyin';
import { checkCode, checkDateRange, checkDateTime, checkIdNumber, checkPersonKey, checkRecordId, checkText } from '../../shared/validate';
import { District, DivisionLevel, Grid, GridEvent, GridEventKind, GridEventStatus, GridWorker, HouseholdStatus, Person, Volunteer } from './entities';

@ObjectType({ description: 'A page of persons (Relay connection).' })
class PersonConnection extends ConnectionType(Person, 'Person') {}
@ObjectType({ description: 'A page of grids (Relay connection).' })
class GridConnection extends ConnectionType(Grid, 'Grid') {}
@ObjectType({ description: 'A page of grid events (Relay connection).' })
class GridEventConnection extends ConnectionType(GridEvent, 'GridEvent') {}
@ObjectType({ description: 'A page of volunteers (Relay connection).' })
class VolunteerConnection extends ConnectionType(Volunteer, 'Volunteer') {}

@InputType({ description: 'Filters of the person list; all optional, combined with AND.' })
class PersonFilter {
  @Field(() => String, { nullable: true, description: 'A district (6 digits) or township (9 digits) code.' })
  divisionCode?: string;

  @Field(() => String, { nullable: true, description: 'A grid code (12 digits).' })
  gridCode?: string;

  @Field(() => HouseholdStatus, { nullable: true, description: 'Only registered residents or only the floating population.' })
  householdStatus?: HouseholdStatus;

  @Field(() => Boolean, { nullable: true, description: 'Only people who do (true) or do not (false) live in rental housing.' })
  rentalHousing?: boolean;
}

@InputType({ description: 'Filters of the grid event list; all optional, combined with AND.' })
class GridEventFilter {
  @Field(() => String, { nullable: true, description: 'A district (6 digits) or township (9 digits) code.' })
  divisionCode?: string;

  @Field(() => String, { nullable: true, description: 'A grid code (12 digits).' })
  gridCode?: string;

  @Field(() => GridEventStatus, { nullable: true, description: 'Only events in this state.' })
  status?: GridEventStatus;

  @Field(() => GridEventKind, { nullable: true, description: 'Only events of this kind.' })
  kind?: GridEventKind;

  @Field(() => Date, { nullable: true, description: 'Reported at or after.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Reported before.' })
  to?: Date;
}

@InputType({ description: 'What a grid worker reports from the field.' })
class ReportGridEventInput {
  @Field({ description: "The grid (12 digits) the event happened in; must be the reporting worker's." })
  gridCode!: string;

  @Field(() => GridEventKind, { description: 'What the event is about.' })
  kind!: GridEventKind;

  @Field({ description: 'A short title, 2 to 100 characters.' })
  title!: string;

  @Field({ description: 'What happened, 1 to 2,000 characters.' })
  description!: string;

  @Field(() => Date, { nullable: true, description: 'When it happened; defaults to now.' })
  occurredAt?: Date;

  @Field(() => [String], { nullable: true, description: 'ID numbers of the people involved (stored only as person keys).' })
  involvedIdNumbers?: string[];
}

/**
 * The SQL conditions of a person search, one per fragment given, and the fields they search. A
 * name in Latin letters is read as pinyin (full syllables or initials), otherwise as characters.
 * Fragments are personal data: a refusal names the argument, never its value.
 */
function personSearchTerms(
  name: string | undefined,
  phone: string | undefined,
  address: string | undefined,
): { where: FilterQuery<Person>[]; fields: string[] } {
  const where: FilterQuery<Person>[] = [];
  const fields: string[] = [];
  if (name !== undefined && name !== null) {
    const text = checkText('name', name, 2, 40);
    if (isPinyinFragment(text)) {
      const latin = normalisePinyin(text);
      if (latin.length < 2) throw badInput('name', 'give at least 2 letters of pinyin');
      where.push({ namePinyin: { $like: containing(latin) } });
    } else where.push({ name: { $like: containing(text) } });
    fields.push('name');
  }
  if (phone !== undefined && phone !== null) {
    const digits = checkText('phone', phone, 1, 20).replace(/[\s-]/g, '');
    if (!/^\d{4,11}$/.test(digits)) throw badInput('phone', 'give 4 to 11 digits of a phone number');
    where.push({ phone: { $like: containing(digits) } });
    fields.push('phone');
  }
  if (address !== undefined && address !== null) {
    where.push({ address: { $like: containing(checkText('address', address, 2, 100)) } });
    fields.push('address');
  }
  if (!fields.length) throw badInput('name', 'give a name, phone or address fragment to search by');
  return { where, fields };
}

export async function requireDivision(ctx: SubgraphContext, argument: string, code: string): Promise<District> {
  checkCode(argument, code, 'division');
  const division = await ctx.loaders.one(District, 'code').load(code);
  if (!division) throw badInput(argument, `unknown district or township code ${code}`);
  return division;
}

async function requireGrid(ctx: SubgraphContext, argument: string, code: string): Promise<Grid> {
  checkCode(argument, code, 'grid');
  const grid = await ctx.loaders.one(Grid, 'code').load(code);
  if (!grid) throw badInput(argument, `unknown grid code ${code}`);
  return grid;
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true, description: 'One person by the opaque person key.' })
  person(@Arg('id', () => ID, { description: 'The opaque person key (`Person.id`).' }) id: string, @Ctx() ctx: SubgraphContext): Promise<Person | null> {
    return ctx.loaders.one(Person, 'id').load(checkPersonKey('id', id));
  }

  @Query(() => Person, { nullable: true, description: 'One person by national ID number (validated, never logged).' })
  personByIdNumber(
    @Arg('idNumber', { description: 'An 18-character national ID number; its check digit is verified.' }) idNumber: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Person | null> {
    const key = ctx.personKey(checkIdNumber('idNumber', idNumber));
    return ctx.loaders.one(Person, 'id').load(key);
  }

  @Query(() => PersonConnection, { description: 'The population registry, filtered and paginated.' })
  async persons(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => PersonFilter, { nullable: true, description: 'Which persons; all filters optional, combined with AND.' })
    filter: PersonFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PersonConnection> {
    const where: FilterQuery<Person>[] = [rowScope<Person>(ctx, 'Person')];
    if (filter?.divisionCode) {
      await requireDivision(ctx, 'filter.divisionCode', filter.divisionCode);
      where.push({ gridCode: { $like: `${filter.divisionCode}%` } });
    }
    if (filter?.gridCode) where.push({ gridCode: (await requireGrid(ctx, 'filter.gridCode', filter.gridCode)).code });
    if (filter?.householdStatus) where.push({ householdStatus: filter.householdStatus });
    if (filter?.rentalHousing !== undefined && filter.rentalHousing !== null) where.push({ rentalHousing: filter.rentalHousing });
    return paginate(ctx, Person, { $and: where }, page, { columns: ['id'], direction: 'asc' });
  }

  @Query(() => PersonConnection, {
    description:
      'Persons whose name (characters, or pinyin: `zhangwei`, `zw`), phone or address contains the fragments given (at least one; combined with AND), ' +
      'in person-key order. Only persons on whom you see every searched field unmasked are matched (your jurisdiction, or the case you state); ' +
      'the search is audited by what it searched, not by the fragments. Minimum: 2 characters of a name or address, 4 digits of a phone.',
  })
  async searchPersons(
    @Arg('name', () => String, { nullable: true, description: 'Part of the name: 2 Chinese characters or more, or pinyin (2 letters or more).' })
    name: string | undefined,
    @Arg('phone', () => String, { nullable: true, description: '4 to 11 consecutive digits of the phone number.' }) phone: string | undefined,
    @Arg('address', () => String, { nullable: true, description: 'Part of the address, 2 characters or more.' }) address: string | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PersonConnection> {
    const { where, fields } = personSearchTerms(name, phone, address);
    recordSearch(ctx, info, 'Person', fields);
    const found = await paginate(ctx, Person, { $and: [searchScope<Person>(ctx, 'Person', fields), ...where] }, page, { columns: ['id'], direction: 'asc' });
    return { ...found, edges: found.edges.filter((e) => clearOn(ctx, 'Person', fields, e.node)) };
  }

  @FieldResolver(() => Grid, { nullable: true, description: 'The grid the person lives in.' })
  grid(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<Grid | null> {
    return ctx.loaders.one(Grid, 'code').load(person.gridCode);
  }
}

@Resolver(() => District)
export class DistrictResolver {
  @Query(() => District, { nullable: true, description: 'One division by its code: the city or a district (6 digits), or a township (9 digits).' })
  district(
    @Arg('code', { description: 'The city (e.g. 211400), a district (6 digits) or a township (9 digits) code.' }) code: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<District | null> {
    return ctx.loaders.one(District, 'code').load(checkCode('code', code, 'division'));
  }

  @Query(() => District, { nullable: true, description: 'The city as a whole (全市): its statistics are the city totals, its `townships` the districts.' })
  city(@Ctx() ctx: SubgraphContext): Promise<District | null> {
    return ctx.em.findOne(District, { level: DivisionLevel.CITY });
  }

  @Query(() => [District], { description: 'The county-level districts of the city, or the townships of one district.' })
  districts(
    @Arg('parentCode', () => String, { nullable: true, description: "A district code: list its townships instead of the city's districts." })
    parentCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<District[]> {
    if (parentCode) return ctx.loaders.many(District, 'parentCode', { code: 'asc' }).load(checkCode('parentCode', parentCode, 'district'));
    return ctx.em.find(District, { level: DivisionLevel.COUNTY }, { orderBy: { code: 'asc' } });
  }

  @Query(() => GridConnection, { description: 'The grids of a district or township.' })
  async grids(
    @Arg('divisionCode', { description: 'A district (6 digits) or township (9 digits) code.' }) divisionCode: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<GridConnection> {
    await requireDivision(ctx, 'divisionCode', divisionCode);
    return paginate(ctx, Grid, { code: { $like: `${divisionCode}%` } }, page, { columns: ['code'], direction: 'asc' });
  }

  @Query(() => Grid, { nullable: true, description: 'One grid by its 12-digit code.' })
  grid(@Arg('code', { description: 'A grid code (12 digits).' }) code: string, @Ctx() ctx: SubgraphContext): Promise<Grid | null> {
    return ctx.loaders.one(Grid, 'code').load(checkCode('code', code, 'grid'));
  }

  @FieldResolver(() => District, { nullable: true, description: "The division one level up: a township's district, a district's city; null for the city." })
  parent(@Root() district: District, @Ctx() ctx: SubgraphContext): Promise<District | null> | null {
    return district.parentCode ? ctx.loaders.one(District, 'code').load(district.parentCode) : null;
  }

  @FieldResolver(() => [District], { description: "The divisions one level down: a district's townships, the city's districts; empty for a township." })
  townships(@Root() district: District, @Ctx() ctx: SubgraphContext): Promise<District[]> {
    return ctx.loaders.many(District, 'parentCode', { code: 'asc' }).load(district.code);
  }
}

@Resolver(() => Grid)
export class GridResolver {
  @FieldResolver(() => District, { nullable: true, description: 'The township the grid lies in.' })
  township(@Root() grid: Grid, @Ctx() ctx: SubgraphContext): Promise<District | null> {
    return ctx.loaders.one(District, 'code').load(grid.townshipCode);
  }

  @FieldResolver(() => District, { nullable: true, description: 'The county-level district the grid lies in.' })
  district(@Root() grid: Grid, @Ctx() ctx: SubgraphContext): Promise<District | null> {
    return ctx.loaders.one(District, 'code').load(grid.districtCode);
  }

  @FieldResolver(() => GridWorker, { nullable: true, description: 'The grid worker who looks after the grid.' })
  worker(@Root() grid: Grid, @Ctx() ctx: SubgraphContext): Promise<GridWorker | null> {
    return ctx.loaders.one(GridWorker, 'id').load(grid.workerId);
  }
}

@Resolver(() => GridWorker)
export class GridWorkerResolver {
  @FieldResolver(() => Grid, { nullable: true, description: 'The grid the worker looks after.' })
  grid(@Root() worker: GridWorker, @Ctx() ctx: SubgraphContext): Promise<Grid | null> {
    return ctx.loaders.one(Grid, 'code').load(worker.gridCode);
  }
}

@Resolver(() => GridEvent)
export class GridEventResolver {
  @Query(() => GridEvent, { nullable: true, description: 'One grid event by its id.' })
  gridEvent(@Arg('id', () => ID, { description: 'GE + year + 6 digits.' }) id: string, @Ctx() ctx: SubgraphContext): Promise<GridEvent | null> {
    return ctx.loaders.one(GridEvent, 'id').load(checkRecordId('id', id, 'GE'));
  }

  @Query(() => GridEventConnection, { description: 'Events by division, grid, status, kind and time, newest first.' })
  async gridEvents(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => GridEventFilter, { nullable: true, description: 'Which events; all filters optional, combined with AND.' })
    filter: GridEventFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<GridEventConnection> {
    const where: FilterQuery<GridEvent>[] = [rowScope<GridEvent>(ctx, 'GridEvent')];
    if (filter?.divisionCode) {
      await requireDivision(ctx, 'filter.divisionCode', filter.divisionCode);
      where.push({ gridCode: { $like: `${filter.divisionCode}%` } });
    }
    if (filter?.gridCode) where.push({ gridCode: (await requireGrid(ctx, 'filter.gridCode', filter.gridCode)).code });
    if (filter?.status) where.push({ status: filter.status });
    if (filter?.kind) where.push({ kind: filter.kind });
    checkDateRange(filter?.from, filter?.to, { from: 'filter.from', to: 'filter.to' });
    if (filter?.from) where.push({ reportedAt: { $gte: filter.from } });
    if (filter?.to) where.push({ reportedAt: { $lt: filter.to } });
    return paginate(ctx, GridEvent, { $and: where }, page, { columns: ['reportedAt', 'id'], direction: 'desc' });
  }

  @Mutation(() => GridEvent, { description: 'A grid worker reports an event in a grid of their jurisdiction; written in one transaction.' })
  async reportGridEvent(
    @Arg('input', () => ReportGridEventInput, { description: 'The event as the grid worker reports it.' }) input: ReportGridEventInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<GridEvent> {
    const { viewer } = ctx;
    if (viewer.agency !== 'grid') throw forbidden('only grid workers report grid events');
    const grid = await requireGrid(ctx, 'input.gridCode', input.gridCode);
    if (!inJurisdiction(viewer, grid.code)) throw forbidden(`grid ${grid.code} is outside your jurisdiction`);
    const title = checkText('input.title', input.title, 2, 100);
    const description = checkText('input.description', input.description, 1, 2000);
    const occurredAt = input.occurredAt ? checkDateTime('input.occurredAt', input.occurredAt, { notInFuture: true }) : new Date();
    const ids = input.involvedIdNumbers ?? [];
    if (ids.length > 20) throw badInput('input.involvedIdNumbers', 'at most 20 people per event');
    const involvedPersonIds = [...new Set(ids.map((id, i) => ctx.personKey(checkIdNumber(`input.involvedIdNumbers[${i}]`, id))))];
    return ctx.em.transactional(async (em) => {
      const [{ seq }] = await em.getConnection().execute<Array<{ seq: string }>>(`select nextval('grid.grid_event_seq') as seq`);
      const event = em.create(GridEvent, {
        id: `GE${occurredAt.getUTCFullYear()}${seq.padStart(6, '0')}`,
        kind: input.kind,
        title,
        description,
        status: GridEventStatus.REPORTED,
        gridCode: grid.code,
        unitCode: handlingUnitCode('zongzhi', grid.code),
        reportedBy: viewer.sub,
        reportedAt: occurredAt,
        involvedPersonIds,
      });
      await em.flush();
      return event;
    });
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The township 综治中心 that received the event (not sensitive).' })
  unit(@Root() event: GridEvent): OrgUnit | null {
    return orgUnit(event.unitCode);
  }

  @FieldResolver(() => Grid, { nullable: true, description: 'The grid the event was reported in.' })
  grid(@Root() event: GridEvent, @Ctx() ctx: SubgraphContext): Promise<Grid | null> {
    return ctx.loaders.one(Grid, 'code').load(event.gridCode);
  }

  @FieldResolver(() => GridWorker, { nullable: true, description: 'The grid worker who reported it.' })
  reportedBy(@Root() event: GridEvent, @Ctx() ctx: SubgraphContext): Promise<GridWorker | null> {
    return ctx.loaders.one(GridWorker, 'id').load(event.reportedBy);
  }

  @FieldResolver(() => [Person], { nullable: true, description: 'People involved who are in the registry.' })
  async involvedPersons(@Root() event: GridEvent, @Ctx() ctx: SubgraphContext): Promise<Person[]> {
    const people = await ctx.loaders.one(Person, 'id').loadMany(event.involvedPersonIds);
    return people.filter((p): p is Person => p instanceof Person);
  }
}

@Resolver(() => Volunteer)
export class VolunteerResolver {
  @Query(() => VolunteerConnection, { description: 'Registered volunteers of a district.' })
  async volunteers(
    @Arg('districtCode', { description: 'A district code (6 digits).' }) districtCode: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<VolunteerConnection> {
    await requireDivision(ctx, 'districtCode', checkCode('districtCode', districtCode, 'district'));
    return paginate(ctx, Volunteer, { districtCode }, page, { columns: ['id'], direction: 'asc' });
  }
}
