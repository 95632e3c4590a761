import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Task, TaskList } from 'graphile-worker';
import type { Pool } from 'pg';
import { Arg, Args, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { requestAttribution } from '../../audit/plugin';
import { inJurisdiction, jurisdictionPrefix, type Viewer } from '../../auth/viewer';
import type { SubgraphContext } from '../../kit/context';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { DEV_PERSON_KEY_SECRET } from '../../shared/config';
import { badInput, notFound } from '../../shared/errors';
import { logger } from '../../shared/logger';
import { checkCode } from '../../shared/validate';
import { addJobCall, DeliveryState } from './queue';
import { addressProblem, checkWebhookUrl } from './webhookUrl';

/**
 * Signed webhooks (推送) per receiving unit: a unit's system hears of every step on a handoff the
 * unit sends, receives or hears back on — the change feed's events (`inboxChanges`) — without
 * polling. Each step inserts one delivery row per matching subscription and its job in the step's
 * own transaction (one statement, as the effects do); the job queue POSTs it, signed, and retries
 * with graphile-worker's backoff; after the last attempt the delivery is FAILED (the dead letters,
 * `webhookDeliveries(state: FAILED)`) until the unit's admin sends it again (`redeliverWebhook`).
 * The body names ids, kind, states and the deadline only: the free text stays behind the graph,
 * where every look is audited.
 */

registerEnumType(DeliveryState, {
  name: 'DeliveryState',
  description: 'Where a delivery stands: a webhook POST, or a handoff effect in the department that owns the record.',
  valuesConfig: {
    PENDING: { description: 'Not delivered yet: waiting for its first attempt or a retry.' },
    DELIVERED: { description: 'The receiver confirmed it (a 2xx answer; for an effect, the department’s receipt).' },
    FAILED: { description: 'Every attempt failed (the dead letters): nothing more is tried until it is sent again.' },
  },
});

/** The job that POSTs one delivery. */
const TASK = 'webhook_delivery';

/** The hub's webhook settings, read from the environment at each use (as `alertThresholds`). */
export function webhookSettings(env: Record<string, string | undefined> = process.env): {
  maxAttempts: number;
  timeoutMs: number;
  allowLoopback: boolean;
  sealingKey: Buffer;
} {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const n = Number(env[name] ?? fallback);
    return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
  };
  return {
    // 10 attempts: graphile-worker retries after e^1 … e^9 seconds (3 s, 7 s, 20 s … 2 h 15 min), about 3 h 45 min in all.
    maxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 10, 1, 25),
    timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    allowLoopback: env.HUB_MODE !== 'production',
    // The secrets are sealed with a key the database does not hold: a dump of it signs nothing.
    sealingKey: createHash('sha256')
      .update(`pingan-hub webhook secrets\0${env.WEBHOOK_SECRET_KEY ?? env.PERSON_KEY_SECRET ?? DEV_PERSON_KEY_SECRET}`)
      .digest(),
  };
}

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function sealSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function openSecret(key: Buffer, sealed: string): string {
  const [, iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}

/** `x-pingan-signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe signs. */
export function signature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

@ObjectType('WebhookSubscription', { description: "A unit's webhook (推送): the hub POSTs every step on the unit's handoffs to its URL, signed." })
@Entity({ tableName: 'webhook' })
@Index({ properties: ['agency', 'unitPrefix'] })
export class Webhook {
  [OptionalProps]?: 'id' | 'revokedAt';

  @Field(() => ID, { description: 'The subscription id.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => String, { description: 'The agency whose unit receives.' })
  @Property({ type: 'string', length: 20 })
  agency!: string;

  @Field(() => String, { description: 'The unit (division or grid code): the handoffs it sends, receives or hears back on are posted.' })
  @Property({ type: 'string', length: 12 })
  unitCode!: string;

  /** The unit's code as a prefix of the codes inside it (a city's six digits are its four). */
  @Property({ type: 'string', length: 12 })
  unitPrefix!: string;

  @Field(() => String, { description: 'Where the hub POSTs (https).' })
  @Property({ type: 'string', length: 2000 })
  url!: string;

  /** The signing secret, sealed (`sealSecret`): the hub must sign with it, so a hash would not do. */
  @Property({ type: 'text' })
  sealedSecret!: string;

  @Field(() => String, { description: 'The admin who registered it (their subject id).' })
  @Property({ type: 'string', length: 100 })
  createdBy!: string;

  @Field(() => Date, { description: 'When it was registered.' })
  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was revoked; nothing is posted after.' })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'One POST of one handoff step to one webhook, with its attempts.' })
@Entity({ tableName: 'webhook_delivery' })
@Index({ properties: ['webhookId', 'state', 'id'] })
export class WebhookDelivery {
  [OptionalProps]?: 'id' | 'attempts' | 'lastError' | 'deliveredAt' | 'failedAt';

  @Field(() => ID, { description: 'The delivery id (the `x-pingan-delivery` header): a receiver that sees it twice has seen it before.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => ID, { description: 'The subscription it was posted to.' })
  @Property({ type: 'bigint' })
  webhookId!: string;

  @Field(() => String, { description: "The step's cursor in the change feed (`inboxChanges(since:)`)." })
  @Property({ type: 'bigint' })
  stepSeq!: string;

  @Field(() => String, { description: 'The handoff the step was taken on.' })
  @Property({ type: 'string', length: 20 })
  handoffId!: string;

  @Field(() => DeliveryState, { description: 'Delivered, waiting for a retry, or failed for good (a dead letter).' })
  @Enum({ items: () => DeliveryState, nativeEnumName: 'delivery_state' })
  state!: DeliveryState;

  @Field(() => Int, { description: 'Attempts so far.' })
  @Property({ type: 'integer', default: 0 })
  attempts!: number;

  @Field(() => String, { nullable: true, description: "The last attempt's failure: the HTTP status or the network error's code, never the answer's body." })
  @Property({ type: 'string', length: 300, nullable: true })
  lastError!: string | null;

  @Field(() => Date, { description: 'When the step was taken and the delivery queued.' })
  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the receiver confirmed it.' })
  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When its last attempt failed (a dead letter).' })
  @Property({ type: 'timestamptz', nullable: true })
  failedAt!: Date | null;
}

@ObjectType({ description: 'A page of webhook deliveries (Relay connection).' })
class WebhookDeliveryConnection extends ConnectionType(WebhookDelivery, 'WebhookDelivery') {}

@ObjectType({ description: 'A new webhook and its signing secret: the secret is shown here once and never again.' })
class WebhookRegistration {
  @Field(() => Webhook, { description: 'The subscription.' })
  subscription!: Webhook;

  @Field(() => String, { description: 'The HMAC-SHA256 key the `x-pingan-signature` header is made with; keep it in the receiver.' })
  secret!: string;
}

/**
 * The deliveries of a step (the handoff_step row `seq`), one per live subscription of a unit that is
 * a side of its handoff, with their jobs: one statement, inside the step's transaction.
 */
export async function enqueueWebhooks(em: EntityManager, stepSeq: string): Promise<void> {
  const job = addJobCall(TASK, 'deliveryId', 'delivery', webhookSettings().maxAttempts);
  const side = (s: string) => `(w."agency" = h."${s}_agency" and h."${s}_unit_code" like w."unit_prefix" || '%')`;
  await em.execute(
    `with delivery as (
       insert into "workflow"."webhook_delivery" ("webhook_id", "step_seq", "handoff_id", "state", "attempts", "created_at")
       select w."id", s."seq", s."handoff_id", 'PENDING', 0, now() from "workflow"."handoff_step" s
       join "workflow"."handoff" h on h."id" = s."handoff_id"
       join "workflow"."webhook" w on w."revoked_at" is null and (${['from', 'to', 'feedback'].map(side).join(' or ')})
       where s."seq" = ? returning "id")
     select ${job.sql} from delivery`,
    [stepSeq, ...job.params],
  );
}

interface DeliveryRow {
  id: string;
  state: DeliveryState;
  url: string;
  sealed_secret: string;
  revoked: boolean;
  seq: string;
  handoff_id: string;
  kind: string;
  subject_type: string;
  subject_key: string;
  step: string;
  from_state: string | null;
  to_state: string;
  due_on: string | null;
  at: Date;
}

/** The POSTed body: ids, kind, states and the deadline; no officer, no free text. */
export function webhookBody(row: DeliveryRow): string {
  return JSON.stringify({
    deliveryId: row.id,
    event: 'handoff.step',
    cursor: row.seq,
    handoffId: row.handoff_id,
    kind: row.kind,
    subjectType: row.subject_type,
    subjectKey: row.subject_key,
    step: row.step,
    fromState: row.from_state,
    toState: row.to_state,
    dueOn: row.due_on,
    at: row.at.toISOString(),
  });
}

/** A failure as stored and logged: the status or the error's code, never the receiver's answer nor its URL. */
class DeliveryFailure extends Error {}

/** DNS answers are judged too: a name that resolves to a metadata or link-local address is never connected to. */
const guardedLookup =
  (allowLoopback: boolean): LookupFunction =>
  (hostname, options, callback) =>
    dnsLookup(hostname, options, (err, address, family) => {
      const addresses = Array.isArray(address) ? address.map((a: { address: string }) => a.address) : [address];
      const problem = err ? null : addresses.map((a) => addressProblem(a, allowLoopback)).find((p) => p !== null);
      callback(problem ? Object.assign(new Error(`resolves to ${problem}`), { code: 'EBLOCKED' }) : err, address, family);
    });

function post(target: string, body: string, headers: Record<string, string>, settings: ReturnType<typeof webhookSettings>): Promise<void> {
  const url = new URL(checkWebhookUrl('url', target, settings.allowLoopback));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'pingan-hub-webhooks', ...headers },
        lookup: guardedLookup(settings.allowLoopback),
      },
      (res) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status <= 299) resolve();
          else reject(new DeliveryFailure(`HTTP ${status}`));
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new DeliveryFailure(`no answer within ${settings.timeoutMs} ms`)), settings.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body);
  });
}

function failureText(e: unknown): string {
  if (e instanceof DeliveryFailure) return e.message;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `network error ${code}` : 'network error';
}

/** The job: POST one delivery, signed; throws (and is retried) while the receiver does not confirm; after the last attempt it is FAILED. */
function deliverTask(pool: Pool): Task {
  return async (payload, helpers) => {
    const deliveryId = (payload as { deliveryId?: unknown }).deliveryId;
    if (typeof deliveryId !== 'string' || !/^\d{1,18}$/.test(deliveryId)) throw new Error('webhook_delivery job without a delivery id');
    const { rows } = await pool.query<DeliveryRow>(
      `select d."id", d."state", w."url", w."sealed_secret", w."revoked_at" is not null as "revoked", s."seq", s."handoff_id", h."kind", h."subject_type", h."subject_key",
         s."step", s."from_state", s."to_state", to_char(s."due_on", 'YYYY-MM-DD') as "due_on", s."at"
       from "workflow"."webhook_delivery" d join "workflow"."webhook" w on w."id" = d."webhook_id"
       join "workflow"."handoff_step" s on s."seq" = d."step_seq" join "workflow"."handoff" h on h."id" = s."handoff_id" where d."id" = $1`,
      [deliveryId],
    );
    const row = rows[0];
    if (!row || row.state === DeliveryState.DELIVERED) return;
    const settings = webhookSettings();
    const finalAttempt = row.revoked || helpers.job.attempts >= helpers.job.max_attempts;
    try {
      if (row.revoked) throw new DeliveryFailure('subscription revoked');
      const body = webhookBody(row);
      const secret = openSecret(settings.sealingKey, row.sealed_secret);
      await post(row.url, body, { 'x-pingan-signature': signature(secret, body, Math.floor(Date.now() / 1000)), 'x-pingan-delivery': row.id }, settings);
      await pool.query(
        `update "workflow"."webhook_delivery" set "state" = 'DELIVERED', "attempts" = "attempts" + 1, "delivered_at" = now(), "last_error" = null, "failed_at" = null where "id" = $1`,
        [row.id],
      );
    } catch (e) {
      const error = failureText(e).slice(0, 300);
      await pool.query(
        `update "workflow"."webhook_delivery" set "attempts" = "attempts" + 1, "last_error" = $2,
           "state" = case when $3::boolean then 'FAILED' else 'PENDING' end::"workflow"."delivery_state", "failed_at" = case when $3::boolean then now() end where "id" = $1`,
        [row.id, error, finalAttempt],
      );
      logger.warn(
        { deliveryId: row.id, error, final: finalAttempt },
        finalAttempt ? 'webhook delivery failed for good (dead letter)' : 'webhook delivery failed; retried',
      );
      // A revoked subscription is not retried; anything else goes back to the queue's backoff.
      if (!row.revoked) throw new Error(error, { cause: e });
    }
  };
}

/** The webhook task, for the workflow's job queue worker (effects.ts). */
export function webhookTasks(pool: Pool): TaskList {
  return { [TASK]: deliverTask(pool) };
}

/** The subscriptions of the caller's agency whose unit lies inside the caller's jurisdiction. */
function ownHooks(viewer: Viewer): FilterQuery<Webhook> {
  const prefixes = viewer.jurisdiction.map(jurisdictionPrefix).filter((p) => /^\d{4,12}$/.test(p));
  if (!prefixes.length) return { id: { $in: [] } };
  return { agency: viewer.agency, $or: prefixes.map((p) => ({ unitCode: { $like: `${p}%` } })) };
}

/** The admin's change, in the workflow's audit chain before the transaction commits. */
async function auditChange(ctx: SubgraphContext, entityType: string, entityId: string, field: string, reason: string): Promise<void> {
  await ctx.writeAudit?.([
    { ...requestAttribution(ctx), entityType, entityId, field, decision: 'allow', reason, paths: [], fields: [field], breakGlass: false, sealed: false },
  ]);
}

@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => [Webhook], { description: "Your agency's live webhooks for units in your jurisdiction (an integration admin's)." })
  webhookSubscriptions(@Ctx() ctx: SubgraphContext): Promise<Webhook[]> {
    return ctx.em.find(Webhook, { $and: [ownHooks(ctx.viewer), { revokedAt: null }] }, { orderBy: { id: 'asc' } });
  }

  @Query(() => WebhookDeliveryConnection, { description: "Your agency's webhook deliveries, newest first; `state: FAILED` is the dead-letter list." })
  async webhookDeliveries(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('state', () => DeliveryState, { nullable: true, description: 'Only deliveries in this state.' }) state: DeliveryState | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<WebhookDeliveryConnection> {
    const hooks = await ctx.em.find(Webhook, ownHooks(ctx.viewer), { fields: ['id'] });
    const where: FilterQuery<WebhookDelivery>[] = [{ webhookId: { $in: hooks.map((w) => w.id) } }];
    if (state) where.push({ state });
    return paginate(ctx, WebhookDelivery, { $and: where }, page, { columns: ['id'], direction: 'desc' });
  }

  @Mutation(() => WebhookRegistration, {
    description:
      "Registers a webhook for a unit of your agency (an integration admin's): every step on its handoffs is POSTed there, signed. The secret is shown once.",
  })
  async registerWebhook(
    @Arg('url', { description: 'Where to POST: https (http only to loopback in dev); never a link-local or metadata address.' }) url: string,
    @Arg('unitCode', () => String, { nullable: true, description: 'The unit (division or grid code) in your jurisdiction; defaults to your first.' })
    unitCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<WebhookRegistration> {
    const settings = webhookSettings();
    const target = checkWebhookUrl('url', url, settings.allowLoopback);
    const unit = unitCode ?? ctx.viewer.jurisdiction[0];
    if (!unit) throw badInput('unitCode', 'you have no jurisdiction to register for');
    checkCode('unitCode', unit, unit.length === 12 ? 'grid' : 'division');
    if (!inJurisdiction(ctx.viewer, unit)) throw badInput('unitCode', `${unit} is outside your jurisdiction`);
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const subscription = await ctx.em.transactional(async (em) => {
      const hook = em.create(Webhook, {
        agency: ctx.viewer.agency,
        unitCode: unit,
        unitPrefix: jurisdictionPrefix(unit),
        url: target,
        sealedSecret: sealSecret(settings.sealingKey, secret),
        createdBy: ctx.viewer.sub,
        createdAt: new Date(),
      });
      await em.flush();
      await auditChange(ctx, 'WebhookSubscription', hook.id, 'url', `registerWebhook ${ctx.viewer.agency} ${unit}: ${new URL(target).host}`);
      return hook;
    });
    return { subscription, secret };
  }

  @Mutation(() => Webhook, { description: 'Revokes one of your agency’s webhooks: nothing more is posted to it, its pending deliveries fail.' })
  revokeWebhook(@Arg('id', () => ID, { description: 'The subscription id.' }) id: string, @Ctx() ctx: SubgraphContext): Promise<Webhook> {
    return ctx.em.transactional(async (em) => {
      const hook = /^\d{1,18}$/.test(id) ? await em.findOne(Webhook, { $and: [{ id }, ownHooks(ctx.viewer), { revokedAt: null }] }) : null;
      if (!hook) throw notFound(`webhook ${id}`);
      hook.revokedAt = new Date();
      await em.flush();
      await auditChange(ctx, 'WebhookSubscription', hook.id, 'revokedAt', `revokeWebhook ${hook.agency} ${hook.unitCode}`);
      return hook;
    });
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends a failed delivery (a dead letter) again, with a fresh set of attempts.' })
  redeliverWebhook(@Arg('id', () => ID, { description: 'The delivery id.' }) id: string, @Ctx() ctx: SubgraphContext): Promise<WebhookDelivery> {
    return ctx.em.transactional(async (em) => {
      const hooks = await em.find(Webhook, { $and: [ownHooks(ctx.viewer), { revokedAt: null }] }, { fields: ['id'] });
      const delivery = /^\d{1,18}$/.test(id)
        ? await em.findOne(WebhookDelivery, { id, webhookId: { $in: hooks.map((w) => w.id) }, state: DeliveryState.FAILED })
        : null;
      if (!delivery) throw notFound(`failed delivery ${id} of a live webhook of yours`);
      const job = addJobCall(TASK, 'deliveryId', 'delivery', webhookSettings().maxAttempts);
      // Back to PENDING and its job (the same key: graphile-worker replaces the dead job, attempts from zero), in one statement.
      await em.execute(
        `with delivery as (update "workflow"."webhook_delivery" set "state" = 'PENDING', "failed_at" = null where "id" = ? returning "id") select ${job.sql} from delivery`,
        [delivery.id, ...job.params],
      );
      await auditChange(ctx, 'WebhookDelivery', delivery.id, 'state', `redeliverWebhook ${delivery.handoffId}: FAILED → PENDING`);
      await em.refresh(delivery);
      return delivery;
    });
  }
}
