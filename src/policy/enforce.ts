import { GraphQLError, isObjectType, responsePathAsArray, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddlewareFunction } from 'graphql-middleware';
import { rule, shield, type IRules } from 'graphql-shield';
import type { Viewer } from '../auth/viewer';
import { ErrorCode } from '../shared/errors';
import { applyMask } from './masking';
import type { Policy } from './policy';
import type { Decision } from './types';

/** One sensitive-field decision, as the audit trail records it. */
export interface DecisionRecord {
  typeName: string;
  field: string;
  entityId: string | null;
  outcome: Decision['outcome'];
  reason: string;
  /** Where the value sits in this subgraph's response (to withhold it if the audit write fails). */
  path: Array<string | number>;
  /** Opened by break-glass (`x-break-glass`): oversight reviews these. */
  breakGlass?: boolean;
}

/** What the policy needs from a request context. */
export interface PolicyContext {
  viewer: Viewer;
  purpose: string | null;
  /** Case numbers and person keys of the case journey established for the purpose (condition `caseBound`). */
  established?: ReadonlySet<string>;
  /** The break-glass reason, when declared. */
  breakGlass?: string | null;
  /** Sensitive-field decisions of this request, in order (the audit writer drains it). */
  decisions: DecisionRecord[];
  /** Decisions already taken for a record's fields, shared by the shield rule and the masking step. */
  decisionCache?: WeakMap<object, Map<string, Decision>>;
}

/** Marks, in an audit entry's reason, a decision opened by break-glass, followed by the caller's reason (oversight filters on it). */
export const BREAK_GLASS_MARK = 'break-glass: ';

/** Federation's own plumbing: reachable only with a valid internal token, and each entity field is ruled on its own. */
const FEDERATION_FIELDS: Record<string, string[]> = { Query: ['_entities', '_service'], _Service: ['sdl'] };

const KEY_PROPERTIES = ['id', 'caseNo', 'code'];

function entityId(parent: unknown): string | null {
  if (!parent || typeof parent !== 'object') return null;
  for (const k of KEY_PROPERTIES) {
    const v = (parent as Record<string, unknown>)[k];
    if (typeof v === 'string') return v;
  }
  return null;
}

/** Decides once per record, field and request; the shield rule and the masking step both read it. */
function decisionFor(policy: Policy, parent: unknown, ctx: PolicyContext, info: GraphQLResolveInfo): Decision {
  const typeName = info.parentType.name;
  const field = info.fieldName;
  const cacheable = parent !== null && typeof parent === 'object';
  if (cacheable) {
    ctx.decisionCache ??= new WeakMap();
    const hit = ctx.decisionCache.get(parent)?.get(field);
    if (hit) return hit;
  }
  const decision = policy.decide(typeName, field, parent as Record<string, unknown>, ctx);
  if (cacheable) {
    let perRecord = ctx.decisionCache!.get(parent);
    if (!perRecord) ctx.decisionCache!.set(parent, (perRecord = new Map()));
    perRecord.set(field, decision);
  }
  if (decision.sensitive) {
    const reason = decision.breakGlass ? `${decision.reason}; ${BREAK_GLASS_MARK}${ctx.breakGlass ?? ''}` : decision.reason;
    ctx.decisions.push({ typeName, field, entityId: entityId(parent), outcome: decision.outcome, reason, path: responsePathAsArray(info.path), ...(decision.breakGlass ? { breakGlass: true } : {}) });
  }
  return decision;
}

export function forbiddenField(typeName: string, field: string, reason: string): GraphQLError {
  return new GraphQLError(`${typeName}.${field}: access denied (${reason})`, {
    extensions: { code: ErrorCode.ForbiddenField, field: `${typeName}.${field}`, reason },
  });
}

/**
 * Applies the policy to a subgraph schema: graphql-shield rules on every field of every object
 * type (fallback deny), and a masking step for the fields some agency gets masked. The rules
 * never cache across records (`no_cache`): each record's decision depends on the record.
 */
export function enforcePolicy(schema: GraphQLSchema, policy: Policy): GraphQLSchema {
  const decide = rule({ cache: 'no_cache' })((parent: unknown, _args: unknown, ctx: PolicyContext, info: GraphQLResolveInfo) => {
    const d = decisionFor(policy, parent, ctx, info);
    return d.outcome === 'deny' ? forbiddenField(info.parentType.name, info.fieldName, d.reason) : true;
  });
  const federation = rule({ cache: 'no_cache' })(() => true);

  const rules: IRules = {};
  const masking: Record<string, Record<string, IMiddlewareFunction>> = {};
  const maskStep: IMiddlewareFunction = async (resolve, parent, args, ctx: PolicyContext, info) => {
    const value = await resolve(parent, args, ctx, info);
    const d = decisionFor(policy, parent, ctx, info);
    return d.outcome === 'mask' && d.mask ? applyMask(d.mask, value) : value;
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRules: Record<string, typeof decide> = {};
    for (const field of Object.keys(type.getFields())) {
      typeRules[field] = FEDERATION_FIELDS[type.name]?.includes(field) ? federation : decide;
      const fieldRules = policy.typePolicy(type.name)?.fields?.[field];
      if (fieldRules && Object.values(fieldRules).some((r) => JSON.stringify(r).includes('"mask"'))) {
        (masking[type.name] ??= {})[field] = maskStep;
      }
    }
    rules[type.name] = typeRules;
  }

  // graphql-middleware 6 keeps each entity's __resolveReference (in its extensions) when it wraps
  // the resolvers; test/policy.test.ts checks that it still runs behind the shield in every subgraph.
  return applyMiddleware(
    schema,
    shield(rules, { fallbackRule: decide, allowExternalErrors: true, fallbackError: () => new GraphQLError('internal error', { extensions: { code: ErrorCode.Internal } }) }),
    masking,
  );
}
