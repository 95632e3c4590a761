import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { asRecords, inRowScope } from '../../kit/api';
import type { SubgraphContext } from '../../kit/context';
import { personKeyOf } from '../../kit/existing';
import { stubOf } from '../../kit/extends';
import { checkedPageSize } from '../../kit/pagination';
import { hotlineApi } from './api';
import { HotlineTicket } from './entities';
import { hotlineTicketByKey } from './loaders';
import { District, Person } from './extends';

@Resolver(() => HotlineTicket)
export class HotlineTicketResolver {
  @Query(() => HotlineTicket, { nullable: true, description: 'One record from GET /tickets/{gdbh}.' })
  hotlineTicket(
    @Arg('gdbh', () => ID, { description: "工单编号: the ticket's number at the hotline." }) gdbh: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HotlineTicket | null> {
    return hotlineTicketByKey(ctx).load(gdbh);
  }

  @Query(() => [HotlineTicket], { description: 'Records from GET /tickets (filters: districtCode), as the API orders them; at most `first`.' })
  async hotlineTickets(
    @Arg('first', () => Int, { nullable: true, description: "At most this many (default 20, at most the hub's page size)." }) first: number | undefined,
    @Arg('districtCode', () => String, { nullable: true, description: 'A district code (6 digits).' }) districtCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HotlineTicket[]> {
    const body = await hotlineApi.get('/tickets', {
      ...(districtCode ? { districtCode } : {}),
      limit: String(checkedPageSize(first, ctx.maxPageSize)),
    });
    // The policy's rowScope cannot be sent to the API: records outside the viewer's jurisdiction are dropped here.
    return inRowScope(ctx, 'HotlineTicket', asRecords<HotlineTicket>(hotlineApi, body, 'gdbh')).slice(0, checkedPageSize(first, ctx.maxPageSize));
  }

  @FieldResolver(() => District, { nullable: true, description: 'The district (owned by grid) of cbqx.' })
  district(@Root() record: HotlineTicket): District | null {
    return record.cbqx ? stubOf(District, { code: record.cbqx }) : null;
  }

  @FieldResolver(() => Person, {
    nullable: true,
    description: 'The person (owned by grid) whose ID number is in ldrsfzh; null when there is none or it is not valid.',
  })
  person(@Root() record: HotlineTicket, @Ctx() ctx: SubgraphContext): Person | null {
    const id = personKeyOf(ctx, record.ldrsfzh);
    return id ? stubOf(Person, { id }) : null;
  }
}
