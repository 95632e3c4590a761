import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { CallerAuthError, verifyCallerToken } from '../auth/callerToken';
import type { AuthKeys } from '../auth/keys';
import type { Viewer } from '../auth/viewer';
import { HttpError, executeApollo, headerValue, readBody, sendGraphQLError, sendJson } from '../shared/http';
import { logger } from '../shared/logger';
import { consoleRoutes } from './console';
import type { GatewayContext } from './context';
import { DepartmentDataSource } from './dataSource';
import { devTokenRoutes } from './devToken';

export interface GatewayOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  supergraphSdl: string;
  /** Subgraph URL by subgraph name; overrides the URLs written in the supergraph. */
  subgraphUrls: Record<string, string>;
  keys: AuthKeys;
  subgraphTimeoutMs: number;
  maxBodyBytes?: number;
}

/** What a route handler gets besides the request: the request id and the gateway's Apollo Server. */
export interface RouteContext {
  requestId: string;
  apollo: ApolloServer<GatewayContext>;
}
export type GatewayRoute = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => Promise<void>;

export interface RunningGateway {
  url: string;
  /** The GraphQL console (GraphiQL), served at `/`. */
  consoleUrl: string;
  stop(): Promise<void>;
}

const MAX_PURPOSE_LENGTH = 200;

async function authenticate(req: IncomingMessage, keys: AuthKeys): Promise<Viewer> {
  const header = headerValue(req, 'authorization');
  if (!header) throw new HttpError(401, 'missing bearer token (Authorization: Bearer <token>)', 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer' });
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new HttpError(401, 'Authorization header must be "Bearer <token>"', 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer' });
  try {
    return await verifyCallerToken(match[1], { issuer: keys.callerIssuer, audience: keys.callerAudience, key: keys.callerVerificationKey });
  } catch (e) {
    if (e instanceof CallerAuthError) throw new HttpError(401, `invalid token: ${e.message}`, 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer error="invalid_token"' });
    throw e;
  }
}

function purposeOf(req: IncomingMessage): string | null {
  const raw = headerValue(req, 'x-purpose')?.trim();
  if (!raw) return null;
  const purpose = decodeURIComponent(raw);
  if (purpose.length > MAX_PURPOSE_LENGTH || /[\u0000-\u001f]/.test(purpose)) {
    throw new HttpError(400, `x-purpose must be at most ${MAX_PURPOSE_LENGTH} printable characters`, 'BAD_REQUEST');
  }
  return purpose;
}

/**
 * The hub's gateway: authenticates the caller, then plans and runs the query over the department
 * subgraphs (Apollo Federation 2), calling each with an internal token.
 */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const signingKey = opts.keys.internalSigningKey;
  if (!signingKey) throw new Error('the gateway needs INTERNAL_JWT_PRIVATE_KEY (or dev mode) to sign internal tokens');
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ name, url }) => new DepartmentDataSource(opts.subgraphUrls[name] ?? url ?? '', signingKey, opts.subgraphTimeoutMs),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      {
        // The audit trail records which operation looked at a field: name and document hash.
        async requestDidStart() {
          return {
            async didResolveOperation({ contextValue, operationName, queryHash }) {
              contextValue.operation = operationName ?? null;
              contextValue.documentHash = queryHash;
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  const maxBody = opts.maxBodyBytes ?? 256 * 1024;

  /** Every HTTP route of the gateway; each concern (console, metrics, exports…) adds one entry. */
  const routes: Record<string, GatewayRoute> = {
    '/healthz': async (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/graphql': async (req, res, { requestId }) => {
      const viewer = await authenticate(req, opts.keys);
      const purpose = purposeOf(req);
      const body = await readBody(req, maxBody);
      await executeApollo(apollo, req, res, body, async () => ({ viewer, requestId, purpose }));
    },
    ...consoleRoutes({ devTokens: Boolean(opts.keys.devCallerSigningKey) }),
    ...devTokenRoutes(opts.keys),
  };

  const server: Server = createServer((req, res) => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    void (async () => {
      const route = routes[(req.url ?? '/').split('?')[0]];
      if (!route) return sendJson(res, 404, { error: 'not found' });
      await route(req, res, { requestId, apollo });
    })().catch((err: unknown) => {
      if (err instanceof HttpError) return sendGraphQLError(res, err, { requestId });
      logger.error({ err, requestId }, 'gateway request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: `internal error (request ${requestId})`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  return {
    url,
    consoleUrl: `http://${opts.host}:${port}/`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}
