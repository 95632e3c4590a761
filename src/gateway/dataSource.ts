import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { CryptoKey } from 'jose';
// Not from kit/server: that would load the whole subgraph stack (ORM, type-graphql, shield) into the gateway.
import { INTERNAL_TOKEN_HEADER, signInternalToken } from '../auth/internalToken';
import type { GatewayContext } from './context';

/**
 * Calls one subgraph with a short-lived internal token that carries the verified viewer, the
 * request id and the purpose. Signed once per request and reused for that request's fetches.
 */
export class DepartmentDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, private readonly signingKey: CryptoKey, timeoutMs: number) {
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
}
