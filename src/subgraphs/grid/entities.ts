import { ArrayType, DateTimeType, DateType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum DivisionLevel {
  COUNTY = 'COUNTY',
  TOWNSHIP = 'TOWNSHIP',
}
export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}
/** 户籍人口 (registered) or 流动人口 (floating population). */
export enum HouseholdStatus {
  REGISTERED = 'REGISTERED',
  FLOATING = 'FLOATING',
}
export enum GridEventKind {
  DISPUTE = 'DISPUTE',
  HAZARD = 'HAZARD',
  PUBLIC_ORDER = 'PUBLIC_ORDER',
  SERVICE_REQUEST = 'SERVICE_REQUEST',
}
export enum GridEventStatus {
  REPORTED = 'REPORTED',
  IN_PROGRESS = 'IN_PROGRESS',
  RESOLVED = 'RESOLVED',
  REFERRED = 'REFERRED',
}
registerEnumType(DivisionLevel, { name: 'DivisionLevel', description: 'County-level district (县区) or township (乡镇街道).' });
registerEnumType(Gender, { name: 'Gender' });
registerEnumType(HouseholdStatus, { name: 'HouseholdStatus', description: 'Registered resident (户籍) or floating population (流动人口).' });
registerEnumType(GridEventKind, { name: 'GridEventKind' });
registerEnumType(GridEventStatus, { name: 'GridEventStatus' });

@ObjectType({ description: 'An administrative division: a county-level district (县区, 6-digit code) or a township (乡镇街道, 9 digits).' })
@Directive('@key(fields: "code")')
@Entity({ tableName: 'district' })
export class District {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 9 })
  code!: string;

  @Field()
  @Property({ type: 'string' })
  name!: string;

  @Field(() => DivisionLevel)
  @Enum({ items: () => DivisionLevel, nativeEnumName: 'division_level' })
  level!: DivisionLevel;

  @Index()
  @Property({ type: 'string', length: 9, nullable: true })
  parentCode!: string | null;
}

@ObjectType({ description: 'A grid (网格): the smallest unit of community governance, looked after by one grid worker.' })
@Directive('@key(fields: "code")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({ name: 'grid_code_prefix_index', expression: 'create index "grid_code_prefix_index" on "grid"."grid" ("code" varchar_pattern_ops)' })
@Entity({ tableName: 'grid' })
export class Grid {
  @Field(() => ID, { description: '12 digits: township code + grid number.' })
  @PrimaryKey({ type: 'string', length: 12 })
  code!: string;

  @Field()
  @Property({ type: 'string' })
  name!: string;

  @Field({ description: 'Village or residential community (村/社区) the grid covers.' })
  @Property({ type: 'string' })
  village!: string;

  @Index()
  @Property({ type: 'string', length: 9 })
  townshipCode!: string;

  @Index()
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Property({ type: 'string' })
  workerId!: string;
}

@ObjectType({ description: 'A grid worker (网格员), one per grid.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'grid_worker' })
export class GridWorker {
  @Field(() => ID, { description: "Also the subject (`sub`) of the worker's token." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string' })
  phone!: string;

  @Index()
  @Property({ type: 'string', length: 12 })
  gridCode!: string;
}

@ObjectType({ description: 'A resident in the population registry (实有人口). `id` is the opaque person key every department links by.' })
@Directive('@key(fields: "id")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'person_grid_code_prefix_index',
  expression: 'create index "person_grid_code_prefix_index" on "grid"."person" ("grid_code" varchar_pattern_ops, "id")',
})
// Person search (`searchPersons`): fragments anywhere in these columns, served by pg_trgm's trigram indexes (extension in the grid schema).
@Index({ name: 'person_name_trgm_index', expression: 'create index "person_name_trgm_index" on "grid"."person" using gin ("name" grid.gin_trgm_ops)' })
@Index({
  name: 'person_name_pinyin_trgm_index',
  expression: 'create index "person_name_pinyin_trgm_index" on "grid"."person" using gin ("name_pinyin" grid.gin_trgm_ops)',
})
@Index({ name: 'person_phone_trgm_index', expression: 'create index "person_phone_trgm_index" on "grid"."person" using gin ("phone" grid.gin_trgm_ops)' })
@Index({ name: 'person_address_trgm_index', expression: 'create index "person_address_trgm_index" on "grid"."person" using gin ("address" grid.gin_trgm_ops)' })
@Entity({ tableName: 'person' })
export class Person {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 33 })
  id!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => Gender, { nullable: true })
  @Enum({ items: () => Gender, nativeEnumName: 'gender' })
  gender!: Gender;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: DateType })
  birthDate!: string;

  @Field(() => String, { nullable: true, description: 'National ID number (公民身份号码).' })
  @Property({ type: 'string', length: 18, unique: true })
  idNumber!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string' })
  phone!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string' })
  address!: string;

  /** The name's pinyin for search (`namePinyin` in shared/pinyin.ts), written with the name; not in the graph. */
  @Property({ type: 'string' })
  namePinyin!: string;

  @Field(() => HouseholdStatus, { nullable: true })
  @Enum({ items: () => HouseholdStatus, nativeEnumName: 'household_status' })
  householdStatus!: HouseholdStatus;

  @Field(() => Boolean, { nullable: true, description: 'Lives in rental housing (出租房屋).' })
  @Property({ type: 'boolean' })
  rentalHousing!: boolean;

  @Index()
  @Property({ type: 'string', length: 12 })
  gridCode!: string;
}

@ObjectType({ description: 'Something a grid worker reported: a dispute (矛盾纠纷), a hazard, a public-order problem or a request.' })
@Directive('@key(fields: "id")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'grid_event_grid_code_prefix_index',
  expression: 'create index "grid_event_grid_code_prefix_index" on "grid"."grid_event" ("grid_code" varchar_pattern_ops)',
})
@Entity({ tableName: 'grid_event' })
@Index({ properties: ['reportedAt', 'id'] })
@Index({ properties: ['gridCode', 'reportedAt'] })
export class GridEvent {
  @Field(() => ID)
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field(() => GridEventKind)
  @Enum({ items: () => GridEventKind, nativeEnumName: 'grid_event_kind' })
  kind!: GridEventKind;

  @Field()
  @Property({ type: 'string' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text' })
  description!: string;

  @Field(() => GridEventStatus)
  @Index()
  @Enum({ items: () => GridEventStatus, nativeEnumName: 'grid_event_status' })
  status!: GridEventStatus;

  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  @Property({ type: 'string' })
  reportedBy!: string;

  @Field(() => Date)
  @Property({ type: DateTimeType })
  reportedAt!: Date;

  @Index({ type: 'gin' })
  @Property({ type: ArrayType })
  involvedPersonIds!: string[];
}

@ObjectType({ description: 'A registered volunteer (志愿者).' })
@Entity({ tableName: 'volunteer' })
export class Volunteer {
  @Field(() => ID)
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string' })
  phone!: string;

  @Field()
  @Property({ type: 'string' })
  groupName!: string;

  @Index()
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  serviceHours!: number;
}
