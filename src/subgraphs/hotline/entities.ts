import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

/*
 * Scaffolded by `hub new-department hotline --from-openapi test/fixtures/hotline/openapi.yaml`: the records the API answers,
 * as its spec describes them (plain classes: nothing is stored in the hub).
 */

/** Ticket of the hotline department's API, as it answers it. */
@ObjectType({ description: "A Ticket record of the hotline department's own API." })
@Directive('@key(fields: "gdbh")')
export class HotlineTicket {
  @Field(() => ID, { description: '工单编号 (work order number)' })
  gdbh!: string;

  @Field(() => String, { nullable: true, description: '受理渠道 (channel): 电话, 网站, 微信, APP' })
  qd!: string;

  @Field(() => String, { nullable: true, description: '诉求类别 (category): 投诉, 求助, 咨询, 建议' })
  lb!: string;

  @Field(() => String, { nullable: true, description: '诉求内容 (what the caller asked, in their words)' })
  nr!: string | null;

  @Field(() => String, { nullable: true, description: '受理时间 (received at)' })
  slsj!: string;

  @Field(() => String, { nullable: true, description: '办理状态 (status): 待派单, 办理中, 已办结' })
  zt!: string;

  @Field(() => String, { nullable: true, description: '承办区县代码 (the district that handles it, 6 digits)' })
  cbqx!: string;

  /** ID numbers (ldrsfzh): never a field; `person` links to Person by the key computed from it. */
  ldrsfzh!: string | null;

  @Field(() => String, { nullable: true, description: "来电人电话 (the caller's phone)" })
  ldrdh!: string | null;

  @Field(() => Int, { nullable: true, description: '满意度 1-5 (satisfaction, after closing)' })
  myd!: number | null;
}
