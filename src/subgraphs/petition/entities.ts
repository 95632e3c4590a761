import { DateType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

/*
 * Scaffolded by `hub new-department petition --from-database`: the tables of the department's system
 * (schema xf) mapped as they are, read-only. The hub never migrates them; when the system
 * changes, scaffold again into a scratch copy and carry the difference over.
 */

/** xf.xf_person of the petition department's own system, as it is. */
@ObjectType({ description: "A record of xf.xf_person in the petition department's own system." })
@Directive('@key(fields: "ryid")')
@Entity({ tableName: 'xf_person', schema: 'xf' })
export class PetitionPerson {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', fieldName: 'ryid' })
  ryid!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'xm' })
  xm!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'xb', nullable: true })
  xb!: string | null;

  /** ID numbers (sfzh): never a field; `person` links to Person by the key computed from it. */
  @Property({ type: 'string', fieldName: 'sfzh', nullable: true })
  sfzh!: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'lxdh', nullable: true })
  lxdh!: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'zz', nullable: true })
  zz!: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', fieldName: 'djsj' })
  djsj!: Date;
}

/** xf.xf_case of the petition department's own system, as it is. */
@ObjectType({ description: "A record of xf.xf_case in the petition department's own system." })
@Directive('@key(fields: "xfjbh")')
@Entity({ tableName: 'xf_case', schema: 'xf' })
export class PetitionCase {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', fieldName: 'xfjbh' })
  xfjbh!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'ryid' })
  ryid!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'xfxs' })
  xfxs!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: DateType, fieldName: 'xfrq' })
  xfrq!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'nrzy', nullable: true })
  nrzy!: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'blzt' })
  blzt!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'wgdm' })
  wgdm!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', fieldName: 'wgsjbh', nullable: true })
  wgsjbh!: string | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', fieldName: 'rs' })
  rs!: number;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', fieldName: 'gxsj' })
  gxsj!: Date;
}
