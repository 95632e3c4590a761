/**
 * The subgraphs that live in this process (embedded mode, `hub start`), by the URL the gateway
 * knows them by. The gateway hands such a subgraph its call directly — the same headers (internal
 * token, call binding, request id, trace context) and the parsed body — instead of sending it over
 * loopback HTTP as JSON; the subgraph checks the call exactly as it checks one that came over HTTP.
 * Being listed here opens nothing: a call without a valid token and binding is refused all the same.
 */

/** A GraphQL request as the gateway sends it to a subgraph. */
export interface SubgraphRequestBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/** What a subgraph answers: the HTTP status it would have sent, and the response body as an object. */
export interface SubgraphAnswer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    extensions?: Record<string, unknown>;
  };
}

export type InProcessSubgraph = (headers: Readonly<Record<string, string>>, body: SubgraphRequestBody) => Promise<SubgraphAnswer>;

const local = new Map<string, InProcessSubgraph>();

/** Lists the subgraph answering at `url` as callable in process; the returned function takes it off the list. */
export function serveInProcess(url: string, handler: InProcessSubgraph): () => void {
  local.set(url, handler);
  return () => {
    if (local.get(url) === handler) local.delete(url);
  };
}

/** The subgraph at `url` when it lives in this process (and is not stopping), else undefined: call it over HTTP. */
export function inProcessSubgraph(url: string): InProcessSubgraph | undefined {
  return local.get(url);
}

/** Calls an in-process subgraph, giving up after `timeoutMs` the way a fetch with a timeout signal does (a `TimeoutError`). */
export function callInProcess(
  subgraph: InProcessSubgraph,
  headers: Readonly<Record<string, string>>,
  body: SubgraphRequestBody,
  timeoutMs: number,
): Promise<SubgraphAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  });
  return Promise.race([subgraph(headers, body), timeout]).finally(() => clearTimeout(timer));
}
