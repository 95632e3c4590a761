import { Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { EFFECT_MAX_ATTEMPTS, type EffectRule } from './effects';
import { Handoff, HandoffEffect } from './entities';
import { DeliveryState } from './queue';

/** The record type each effect mutation makes or changes, by its federation key. */
const RECORD_TYPE: Record<EffectRule['mutation'], string> = {
  openMediationFromHandoff: 'MediationCase',
  openMediationFromPoliceReferral: 'MediationCase',
  openMediationFromPetitionReferral: 'MediationCase',
  openProsecutionFromHandoff: 'ProsecutionCase',
  fileCourtCaseFromHandoff: 'CourtCase',
  closeGridEventFromHandoff: 'GridEvent',
  openCorrectionFromHandoff: 'CommunityCorrection',
};

@ObjectType({ description: 'The record an effect made or changed in its department, by its federation key.' })
class HandoffEffectRecord {
  @Field(() => String, { description: 'Its type, e.g. MediationCase.' })
  type!: string;

  @Field(() => String, { description: 'Its key (an id or case number): ask its department for it.' })
  key!: string;
}

@ObjectType('HandoffEffect', { description: "A step's effect in the department that owns the record (流转结果), and whether it arrived there." })
class HandoffEffectState {
  @Field(() => ID, { description: "The outbox id (the department's idempotency key for it)." })
  id!: string;

  @Field(() => String, { description: 'The step that caused it, e.g. complete.' })
  step!: string;

  @Field(() => String, { description: 'The department that applies it.' })
  department!: string;

  @Field(() => DeliveryState, { description: `Applied (DELIVERED), waiting (PENDING), or given up after ${EFFECT_MAX_ATTEMPTS} attempts (FAILED).` })
  state!: DeliveryState;

  @Field(() => Int, { description: 'Delivery attempts so far.' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: "The last failed attempt: the department and the error codes it answered, never the record's content." })
  lastError!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the department confirmed it.' })
  deliveredAt!: Date | null;

  @Field(() => HandoffEffectRecord, { nullable: true, description: 'The record made or changed, once delivered.' })
  record!: HandoffEffectRecord | null;
}

function effectState(e: HandoffEffect): HandoffEffectState {
  const state = e.deliveredAt ? DeliveryState.DELIVERED : e.attempts >= EFFECT_MAX_ATTEMPTS ? DeliveryState.FAILED : DeliveryState.PENDING;
  const type = RECORD_TYPE[e.mutation as EffectRule['mutation']];
  return {
    id: e.id,
    step: e.step,
    department: e.department,
    state,
    attempts: e.attempts,
    lastError: e.lastError,
    deliveredAt: e.deliveredAt,
    record: e.recordKey && type ? { type, key: e.recordKey } : null,
  };
}

@Resolver(() => Handoff)
export class HandoffEffectsResolver {
  @FieldResolver(() => [HandoffEffectState], {
    nullable: true,
    description: "Its steps' effects in the departments that own the records, oldest first, and whether each arrived (for the handoff's sides).",
  })
  async effects(@Root() h: Handoff, @Ctx() ctx: SubgraphContext): Promise<HandoffEffectState[] | null> {
    return (await ctx.loaders.many(HandoffEffect, 'handoffId', { id: 'asc' }).load(h.id)).map(effectState);
  }
}
