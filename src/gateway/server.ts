import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, type SupergraphManager } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { CallerAuthError, verifyCallerToken } from '../auth/callerToken';
import type { AuthKeys } from '../auth/keys';
import type { Viewer } from '../auth/viewer';
import type { HubMode, SecurityConfig } from '../shared/config';
import { HttpError, executeApollo, headerValue, readBody, routeRequests, sendJson } from '../shared/http';
import { drainableServer } from '../shared/lifecycle';
import { startOpsServer } from '../shared/opsServer';
import { contextFrom, inSpan, SpanKind } from '../shared/tracing';
import { logger } from '../shared/logger';
import { collectProcessMetrics, graphqlMetricsPlugin } from '../shared/metrics';
import { consoleRoutes } from './console';
import type { GatewayContext } from './context';
import { serveStatisticsCsv } from './csv';
import { DEFAULT_BREAKER, DepartmentCircuit, type BreakerSettings } from './breaker';
import { SubgraphPools } from './subgraphPools';
import { DepartmentDataSource } from './dataSource';
import { readinessRoute, SubgraphMonitor } from './health';
import { SupergraphFile, supergraphId } from './supergraph';
import { checkPersistedQueryHash, disableVendorTelemetry, hardenedApolloOptions } from './hardening';
import { applyCors, hostAllowed, securityHeaders } from './httpHeaders';
import type { PageSizes } from './limits';
import { RateLimiter } from './rateLimit';
import { TrustedOperations } from './trustedOperations';
import { devTokenRoutes } from './devToken';
import type { GatewayRoute, RouteContext } from './route';
import { CaseEstablisher, parseBreakGlass, parsePurpose, purposeNotEstablished } from './purpose';
import { loadPolicy, type Policy } from '../policy/policy';

export interface GatewayOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The supergraph: fixed, or a manager that can replace it while serving (`SupergraphFile`). */
  supergraphSdl: string | SupergraphManager;
  /** Subgraph URL by subgraph name; overrides the URLs written in the supergraph. */
  subgraphUrls: Record<string, string>;
  /** Each subgraph's operations base URL (`http://host:port`), where its `/readyz` is probed; a subgraph without one is not probed. */
  subgraphOpsUrls: Record<string, string>;
  /** The gateway's own operations port (`/readyz`, `/metrics`, `/healthz`); 0 picks a free port. */
  opsPort: number;
  keys: AuthKeys;
  /** The hub's secret (`PERSON_KEY_SECRET`) that keys the binding of internal tokens to each subgraph call. */
  callSecret: string;
  /** Bound on each subgraph call, and per subgraph where set (`SUBGRAPH_TIMEOUT_MS_<NAME>`). */
  subgraphTimeoutMs: number;
  subgraphTimeoutsMs?: Partial<Record<string, number>>;
  /** Circuit breaker and bulkhead per subgraph; default `DEFAULT_BREAKER`. */
  breaker?: BreakerSettings;
  /** The time budget of one caller request; every subgraph call carries what is left of it as its deadline. */
  requestTimeoutMs: number;
  /** How often each subgraph's `/readyz` is probed (0: only when a call fails or succeeds again). */
  subgraphHealthIntervalMs?: number;
  /** How long `stop()` lets in-flight requests finish before cutting them off. */
  drainTimeoutMs?: number;
  mode: HubMode;
  /** Limits, rate limits, trusted operations, CORS, error disclosure (docs/security.md). */
  security: SecurityConfig;
  /** Page sizes of paginated lists, which weigh an operation's cost. */
  pages: PageSizes;
  /** The access policy (its roles); loaded from POLICY_FILE when not given. */
  policy?: Policy;
}

export interface RunningGateway {
  url: string;
  /** The operations port's base URL (`/readyz`, `/metrics`, `/healthz`). */
  opsUrl: string;
  /** The GraphQL console (GraphiQL), served at `/`. */
  consoleUrl: string;
  /** Graceful: stops accepting, lets in-flight requests finish (bounded), then stops the gateway. */
  stop(): Promise<void>;
}

async function authenticate(req: IncomingMessage, keys: AuthKeys): Promise<Viewer> {
  const header = headerValue(req, 'authorization');
  if (!header) throw new HttpError(401, 'missing bearer token (Authorization: Bearer <token>)', 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer' });
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new HttpError(401, 'Authorization header must be "Bearer <token>"', 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer' });
  try {
    return await verifyCallerToken(match[1], { issuer: keys.callerIssuer, audience: keys.callerAudience, key: keys.callerVerificationKey });
  } catch (e) {
    if (e instanceof CallerAuthError)
      throw new HttpError(401, `invalid token: ${e.message}`, 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer error="invalid_token"' });
    throw e;
  }
}

/** A token naming a role the policy does not declare for its agency is refused: roles decide grants. */
function checkRoles(viewer: Viewer, policy: Policy): void {
  const known = policy.rolesOf(viewer.agency);
  const unknown = viewer.roles.find((r) => !known.includes(r));
  if (unknown !== undefined) {
    throw new HttpError(
      401,
      `invalid token: role ${JSON.stringify(unknown)} is not a role of ${viewer.agency} (known: ${known.join(', ') || 'none'})`,
      'UNAUTHENTICATED',
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    );
  }
}

/**
 * PostgreSQL text cannot hold a NUL character, and one inlined into a statement breaks the
 * connection's protocol: no input may carry one, in a variable (JSON `\u0000`), a string literal
 * of the document (GraphQL `\u0000`) or a GET parameter. Free-text arguments refuse control
 * characters with their own message (`checkText`); this is the line behind it.
 */
function refuseNul(req: IncomingMessage, body: string): void {
  const params = [...new URL(req.url ?? '/', 'http://localhost').searchParams.values()];
  if ([body, ...params].some((text) => text.includes('\u0000') || text.includes('\\u0000'))) {
    throw new HttpError(400, 'the request contains a NUL character, which no field accepts', 'BAD_USER_INPUT');
  }
}

/**
 * The hub's gateway: authenticates the caller, then plans and runs the query over the department
 * subgraphs (Apollo Federation 2), calling each with an internal token.
 */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const signingKey = opts.keys.internalSigningKey;
  if (!signingKey) throw new Error('the gateway needs INTERNAL_JWT_PRIVATE_KEY (or dev mode) to sign internal tokens');
  // The policy file only (roles, never subgraph code): a bad file stops the start.
  const policy = opts.policy ?? loadPolicy();
  const subgraphTargets = new Map<string, string>();
  const establisher = new CaseEstablisher(
    () => [...subgraphTargets].map(([name, url]) => ({ name, url })),
    signingKey,
    opts.callSecret,
    opts.subgraphTimeoutMs,
  );
  collectProcessMetrics();
  disableVendorTelemetry();
  const circuits = new Map<string, DepartmentCircuit>();
  const pools = new SubgraphPools((opts.breaker ?? DEFAULT_BREAKER).maxConcurrent);
  const monitor = new SubgraphMonitor(opts.subgraphHealthIntervalMs ?? 5_000, (name, answered) => circuits.get(name)?.probed(answered));
  const gateway = new ApolloGateway({
    ...(typeof opts.supergraphSdl === 'string' ? { supergraphSdl: opts.supergraphSdl } : { supergraphSdl: opts.supergraphSdl }),
    // Validated even when NODE_ENV=production (the default skips it there): a bad supergraph must not be served.
    validateSupergraph: true,
    // Called for every subgraph of each supergraph loaded, so a reload that adds a subgraph is watched too.
    buildService: ({ name, url }) => {
      const target = opts.subgraphUrls[name] ?? url ?? '';
      // One circuit per subgraph, kept across supergraph reloads: a reload does not make a hung department look healthy.
      let circuit = circuits.get(name);
      if (!circuit) circuits.set(name, (circuit = new DepartmentCircuit(name, opts.breaker ?? DEFAULT_BREAKER)));
      monitor.watch(name, opts.subgraphOpsUrls[name]);
      subgraphTargets.set(name, target);
      return new DepartmentDataSource(
        name,
        target,
        signingKey,
        opts.callSecret,
        opts.subgraphTimeoutsMs?.[name] ?? opts.subgraphTimeoutMs,
        monitor,
        circuit,
        pools,
      );
    },
  });
  let loadedSupergraph: string | null = null;
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    loadedSupergraph = supergraphId(coreSupergraphSdl);
  });
  // A bad manifest stops the start, like a bad policy.
  const trusted = opts.security.trustedOperationsFile ? TrustedOperations.load(opts.security.trustedOperationsFile) : null;
  if (trusted) logger.info({ operations: trusted.size }, 'trusted operations: only registered operations run');
  const hardening = hardenedApolloOptions(opts.security, opts.pages);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...hardening,
    // Shutdown is ours (drain in-flight requests, then stop): Apollo's own SIGTERM handler would stop it mid-request and re-kill the process.
    stopOnTerminationSignals: false,
    plugins: [
      ...hardening.plugins,
      ApolloServerPluginLandingPageDisabled(),
      graphqlMetricsPlugin<GatewayContext>('gateway', (rc) => rc.operationName ?? rc.request.operationName),
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
  monitor.start();
  const rateLimiter = await RateLimiter.create(opts.security);
  const headers = securityHeaders(opts.mode === 'production');
  const corsOrigins = new Set(opts.security.corsOrigins);

  /** Every HTTP route of the public port; each concern (console, exports…) adds one entry. Readiness and metrics are on the operations port. */
  const routes: Record<string, GatewayRoute> = {
    '/healthz': async (_req, res) => sendJson(res, 200, { status: 'ok' }),
    // Every route that does work draws from the same buckets as /graphql.
    '/stats.csv': async (req, res, { requestId, deadline }) =>
      serveStatisticsCsv(req, res, apollo, async () => {
        refuseNul(req, '');
        const viewer = await authenticate(req, opts.keys);
        checkRoles(viewer, policy);
        await rateLimiter.admit(viewer);
        return { viewer, requestId, purpose: parsePurpose(req)?.text ?? null, deadline };
      }),
    // One span per caller request (continuing the caller's trace, if it sent a traceparent); the subgraph calls are its children.
    '/graphql': async (req, res, { requestId, deadline }) =>
      inSpan(
        'POST /graphql',
        SpanKind.SERVER,
        { 'hub.service': 'gateway', 'hub.request_id': requestId, 'http.route': '/graphql' },
        async (span) => {
          const started = performance.now();
          const viewer = await authenticate(req, opts.keys);
          checkRoles(viewer, policy);
          await rateLimiter.admit(viewer);
          const purpose = parsePurpose(req);
          const breakGlass = parseBreakGlass(req);
          const body = await readBody(req, opts.security.maxBodyBytes);
          refuseNul(req, body);
          const established = purpose ? await establisher.establish(viewer, purpose, requestId) : [];
          if (established === null) throw purposeNotEstablished(purpose!);
          const context: GatewayContext = { viewer, requestId, purpose: purpose?.text ?? null, established, breakGlass, deadline };
          // One line per caller request; the subgraphs log the same request id (from the internal token).
          res.once('finish', () =>
            logger.info(
              {
                requestId,
                sub: viewer.sub,
                agency: viewer.agency,
                operation: context.operation,
                status: res.statusCode,
                ms: Math.round(performance.now() - started),
              },
              'gateway request',
            ),
          );
          // Trusted operations answer a hash that does not fit its document themselves (OPERATION_NOT_TRUSTED).
          await executeApollo(
            apollo,
            req,
            res,
            body,
            async () => context,
            (request) => checkPersistedQueryHash(trusted ? trusted.resolve(request) : request),
          );
          span.setAttribute('http.response.status_code', res.statusCode);
        },
        contextFrom(req.headers),
      ),
    ...consoleRoutes({ devTokens: Boolean(opts.keys.devCallerSigningKey) }),
    ...devTokenRoutes(opts.keys),
  };

  const http = drainableServer(
    routeRequests<RouteContext>({
      service: 'gateway',
      routes,
      begin(_req, res) {
        const requestId = randomUUID();
        res.setHeader('x-request-id', requestId);
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        return { requestId, deadline: Date.now() + opts.requestTimeoutMs, apollo };
      },
      guard(req, res) {
        if (!hostAllowed(req, opts.security.allowedHosts, opts.mode === 'dev')) {
          throw new HttpError(421, 'this gateway does not answer to that host name (ALLOWED_HOSTS)', 'MISDIRECTED_REQUEST');
        }
        return applyCors(req, res, corsOrigins);
      },
      failure: ({ requestId }) => ({ log: { requestId }, message: `internal error (request ${requestId})`, extensions: { requestId } }),
    }),
  );
  // Slow-loris: a client gets 10 s to send its headers and 30 s for the whole request.
  http.server.headersTimeout = 10_000;
  http.server.requestTimeout = 30_000;
  await new Promise<void>((resolve) => http.server.listen(opts.port, opts.host, resolve));
  const { port } = http.server.address() as AddressInfo;
  const url = `http://${opts.host}:${port}/graphql`;
  const ops = await startOpsServer(
    'gateway',
    opts.host,
    opts.opsPort,
    readinessRoute(
      monitor,
      () => loadedSupergraph,
      () => opts.supergraphSdl instanceof SupergraphFile && opts.supergraphSdl.stale,
      (name) => circuits.get(name)?.state,
    ),
    () => http.draining,
  );
  logger.info({ url }, 'gateway listening');
  return {
    url,
    opsUrl: ops.url,
    consoleUrl: `http://${opts.host}:${port}/`,
    async stop() {
      const cutOff = await http.drain(opts.drainTimeoutMs ?? 10_000);
      if (cutOff) logger.warn({ requests: cutOff }, 'gateway stopped with requests still running (drain timeout)');
      await ops.stop();
      monitor.stop();
      await apollo.stop();
      await rateLimiter.close();
      await pools.close();
    },
  };
}
