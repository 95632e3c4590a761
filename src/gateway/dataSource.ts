import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { CryptoKey } from 'jose';
import { signInternalToken } from '../auth/internalToken';
import { INTERNAL_TOKEN_HEADER } from '../kit/server';
import { departmentUnavailable } from '../shared/errors';
import type { GatewayContext } from './context';
import { describeFetchError, type SubgraphMonitor } from './health';
import { subgraphRequestDuration } from './metrics';

/**
 * Calls one subgraph with a short-lived internal token that carries the verified viewer, the
 * request id and the purpose. Signed once per request and reused for that request's fetches.
 * Every call is bounded by `timeoutMs`; a subgraph that cannot be reached, does not answer in
 * time or answers 5xx becomes a `DEPARTMENT_UNAVAILABLE` error naming it, and the gateway still
 * returns what the other departments answered.
 */
export class DepartmentDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly name: string, url: string, private readonly signingKey: CryptoKey, private readonly timeoutMs: number, private readonly monitor: SubgraphMonitor) {
    super({
      url,
      fetcher: ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never,
    });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    if (!('viewer' in context) || !context.viewer) return;
    context.internalToken ??= signInternalToken(this.signingKey, {
      viewer: context.viewer,
      requestId: context.requestId,
      purpose: context.purpose,
      operation: context.operation ?? null,
      documentHash: context.documentHash ?? null,
    });
    request.http?.headers.set(INTERNAL_TOKEN_HEADER, await context.internalToken);
    request.http?.headers.set('x-request-id', context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const end = subgraphRequestDuration.startTimer({ subgraph: this.name });
    try {
      const response = await super.process(options);
      end({ outcome: response.errors?.length ? 'errors' : 'ok' });
      this.monitor.answered(this.name);
      return response;
    } catch (err) {
      end({ outcome: (err as { extensions?: { code?: string } }).extensions?.code === 'DEPARTMENT_UNAVAILABLE' ? 'unavailable' : 'failed' });
      throw err;
    }
  }

  override didEncounterError(error: Error, _request: unknown, response?: { status: number }): never {
    if (response && response.status < 500) throw error;
    const fetchFailure = describeFetchError(error);
    const reason = response ? `subgraph answered ${response.status}` : fetchFailure === 'no answer in time' ? `no answer within ${this.timeoutMs} ms` : fetchFailure;
    if (!response) this.monitor.unreachable(this.name, reason);
    throw departmentUnavailable(this.name, reason);
  }
}
