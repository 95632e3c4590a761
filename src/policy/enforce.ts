import {
  defaultFieldResolver,
  GraphQLError,
  isObjectType,
  responsePathAsArray,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { applyMiddleware, type IMiddlewareFunction } from 'graphql-middleware';
import { rule, shield, type IRules } from 'graphql-shield';
import type { Viewer } from '../auth/viewer';
import { ErrorCode } from '../shared/errors';
import { applyMask } from './masking';
import type { Policy } from './policy';
import type { Condition, Decision } from './types';

/** One sensitive-field decision on one record, as the audit trail records it. */
export interface DecisionRecord {
  typeName: string;
  field: string;
  entityId: string | null;
  outcome: Decision['outcome'];
  reason: string;
  /**
   * Every place the value sits in this subgraph's response: an alias or a second lookup of the
   * same record adds a path (each is recorded, and withheld if the audit write fails).
   */
  paths: Array<Array<string | number>>;
  /** The policy opened the field by break-glass (set when the policy's decision carries the marker). */
  breakGlass?: boolean;
  /** The record is sealed (the type's `sealed` property is true), e.g. a juvenile record. */
  sealed: boolean;
}

/** A record of an audited type that the request touched (by id, ID number, search or entity reference). */
export interface TouchedRecord {
  typeName: string;
  entityId: string | null;
  /** The fields selected on it (sensitive or not), in first-seen order. */
  fields: Set<string>;
  /** Where the record sits in the response (one per alias or repeated lookup). */
  paths: Array<Array<string | number>>;
  /** The record is sealed (the type's `sealed` property is true), e.g. a juvenile record. */
  sealed: boolean;
}

/** What the policy needs from a request context. */
export interface PolicyContext {
  viewer: Viewer;
  purpose: string | null;
  /** Case numbers and person keys of the case journey established for the purpose (condition `caseBound`). */
  established?: ReadonlySet<string>;
  /** The break-glass reason, when declared. */
  breakGlass?: string | null;
  /** Sensitive-field decisions of this request, one per (record, field), in order (the audit writer drains it). */
  decisions: DecisionRecord[];
  /** Decisions already taken for a record's fields, and the conditions they tested. */
  decisionCache?: PerRecord<RecordDecisions>;
  /** Records of audited types the request touched, each once (the audit writes a "looked up" row for each). */
  touched?: PerRecord<TouchedRecord>;
  /** Searches the request ran (the audit writes a "searched" row for each: what was searched by, never the fragment). */
  searches?: SearchRecord[];
}

/** A search over an audited type: the fields it matched on and where its results sit in the response. */
export interface SearchRecord {
  typeName: string;
  /** The fields searched by (e.g. `name`, `phone`); the fragments themselves are personal data and never kept. */
  criteria: string[];
  path: Array<string | number>;
}

interface CachedDecision {
  decision: Decision;
  /** The audit record of a sensitive field (null for the others). */
  record: DecisionRecord | null;
  /** The response paths already recorded, joined. */
  seen: Set<string>;
}

/** What the request decided about one record: each ruled field once, and the conditions its rules tested (shared by its fields). */
interface RecordDecisions {
  fields: Map<string, CachedDecision>;
  conditions: Map<Condition, boolean>;
}

/**
 * What the request holds about each record. A record may reach the resolvers as two objects (a
 * loader's plain object and an `em.find`'s entity), so it is known by type and id (`byRecord`,
 * keyed `type` NUL `id`; by the object itself when the type names no id); `byObject` finds the
 * entry of an object already seen with one lookup, as keying by object alone did.
 */
export interface PerRecord<V> {
  byRecord: Map<unknown, V>;
  byObject: WeakMap<object, V>;
}

const perRecordIndex = <V>(): PerRecord<V> => ({ byRecord: new Map(), byObject: new WeakMap() });

const recordKey = (ids: RecordIds, typeName: string, parent: object): unknown => {
  const id = entityId(ids, typeName, parent);
  return id === null ? parent : `${typeName}\u0000${id}`;
};

/** The entry of the record `parent` is, if the request has one (under this object or another of the record). */
function entryOf<V>(index: PerRecord<V>, ids: RecordIds, typeName: string, parent: object): V | undefined {
  let value = index.byObject.get(parent);
  if (value === undefined) {
    value = index.byRecord.get(recordKey(ids, typeName, parent));
    if (value !== undefined) index.byObject.set(parent, value);
  }
  return value;
}

function addEntry<V>(index: PerRecord<V>, ids: RecordIds, typeName: string, parent: object, value: V): V {
  index.byRecord.set(recordKey(ids, typeName, parent), value);
  index.byObject.set(parent, value);
  return value;
}

/** Marks, in an audit entry's reason, a decision opened by break-glass, followed by the caller's reason (oversight filters on it). */
export const BREAK_GLASS_MARK = 'break-glass: ';

/** Federation's own plumbing: reachable only with a valid internal token, and each entity field is ruled on its own. */
const FEDERATION_FIELDS: Record<string, string[]> = { Query: ['_entities', '_service'], _Service: ['sdl'] };

/** How the audit trail names a record of each type: the property holding its id (see `recordIds` in kit/schema.ts). */
export type RecordIds = ReadonlyMap<string, string>;

function entityId(ids: RecordIds, typeName: string, parent: unknown): string | null {
  const property = ids.get(typeName);
  if (!property || !parent || typeof parent !== 'object') return null;
  const v = (parent as Record<string, unknown>)[property];
  return typeof v === 'string' ? v : null;
}

/** Types whose records are audited when touched: those with sensitive fields the policy audits. */
function auditedType(policy: Policy, typeName: string): boolean {
  const tp = policy.typePolicy(typeName);
  return !!tp && tp.audit !== false && Object.keys(tp.fields ?? {}).length > 0;
}

function sealed(policy: Policy, typeName: string, parent: unknown): boolean {
  const property = policy.typePolicy(typeName)?.sealed;
  return !!property && !!parent && typeof parent === 'object' && (parent as Record<string, unknown>)[property] === true;
}

/**
 * The places (graphql-js path objects) each touched record was already seen at: the fields of a
 * record at one place share their parent path object, so its path is worked out and compared
 * once per place, not once per field.
 */
const placesSeen = new WeakMap<TouchedRecord, Set<unknown>>();

/** Notes that the request touched `parent` (a record of an audited type) and selected `field` on it. */
function touch(policy: Policy, ids: RecordIds, parent: object, ctx: PolicyContext, info: GraphQLResolveInfo): void {
  const typeName = info.parentType.name;
  const touched = (ctx.touched ??= perRecordIndex());
  const t =
    entryOf(touched, ids, typeName, parent) ??
    addEntry(touched, ids, typeName, parent, {
      typeName,
      entityId: entityId(ids, typeName, parent),
      fields: new Set<string>(),
      paths: [],
      sealed: sealed(policy, typeName, parent),
    });
  t.fields.add(info.fieldName);
  let places = placesSeen.get(t);
  if (!places) placesSeen.set(t, (places = new Set()));
  const place = info.path.prev;
  if (places.has(place)) return;
  places.add(place);
  const recordPath = place ? responsePathAsArray(place) : [];
  if (!t.paths.some((p) => p.length === recordPath.length && p.every((k, i) => k === recordPath[i]))) t.paths.push(recordPath);
}

/**
 * Decides a ruled field (one the policy lists under `fields`) once per record and request
 * (however many objects of the record the resolvers hand over, see `PerRecord`), with the
 * conditions its rules test shared by the record's other fields; records every response path a
 * sensitive decision covers (aliases and repeated lookups included).
 */
function decisionFor(policy: Policy, ids: RecordIds, parent: unknown, ctx: PolicyContext, info: GraphQLResolveInfo): Decision {
  const typeName = info.parentType.name;
  const field = info.fieldName;
  if (parent === null || typeof parent !== 'object') {
    const decision = policy.decide(typeName, field, parent as Record<string, unknown>, ctx);
    if (decision.sensitive) ctx.decisions.push(recordOf(typeName, field, null, decision, responsePathAsArray(info.path), false, ctx.breakGlass));
    return decision;
  }
  const cache = (ctx.decisionCache ??= perRecordIndex());
  const decisions =
    entryOf(cache, ids, typeName, parent) ?? addEntry<RecordDecisions>(cache, ids, typeName, parent, { fields: new Map(), conditions: new Map() });
  let cached = decisions.fields.get(field);
  if (!cached) {
    const decision = policy.decide(typeName, field, parent as Record<string, unknown>, ctx, decisions.conditions);
    const record = decision.sensitive
      ? recordOf(typeName, field, entityId(ids, typeName, parent), decision, [], sealed(policy, typeName, parent), ctx.breakGlass)
      : null;
    if (record) ctx.decisions.push(record);
    decisions.fields.set(field, (cached = { decision, record, seen: new Set() }));
  }
  if (cached.record) {
    const path = responsePathAsArray(info.path);
    const key = path.join('.');
    if (!cached.seen.has(key)) {
      cached.seen.add(key);
      cached.record.paths.push(path);
    }
  }
  return cached.decision;
}

function recordOf(
  typeName: string,
  field: string,
  id: string | null,
  decision: Decision,
  path: Array<string | number>,
  isSealed: boolean,
  breakGlassReason?: string | null,
): DecisionRecord {
  const reason = decision.breakGlass ? `${decision.reason}; ${BREAK_GLASS_MARK}${breakGlassReason ?? ''}` : decision.reason;
  const record: DecisionRecord = { typeName, field, entityId: id, outcome: decision.outcome, reason, paths: path.length ? [path] : [], sealed: isSealed };
  if ('breakGlass' in decision && decision.breakGlass === true) record.breakGlass = true;
  return record;
}

export function forbiddenField(typeName: string, field: string, reason: string): GraphQLError {
  return new GraphQLError(`${typeName}.${field}: access denied (${reason})`, {
    extensions: { code: ErrorCode.ForbiddenField, field: `${typeName}.${field}`, reason },
  });
}

/**
 * Applies the policy to a subgraph schema, in one synchronous layer per field (the resolver runs
 * only when the field is granted, and a masked field's value is masked as it comes):
 *
 * - a field the policy does not list (not sensitive, unconditional) costs one agency look-up,
 *   plus noting the record as touched when its type is audited — no decision, no path, no promise;
 * - a listed field is decided once per record, its rules' conditions once per record for all its
 *   fields, and its paths recorded for the audit trail;
 * - the entry points (Query, Mutation fields: a few per request) go through graphql-shield, whose
 *   fallback rule denies anything the rule map misses.
 *
 * graphql-shield on every field cost three promises per field and record, plus a masking layer
 * on a maskable one: ~2 µs of CPU each (docs/performance.md, "Policy pass"). The root fields use
 * the same decision as the others.
 * Guards are installed on `schema` in place (it is built for this subgraph alone). `ids` names
 * the records in the audit trail.
 */
export function enforcePolicy(schema: GraphQLSchema, policy: Policy, ids: RecordIds): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => !!t).map((t) => t.name));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || roots.has(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      if (FEDERATION_FIELDS[type.name]?.includes(field.name)) continue;
      field.resolve = guard(policy, ids, type.name, field.name, field.resolve ?? defaultFieldResolver);
    }
  }

  const decide = rule({ cache: 'no_cache' })((parent: unknown, _args: unknown, ctx: PolicyContext, info: GraphQLResolveInfo) => {
    const d = decisionFor(policy, ids, parent, ctx, info);
    return d.outcome === 'deny' ? forbiddenField(info.parentType.name, info.fieldName, d.reason) : true;
  });
  const federation = rule({ cache: 'no_cache' })(() => true);
  const maskStep: IMiddlewareFunction = async (resolve, parent, args, ctx: PolicyContext, info) => {
    const value: unknown = await resolve(parent, args, ctx, info);
    const d = decisionFor(policy, ids, parent, ctx, info);
    return d.outcome === 'mask' && d.mask ? applyMask(d.mask, value) : value;
  };
  const rules: IRules = {};
  const masking: Record<string, Record<string, IMiddlewareFunction>> = {};
  for (const name of roots) {
    const type = schema.getType(name) as GraphQLObjectType;
    rules[name] = Object.fromEntries(Object.keys(type.getFields()).map((field) => [field, FEDERATION_FIELDS[name]?.includes(field) ? federation : decide]));
    for (const field of Object.keys(type.getFields())) if (policy.canMask(name, field)) (masking[name] ??= {})[field] = maskStep;
  }
  const shielded = shield(rules, {
    fallbackRule: decide,
    allowExternalErrors: true,
    fallbackError: () => new GraphQLError('internal error', { extensions: { code: ErrorCode.Internal } }),
  }).generate(schema);
  // The shield's middleware for the entry points only: every other field has its guard already.
  const atRoots = Object.fromEntries(Object.entries(shielded).filter(([name]) => roots.has(name)));

  // graphql-middleware 6 keeps each entity's __resolveReference (in its extensions) when it wraps
  // the resolvers; test/policy.test.ts checks that it still runs behind the policy in every subgraph.
  return applyMiddleware(schema, atRoots, masking);
}

/** The policy's guard around one field's resolver (see `enforcePolicy`). */
function guard(policy: Policy, ids: RecordIds, typeName: string, fieldName: string, resolve: GraphQLFieldResolver<unknown, PolicyContext>) {
  const tp = policy.typePolicy(typeName);
  const audited = auditedType(policy, typeName);
  if (!tp?.fields?.[fieldName]) {
    // Not listed: the agency alone decides, as `Policy.decide` does (null: every agency).
    const agencies = !tp ? new Set<string>() : tp.visible === 'all' ? null : new Set<string>(tp.visible);
    return (parent: unknown, args: Record<string, unknown>, ctx: PolicyContext, info: GraphQLResolveInfo): unknown => {
      if (audited && parent !== null && typeof parent === 'object') touch(policy, ids, parent, ctx, info);
      if (agencies && !agencies.has(ctx.viewer.agency)) {
        return forbiddenField(typeName, fieldName, tp ? `${typeName} is not visible to ${ctx.viewer.agency}` : `${typeName} is not in the policy`);
      }
      return resolve(parent, args, ctx, info);
    };
  }
  return (parent: unknown, args: Record<string, unknown>, ctx: PolicyContext, info: GraphQLResolveInfo): unknown => {
    if (audited && parent !== null && typeof parent === 'object') touch(policy, ids, parent, ctx, info);
    const d = decisionFor(policy, ids, parent, ctx, info);
    if (d.outcome === 'deny') return forbiddenField(typeName, fieldName, d.reason);
    const value = resolve(parent, args, ctx, info);
    const mask = d.outcome === 'mask' ? d.mask : undefined;
    if (!mask) return value;
    return isPromise(value) ? value.then((v) => applyMask(mask, v)) : applyMask(mask, value);
  };
}

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';
