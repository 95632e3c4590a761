import { DateTimeType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Arg, Args, Ctx, Directive, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import { inJurisdiction } from '../../auth/viewer';
import type { SubgraphContext } from '../../kit/context';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { badInput, forbidden } from '../../shared/errors';
import { checkCode, checkDateTime, checkPersonKey, checkText } from '../../shared/validate';
import { Grid, GridWorker, Person } from './entities';
import { House } from './houses';
import { KeyPlace } from './keyPlaces';
import { checkObjectId, inGrid } from './objects';

export enum VisitPurpose {
  SPECIAL_POPULATION = 'SPECIAL_POPULATION',
  RENTAL_CHECK = 'RENTAL_CHECK',
  KEY_PLACE_INSPECTION = 'KEY_PLACE_INSPECTION',
  ROUTINE = 'ROUTINE',
}
registerEnumType(VisitPurpose, {
  name: 'VisitPurpose',
  description: 'Why the grid worker went (走访).',
  valuesConfig: {
    SPECIAL_POPULATION: { description: 'To see a person of a special population (帮扶走访); reveals that they are one.' },
    RENTAL_CHECK: { description: 'To check a rented house and its tenants (出租房屋核查).' },
    KEY_PLACE_INSPECTION: { description: 'To inspect a key place (重点场所巡查).' },
    ROUTINE: { description: 'A routine household visit (入户走访).' },
  },
});

@ObjectType({ description: "A grid worker's visit (走访) to a person, a house or a key place of their grid." })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'visit' })
@Index({ properties: ['gridCode', 'visitedAt'] })
export class Visit {
  @Field(() => ID, { description: '`VI` + year + 6 digits.' })
  @PrimaryKey({ type: 'string', length: 12 })
  id!: string;

  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  @Property({ type: 'string' })
  visitedBy!: string;

  @Field(() => Date, { description: 'When the visit took place.' })
  @Property({ type: DateTimeType })
  visitedAt!: Date;

  @Field(() => VisitPurpose, { nullable: true, description: 'Why the worker went; denied where it would tell what the person is.' })
  @Enum({ items: () => VisitPurpose, nativeEnumName: 'visit_purpose' })
  purpose!: VisitPurpose;

  @Index()
  @Property({ type: 'string', length: 33, nullable: true })
  personId!: string | null;

  @Property({ type: 'string', length: 17, nullable: true })
  houseId!: string | null;

  @Property({ type: 'string', length: 16, nullable: true })
  keyPlaceId!: string | null;

  @Field(() => String, { nullable: true, description: 'What the worker found (free text, ruled by the policy).' })
  @Property({ type: 'text' })
  note!: string;
}

@ObjectType({ description: 'A page of visits (Relay connection).' })
class VisitConnection extends ConnectionType(Visit, 'Visit') {}

@InputType({ description: 'A visit as the grid worker records it: one person, house or key place of their own grid.' })
class RecordVisitInput {
  @Field({ description: "The grid (12 digits) visited; must be the recording worker's." })
  gridCode!: string;

  @Field(() => VisitPurpose, { description: 'Why the worker went.' })
  purpose!: VisitPurpose;

  @Field(() => ID, { nullable: true, description: 'The person visited (`Person.id`), a resident of the grid.' })
  personId?: string;

  @Field(() => ID, { nullable: true, description: 'The house visited (`House.id`), in the grid.' })
  houseId?: string;

  @Field(() => ID, { nullable: true, description: 'The key place visited (`KeyPlace.id`), in the grid.' })
  keyPlaceId?: string;

  @Field({ description: 'What the worker found, 1 to 2,000 characters.' })
  note!: string;

  @Field(() => Date, { nullable: true, description: 'When the visit took place; defaults to now.' })
  visitedAt?: Date;
}

/** The one subject of a visit, checked to lie in the grid (a person, house or place elsewhere is refused by argument). */
async function visitSubject(ctx: SubgraphContext, input: RecordVisitInput, gridCode: string): Promise<Pick<Visit, 'personId' | 'houseId' | 'keyPlaceId'>> {
  const given = (['personId', 'houseId', 'keyPlaceId'] as const).filter((k) => input[k] !== undefined && input[k] !== null);
  if (given.length !== 1) throw badInput('input.personId', 'give exactly one of personId, houseId, keyPlaceId');
  const [argument] = given;
  const found =
    argument === 'personId'
      ? await ctx.loaders.one(Person, 'id').load(checkPersonKey('input.personId', input.personId!))
      : argument === 'houseId'
        ? await ctx.loaders.one(House, 'id').load(checkObjectId('input.houseId', input.houseId!, 'house'))
        : await ctx.loaders.one(KeyPlace, 'id').load(checkObjectId('input.keyPlaceId', input.keyPlaceId!, 'keyPlace'));
  if (found?.gridCode !== gridCode) throw badInput(`input.${argument}`, `not found in grid ${gridCode}`);
  return { personId: null, houseId: null, keyPlaceId: null, [argument]: input[argument] };
}

@Resolver(() => Visit)
export class VisitResolver {
  @Mutation(() => Visit, { description: 'A grid worker records a visit in their own grid; written in one transaction, the answer audited as any read.' })
  async recordVisit(
    @Arg('input', () => RecordVisitInput, { description: 'The visit as the grid worker records it.' }) input: RecordVisitInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Visit> {
    const { viewer } = ctx;
    if (viewer.agency !== 'grid') throw forbidden('only grid workers record visits');
    const gridCode = checkCode('input.gridCode', input.gridCode, 'grid');
    if (!inJurisdiction(viewer, gridCode)) throw forbidden(`grid ${gridCode} is outside your jurisdiction`);
    const grid = await ctx.loaders.one(Grid, 'code').load(gridCode);
    if (!grid) throw badInput('input.gridCode', `unknown grid code ${gridCode}`);
    const subject = await visitSubject(ctx, input, grid.code);
    const note = checkText('input.note', input.note, 1, 2000);
    const visitedAt = input.visitedAt ? checkDateTime('input.visitedAt', input.visitedAt, { notInFuture: true }) : new Date();
    return ctx.em.transactional(async (em) => {
      const [{ seq }] = await em.getConnection().execute<Array<{ seq: string }>>(`select nextval('grid.visit_seq') as seq`);
      const visit = em.create(Visit, {
        id: `VI${visitedAt.getUTCFullYear()}${seq.padStart(6, '0')}`,
        gridCode: grid.code,
        visitedBy: viewer.sub,
        visitedAt,
        purpose: input.purpose,
        note,
        ...subject,
      });
      await em.flush();
      return visit;
    });
  }

  @FieldResolver(() => Grid, { nullable: true, description: 'The grid visited.' })
  grid(@Root() visit: Visit, @Ctx() ctx: SubgraphContext): Promise<Grid | null> {
    return ctx.loaders.one(Grid, 'code').load(visit.gridCode);
  }

  @FieldResolver(() => GridWorker, { nullable: true, description: 'The grid worker who visited.' })
  visitedBy(@Root() visit: Visit, @Ctx() ctx: SubgraphContext): Promise<GridWorker | null> {
    return ctx.loaders.one(GridWorker, 'id').load(visit.visitedBy);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The person visited, if the visit was to a person.' })
  person(@Root() visit: Visit, @Ctx() ctx: SubgraphContext): Promise<Person | null> | null {
    return visit.personId ? ctx.loaders.one(Person, 'id').load(visit.personId) : null;
  }

  @FieldResolver(() => House, { nullable: true, description: 'The house visited, if the visit was to a house.' })
  house(@Root() visit: Visit, @Ctx() ctx: SubgraphContext): Promise<House | null> | null {
    return visit.houseId ? ctx.loaders.one(House, 'id').load(visit.houseId) : null;
  }

  @FieldResolver(() => KeyPlace, { nullable: true, description: 'The key place visited, if the visit was to a key place.' })
  keyPlace(@Root() visit: Visit, @Ctx() ctx: SubgraphContext): Promise<KeyPlace | null> | null {
    return visit.keyPlaceId ? ctx.loaders.one(KeyPlace, 'id').load(visit.keyPlaceId) : null;
  }
}

@Resolver(() => Grid)
export class GridVisitsResolver {
  @FieldResolver(() => VisitConnection, { nullable: true, description: "The grid workers' visits in the grid, newest first." })
  visits(@Root() grid: Grid, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: SubgraphContext): Promise<VisitConnection> {
    return paginate(ctx, Visit, inGrid<Visit>(ctx, 'Visit', grid.code), page, { columns: ['visitedAt', 'id'], direction: 'desc' });
  }
}
