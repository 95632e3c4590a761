import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { AccessEntry } from '../audit/chain';
import type { AuditWriter } from '../audit/writer';
import { ErrorCode } from '../shared/errors';
import { logger } from '../shared/logger';
import type { SubgraphContext } from './context';

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

/**
 * Writes the request's sensitive-field decisions to the audit trail in one batch before the
 * response leaves the subgraph. Fails closed: when the write fails, every sensitive value of the
 * response is withheld (null, `AUDIT_UNAVAILABLE`) and the failure is logged; nothing is returned
 * that was not recorded.
 */
export function auditPlugin(writer: Pick<AuditWriter, 'write'>, subgraph: string): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, response }) {
          const decisions = ctx.decisions;
          if (!decisions.length) return;
          const at = new Date();
          const entries: AccessEntry[] = decisions.map((d) => ({
            at,
            requestId: ctx.requestId,
            subject: ctx.viewer.sub,
            agency: ctx.viewer.agency,
            operation: ctx.operation,
            documentHash: ctx.documentHash,
            purpose: ctx.purpose,
            subgraph,
            entityType: d.typeName,
            entityId: d.entityId,
            field: d.field,
            decision: d.outcome,
            reason: d.reason,
          }));
          try {
            await writer.write(entries);
          } catch (err) {
            logger.error({ err, subgraph, requestId: ctx.requestId, entries: entries.length }, 'audit write failed: withholding sensitive fields');
            if (response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            const errors = [...(result.errors ?? [])];
            for (const d of decisions) {
              if (d.outcome === 'deny' || !result.data || !withhold(result.data, d.path)) continue;
              errors.push(new GraphQLError(`${d.typeName}.${d.field}: withheld because the audit trail is unavailable`, {
                path: d.path,
                extensions: { code: ErrorCode.AuditUnavailable },
              }).toJSON());
            }
            result.errors = errors;
          }
        },
      };
    },
  };
}
