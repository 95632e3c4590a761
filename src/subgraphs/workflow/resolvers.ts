import { createHash } from 'node:crypto';
import { OptimisticLockError, UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { requestAttribution } from '../../audit/plugin';
import { inJurisdiction, isAgency, jurisdictionPrefix, type Viewer } from '../../auth/viewer';
import type { SubgraphContext } from '../../kit/context';
import type { StubClass } from '../../kit/extends';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope, scopeCondition } from '../../kit/scope';
import { badInput, ErrorCode, forbidden, notFound } from '../../shared/errors';
import { checkCode, checkDate, checkText } from '../../shared/validate';
import { HandoffKind, KIND_RULES, receiverDeadline, returnDeadline, type Deadline } from './deadlines';
import { addPeriod } from '../../shared/legalPeriods';
import { todayCst } from '../../shared/chinaTime';
import { enqueueEffect } from './effects';
import { enqueueWebhooks } from './webhooks';
import { confirmSubject } from './subjects';
import { Handoff, HandoffStepRecord, withSides } from './entities';
import { CommunityCorrection, CourtCase, GridEvent, MediationCase, PoliceCase, ProsecutionCase } from './extends';
import { conflict, holderIn, HandoffState, nextState, OPEN_STATES, TRANSITIONS, type Actor, type HandoffStep } from './machine';
import { DateScalar } from '../../shared/scalars';

@ObjectType({ description: 'A page of handoffs (Relay connection).' })
class HandoffConnection extends ConnectionType(Handoff, 'Handoff') {}

@ObjectType({ description: "Steps taken on your unit's handoffs since a cursor, oldest first: poll with the last `cursor` instead of re-reading the inbox." })
class InboxChanges {
  @Field(() => [HandoffStepRecord], { description: 'The steps, oldest first.' })
  changes!: HandoffStepRecord[];

  @Field(() => String, { description: 'Pass it as `since` next time (the last step seen; unchanged when nothing is new).' })
  cursor!: string;
}

/** The handoffs the caller's unit is a side of (sender, receiver or feedback unit), as SQL on `h`. */
function sideOf(viewer: Viewer): { sql: string; params: string[] } {
  const prefixes = viewer.jurisdiction.map(jurisdictionPrefix).filter((p) => /^\d{4,12}$/.test(p));
  if (!prefixes.length) return { sql: 'false', params: [] };
  const sides = ['from', 'to', 'feedback'].map((side) => `(h."${side}_agency" = ? and (${prefixes.map(() => `h."${side}_unit_code" like ?`).join(' or ')}))`);
  return { sql: sides.join(' or '), params: ['from', 'to', 'feedback'].flatMap(() => [viewer.agency, ...prefixes.map((p) => `${p}%`)]) };
}

@InputType({ description: 'A handoff to send: what, about which record, to which unit.' })
class DispatchHandoffInput {
  @Field(() => HandoffKind, { description: 'What is asked; it decides the receiving agency, the record type and the legal deadline.' })
  kind!: HandoffKind;

  @Field(() => String, { description: "The record's federation key: a grid event id, a police, prosecution or court case number, a mediation case id." })
  subjectKey!: string;

  @Field(() => String, { description: 'The division or grid code the record belongs to; must lie in your jurisdiction.' })
  scopeCode!: string;

  @Field(() => String, { description: 'The receiving agency (it must take this kind).' })
  toAgency!: string;

  @Field(() => String, { description: "The receiving unit's division code (district or township); the record must lie inside it." })
  toUnitCode!: string;

  @Field(() => String, { nullable: true, description: 'The agency the outcome is reported back to (回访); defaults to yours.' })
  feedbackAgency?: string;

  @Field(() => String, { nullable: true, description: "That unit's division or grid code; defaults to yours." })
  feedbackUnitCode?: string;

  @Field(() => Boolean, { nullable: true, description: 'A major or complex case: the longer period the law allows for this kind.' })
  major?: boolean;

  @Field(() => DateScalar, {
    nullable: true,
    description: "The day the legal period starts (YYYY-MM-DD), e.g. the judgment's effective day; defaults to today.",
  })
  startedOn?: string;

  @Field(() => String, { description: 'What is asked, in a few sentences (at most 2000 characters).' })
  note!: string;
}

@ArgsType()
class StepArgsType implements StepArgs {
  @Field(() => ID, { description: 'The handoff id (HO…).' })
  id!: string;

  @Field(() => String, { description: 'A key of your own for this request (e.g. a UUID): a retry with it returns the first result.' })
  idempotencyKey!: string;

  @Field(() => Int, { nullable: true, description: 'The version you saw: refused with CONFLICT if the handoff has moved since.' })
  expectedVersion?: number;
}

const MAX_TEXT = 2000;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
const SUBJECT_KEY = /^[\p{L}\p{N}()（）〔〕_.-]{2,40}$/u;
/** The agencies that may hear an outcome back (回访): the grid worker of the record's grid, or the sender. */
const FEEDBACK_AGENCIES = ['grid', 'zongzhi', 'police', 'procuratorate', 'court', 'justice'];

/** The mutation of each step, as named in the schema, the policy and the audit trail. */
const MUTATION: Record<HandoffStep, string> = {
  dispatch: 'dispatchHandoff',
  accept: 'acceptHandoff',
  return: 'returnHandoff',
  resubmit: 'resubmitHandoff',
  progress: 'recordHandoffProgress',
  complete: 'completeHandoff',
  feedback: 'giveHandoffFeedback',
  escalate: 'escalateHandoff',
};

function unitOf(h: Handoff, actor: Actor): { agency: string; unitCode: string } {
  if (actor === 'receiver') return { agency: h.toAgency, unitCode: h.toUnitCode };
  if (actor === 'sender') return { agency: h.fromAgency, unitCode: h.fromUnitCode };
  return { agency: h.feedbackAgency, unitCode: h.feedbackUnitCode };
}

/** Whether the viewer acts for that side of the handoff: the same agency, and the unit inside their jurisdiction. */
function actsAs(viewer: Viewer, h: Handoff, actor: Actor): boolean {
  const unit = unitOf(h, actor);
  return viewer.agency === unit.agency && inJurisdiction(viewer, unit.unitCode);
}

function setHolder(h: Handoff, state: HandoffState): void {
  const holder = holderIn(state);
  const unit = holder ? unitOf(h, holder) : null;
  h.holderAgency = unit?.agency ?? null;
  h.holderUnitCode = unit?.unitCode ?? null;
}

function setDeadline(h: Handoff, deadline: Deadline | null): void {
  h.dueOn = deadline?.dueOn ?? null;
  h.dueArticle = deadline?.article ?? null;
}

/** The caller's open handoffs: the ones whose move is theirs (their agency, a unit inside their jurisdiction). */
function heldBy(viewer: Viewer): FilterQuery<Handoff> {
  const prefixes = viewer.jurisdiction.map(jurisdictionPrefix).filter((p) => /^\d{4,12}$/.test(p));
  if (!prefixes.length) return { id: { $in: [] } };
  return { holderAgency: viewer.agency, $or: prefixes.map((p) => ({ holderUnitCode: { $like: `${p}%` } })) };
}

function overdueCondition(overdue: boolean, today: string): FilterQuery<Handoff> {
  return overdue
    ? { state: { $in: [...OPEN_STATES] }, dueOn: { $lt: today } }
    : { $or: [{ state: { $nin: [...OPEN_STATES] } }, { dueOn: null }, { dueOn: { $gte: today } }] };
}

function checkIdempotencyKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key)) throw badInput('idempotencyKey', 'expected 8 to 100 letters, digits or _.:- (a UUID is fine)');
  return key;
}

/**
 * Runs a mutation once per (officer, idempotency key), in one transaction with its key: the key
 * row is inserted first, so a retry racing the first attempt waits for it and then sees it. The
 * same key with the same body returns the handoff the first call made or moved (as it is now);
 * with another body it is refused (`IDEMPOTENCY_KEY_REUSED`). A failed call leaves no key behind.
 */
async function once(
  ctx: SubgraphContext,
  idempotencyKey: string,
  mutation: string,
  body: unknown,
  run: (em: EntityManager) => Promise<Handoff>,
): Promise<Handoff> {
  const key = checkIdempotencyKey(idempotencyKey);
  const bodyHash = createHash('sha256')
    .update(JSON.stringify([mutation, body]))
    .digest('hex');
  const officer = ctx.viewer.sub;
  try {
    return await ctx.em.transactional(async (em) => {
      const taken = await em.execute<Array<{ officer: string }>>(
        `insert into "workflow"."idempotency_key" ("officer", "key", "body_hash", "created_at") values (?, ?, ?, now()) on conflict do nothing returning "officer"`,
        [officer, key, bodyHash],
      );
      if (!taken.length) {
        const [first] = await em.execute<Array<{ body_hash: string; handoff_id: string }>>(
          `select "body_hash", "handoff_id" from "workflow"."idempotency_key" where "officer" = ? and "key" = ?`,
          [officer, key],
        );
        if (first.body_hash !== bodyHash)
          throw new GraphQLError(`idempotency key ${key} was used for another request; use a new key for a new request`, {
            extensions: { code: ErrorCode.IdempotencyKeyReused },
          });
        return (await em.findOne(Handoff, { id: first.handoff_id }))!;
      }
      const handoff = await run(em);
      await em.execute(`update "workflow"."idempotency_key" set "handoff_id" = ? where "officer" = ? and "key" = ?`, [handoff.id, officer, key]);
      return handoff;
    });
  } catch (e) {
    if (e instanceof OptimisticLockError) throw conflict('the handoff was changed by someone else at the same time; reload it and decide again');
    if (e instanceof UniqueConstraintViolationException) throw conflict('an open handoff of this kind already exists for this record');
    throw e;
  }
}

/** Appends the write to this subgraph's audit chain before the transaction commits: no audit row, no change. */
async function auditWrite(ctx: SubgraphContext, h: Handoff, step: HandoffStep, before: HandoffState | null, fields: string[]): Promise<void> {
  if (!ctx.writeAudit) return;
  await ctx.writeAudit([
    {
      ...requestAttribution(ctx),
      entityType: 'Handoff',
      entityId: h.id,
      field: 'state',
      decision: 'allow',
      reason: `${MUTATION[step]} ${h.subjectType} ${h.subjectKey}: ${before ?? 'new'} → ${h.state}`,
      paths: [],
      fields,
      breakGlass: false,
      sealed: false,
    },
  ]);
}

async function recordStep(
  em: EntityManager,
  ctx: SubgraphContext,
  h: Handoff,
  step: HandoffStep,
  before: HandoffState | null,
  text: string | null,
  now = new Date(),
): Promise<void> {
  h.updatedAt = now;
  const record = em.create(HandoffStepRecord, {
    handoffId: h.id,
    step,
    fromState: before,
    toState: h.state,
    officer: ctx.viewer.sub,
    agency: ctx.viewer.agency,
    at: now,
    text,
    dueOn: h.dueOn,
  });
  await em.flush();
  // The sides' webhooks hear of the step: their deliveries and jobs commit with it or not at all.
  await enqueueWebhooks(em, record.seq);
}

interface StepArgs {
  id: string;
  idempotencyKey: string;
  expectedVersion?: number | null;
}

/**
 * One step on an existing handoff: found in the caller's scope, taken by a side the table allows,
 * from a state the table allows; written with its step row and audit row, or not at all. The
 * UPDATE carries the version read (MikroORM's optimistic lock): of concurrent steps on one
 * handoff one wins, the others get `CONFLICT`.
 */
function takeStep(
  ctx: SubgraphContext,
  step: Exclude<HandoffStep, 'dispatch'>,
  args: StepArgs,
  text: string | null,
  change: (h: Handoff, today: string) => string[] = () => [],
): Promise<Handoff> {
  return once(ctx, args.idempotencyKey, MUTATION[step], { id: args.id, expectedVersion: args.expectedVersion ?? null, text }, async (em) => {
    const scope = scopeCondition<Handoff>(ctx, 'Handoff', true);
    const h = await em.findOne(Handoff, scope ? { $and: [{ id: args.id }, scope] } : { id: args.id });
    if (!h) throw notFound(`handoff ${args.id}`);
    if (args.expectedVersion != null && args.expectedVersion !== h.version)
      throw conflict(`handoff ${h.id} is at version ${h.version}, not ${args.expectedVersion}; reload it`);
    const sides = TRANSITIONS[step].actor;
    if (!sides.some((side) => actsAs(ctx.viewer, h, side))) throw forbidden(`only the ${sides.join(' or ')} unit of handoff ${h.id} may ${step} it`);
    const before = h.state;
    h.state = nextState(before, step);
    const fields = ['state', ...change(h, todayCst())];
    setHolder(h, h.state);
    await recordStep(em, ctx, h, step, before, text);
    await auditWrite(ctx, h, step, before, fields);
    // Its effect in the record's own department, if it has one: in the outbox and the job queue, committed with the step or not at all.
    await enqueueEffect(em, h, step, ctx.viewer.sub, text);
    return h;
  });
}

@Resolver(() => Handoff)
export class HandoffResolver {
  @Query(() => Handoff, { nullable: true, description: 'One handoff by id, if it lies in your jurisdiction.' })
  handoff(@Arg('id', () => ID, { description: 'The handoff id (HO…).' }) id: string, @Ctx() ctx: SubgraphContext): Promise<Handoff | null> {
    return ctx.loaders.one(Handoff, 'id').load(id);
  }

  @Query(() => HandoffConnection, {
    description: "Your unit's inbox across agencies: the handoffs whose next move is yours (to accept, work on, resubmit or report back), newest first.",
  })
  inbox(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('state', () => HandoffState, { nullable: true, description: 'Only handoffs in this state.' }) state: HandoffState | undefined,
    @Arg('overdue', () => Boolean, { nullable: true, description: 'Only past-due handoffs (true), or only the others (false).' }) overdue: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HandoffConnection> {
    const where: FilterQuery<Handoff>[] = [rowScope<Handoff>(ctx, 'Handoff'), heldBy(ctx.viewer)];
    if (state) where.push({ state });
    if (overdue !== undefined && overdue !== null) where.push(overdueCondition(overdue, todayCst()));
    return paginate(ctx, Handoff, { $and: where }, page, { columns: ['sentAt', 'id'], direction: 'desc' });
  }

  @Query(() => HandoffConnection, { description: 'Your open handoffs that fall due within the next `days` days (overdue ones included), soonest first.' })
  deadlines(
    @Arg('days', () => Int, { description: 'How many days ahead, 0 to 366.' }) days: number,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HandoffConnection> {
    if (!Number.isInteger(days) || days < 0 || days > 366) throw badInput('days', 'must be 0 to 366');
    const until = addPeriod(todayCst(), { days });
    const where: FilterQuery<Handoff>[] = [rowScope<Handoff>(ctx, 'Handoff'), heldBy(ctx.viewer), { state: { $in: [...OPEN_STATES] }, dueOn: { $lte: until } }];
    return paginate(ctx, Handoff, { $and: where }, page, { columns: ['dueOn', 'id'], direction: 'asc' });
  }

  @Query(() => InboxChanges, {
    description: "The change feed of your unit's handoffs: every step taken on one your unit sends, receives or hears back on, after `since`.",
  })
  async inboxChanges(
    @Arg('since', () => String, { nullable: true, description: 'The `cursor` of the last answer; omitted: from the start.' }) since: string | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many steps (default and maximum: the page size bound).' }) first: number | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<InboxChanges> {
    const after = since ?? '0';
    if (!/^\d{1,18}$/.test(after)) throw badInput('since', 'expected the cursor of an earlier answer');
    const limit = first ?? ctx.maxPageSize;
    if (!Number.isInteger(limit) || limit < 1 || limit > ctx.maxPageSize) throw badInput('first', `must be 1 to ${ctx.maxPageSize}`);
    const side = sideOf(ctx.viewer);
    const rows = await ctx.em.execute<Array<{ seq: string; from_agency: string; to_agency: string; feedback_agency: string }>>(
      `select s."seq", h."from_agency", h."to_agency", h."feedback_agency" from "workflow"."handoff_step" s join "workflow"."handoff" h on h."id" = s."handoff_id"
       where s."seq" > ? and (${side.sql}) order by s."seq" limit ?`,
      [after, ...side.params, limit],
    );
    const changes = rows.length ? await ctx.em.find(HandoffStepRecord, { seq: { $in: rows.map((r) => r.seq) } }, { orderBy: { seq: 'asc' } }) : [];
    const sides = new Map(rows.map((r) => [r.seq, { fromAgency: r.from_agency, toAgency: r.to_agency, feedbackAgency: r.feedback_agency }]));
    for (const c of changes) withSides([c], sides.get(c.seq)!);
    return { changes, cursor: changes.at(-1)?.seq ?? after };
  }

  @Mutation(() => Handoff, { description: 'Sends a record to another agency with the legal deadline of its kind (交办/移送). Idempotent by key.' })
  async dispatchHandoff(
    @Arg('input', () => DispatchHandoffInput, { description: 'What to send, about which record, to which agency and unit.' }) input: DispatchHandoffInput,
    @Arg('idempotencyKey', { description: 'A key of your own for this request (e.g. a UUID): a retry with it returns the first result.' })
    idempotencyKey: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Handoff> {
    const { viewer } = ctx;
    const rule = KIND_RULES[input.kind];
    if (!rule.from.includes(viewer.agency)) throw forbidden(`${viewer.agency} does not send ${input.kind} (sent by ${rule.from.join(', ')})`);
    if (!rule.to.includes(input.toAgency)) throw badInput('input.toAgency', `${input.toAgency} does not take ${input.kind} (taken by ${rule.to.join(', ')})`);
    if (!SUBJECT_KEY.test(input.subjectKey)) throw badInput('input.subjectKey', `expected the ${rule.subject}'s key`);
    const scopeCode = checkCode('input.scopeCode', input.scopeCode, input.scopeCode.length === 12 ? 'grid' : 'division');
    const fromUnit = viewer.jurisdiction.find((j) => scopeCode.startsWith(jurisdictionPrefix(j)));
    if (!fromUnit || !inJurisdiction(viewer, scopeCode)) throw forbidden(`${scopeCode} is outside your jurisdiction`);
    const toUnitCode = checkCode('input.toUnitCode', input.toUnitCode, 'division');
    if (!scopeCode.startsWith(jurisdictionPrefix(toUnitCode))) throw badInput('input.toUnitCode', `the record (${scopeCode}) is not inside unit ${toUnitCode}`);
    const feedbackAgency = input.feedbackAgency ?? viewer.agency;
    if (!isAgency(feedbackAgency) || !FEEDBACK_AGENCIES.includes(feedbackAgency))
      throw badInput('input.feedbackAgency', `expected one of ${FEEDBACK_AGENCIES.join(', ')}`);
    const feedbackUnitCode = input.feedbackUnitCode ?? fromUnit;
    checkCode('input.feedbackUnitCode', feedbackUnitCode, feedbackUnitCode.length === 12 ? 'grid' : 'division');
    if (!scopeCode.startsWith(jurisdictionPrefix(feedbackUnitCode)))
      throw badInput('input.feedbackUnitCode', `the record (${scopeCode}) is not inside unit ${feedbackUnitCode}`);
    const note = checkText('input.note', input.note, 1, MAX_TEXT);
    const today = todayCst();
    const startedOn = input.startedOn ? checkDate('input.startedOn', input.startedOn) : today;
    if (startedOn > today) throw badInput('input.startedOn', 'must not be in the future');
    const deadline = receiverDeadline(input.kind, startedOn, input.major ?? false);
    const body = { ...input, scopeCode, toUnitCode, feedbackAgency, feedbackUnitCode, note, startedOn };
    // The record's own department confirms it exists for this caller before anything is written.
    await confirmSubject(ctx, rule.subject, input.subjectKey, scopeCode);
    return once(ctx, idempotencyKey, MUTATION.dispatch, body, async (em) => {
      const [{ seq }] = await em.execute<Array<{ seq: string }>>(`select nextval('"workflow"."handoff_seq"') as seq`);
      const now = new Date();
      const h = em.create(Handoff, {
        id: `HO${today.slice(0, 4)}${seq.padStart(6, '0')}`,
        kind: input.kind,
        subjectType: rule.subject,
        subjectKey: input.subjectKey,
        scopeCode,
        fromAgency: viewer.agency,
        fromUnitCode: fromUnit,
        toAgency: input.toAgency,
        toUnitCode,
        feedbackAgency,
        feedbackUnitCode,
        holderAgency: null,
        holderUnitCode: null,
        state: HandoffState.SENT,
        version: 1,
        major: input.major ?? false,
        returns: 0,
        dueOn: deadline.dueOn,
        dueArticle: deadline.article,
        note,
        result: null,
        feedback: null,
        sentAt: now,
        updatedAt: now,
      });
      setHolder(h, h.state);
      await recordStep(em, ctx, h, 'dispatch', null, note, now);
      await auditWrite(ctx, h, 'dispatch', null, ['state', 'dueOn']);
      return h;
    });
  }

  @Mutation(() => Handoff, { description: 'The receiving unit accepts a sent handoff (签收/受理).' })
  acceptHandoff(@Args(() => StepArgsType) args: StepArgsType, @Ctx() ctx: SubgraphContext): Promise<Handoff> {
    return takeStep(ctx, 'accept', args, null);
  }

  @Mutation(() => Handoff, {
    description: "The receiving unit sends it back with a reason (退回, e.g. 退回补充侦查); the sender's clock starts, within the returns the law allows.",
  })
  returnHandoff(
    @Args(() => StepArgsType) args: StepArgsType,
    @Arg('reason', { description: 'Why it goes back (at most 2000 characters).' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Handoff> {
    return takeStep(ctx, 'return', args, checkText('reason', reason, 1, MAX_TEXT), (h, today) => {
      setDeadline(h, returnDeadline(h.kind, today, h.returns));
      h.returns++;
      return ['dueOn', 'returns'];
    });
  }

  @Mutation(() => Handoff, { description: "The sender sends a returned handoff again (重新移送); the receiver's legal period starts anew." })
  resubmitHandoff(
    @Args(() => StepArgsType) args: StepArgsType,
    @Arg('note', { description: 'What was added or done (at most 2000 characters).' }) note: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Handoff> {
    return takeStep(ctx, 'resubmit', args, checkText('note', note, 1, MAX_TEXT), (h, today) => {
      setDeadline(h, receiverDeadline(h.kind, today, h.major));
      return ['dueOn'];
    });
  }

  @Mutation(() => Handoff, { description: 'The receiving unit records progress (办理中).' })
  recordHandoffProgress(
    @Args(() => StepArgsType) args: StepArgsType,
    @Arg('note', { description: 'What was done (at most 2000 characters).' }) note: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Handoff> {
    return takeStep(ctx, 'progress', args, checkText('note', note, 1, MAX_TEXT));
  }

  @Mutation(() => Handoff, { description: 'The receiving unit completes it with a result (办结).' })
  completeHandoff(
    @Args(() => StepArgsType) args: StepArgsType,
    @Arg('result', { description: 'The result (at most 2000 characters).' }) result: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Handoff> {
    const text = checkText('result', result, 1, MAX_TEXT);
    return takeStep(ctx, 'complete', args, text, (h) => {
      h.result = text;
      return ['result'];
    });
  }

  @Mutation(() => Handoff, {
    description: 'The unit the outcome goes back to records the feedback (回访), e.g. the grid worker after talking to the resident.',
  })
  giveHandoffFeedback(
    @Args(() => StepArgsType) args: StepArgsType,
    @Arg('feedback', { description: 'The feedback (at most 2000 characters).' }) feedback: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Handoff> {
    const text = checkText('feedback', feedback, 1, MAX_TEXT);
    return takeStep(ctx, 'feedback', args, text, (h) => {
      h.feedback = text;
      return ['feedback'];
    });
  }

  @Mutation(() => Handoff, { description: 'Either side takes a stuck handoff to the level above (上报); this handoff ends.' })
  escalateHandoff(
    @Args(() => StepArgsType) args: StepArgsType,
    @Arg('reason', { description: 'Why (at most 2000 characters).' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Handoff> {
    return takeStep(ctx, 'escalate', args, checkText('reason', reason, 1, MAX_TEXT));
  }

  @FieldResolver(() => Boolean, { description: 'Past its due day while still open (逾期): derived from the deadline, not a stored state.' })
  overdue(@Root() h: Handoff): boolean {
    return OPEN_STATES.includes(h.state) && h.dueOn !== null && h.dueOn < todayCst();
  }

  @FieldResolver(() => [HandoffStepRecord], { description: 'Every step taken, oldest first (全程留痕).' })
  async steps(@Root() h: Handoff, @Ctx() ctx: SubgraphContext): Promise<HandoffStepRecord[]> {
    return withSides(await ctx.loaders.many(HandoffStepRecord, 'handoffId', { seq: 'asc' }).load(h.id), h);
  }
}

/** `handoffs` on a record another department owns, by its key: one statement for all the records of a step. */
function subjectHandoffs<T extends object>(stub: StubClass<T>, key: keyof T & string): Function {
  @Resolver(() => stub)
  class SubjectHandoffsResolver {
    @FieldResolver(() => [Handoff], { description: 'Its handoffs between agencies (in your jurisdiction), oldest first.' })
    async handoffs(@Root() subject: T, @Ctx() ctx: SubgraphContext): Promise<Handoff[]> {
      const all = await ctx.loaders.many(Handoff, 'subjectKey', { sentAt: 'asc', id: 'asc' }).load(subject[key] as string);
      return all.filter((h) => (h.subjectType as string) === stub.typeName);
    }
  }
  Object.defineProperty(SubjectHandoffsResolver, 'name', { value: `${stub.typeName}HandoffsResolver` });
  return SubjectHandoffsResolver;
}

/** What workflow adds to the records it hands off. */
export const subjectResolvers = [
  subjectHandoffs(GridEvent, 'id'),
  subjectHandoffs(PoliceCase, 'caseNo'),
  subjectHandoffs(ProsecutionCase, 'caseNo'),
  subjectHandoffs(CourtCase, 'caseNo'),
  subjectHandoffs(MediationCase, 'id'),
  subjectHandoffs(CommunityCorrection, 'id'),
];
