import { Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { applyEffect, EffectArgs, EffectReceipt } from '../../kit/effects';
import { notFound } from '../../shared/errors';
import { GridEvent, GridEventStatus } from './entities';

/** The grid department's side of the workflow's effects: feedback given to the resident (回访) closes the event. */
@Resolver()
export class GridEffectsResolver {
  @Mutation(() => EffectReceipt, {
    description: "Internal (the workflow's effect delivery only): feedback on a grid event's handoff closes the event (RESOLVED), once per effect.",
  })
  @Directive('@inaccessible')
  closeGridEventFromHandoff(@Args(() => EffectArgs) args: EffectArgs, @Ctx() ctx: SubgraphContext): Promise<EffectReceipt> {
    return applyEffect(ctx, args, async (em) => {
      const event = await em.findOne(GridEvent, { id: args.subjectKey, gridCode: { $like: `${args.scopeCode.replace(/[^0-9]/g, '')}%` } });
      if (!event) throw notFound(`grid event ${args.subjectKey} in ${args.scopeCode}`);
      const before = event.status;
      event.status = GridEventStatus.RESOLVED;
      await em.flush();
      return { entityType: 'GridEvent', recordKey: event.id, field: 'status', change: `GridEvent ${event.id} ${before} → ${event.status}` };
    });
  }
}
