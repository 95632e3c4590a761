import { STATUS_CODES } from 'node:http';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { CryptoKey } from 'jose';
// Not from kit/server: that would load the whole subgraph stack (ORM, type-graphql, shield) into the gateway.
import { bindCall, fetchHash, INTERNAL_CALL_HEADER, INTERNAL_TOKEN_HEADER, reusableInternalToken } from '../auth/internalToken';
import { isCallerError } from '../shared/errorMasking';
import { callInProcess, inProcessSubgraph, type SubgraphRequestBody } from '../shared/inProcess';
import { departmentUnavailable } from '../shared/errors';
import { logger } from '../shared/logger';
import { inSpan, injectTraceContext, SpanKind } from '../shared/tracing';
import type { DepartmentCircuit } from './breaker';
import type { GatewayContext } from './context';
import { describeFetchError, type SubgraphMonitor } from './health';
import { subgraphRequestDuration } from './metrics';
import type { SubgraphPools } from './subgraphPools';

type Response = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
/** How a call reaches its subgraph: the headers and body made for it, its answer's status and parsed body. */
type SubgraphTransport = (headers: Record<string, string>, body: SubgraphRequestBody, context: GatewayContext) => Promise<{ status: number; body: unknown }>;

/** A subgraph's own refusal of a request, with a code the caller may see. */
class DepartmentRefusal extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown>) {
    super(message, { extensions });
  }
}

/**
 * Calls one subgraph with a short-lived internal token that carries the verified viewer, the
 * request id and the purpose, bound to that one call (`willSendRequest`).
 * Every call is bounded by `timeoutMs` and goes through the department's circuit breaker and
 * bulkhead; a subgraph that cannot be reached, does not answer in time, answers 5xx or whose
 * circuit is open becomes a `DEPARTMENT_UNAVAILABLE` error naming it, and the gateway still
 * returns what the other departments answered. A subgraph that lives in this process (embedded
 * mode) gets the same call — headers, token, binding, deadline, timeout, circuit — handed over
 * directly instead of over loopback HTTP (`shared/inProcess.ts`).
 */
export class DepartmentDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly name: string,
    url: string,
    private readonly signingKey: CryptoKey,
    /** The hub's secret that call bindings are keyed from (`PERSON_KEY_SECRET`). */
    private readonly callSecret: string,
    private readonly timeoutMs: number,
    private readonly monitor: SubgraphMonitor,
    private readonly circuit: DepartmentCircuit,
    private readonly pools: SubgraphPools,
  ) {
    super({ url });
    this.target = new URL(url);
  }

  /** The subgraph's URL, parsed once (every HTTP call needs its origin and path). */
  private readonly target: URL;

  /**
   * The request's internal token (signed once per request) plus, for this fetch, a binding to
   * this subgraph, the hash of the exact document and operation name sent, a one-time `jti` and
   * the deadline (the request's, or this call's timeout if nearer): a token captured in transit
   * runs nothing else, nowhere else, once.
   */
  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Health checks and schema loads carry no request context: nothing to sign.
    if (!('incomingRequestContext' in options)) return;
    const { request, context } = options;
    if (!context.viewer) return;
    context.internalToken ??= reusableInternalToken(
      this.signingKey,
      {
        viewer: context.viewer,
        purpose: context.purpose,
        established: context.established ?? [],
        breakGlass: context.breakGlass ?? null,
        operation: context.operation ?? null,
        documentHash: context.documentHash ?? null,
      },
      context.deadline,
    );
    const token = await context.internalToken;
    const call = {
      subgraph: this.name,
      requestId: context.requestId,
      fetchHash: fetchHash(request.query ?? '', request.operationName),
      deadline: Math.min(context.deadline, Date.now() + this.timeoutMs),
    };
    request.http?.headers.set(INTERNAL_TOKEN_HEADER, token);
    request.http?.headers.set(INTERNAL_CALL_HEADER, bindCall(this.callSecret, token, call));
    request.http?.headers.set('x-request-id', context.requestId);
    // The subgraph continues this call's trace (W3C traceparent).
    injectTraceContext((name, value) => request.http?.headers.set(name, value));
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const end = subgraphRequestDuration.startTimer({ subgraph: this.name });
    try {
      const local = inProcessSubgraph(this.url);
      const response = await inSpan(`call ${this.name}`, SpanKind.CLIENT, { 'hub.subgraph': this.name }, () =>
        this.circuit.call(
          () => this.processCall(options, local ? (headers, body) => callInProcess(local, headers, body, this.timeoutMs) : this.overPool),
          (options.context as Partial<GatewayContext> | undefined)?.deadline,
        ),
      );
      end({ outcome: response.errors?.length ? 'errors' : 'ok' });
      this.monitor.answered(this.name);
      return response;
    } catch (err) {
      end({ outcome: (err as { extensions?: { code?: string } }).extensions?.code === 'DEPARTMENT_UNAVAILABLE' ? 'unavailable' : 'failed' });
      throw err;
    }
  }

  /**
   * What `RemoteGraphQLDataSource.process` does, on either transport: the request's headers made by
   * `willSendRequest` (token, call binding, request id, trace context), the body, the call's time,
   * and the answer read the same way (a status outside 2xx is an error, a refusal goes to the
   * caller). In process (embedded mode) without a socket or JSON; over HTTP on the subgraph's pool.
   */
  private async processCall(options: GraphQLDataSourceProcessOptions<GatewayContext>, send: SubgraphTransport): Promise<Response> {
    const { request } = options;
    const context = options.context as GatewayContext;
    const headers = new Headers();
    for (const [name, value] of request.http?.headers ?? []) headers.append(name, value);
    headers.set('content-type', 'application/json');
    request.http = { method: 'POST', url: this.url, headers };
    await this.willSendRequest(options);
    if (!request.query) throw new Error('Missing query');
    const body = { query: request.query, operationName: request.operationName, variables: request.variables, extensions: request.extensions };
    let answer;
    try {
      answer = await send(Object.fromEntries(headers), body, context);
    } catch (error) {
      this.didEncounterError(error as Error, undefined, undefined, context);
    }
    if (answer.status < 200 || answer.status > 299) {
      this.didEncounterError(this.refusal(answer.status, STATUS_CODES[answer.status] ?? '', answer.body), undefined, { status: answer.status }, context);
    }
    if (typeof answer.body !== 'object' || answer.body === null) {
      this.didEncounterError(new Error(`${this.name} answered something other than JSON`), undefined, { status: answer.status }, context);
    }
    // Departments' answers carry personal data and are never cacheable (their servers send no cache hints).
    if ('incomingRequestContext' in options) (options.incomingRequestContext.overallCachePolicy as { restrict?(hint: object): void }).restrict?.({ maxAge: 0 });
    return answer.body;
  }

  /**
   * The HTTP transport: the subgraph's keep-alive pool (`subgraphPools.ts`). The answer must start
   * within what is left of the call's time (the request's deadline or `SUBGRAPH_TIMEOUT_MS`,
   * whichever is nearer) and keep flowing: undici's timeouts, not an AbortSignal made per call.
   */
  private readonly overPool: SubgraphTransport = async (headers, body, context) => {
    const url = this.target;
    const budget = Math.max(1, Math.min(this.timeoutMs, (context?.deadline ?? Infinity) - Date.now()));
    const answer = await this.pools.for(url).request({
      path: url.pathname + url.search,
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      headersTimeout: budget,
      bodyTimeout: budget,
    });
    const text = await answer.body.text();
    try {
      return { status: answer.statusCode, body: JSON.parse(text) as unknown };
    } catch {
      return { status: answer.statusCode, body: text };
    }
  };

  /**
   * A subgraph that refuses the whole request (HTTP 4xx: forbidden, bad input) answers with a
   * GraphQL error of its own: that one goes to the caller, as the subgraph worded it. Anything
   * else stays here (below).
   */
  private refusal(status: number, statusText: string, body: unknown): GraphQLError {
    const errors = (body as { errors?: unknown } | null)?.errors;
    const first = Array.isArray(errors) ? (errors[0] as { message?: unknown; extensions?: Record<string, unknown> } | undefined) : undefined;
    if (first && typeof first.message === 'string' && isCallerError(first.extensions?.code)) return new DepartmentRefusal(first.message, first.extensions!);
    return new GraphQLError(`${this.name} answered HTTP ${status} ${statusText}`);
  }

  /**
   * A subgraph that cannot be reached, times out (`SUBGRAPH_TIMEOUT_MS`) or fails with an HTTP
   * error: the caller learns which department did not answer and why in a few words — never its
   * URL, status body or stack.
   */
  override didEncounterError(error: Error, _request?: unknown, response?: { status: number }, context?: GatewayContext): never {
    if (error instanceof DepartmentRefusal) throw error;
    const fetchFailure = describeFetchError(error);
    const reason = response
      ? `subgraph answered ${response.status}`
      : fetchFailure === 'no answer in time'
        ? `no answer within ${this.timeoutMs} ms`
        : fetchFailure;
    if (!response) this.monitor.unreachable(this.name, reason);
    logger.error({ err: error, department: this.name, reason, requestId: context?.requestId }, 'subgraph call failed');
    throw departmentUnavailable(this.name, reason);
  }
}
