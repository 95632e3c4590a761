import type { FilterQuery } from '@mikro-orm/core';
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { jurisdictionPrefix } from '../../auth/viewer';
import type { SubgraphContext } from '../../kit/context';
import { todayCst } from '../../shared/chinaTime';
import { Handoff } from './entities';
import { ComprehensiveCentre } from './extends';
import { OPEN_STATES } from './machine';

/** Handoffs the 综治中心 of the area sent (交办), as its dispatchers dispatch grid events to the departments. */
function dispatchedIn(centre: ComprehensiveCentre): FilterQuery<Handoff> {
  return { fromAgency: 'zongzhi', scopeCode: { $like: `${jurisdictionPrefix(centre.divisionCode)}%` } };
}

/** What the workflow adds to a 综治中心 (owned by grid): the handoffs it dispatched, and those past their legal period. */
@Resolver(() => ComprehensiveCentre)
export class ComprehensiveCentreHandoffsResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'Handoffs the 综治中心 of its area dispatched (交办) to a department, ever.' })
  handoffsDispatched(@Root() centre: ComprehensiveCentre, @Ctx() ctx: SubgraphContext): Promise<number> {
    return ctx.em.count(Handoff, dispatchedIn(centre));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Of those, still open and past the day their current legal period ran to (China Standard Time).' })
  overdueHandoffs(@Root() centre: ComprehensiveCentre, @Ctx() ctx: SubgraphContext): Promise<number> {
    return ctx.em.count(Handoff, { $and: [dispatchedIn(centre), { state: { $in: [...OPEN_STATES] }, dueOn: { $lt: todayCst() } }] });
  }
}
