import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Ctx, Directive, Field, FieldResolver, ID, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { Grid } from './entities';
import { inGrid } from './objects';

export enum KeyPlaceKind {
  SCHOOL = 'SCHOOL',
  KINDERGARTEN = 'KINDERGARTEN',
  HOSPITAL = 'HOSPITAL',
  MARKET = 'MARKET',
  HAZARDOUS_GOODS = 'HAZARDOUS_GOODS',
}
registerEnumType(KeyPlaceKind, {
  name: 'KeyPlaceKind',
  description: 'What kind of key place (重点场所) it is.',
  valuesConfig: {
    SCHOOL: { description: 'A school (学校).' },
    KINDERGARTEN: { description: 'A kindergarten (幼儿园).' },
    HOSPITAL: { description: 'A hospital or community health station (医疗机构).' },
    MARKET: { description: 'A market (农贸市场).' },
    HAZARDOUS_GOODS: { description: 'A site storing or selling hazardous goods, e.g. liquefied gas (危险化学品场所).' },
  },
});

@ObjectType({ description: 'A key place of a grid (重点场所): a school, hospital, market or hazardous-goods site the grid worker inspects.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'key_place' })
export class KeyPlace {
  @Field(() => ID, { description: '`KP` + the grid code + 2 digits.' })
  @PrimaryKey({ type: 'string', length: 16 })
  id!: string;

  @Index()
  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  @Field({ description: "The place's name." })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => KeyPlaceKind, { description: 'School, kindergarten, hospital, market or hazardous-goods site.' })
  @Enum({ items: () => KeyPlaceKind, nativeEnumName: 'key_place_kind' })
  kind!: KeyPlaceKind;

  @Field({ description: "The place's address." })
  @Property({ type: 'string' })
  address!: string;

  @Field(() => String, { nullable: true, description: 'The person responsible for its safety (安全责任人).' })
  @Property({ type: 'string' })
  managerName!: string;

  @Field(() => String, { nullable: true, description: "The responsible person's phone." })
  @Property({ type: 'string' })
  managerPhone!: string;
}

@Resolver(() => KeyPlace)
export class KeyPlaceResolver {
  @FieldResolver(() => Grid, { nullable: true, description: 'The grid the place lies in.' })
  grid(@Root() place: KeyPlace, @Ctx() ctx: SubgraphContext): Promise<Grid | null> {
    return ctx.loaders.one(Grid, 'code').load(place.gridCode);
  }
}

@Resolver(() => Grid)
export class GridKeyPlacesResolver {
  @FieldResolver(() => [KeyPlace], { nullable: true, description: "The grid's key places (重点场所), in id order." })
  keyPlaces(@Root() grid: Grid, @Ctx() ctx: SubgraphContext): Promise<KeyPlace[]> {
    return ctx.em.find(KeyPlace, inGrid<KeyPlace>(ctx, 'KeyPlace', grid.code), { orderBy: { id: 'asc' } });
  }
}
