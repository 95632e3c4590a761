import { ArrayType, DateTimeType, DateType, DecimalType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UnitColumn } from '../../kit/orgUnit';

export enum DivisionLevel {
  CITY = 'CITY',
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
registerEnumType(DivisionLevel, {
  name: 'DivisionLevel',
  description: 'The city (市), a county-level district (县区) or a township (乡镇街道).',
  valuesConfig: {
    CITY: { description: 'The prefecture-level city (地级市) as a whole, 6-digit code ending in 00: its statistics are the city totals.' },
    COUNTY: { description: 'County-level district (县区), 6-digit code.' },
    TOWNSHIP: { description: 'Township or street (乡镇街道), 9-digit code.' },
  },
});
registerEnumType(Gender, {
  name: 'Gender',
  description: 'Gender as recorded in the population registry.',
  valuesConfig: { MALE: { description: 'Male.' }, FEMALE: { description: 'Female.' } },
});
registerEnumType(HouseholdStatus, {
  name: 'HouseholdStatus',
  description: 'Registered resident (户籍) or floating population (流动人口).',
  valuesConfig: { REGISTERED: { description: 'Registered here (户籍人口).' }, FLOATING: { description: 'Living here, registered elsewhere (流动人口).' } },
});
registerEnumType(GridEventKind, {
  name: 'GridEventKind',
  description: 'What a grid event is about: a dispute (矛盾纠纷), a hazard (安全隐患), a public-order problem or a service request.',
  valuesConfig: {
    DISPUTE: { description: 'A dispute between residents (矛盾纠纷).' },
    HAZARD: { description: 'A safety hazard (安全隐患).' },
    PUBLIC_ORDER: { description: 'A public-order problem (治安问题).' },
    SERVICE_REQUEST: { description: 'A request for a public service (民生诉求).' },
  },
});
registerEnumType(GridEventStatus, {
  name: 'GridEventStatus',
  description: 'Where a grid event stands: reported, being handled, resolved, or referred to another department.',
  valuesConfig: {
    REPORTED: { description: 'Reported, not yet handled.' },
    IN_PROGRESS: { description: 'Being handled.' },
    RESOLVED: { description: 'Resolved in the grid.' },
    REFERRED: { description: 'Referred to another department (e.g. mediation, police).' },
  },
});

@ObjectType({
  description:
    'An administrative division: the city (市, 6-digit code ending in 00, whose statistics are the city totals), a county-level district (县区, 6 digits) or a township (乡镇街道, 9 digits).',
})
@Directive('@key(fields: "code")')
@Entity({ tableName: 'district' })
export class District {
  @Field(() => ID, { description: '6 digits for a county-level district, 9 for a township.' })
  @PrimaryKey({ type: 'string', length: 9 })
  code!: string;

  @Field({ description: "The division's name, e.g. 连山区." })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => DivisionLevel, { description: 'The city, a county-level district or a township.' })
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

  @Field({ description: "The grid's name, e.g. 南山社区第2网格." })
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

  /** WGS-84 longitude of the grid's centroid, degrees east to 5 decimals (about 1 m); null until the grid is mapped. Shown as `centroid`. */
  @Property({ type: new DecimalType('number'), precision: 8, scale: 5, nullable: true })
  longitude!: number | null;

  /** WGS-84 latitude of the grid's centroid, degrees north to 5 decimals; null until the grid is mapped. */
  @Property({ type: new DecimalType('number'), precision: 7, scale: 5, nullable: true })
  latitude!: number | null;
}

@ObjectType({ description: 'A grid worker (网格员), one per grid.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'grid_worker' })
export class GridWorker {
  @Field(() => ID, { description: "Also the subject (`sub`) of the worker's token." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field(() => String, { nullable: true, description: "The grid worker's name." })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => String, { nullable: true, description: "The grid worker's work phone." })
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
  @Field(() => ID, { description: "The opaque person key (derived from the ID number with the hub's secret; the ID number itself is never a key)." })
  @PrimaryKey({ type: 'string', length: 33 })
  id!: string;

  @Field(() => String, { nullable: true, description: "The person's name, as registered." })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => Gender, { nullable: true, description: 'Gender, as registered.' })
  @Enum({ items: () => Gender, nativeEnumName: 'gender' })
  gender!: Gender;

  // A String, not the graph's Date: the policy masks it to the year alone (`1990`), which is no date.
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; masked to the year (YYYY) where the policy says so.' })
  @Property({ type: DateType })
  birthDate!: string;

  @Field(() => String, { nullable: true, description: 'National ID number (公民身份号码).' })
  @Property({ type: 'string', length: 18, unique: true })
  idNumber!: string;

  @Field(() => String, { nullable: true, description: "The person's mobile phone number." })
  @Property({ type: 'string' })
  phone!: string;

  @Field(() => String, { nullable: true, description: "The registered address; masked to the village outside the viewer's jurisdiction." })
  @Property({ type: 'string' })
  address!: string;

  /** The name's pinyin for search (`namePinyin` in shared/pinyin.ts), written with the name; not in the graph. */
  @Property({ type: 'string' })
  namePinyin!: string;

  @Field(() => HouseholdStatus, { nullable: true, description: 'Registered resident (户籍) or floating population (流动人口).' })
  @Enum({ items: () => HouseholdStatus, nativeEnumName: 'household_status' })
  householdStatus!: HouseholdStatus;

  @Field(() => Boolean, { nullable: true, description: 'Lives in rental housing (出租房屋).' })
  @Property({ type: 'boolean' })
  rentalHousing!: boolean;

  @Index()
  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  /** The house the person lives in (`House.id`, grid/houses.ts); null when the registry does not know it. */
  @Index()
  @Property({ type: 'string', length: 17, nullable: true })
  houseId!: string | null;
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
  @Field(() => ID, { description: 'GE + year + 6 digits.' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field(() => GridEventKind, { description: 'Dispute, hazard, public-order problem or service request.' })
  @Enum({ items: () => GridEventKind, nativeEnumName: 'grid_event_kind' })
  kind!: GridEventKind;

  @Field({ description: 'A short title written by the grid worker.' })
  @Property({ type: 'string' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What the grid worker wrote about the event (free text, ruled by the policy).' })
  @Property({ type: 'text' })
  description!: string;

  @Field(() => GridEventStatus, { description: 'Where the event stands: reported, in progress, resolved or referred.' })
  @Index()
  @Enum({ items: () => GridEventStatus, nativeEnumName: 'grid_event_status' })
  status!: GridEventStatus;

  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  /** The township 综治中心 that receives it (the grid-event flow's hub), shown as `unit`: src/shared/orgUnits.ts. */
  @UnitColumn()
  unitCode!: string;

  @Property({ type: 'string' })
  reportedBy!: string;

  @Field(() => Date, { description: 'When the event happened or was reported.' })
  @Property({ type: DateTimeType })
  reportedAt!: Date;

  @Index({ type: 'gin' })
  @Property({ type: ArrayType })
  involvedPersonIds!: string[];
}

@ObjectType({ description: 'A registered volunteer (志愿者).' })
@Entity({ tableName: 'volunteer' })
export class Volunteer {
  @Field(() => ID, { description: "The volunteer's id." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field(() => String, { nullable: true, description: "The volunteer's name." })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => String, { nullable: true, description: "The volunteer's phone number." })
  @Property({ type: 'string' })
  phone!: string;

  @Field({ description: 'The volunteer group (志愿服务队) they belong to.' })
  @Property({ type: 'string' })
  groupName!: string;

  @Index()
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Field(() => Int, { description: 'Hours of service recorded.' })
  @Property({ type: 'integer' })
  serviceHours!: number;
}
