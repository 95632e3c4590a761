import { Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { applyEffect, EffectArgs, EffectReceipt } from '../../kit/effects';
import { badInput } from '../../shared/errors';
import { todayCst } from '../../shared/chinaTime';
import { MediationCase, MediationOutcome, MediationPoint, Mediator } from './entities';

/** The justice bureau's side of the workflow's effects: a completed mediation handoff becomes its mediation case. */
@Resolver()
export class JusticeEffectsResolver {
  @Mutation(() => EffectReceipt, {
    description:
      "Internal (the workflow's effect delivery only): a completed DISPUTE_MEDIATION handoff opens the people's mediation case of its grid event (one per event, once per effect).",
  })
  @Directive('@inaccessible')
  openMediationFromHandoff(@Args(() => EffectArgs) args: EffectArgs, @Ctx() ctx: SubgraphContext): Promise<EffectReceipt> {
    return applyEffect(ctx, args, async (em) => {
      if (!/^\d{12}$/.test(args.scopeCode)) throw badInput('scopeCode', 'expected the grid code of the event');
      const township = args.scopeCode.slice(0, 9);
      // The committee of the event's township (its first point), else of its district.
      const point =
        (await em.findOne(MediationPoint, { townshipCode: township }, { orderBy: { id: 'asc' } })) ??
        (await em.findOne(MediationPoint, { districtCode: township.slice(0, 6) }, { orderBy: { id: 'asc' } }));
      const mediator = point && (await em.findOne(Mediator, { pointId: point.id }, { orderBy: { id: 'asc' } }));
      if (!point || !mediator) throw badInput('scopeCode', `no mediation point with a mediator in ${township}`);
      const today = todayCst();
      // The event's mediation exists already (mediated before the hub knew of the handoff): it is the one this handoff completed.
      const existing = await em.findOne(MediationCase, { gridEventId: args.subjectKey });
      if (existing)
        return { entityType: 'MediationCase', recordKey: existing.id, field: '*', change: `GridEvent ${args.subjectKey} already mediated as ${existing.id}` };
      const [{ seq }] = await em.execute<Array<{ seq: string }>>(`select nextval('"justice"."mediation_case_seq"') as seq`);
      const mediation = em.create(MediationCase, {
        id: `MC${today.slice(0, 4)}${seq.padStart(6, '0')}`,
        gridEventId: args.subjectKey,
        pointId: point.id,
        mediatorId: mediator.id,
        startedOn: today,
        outcome: MediationOutcome.SUCCEEDED,
        agreement: args.text ?? null,
        closedOn: today,
        districtCode: point.districtCode,
        townshipCode: point.townshipCode,
      });
      await em.flush();
      return {
        entityType: 'MediationCase',
        recordKey: mediation.id,
        field: '*',
        change: `MediationCase ${mediation.id} opened for GridEvent ${args.subjectKey}`,
      };
    });
  }
}
