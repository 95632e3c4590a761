import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ArgsType, Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { requestAttribution } from '../audit/plugin';
import { badInput, forbidden } from '../shared/errors';
import { checkPersonKey } from '../shared/validate';
import type { SubgraphContext } from './context';

/**
 * The receiving side of a handoff's effects (流转结果): the workflow subgraph writes an outbox row in
 * the same transaction as the step, and its job queue delivers it here, at least once, to an
 * internal mutation of the department that owns the record. This file is what those mutations share:
 * who may call them, how a redelivery does nothing new, and the audit row of the write.
 */

/** The hub service that delivers effects (`InternalClaims.service`): only it may call the effect mutations. */
export const EFFECTS_SERVICE = 'workflow-effects';

/** One effect applied in this department, by the outbox row's id: the record it made or changed. A redelivery finds it and does nothing. */
@Entity({ tableName: 'applied_effect' })
export class AppliedEffect {
  @PrimaryKey({ type: 'string', length: 40 })
  effectId!: string;

  @Property({ type: 'string', length: 40 })
  recordKey!: string;

  @Property({ type: 'timestamptz' })
  appliedAt!: Date;
}

@ObjectType({ description: "Internal (the workflow's effect delivery only): a handoff's effect as the owning department applied it." })
@Directive('@shareable')
@Directive('@inaccessible')
export class EffectReceipt {
  @Field(() => ID, { description: "The workflow's outbox id of the effect." })
  effectId!: string;

  @Field(() => String, { description: 'The record made or changed (its federation key).' })
  recordKey!: string;

  @Field(() => Boolean, { description: 'False when the effect had been applied before (a redelivery): nothing was written this time.' })
  applied!: boolean;
}

/**
 * What the workflow sends with every effect: which outbox row, which handoff and record, whose step;
 * and, for a handoff that passes a case on, what the receiver needs of the sender's record, as the
 * sender gave it to the receiving agency (the workflow's effect worker reads it: workflow/effects.ts).
 */
@ArgsType()
export class EffectArgs {
  @Field(() => ID, { description: "The workflow's outbox id: the effect's idempotency key." })
  effectId!: string;

  @Field(() => String, { description: 'The handoff (HO…) whose step this effect follows.' })
  handoffId!: string;

  @Field(() => String, { description: 'The step and mutation that caused it, e.g. completeHandoff.' })
  step!: string;

  @Field(() => String, { description: "The record's federation key (the handoff's subject)." })
  subjectKey!: string;

  @Field(() => String, { description: "The division or grid code of the record (the handoff's scope)." })
  scopeCode!: string;

  @Field(() => String, { description: 'The officer who took the step (their subject id).' })
  officer!: string;

  @Field(() => String, { nullable: true, description: "The step's text (the result or feedback), if any." })
  text?: string | null;

  @Field(() => Boolean, { nullable: true, description: "The sender's record is sealed (刑事诉讼法 art. 286): the record made carries the seal." })
  sealed?: boolean | null;

  @Field(() => [String], { nullable: true, description: "The charges (罪名) of the sender's record." })
  charges?: string[] | null;

  @Field(() => [String], { nullable: true, description: "The person keys of the sender's suspects or defendants, in the sender's order." })
  personIds?: string[] | null;

  @Field(() => String, { nullable: true, description: "The community sentence of the sender's judgment (the court's CommunitySentence, by value)." })
  communitySentence?: string | null;

  @Field(() => Int, { nullable: true, description: "The judgment's term, in months." })
  sentenceMonths?: number | null;

  @Field(() => String, { nullable: true, description: "Where the sender's record happened (its grid code), when the receiver places its record by it." })
  placeCode?: string | null;
}

export interface EffectOutcome {
  /** The record made or changed. */
  entityType: string;
  recordKey: string;
  /** The audit row's field and what changed, e.g. `status` `REPORTED → RESOLVED`. */
  field: string;
  change: string;
}

/**
 * Applies one effect at most once, in one transaction with its `applied_effect` row and its row in
 * this department's audit chain: refused (FORBIDDEN) unless the workflow's effect service calls;
 * a redelivery of the same `effectId` returns the first receipt and writes nothing.
 */
export async function applyEffect(ctx: SubgraphContext, args: EffectArgs, run: (em: EntityManager) => Promise<EffectOutcome>): Promise<EffectReceipt> {
  if (ctx.service !== EFFECTS_SERVICE) throw forbidden("only the workflow's effect delivery applies a handoff's effects");
  return ctx.em.transactional(async (em) => {
    const taken = await em.execute<Array<{ effect_id: string }>>(
      `insert into "${ctx.department}"."applied_effect" ("effect_id", "record_key", "applied_at") values (?, '', now()) on conflict do nothing returning "effect_id"`,
      [args.effectId],
    );
    if (!taken.length) {
      const [first] = await em.execute<Array<{ record_key: string }>>(`select "record_key" from "${ctx.department}"."applied_effect" where "effect_id" = ?`, [
        args.effectId,
      ]);
      return { effectId: args.effectId, recordKey: first.record_key, applied: false };
    }
    const outcome = await run(em);
    await em.execute(`update "${ctx.department}"."applied_effect" set "record_key" = ? where "effect_id" = ?`, [outcome.recordKey, args.effectId]);
    // The write is this department's: its own chain, attributed to the officer whose step caused it.
    await auditWrite(ctx, { ...outcome, subject: args.officer, change: `handoff effect ${args.effectId} (${args.step} ${args.handoffId}): ${outcome.change}` });
    return { effectId: args.effectId, recordKey: outcome.recordKey, applied: true };
  });
}

/**
 * Appends the row of one write to this department's audit chain; called inside the write's
 * transaction, so a failed append rolls the write back. `subject` is who caused it (the caller,
 * or the officer whose handoff step an effect follows).
 */
export async function auditWrite(ctx: SubgraphContext, write: EffectOutcome & { subject?: string }): Promise<void> {
  await ctx.writeAudit?.([
    {
      ...requestAttribution(ctx),
      subject: write.subject ?? ctx.viewer.sub,
      entityType: write.entityType,
      entityId: write.recordKey,
      field: write.field,
      decision: 'allow',
      reason: write.change,
      paths: [],
      fields: [write.field],
      breakGlass: false,
      sealed: false,
    },
  ]);
}

/** The sender's persons an effect names (`personIds`), each once, in the sender's order: BAD_USER_INPUT naming the argument when one is no person key. */
export function effectPersons(args: EffectArgs): string[] {
  const ids = [...new Set(args.personIds ?? [])];
  if (ids.length > 50) throw badInput('personIds', 'at most 50 persons');
  return ids.map((id) => checkPersonKey('personIds', id));
}
