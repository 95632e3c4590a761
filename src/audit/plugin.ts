import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { PolicyContext } from '../policy/enforce';
import { ErrorCode } from '../shared/errors';
import { logger } from '../shared/logger';
import { LOOKED_UP, SEARCHED, type AccessEntry } from './chain';
import type { AuditWriter } from './writer';

/**
 * What the audit reads of a subgraph's request context: who asked, why, what the policy decided
 * and which records were touched. `deadline` (epoch ms by which the answer must be back at the
 * gateway, from the internal token) is optional until every token carries it.
 */
export interface AuditedContext extends PolicyContext {
  requestId: string;
  operation: string | null;
  documentHash: string | null;
  purpose: string | null;
  deadline?: number | null;
}

/** Sets the value at `path` in a response to null (the field is nullable: the policy requires it). */
function withhold(data: Record<string, unknown>, path: Array<string | number>): boolean {
  let node: unknown = data;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (node === null || typeof node !== 'object') return false;
  (node as Record<string | number, unknown>)[path[path.length - 1]] = null;
  return true;
}

/** Who asked, in which request and for what purpose: the part every audit entry of one request shares (reads here, a workflow's writes). */
export function requestAttribution(
  ctx: Pick<AuditedContext, 'requestId' | 'viewer' | 'operation' | 'documentHash' | 'purpose'>,
): Pick<AccessEntry, 'requestId' | 'subject' | 'agency' | 'operation' | 'documentHash' | 'purpose'> {
  return {
    requestId: ctx.requestId,
    subject: ctx.viewer.sub,
    agency: ctx.viewer.agency,
    operation: ctx.operation,
    documentHash: ctx.documentHash,
    purpose: ctx.purpose,
  };
}

/** The request's looks, as audit entries: one "searched" per search, one per (record, sensitive field) with all its paths, one "looked up" per record touched. */
function entriesOf(ctx: AuditedContext): AccessEntry[] {
  const common = requestAttribution(ctx);
  const entries: AccessEntry[] = [];
  // A search is recorded even when it found nobody; the records it returned follow as "looked up" rows under its path.
  for (const s of ctx.searches ?? []) {
    entries.push({
      ...common,
      entityType: s.typeName,
      entityId: null,
      field: LOOKED_UP,
      decision: 'allow',
      reason: SEARCHED,
      paths: [s.path.join('.')],
      fields: s.criteria,
      breakGlass: false,
      sealed: false,
    });
  }
  for (const t of ctx.touched?.byRecord.values() ?? []) {
    entries.push({
      ...common,
      entityType: t.typeName,
      entityId: t.entityId,
      field: LOOKED_UP,
      decision: 'allow',
      reason: 'looked up',
      paths: t.paths.map((p) => p.join('.')),
      fields: [...t.fields],
      breakGlass: false,
      sealed: t.sealed,
    });
  }
  for (const d of ctx.decisions) {
    entries.push({
      ...common,
      entityType: d.typeName,
      entityId: d.entityId,
      field: d.field,
      decision: d.outcome,
      reason: d.reason,
      paths: d.paths.map((p) => p.join('.')),
      fields: null,
      breakGlass: d.breakGlass === true,
      sealed: d.sealed,
    });
  }
  return entries;
}

/**
 * Writes the request's looks to the audit trail in one batch before the response leaves the
 * subgraph. Fails closed: when the write fails, every sensitive value of the response — at every
 * path it was served at, aliases and repeated lookups included — is withheld (null,
 * `AUDIT_UNAVAILABLE`) and the failure is logged; nothing is returned that was not recorded. An
 * answer past the request's deadline is not recorded (the gateway has stopped waiting for it)
 * and is withheld the same way.
 */
export function auditPlugin(writer: Pick<AuditWriter, 'write'>, subgraph: string): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, response }) {
          const entries = entriesOf(ctx);
          if (!entries.length) return;
          let why: string;
          if (ctx.deadline != null && Date.now() > ctx.deadline) {
            logger.warn({ subgraph, requestId: ctx.requestId, entries: entries.length }, 'answer past its deadline: not recorded, sensitive fields withheld');
            why = 'the request ran past its deadline';
          } else {
            try {
              await writer.write(entries);
              return;
            } catch (err) {
              const { message, code } = err as Error & { code?: string };
              logger.error(
                { err: { message, code }, subgraph, requestId: ctx.requestId, entries: entries.length },
                'audit write failed: withholding sensitive fields',
              );
              why = 'the audit trail is unavailable';
            }
          }
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = [...(result.errors ?? [])];
          for (const d of ctx.decisions) {
            if (d.outcome === 'deny' || !result.data) continue;
            for (const path of d.paths) {
              if (!withhold(result.data, path)) continue;
              errors.push(
                new GraphQLError(`${d.typeName}.${d.field}: withheld because ${why}`, { path, extensions: { code: ErrorCode.AuditUnavailable } }).toJSON(),
              );
            }
          }
          result.errors = errors;
        },
      };
    },
  };
}
