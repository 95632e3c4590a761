import { DateType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Arg, Args, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { DateScalar } from '../../shared/scalars';
import { Grid, Person } from './entities';
import { inGrid } from './objects';

/** Who lives in a house (以房管人: the house is the unit the grid worker manages people by). */
export enum HouseOccupancy {
  OWNER_OCCUPIED = 'OWNER_OCCUPIED',
  RENTED = 'RENTED',
  VACANT = 'VACANT',
}
registerEnumType(HouseOccupancy, {
  name: 'HouseOccupancy',
  description: 'Who lives in a house: its owner, tenants (出租房屋) or nobody (空置).',
  valuesConfig: {
    OWNER_OCCUPIED: { description: 'The owner and their household live in it (自住).' },
    RENTED: { description: 'Rented out (出租房屋), registered with the grid and the police.' },
    VACANT: { description: 'Nobody lives in it (空置).' },
  },
});

@ObjectType({ description: 'A house or flat of a grid (实有房屋); a rented one (出租房屋) carries its rental registration.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'house' })
export class House {
  @Field(() => ID, { description: '`H` + the grid code + 4 digits.' })
  @PrimaryKey({ type: 'string', length: 17 })
  id!: string;

  @Index()
  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  @Field(() => String, { nullable: true, description: "The house's address; masked to the village where the policy says so." })
  @Property({ type: 'string' })
  address!: string;

  @Field(() => HouseOccupancy, { description: 'Lived in by its owner, rented out, or vacant.' })
  @Enum({ items: () => HouseOccupancy, nativeEnumName: 'house_occupancy' })
  occupancy!: HouseOccupancy;

  @Property({ type: 'string', length: 33, nullable: true })
  ownerId!: string | null;

  @Field(() => Int, { description: 'Tenants the landlord declared in the rental registration (出租登记); 0 unless rented.' })
  @Property({ type: 'integer' })
  tenantsDeclared!: number;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD the current rental was registered; null unless rented.' })
  @Property({ type: DateType, nullable: true })
  rentedSince!: string | null;
}

@ObjectType({ description: 'A page of houses (Relay connection).' })
class HouseConnection extends ConnectionType(House, 'House') {}

@Resolver(() => House)
export class HouseResolver {
  @FieldResolver(() => Grid, { nullable: true, description: 'The grid the house lies in.' })
  grid(@Root() house: House, @Ctx() ctx: SubgraphContext): Promise<Grid | null> {
    return ctx.loaders.one(Grid, 'code').load(house.gridCode);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The owner (the landlord of a rented house), when they live in the city.' })
  owner(@Root() house: House, @Ctx() ctx: SubgraphContext): Promise<Person | null> | null {
    return house.ownerId ? ctx.loaders.one(Person, 'id').load(house.ownerId) : null;
  }

  @FieldResolver(() => [Person], {
    nullable: true,
    description: 'The registered residents living in the house: the tenants of a rented one (人房对应).',
  })
  residents(@Root() house: House, @Ctx() ctx: SubgraphContext): Promise<Person[]> {
    return ctx.loaders.many(Person, 'houseId', { id: 'asc' }).load(house.id);
  }
}

@Resolver(() => Grid)
export class GridHousesResolver {
  @FieldResolver(() => HouseConnection, { nullable: true, description: "The grid's houses (实有房屋), or only its rented ones (出租房屋), in id order." })
  houses(
    @Root() grid: Grid,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('occupancy', () => HouseOccupancy, { nullable: true, description: 'Only houses of this occupancy, e.g. RENTED for the rentals.' })
    occupancy: HouseOccupancy | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HouseConnection> {
    const where = inGrid<House>(ctx, 'House', grid.code);
    return paginate(ctx, House, occupancy ? { $and: [where, { occupancy }] } : where, page, { columns: ['id'], direction: 'asc' });
  }
}

@Resolver(() => Person)
export class PersonHouseResolver {
  @FieldResolver(() => House, { nullable: true, description: 'The house the person lives in (实有房屋).' })
  house(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<House | null> | null {
    return person.houseId ? ctx.loaders.one(House, 'id').load(person.houseId) : null;
  }
}
