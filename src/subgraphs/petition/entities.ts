import { DateType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../../shared/scalars';

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
  @Field(() => ID, { description: "人员编号: the petitioner's number in the bureau's system." })
  @PrimaryKey({ type: 'string', fieldName: 'ryid' })
  ryid!: string;

  @Field(() => String, { nullable: true, description: "姓名: the petitioner's name." })
  @Property({ type: 'string', fieldName: 'xm' })
  xm!: string;

  @Field(() => String, { nullable: true, description: '性别: 1 male, 2 female, as the bureau records it.' })
  @Property({ type: 'string', fieldName: 'xb', nullable: true })
  xb!: string | null;

  /** ID numbers (sfzh): never a field; `person` links to Person by the key computed from it. */
  @Property({ type: 'string', fieldName: 'sfzh', nullable: true })
  sfzh!: string | null;

  @Field(() => String, { nullable: true, description: "联系电话: the petitioner's phone number." })
  @Property({ type: 'string', fieldName: 'lxdh', nullable: true })
  lxdh!: string | null;

  @Field(() => String, { nullable: true, description: "住址: the petitioner's address." })
  @Property({ type: 'string', fieldName: 'zz', nullable: true })
  zz!: string | null;

  @Field(() => Date, { nullable: true, description: '登记时间: when the bureau registered the petitioner.' })
  @Property({ type: 'datetime', fieldName: 'djsj' })
  djsj!: Date;
}

/** xf.xf_case of the petition department's own system, as it is. */
@ObjectType({ description: "A record of xf.xf_case in the petition department's own system." })
@Directive('@key(fields: "xfjbh")')
@Entity({ tableName: 'xf_case', schema: 'xf' })
export class PetitionCase {
  @Field(() => ID, { description: "信访件编号: the petition's number in the bureau's system." })
  @PrimaryKey({ type: 'string', fieldName: 'xfjbh' })
  xfjbh!: string;

  @Field(() => String, { nullable: true, description: "人员编号: the petitioner's number in the bureau's system." })
  @Property({ type: 'string', fieldName: 'ryid' })
  ryid!: string;

  @Field(() => String, { nullable: true, description: '信访形式: how the petition came in (visit, letter, online, phone).' })
  @Property({ type: 'string', fieldName: 'xfxs' })
  xfxs!: string;

  @Field(() => DateScalar, { nullable: true, description: '信访日期: the day the petition came in (YYYY-MM-DD).' })
  @Property({ type: DateType, fieldName: 'xfrq' })
  xfrq!: string;

  @Field(() => String, { nullable: true, description: '内容摘要: a summary of the petition (free text, ruled by the policy).' })
  @Property({ type: 'string', fieldName: 'nrzy', nullable: true })
  nrzy!: string | null;

  @Field(() => String, { nullable: true, description: "办理状态: where the bureau's handling stands." })
  @Property({ type: 'string', fieldName: 'blzt' })
  blzt!: string;

  @Field(() => String, { nullable: true, description: '网格代码: the grid the petition is about.' })
  @Property({ type: 'string', fieldName: 'wgdm' })
  wgdm!: string;

  @Field(() => String, { nullable: true, description: '网格事件编号: the grid event the petition is about (访调对接), if any.' })
  @Property({ type: 'string', fieldName: 'wgsjbh', nullable: true })
  wgsjbh!: string | null;

  @Field(() => Int, { nullable: true, description: '人数: how many people came with the petition.' })
  @Property({ type: 'integer', fieldName: 'rs' })
  rs!: number;

  @Field(() => Date, { nullable: true, description: '更新时间: when the bureau last changed the record.' })
  @Property({ type: 'datetime', fieldName: 'gxsj' })
  gxsj!: Date;
}
