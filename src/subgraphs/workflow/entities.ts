import { DateType, Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { HandoffKind, SubjectType } from './deadlines';

export { SubjectType };
import { HandoffState } from './machine';
import { DateScalar } from '../../shared/scalars';

registerEnumType(HandoffState, {
  name: 'HandoffState',
  description: 'Where a handoff stands (流转状态). OVERDUE is not a state: see `Handoff.overdue`.',
  valuesConfig: {
    SENT: { description: '已交办: sent, waiting for the receiving unit' },
    ACCEPTED: { description: '已签收: accepted by the receiving unit' },
    RETURNED: { description: '已退回: sent back to the sender (e.g. 退回补充侦查)' },
    IN_PROGRESS: { description: '办理中: the receiving unit is working on it' },
    DONE: { description: '已办结: completed, with a result' },
    FEEDBACK_GIVEN: { description: '已回访: the outcome reported back (e.g. to the resident)' },
    ESCALATED: { description: '已上报: taken to the level above; this handoff ends' },
  },
});
registerEnumType(HandoffKind, {
  name: 'HandoffKind',
  description: 'What a handoff asks of the receiving agency; each kind has its legal time limit.',
  valuesConfig: {
    EVENT_HANDLING: { description: '综治中心 → police: a grid event for the police' },
    DISPUTE_MEDIATION: { description: "综治中心 → justice: a dispute for a people's mediation committee (人民调解)" },
    PROSECUTION_REVIEW: { description: 'police → procuratorate: 移送审查起诉' },
    PUBLIC_PROSECUTION: { description: 'procuratorate → court: 提起公诉' },
    PRE_LITIGATION_MEDIATION: { description: 'court → justice: 委派调解 / 诉前调解' },
    JUDICIAL_CONFIRMATION: { description: 'justice → court: 司法确认 of a mediation agreement' },
    CORRECTION_HANDOVER: { description: 'court → justice: 社区矫正 handed over for execution (交付执行)' },
    PRE_SENTENCE_ASSESSMENT: { description: 'court → justice: 调查评估, whether a defendant suits a community sentence' },
    POLICE_MEDIATION_REFERRAL: { description: "police → justice: 警调对接, a 110 call about a civil dispute for people's mediation" },
    PETITION_MEDIATION_REFERRAL: { description: "综治中心 → justice: 访调对接, a petition about a dispute for people's mediation" },
  },
});
registerEnumType(SubjectType, {
  name: 'HandoffSubjectType',
  description: 'The type of record a handoff is about (by its federation key).',
  valuesConfig: {
    GridEvent: { description: 'A grid event (网格事件), by its id.' },
    PoliceCase: { description: 'A police case (刑事案件), by its case number.' },
    ProsecutionCase: { description: 'A prosecution review case (审查起诉), by its document number.' },
    CourtCase: { description: 'A court case, by its case number (案号).' },
    MediationCase: { description: "A people's mediation case (人民调解), by its id." },
    CommunityCorrection: { description: 'A community correction (社区矫正), by its id.' },
    Incident: { description: 'A police incident (警情), by its id (JQ…).' },
    PetitionCase: { description: 'A petition (信访件), by its number in the petition bureau (xfjbh).' },
  },
});

/**
 * A handoff (流转/交办) of one record from one agency's unit to another's, with the legal deadline
 * of its current step. Owned by the workflow subgraph: one state machine and one inbox for every
 * agency, whichever department owns the record it is about.
 */
@ObjectType({ description: 'A handoff (流转/交办) of a record from one agency to another, with its legal deadline and every step taken.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'handoff' })
@Index({ properties: ['holderAgency', 'holderUnitCode', 'sentAt', 'id'] })
@Index({ properties: ['subjectType', 'subjectKey'] })
@Index({ properties: ['scopeCode'] })
// Declared as the migration creates it, so `hub migration create` keeps it.
@Unique({
  name: 'handoff_open_subject_unique',
  expression: `create unique index "handoff_open_subject_unique" on "workflow"."handoff" ("kind", "subject_type", "subject_key") where "state" not in ('DONE', 'FEEDBACK_GIVEN', 'ESCALATED')`,
})
export class Handoff {
  @Field(() => ID, { description: 'HO, the year and a serial.' })
  @PrimaryKey({ type: 'string', length: 20 })
  id!: string;

  @Field(() => HandoffKind, { description: 'What is asked of the receiver.' })
  @Enum({ items: () => HandoffKind, nativeEnumName: 'handoff_kind' })
  kind!: HandoffKind;

  @Field(() => SubjectType, { description: 'The type of the record handed off.' })
  @Enum({ items: () => SubjectType, nativeEnumName: 'handoff_subject_type' })
  subjectType!: SubjectType;

  @Field(() => String, { description: "The record's federation key (an event id, a case number)." })
  @Property({ type: 'string', length: 40 })
  subjectKey!: string;

  @Field(() => String, { description: 'The division or grid code the record belongs to: whose jurisdiction it is in.' })
  @Property({ type: 'string', length: 12 })
  scopeCode!: string;

  @Field(() => String, { description: 'The sending agency.' })
  @Property({ type: 'string', length: 20 })
  fromAgency!: string;

  @Field(() => String, { description: 'The sending unit, by its division code.' })
  @Property({ type: 'string', length: 12 })
  fromUnitCode!: string;

  @Field(() => String, { description: 'The receiving agency.' })
  @Property({ type: 'string', length: 20 })
  toAgency!: string;

  @Field(() => String, { description: 'The receiving unit, by its division code.' })
  @Property({ type: 'string', length: 12 })
  toUnitCode!: string;

  @Field(() => String, { description: 'The agency the outcome is reported back to (回访), e.g. the grid worker.' })
  @Property({ type: 'string', length: 20 })
  feedbackAgency!: string;

  @Field(() => String, { description: 'The unit the outcome is reported back to, by its division or grid code.' })
  @Property({ type: 'string', length: 12 })
  feedbackUnitCode!: string;

  /** Whose move it is (the inbox it is in); null once nobody holds it. */
  @Property({ type: 'string', length: 20, nullable: true })
  holderAgency!: string | null;

  @Property({ type: 'string', length: 12, nullable: true })
  holderUnitCode!: string | null;

  @Field(() => HandoffState, { description: 'The current state.' })
  @Enum({ items: () => HandoffState, nativeEnumName: 'handoff_state' })
  state!: HandoffState;

  @Field(() => Int, { description: 'Grows by one with every step: pass it back as `expectedVersion` to act only on what you saw.' })
  @Property({ type: 'integer', version: true, default: 1 })
  version!: number;

  @Field(() => Boolean, { description: 'A major or complex case: the longer period the law allows.' })
  @Property({ type: 'boolean' })
  major!: boolean;

  @Field(() => Int, { description: 'How often it was returned (退回) so far.' })
  @Property({ type: 'integer' })
  returns!: number;

  @Field(() => DateScalar, { description: 'The day the current legal period runs to (YYYY-MM-DD, China Standard Time); null once done.', nullable: true })
  @Property({ type: DateType, nullable: true })
  dueOn!: string | null;

  @Field(() => String, { description: 'The article of law (or local rule) the current period comes from.', nullable: true })
  @Property({ type: 'string', length: 300, nullable: true })
  dueArticle!: string | null;

  @Field(() => String, { nullable: true, description: "The sender's note: what is asked." })
  @Property({ type: 'text' })
  note!: string;

  @Field(() => String, { nullable: true, description: 'The result the receiver completed it with.' })
  @Property({ type: 'text', nullable: true })
  result!: string | null;

  @Field(() => String, { nullable: true, description: 'The outcome as reported back (回访), e.g. what the resident said.' })
  @Property({ type: 'text', nullable: true })
  feedback!: string | null;

  @Field(() => Date, { description: 'When it was first sent.' })
  @Property({ type: 'timestamptz' })
  sentAt!: Date;

  @Field(() => Date, { description: 'When its last step was taken.' })
  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** One step of a handoff: who took it, when, from which state to which, and what they wrote. */
@ObjectType('HandoffStep', { description: 'One step taken on a handoff (全程留痕): who, when, from which state to which.' })
@Entity({ tableName: 'handoff_step' })
@Index({ properties: ['handoffId', 'seq'] })
export class HandoffStepRecord {
  [OptionalProps]?: 'seq';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  seq!: string;

  @Field(() => String, { description: 'The handoff it was taken on.' })
  @Property({ type: 'string', length: 20 })
  handoffId!: string;

  @Field(() => String, { description: 'The step: dispatch, accept, return, resubmit, progress, complete, feedback or escalate.' })
  @Property({ type: 'string', length: 20 })
  step!: string;

  @Field(() => HandoffState, { nullable: true, description: 'The state before (null for the dispatch).' })
  @Enum({ items: () => HandoffState, nativeEnumName: 'handoff_state', nullable: true })
  fromState!: HandoffState | null;

  @Field(() => HandoffState, { description: 'The state after.' })
  @Enum({ items: () => HandoffState, nativeEnumName: 'handoff_state' })
  toState!: HandoffState;

  @Field(() => String, { description: 'The officer who took it (their subject id).' })
  @Property({ type: 'string', length: 100 })
  officer!: string;

  @Field(() => String, { description: "The officer's agency." })
  @Property({ type: 'string', length: 20 })
  agency!: string;

  @Field(() => Date, { description: 'When it was taken.' })
  @Property({ type: 'timestamptz' })
  at!: Date;

  @Field(() => String, { nullable: true, description: 'What the officer wrote: the reason, progress, result or feedback.' })
  @Property({ type: 'text', nullable: true })
  text!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The due day set by this step (YYYY-MM-DD).' })
  @Property({ type: DateType, nullable: true })
  dueOn!: string | null;

  /*
   * Its handoff's sides (not columns, not in the graph): set by the resolvers that hand steps out
   * (`withSides`), so that the policy's `party` condition on `text` reads them like a handoff's.
   */
  fromAgency?: string;
  toAgency?: string;
  feedbackAgency?: string;
}

/** Gives steps their handoff's sides, which the policy reads to decide who may see their text. */
export function withSides(steps: HandoffStepRecord[], h: Pick<Handoff, 'fromAgency' | 'toAgency' | 'feedbackAgency'>): HandoffStepRecord[] {
  for (const s of steps) Object.assign(s, { fromAgency: h.fromAgency, toAgency: h.toAgency, feedbackAgency: h.feedbackAgency });
  return steps;
}

/** A mutation's idempotency key (per officer): the body it came with and the handoff it made or moved. */
@Entity({ tableName: 'idempotency_key' })
export class IdempotencyKey {
  @PrimaryKey({ type: 'string', length: 100 })
  officer!: string;

  @PrimaryKey({ type: 'string', length: 100 })
  key!: string;

  @Property({ type: 'string', length: 64 })
  bodyHash!: string;

  /** Null until the mutation that took the key has made or moved its handoff (in the same transaction). */
  @Property({ type: 'string', length: 20, nullable: true })
  handoffId!: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * The outbox: one row per step that changes a record in the department that owns it (effects.ts),
 * written in the step's transaction; delivered by the job queue, at least once.
 */
@Entity({ tableName: 'handoff_effect' })
@Index({ properties: ['handoffId'] })
export class HandoffEffect {
  [OptionalProps]?: 'id' | 'attempts';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 20 })
  handoffId!: string;

  @Property({ type: 'string', length: 20 })
  step!: string;

  /** The department that owns the record, and the internal mutation that applies the effect there. */
  @Property({ type: 'string', length: 20 })
  department!: string;

  @Property({ type: 'string', length: 40 })
  mutation!: string;

  @Property({ type: 'string', length: 40 })
  subjectKey!: string;

  @Property({ type: 'string', length: 12 })
  scopeCode!: string;

  /** The officer whose step caused it: the department's audit row names them. */
  @Property({ type: 'string', length: 100 })
  officer!: string;

  @Property({ type: 'text', nullable: true })
  text!: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  /** Null until the department confirmed it (its receipt); then the record it made or changed. */
  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Property({ type: 'string', length: 40, nullable: true })
  recordKey!: string | null;

  @Property({ type: 'integer', default: 0 })
  attempts!: number;

  /** The last failed delivery: the department and the error codes it answered, never the record's content. */
  @Property({ type: 'string', length: 300, nullable: true })
  lastError!: string | null;
}
