import { STATUS_CODES } from 'node:http';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { CryptoKey } from 'jose';
// Not from kit/server: that would load the whole subgraph stack (ORM, type-graphql, shield) into the gateway.
import { bindCall, fetchHash, INTERNAL_CALL_HEADER, INTERNAL_TOKEN_HEADER, signInternalToken } from '../auth/internalToken';
import { isCallerError } from '../shared/errorMasking';
import { callInProcess, inProcessSubgraph, type InProcessSubgraph } from '../shared/inProcess';
import { departmentUnavailable } from '../shared/errors';
import { logger } from '../shared/logger';
import { inSpan, injectTraceContext, SpanKind } from '../shared/tracing';
import type { DepartmentCircuit } from './breaker';
import type { GatewayContext } from './context';
import { describeFetchError, type SubgraphMonitor } from './health';
import { subgraphRequestDuration } from './metrics';

type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];
type Response = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

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
  ) {
    super({
      url,
      fetcher: ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never,
    });
  }

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
    context.internalToken ??= signInternalToken(
      this.signingKey,
      {
        viewer: context.viewer,
        requestId: context.requestId,
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
        this.circuit.call(() => (local ? this.processInProcess(local, options) : super.process(options))),
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
   * What `RemoteGraphQLDataSource.process` does, with the subgraph called in process: the request's
   * headers made by `willSendRequest` (token, call binding, request id, trace context), the parsed
   * body, the same timeout, and the answer read as the HTTP one would be (a status outside 2xx is
   * an error, a refusal goes to the caller) — without a socket, fetch or JSON.
   */
  private async processInProcess(local: InProcessSubgraph, options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<Response> {
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
      answer = await callInProcess(local, Object.fromEntries(headers), body, this.timeoutMs);
    } catch (error) {
      this.didEncounterError(error as Error, undefined, undefined, context);
    }
    if (answer.status < 200 || answer.status > 299) {
      this.didEncounterError(this.refusal(answer.status, STATUS_CODES[answer.status] ?? '', answer.body), undefined, { status: answer.status }, context);
    }
    // As for an HTTP answer without a cache-control header: nothing of it may be cached.
    if ('incomingRequestContext' in options) (options.incomingRequestContext.overallCachePolicy as { restrict?(hint: object): void }).restrict?.({ maxAge: 0 });
    return answer.body;
  }

  /**
   * A subgraph that refuses the whole request (HTTP 4xx: forbidden, bad input) answers with a
   * GraphQL error of its own: that one goes to the caller, as the subgraph worded it. Anything
   * else stays here (below).
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    return this.refusal(response.status, response.statusText, await this.parseBody(response).catch(() => null));
  }

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
