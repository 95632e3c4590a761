import { callInProcess, inProcessSubgraph, type SubgraphAnswer } from '../shared/inProcess';
import type { CryptoKey } from 'jose';
import { bindCall, fetchHash, INTERNAL_CALL_HEADER, INTERNAL_TOKEN_HEADER } from './internalToken';

/** What a hub process needs to call a subgraph the way the gateway does (a subgraph asking another department, the workflow's effect worker). */
export interface InternalCalls {
  /** Signs the internal tokens (`INTERNAL_JWT_PRIVATE_KEY`). */
  signingKey: CryptoKey;
  /** Keys the call bindings (`PERSON_KEY_SECRET`). */
  callSecret: string;
  /** Where each subgraph answers now (asked per call: a restarted department may have moved). */
  subgraphUrls: () => Record<string, string>;
  /** How long one call may take (`SUBGRAPH_TIMEOUT_MS`). */
  timeoutMs: number;
}

/** One GraphQL operation a hub process sends to a subgraph on its own (not a caller's plan). */
export interface InternalOperation {
  query: string;
  operationName: string;
  variables: Record<string, unknown>;
}

/**
 * Sends `operation` to one subgraph with an internal token, bound to this call (subgraph, document,
 * deadline, one-time id) as the gateway binds its own: in process when the subgraph lives in this
 * one (embedded mode), else over HTTP. Resolves to the subgraph's answer (status and body), or
 * rejects when it could not be reached or did not answer before `deadline`.
 */
export async function callSubgraph(
  subgraph: { name: string; url: string },
  token: string,
  callSecret: string,
  operation: InternalOperation,
  deadline: number,
  requestId: string,
): Promise<SubgraphAnswer> {
  const call = bindCall(callSecret, token, { subgraph: subgraph.name, requestId, fetchHash: fetchHash(operation.query, operation.operationName), deadline });
  const headers = { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: token, [INTERNAL_CALL_HEADER]: call };
  const timeoutMs = Math.max(1, deadline - Date.now());
  const local = inProcessSubgraph(subgraph.url);
  if (local) return callInProcess(local, headers, operation, timeoutMs);
  const res = await fetch(subgraph.url, { method: 'POST', headers, body: JSON.stringify(operation), signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: (await res.json()) as SubgraphAnswer['body'] };
}
