import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CryptoKey } from 'jose';
import { callSubgraph, type InternalCalls } from '../auth/internalCall';
import {
  fetchHash,
  INTERNAL_CALL_HEADER,
  INTERNAL_TOKEN_HEADER,
  InternalTokenError,
  signInternalToken,
  verifyCallBinding,
  verifyInternalToken,
  type InternalClaims,
} from '../auth/internalToken';
import { connectionBudget, openDepartmentOrm, withDeadline } from '../shared/db';
import { DEFAULT_DB_POOL_MAX } from '../shared/config';
import { databaseFailure } from '../shared/dbErrors';
import { departmentUnavailable, ErrorCode } from '../shared/errors';
import { internalErrorLogPlugin, maskError } from '../shared/errorMasking';
import { HttpError, executeApollo, headerValue, parseJsonBody, readBody, routeRequests, sendJson, type Routes } from '../shared/http';
import { serveInProcess, type InProcessSubgraph, type SubgraphAnswer } from '../shared/inProcess';
import { drainableServer } from '../shared/lifecycle';
import { contextFrom, inSpan, SpanKind } from '../shared/tracing';
import { logger } from '../shared/logger';
import { collectProcessMetrics, graphqlErrors, graphqlMetricsPlugin } from '../shared/metrics';
import { startOpsServer } from '../shared/opsServer';
import { personKey, personKeySql } from '../shared/personKey';
import type { DemoCitySource } from '../demo/types';
import type { Policy } from '../policy/policy';
import type { SubgraphContext } from './context';
import type { SubgraphDefinition, SeedSettings } from './department';
import { DepartmentHealth } from './health';
import { Loaders } from './loaders';
import { scopeCondition } from './scope';
import { seedDepartment } from './seed';
import { replayGuard } from './replay';
import { departmentMetricsPlugin, timedAuditWriter } from './metrics';
import { buildDepartmentSchema } from './schema';
import { hasHubSchema, prepareSubgraphSchemas, withHubSchema } from './migrate';
import { auditPlugin } from '../audit/plugin';
import { AuditWriter } from '../audit/writer';
import { HeadExporter, type HeadExportOptions } from '../audit/heads';

export { INTERNAL_TOKEN_HEADER };

/** A call to another department on behalf of the same caller, bounded by the request's deadline (`SubgraphContext.askDepartment`). */
function askAs(calls: InternalCalls, claims: InternalClaims, requestDeadline: number): NonNullable<SubgraphContext['askDepartment']> {
  return async (department, operation) => {
    const url = calls.subgraphUrls()[department];
    if (!url) throw departmentUnavailable(department, 'not configured');
    const deadline = Math.min(requestDeadline, Date.now() + calls.timeoutMs);
    const token = await signInternalToken(calls.signingKey, { ...claims, service: null }, deadline);
    return callSubgraph({ name: department, url }, token, calls.callSecret, operation, deadline);
  };
}
const MAX_SUBGRAPH_BODY = 1024 * 1024;

export interface SubgraphOptions {
  clientUrl: string;
  /**
   * A department whose records stay in its own system: the hub's database, which holds the hub's
   * own schema for it (its statistics release); unset, `clientUrl` (dev and tests, where the
   * system's stand-in is in the hub's database).
   */
  hubUrl?: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The operations port (`/readyz`, `/metrics`, `/healthz`), never the public one; 0 picks a free port. */
  opsPort: number;
  internalVerificationKey: CryptoKey;
  migrate: boolean;
  /** Demo data to load when the department's tables are empty; `scale` names it in the seed marker. */
  seed?: { city: DemoCitySource; settings: SeedSettings; scale?: string };
  statementTimeoutMs?: number;
  /** How long opening a database connection may take. */
  connectTimeoutMs?: number;
  /** How long `stop()` lets in-flight requests finish before cutting them off. */
  drainTimeoutMs?: number;
  /** The most database connections this subgraph holds, all pools together (`DB_POOL_MAX`; see `connectionBudget`). */
  poolMax?: number;
  personKeySecret: string;
  /** The largest page of any list (`MAX_PAGE_SIZE`). */
  maxPageSize: number;
  policy: Policy;
  /** False only for dev measurements of the policy's cost. */
  enforcePolicy: boolean;
  /** Where this subgraph writes its audit trail; null turns auditing off (dev measurements only). */
  auditDatabaseUrl: string | null;
  /**
   * What this subgraph does to the audit trail at start: `migrate` the audit schema and register its
   * chain (a subgraph started on its own, `hub serve`; the default), `register` its chain only (the
   * schema was migrated once before the subgraphs started, `hub start`), or `none` (its login may
   * only append: the audit schema's owner migrated it, as in docker/compose.yaml).
   */
  auditSetup?: 'migrate' | 'register' | 'none';
  /** Where and how often to export the audit trail's signed chain heads (subgraphs that export them; none without a signing key). */
  auditHeads?: Omit<HeadExportOptions, 'databaseUrl'>;
  /** Internal error messages (a database error's SQL) in responses to the gateway: dev only. */
  errorDetails?: boolean;
  /** Where the replicas of this subgraph remember used internal tokens; this process's memory when unset. */
  redisUrl?: string;
  /**
   * Also answer the gateway in this process without HTTP (embedded mode, `SUBGRAPH_TRANSPORT=in-process`):
   * the same checks, context, policy and audit, without the loopback socket and JSON.
   */
  inProcess?: boolean;
  /** Lets resolvers ask other departments as the caller (`SubgraphContext.askDepartment`); unset: they cannot. */
  internalCalls?: InternalCalls;
}

export interface RunningSubgraph {
  department: string;
  url: string;
  /** The operations port's base URL (`/readyz`, `/metrics`, `/healthz`). */
  opsUrl: string;
  orm: MikroORM;
  /** SQL statements and GraphQL requests received since start (tests and benchmarks read the difference). */
  stats: { sqlStatements: number; requests: number };
  /** Graceful: stops accepting, lets in-flight requests finish (bounded), then closes the pools. */
  stop(): Promise<void>;
}

/**
 * Dev and demo: loads the demo city into a department that holds nothing yet, and decides its
 * statistics release when none is stored — analysts read only stored releases, so a fresh
 * `npm start` must have one (a whole-city decision does not fit a request; `hub stats refresh` replaces it).
 */
export async function loadDemoData(
  def: SubgraphDefinition,
  orm: MikroORM,
  seed: NonNullable<SubgraphOptions['seed']>,
  policy: Policy,
): Promise<Record<string, number> | null> {
  const written = await seedIfEmpty(def, orm, seed.city, seed.settings, seed.scale);
  if (written) logger.info({ department: def.name, rows: written }, 'demo data loaded');
  await releaseIfMissing(def, orm, policy);
  return written;
}

/**
 * Decides the statistics releases that are not stored yet (dev and demo, as a seed does): beside
 * the department's records, or, for one whose records stay in its own system (read with `orm`),
 * in the hub's own schema for it at `hubUrl`.
 */
export async function releaseIfMissing(def: SubgraphDefinition, orm: MikroORM, policy: Policy, hubUrl?: string): Promise<void> {
  const refresh = def.refreshStatistics;
  if (!refresh) return;
  if (!def.existingDatabase) await refresh(orm.em.fork(), policy.releaseRules, { onlyIfMissing: true });
  else if (hasHubSchema(def) && hubUrl)
    await withHubSchema(def, hubUrl, (store) => refresh(orm.em.fork(), policy.releaseRules, { onlyIfMissing: true, store: store.em.fork() }));
}

/** Bulk-loads the demo data in one transaction when the department holds nothing yet; returns rows per table, or null when it kept what was there. */
export async function seedIfEmpty(
  def: SubgraphDefinition,
  orm: MikroORM,
  city: DemoCitySource,
  settings: SeedSettings,
  scale = 'small',
): Promise<Record<string, number> | null> {
  const outcome = await seedDepartment(def, orm, city, settings, { scale, onlyIfEmpty: true });
  return outcome.status === 'seeded' ? outcome.rows : null;
}

/**
 * Starts one department as a Federation 2 subgraph over HTTP. Every request must carry a valid
 * internal token signed by the gateway — `_service` and `_entities` included — so reaching the
 * port directly yields nothing.
 */
export async function startSubgraph(def: SubgraphDefinition, opts: SubgraphOptions): Promise<RunningSubgraph> {
  collectProcessMetrics();
  const stats = { sqlStatements: 0, requests: 0 };
  const budget = connectionBudget(opts.poolMax ?? DEFAULT_DB_POOL_MAX);
  // A department's own system (existingDatabase) is read as it is: read-only, never migrated or seeded.
  const existing = def.existingDatabase;
  const schemaName = existing?.schema ?? def.name;
  const hubUrl = opts.hubUrl ?? opts.clientUrl;
  // The hub's own schema for a department whose system is another database: a second pool, one connection of the budget.
  const separateHub = hasHubSchema(def) && hubUrl !== opts.clientUrl;
  const orm = await openDepartmentOrm({
    schema: schemaName,
    readOnly: existing !== undefined,
    clientUrl: opts.clientUrl,
    entities: def.entities,
    migrations: def.migrations,
    statementTimeoutMs: opts.statementTimeoutMs,
    connectTimeoutMs: opts.connectTimeoutMs,
    poolMax: separateHub ? Math.max(1, budget.department - 1) : budget.department,
    onQuery: () => stats.sqlStatements++,
  });
  if (opts.migrate)
    await prepareSubgraphSchemas(def, orm, { databaseUrl: opts.auditDatabaseUrl, setup: opts.auditSetup ?? 'migrate' }, existing ? hubUrl : null);
  // Its own login on the hub's database, like any department's; it only reads the release there.
  const hubOrm = separateHub
    ? await openDepartmentOrm({
        schema: def.name,
        clientUrl: hubUrl,
        entities: [],
        migrations: def.migrations,
        statementTimeoutMs: opts.statementTimeoutMs,
        connectTimeoutMs: opts.connectTimeoutMs,
        poolMax: 1,
        onQuery: () => stats.sqlStatements++,
      })
    : null;
  const auditWriter = opts.auditDatabaseUrl
    ? new AuditWriter(opts.auditDatabaseUrl, def.name, opts.statementTimeoutMs, opts.connectTimeoutMs, budget.audit)
    : null;
  const timedAudit = auditWriter ? timedAuditWriter(auditWriter, def.name) : null;
  // A department's own system has no demo data of the hub's; its release is decided where its stand-in is loaded (cli/runtime.ts).
  if (opts.seed && !existing) await loadDemoData(def, orm, opts.seed, opts.policy);
  const heads =
    def.exportsAuditHeads && opts.auditDatabaseUrl && opts.auditHeads ? new HeadExporter({ ...opts.auditHeads, databaseUrl: opts.auditDatabaseUrl }) : null;
  // A department's own system has no migrations of the hub's (those of the hub's schema for it are applied before it serves).
  const migrationNames = existing ? [] : def.migrations.map((m) => m.name);
  const health = new DepartmentHealth(def.name, { url: opts.clientUrl, schema: schemaName, migrations: migrationNames }, auditWriter, heads);
  const schema = await buildDepartmentSchema(def, opts.enforcePolicy ? opts.policy : undefined);
  const apollo = new ApolloServer<SubgraphContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (drain in-flight requests, then stop): Apollo's own SIGTERM handler would stop it mid-request and re-kill the process.
    stopOnTerminationSignals: false,
    // Only the gateway calls a subgraph, with a JSON POST and an internal token.
    csrfPrevention: false,
    formatError: (formatted, error) => {
      // A database outage is this department being unavailable, not an internal error: say so, with a stable code.
      const failure = databaseFailure(unwrapResolverError(error));
      if (failure) {
        // A query past its timeout says nothing about the database being down; a refused connection does.
        if (failure === 'database unreachable') health.databaseFailed(failure);
        return departmentUnavailable(def.name, failure, formatted.path).toJSON();
      }
      // Any other failed query's text (SQL, a bug) stays in this subgraph's log, with the request id.
      return maskError(formatted, opts.errorDetails ?? false);
    },
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // Responses carry personal data and are never cached; the cache-control plugin was ~1% of hub CPU (bench profile).
      ApolloServerPluginCacheControlDisabled(),
      internalErrorLogPlugin<SubgraphContext>(def.name),
      // Before the metrics plugin: a failed audit write adds AUDIT_UNAVAILABLE errors that must be counted.
      ...(timedAudit ? [auditPlugin(timedAudit, def.name)] : []),
      graphqlMetricsPlugin<SubgraphContext>(def.name, (rc) => rc.contextValue.operation),
      departmentMetricsPlugin(def.name),
      health.plugin<SubgraphContext>(),
    ],
  });
  await apollo.start();
  const replays = await replayGuard(def.name, opts.redisUrl);

  /**
   * What every call must show before anything runs, whether it came over HTTP or in process: a
   * valid internal token (`verify`), bound to this subgraph and the document received, within its
   * deadline, used once (`bind`). Each throws an HttpError with the status and code the caller gets.
   */
  const verify = async (token: string | undefined) => {
    if (!token) throw new HttpError(401, 'missing internal token: subgraphs are reached only through the gateway', 'UNAUTHENTICATED');
    return verifyInternalToken(opts.internalVerificationKey, token).catch((e: unknown) => {
      throw new HttpError(401, e instanceof InternalTokenError ? e.message : 'invalid internal token', 'UNAUTHENTICATED');
    });
  };
  const bind = async (
    token: string,
    claims: Awaited<ReturnType<typeof verify>>,
    binding: string | undefined,
    sent: { query?: unknown; operationName?: unknown },
  ) => {
    // The token holds for one call: this subgraph, the document received, once, until its deadline.
    const received = fetchHash(typeof sent.query === 'string' ? sent.query : '', typeof sent.operationName === 'string' ? sent.operationName : null);
    let call;
    try {
      call = verifyCallBinding(opts.personKeySecret, token, binding, def.name, received);
    } catch (e) {
      throw new HttpError(401, (e as Error).message, 'UNAUTHENTICATED');
    }
    // Work the gateway no longer waits for is refused before anything is read from the database (or audited).
    if (call.deadline <= Date.now()) throw new HttpError(504, 'the request ran out of time before this department started it', ErrorCode.DeadlineExceeded);
    if (!(await replays.firstUse(call.jti, Math.min(claims.expiresAtMs, call.deadline + 5_000))))
      throw new HttpError(401, 'internal token was already used', 'UNAUTHENTICATED');
    return { claims, call };
  };
  type Admitted = Awaited<ReturnType<typeof bind>>;

  const contextOf = ({ claims, call }: Admitted): SubgraphContext => {
    const em = orm.em.fork();
    const scoped = { viewer: claims.viewer, policy: opts.policy, established: new Set(claims.established ?? []) };
    return {
      department: def.name,
      maxPageSize: opts.maxPageSize,
      viewer: claims.viewer,
      requestId: claims.requestId,
      purpose: claims.purpose,
      established: scoped.established,
      breakGlass: claims.breakGlass ?? null,
      service: claims.service ?? null,
      operation: claims.operation ?? null,
      documentHash: claims.documentHash ?? null,
      deadline: call.deadline,
      em,
      releases: hubOrm?.em.fork() ?? em,
      // Lookups, references and nested fields find what the policy's `notFoundOutside` lets this viewer find.
      loaders: new Loaders(em, opts.enforcePolicy ? (typeName) => scopeCondition(scoped, typeName, true) : undefined),
      personKey: (idNumber: string) => personKey(idNumber, opts.personKeySecret),
      personKeySql: (column: string) => personKeySql(column, opts.personKeySecret),
      policy: opts.policy,
      decisions: [],
      writeAudit: timedAudit ? (entries) => timedAudit.write(entries) : null,
      askDepartment: opts.internalCalls ? askAs(opts.internalCalls, claims, call.deadline) : null,
    };
  };

  /** A span in the gateway's trace (its traceparent) with this call's deadline; the SQL statements of the request are its children. */
  const run = <T>({ claims, call }: Admitted, headers: IncomingHttpHeaders, work: () => Promise<T>): Promise<T> => {
    const attributes = {
      'hub.service': def.name,
      'hub.request_id': claims.requestId,
      ...(claims.operation ? { 'graphql.operation.name': claims.operation } : {}),
    };
    return inSpan(`subgraph ${def.name}`, SpanKind.SERVER, attributes, () => withDeadline(call.deadline, work), contextFrom(headers));
  };

  const logRequest = ({ claims }: Admitted, status: number, started: number) =>
    logger.info(
      { department: def.name, requestId: claims.requestId, operation: claims.operation, status, ms: Math.round(performance.now() - started) },
      'subgraph request',
    );

  const graphql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++;
    const token = headerValue(req, INTERNAL_TOKEN_HEADER);
    const claims = await verify(token);
    // The gateway's request id, so one caller request can be followed through every department's logs.
    res.setHeader('x-request-id', claims.requestId);
    const body = parseJsonBody(req, await readBody(req, MAX_SUBGRAPH_BODY));
    const admitted = await bind(token!, claims, headerValue(req, INTERNAL_CALL_HEADER), body ?? {});
    const started = performance.now();
    res.once('finish', () => logRequest(admitted, res.statusCode, started));
    await run(admitted, req.headers, () => executeApollo(apollo, req, res, { parsed: body }, async () => contextOf(admitted)));
  };

  /**
   * The same call from the gateway in this process (embedded mode): the same checks and context,
   * executed without HTTP or JSON. Failures answer as the HTTP route would (status and error body).
   */
  const inProcess: InProcessSubgraph = async (headers, body) => {
    const answer = async (): Promise<SubgraphAnswer> => {
      stats.requests++;
      const token = headers[INTERNAL_TOKEN_HEADER];
      const admitted = await bind(token, await verify(token), headers[INTERNAL_CALL_HEADER], body);
      const started = performance.now();
      const response = await run(admitted, headers, () =>
        apollo.executeOperation(
          {
            query: body.query,
            operationName: body.operationName ?? undefined,
            variables: body.variables ?? undefined,
            extensions: body.extensions ?? undefined,
            http: { method: 'POST', headers: new HeaderMap(Object.entries(headers)), search: '', body },
          },
          { contextValue: contextOf(admitted) },
        ),
      );
      const status = response.http.status ?? 200;
      logRequest(admitted, status, started);
      // The gateway sends no @defer: a subgraph answers in one piece.
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not supported between the gateway and a subgraph');
      return { status, body: response.body.singleResult as SubgraphAnswer['body'] };
    };
    try {
      const tracked = http.track(answer);
      if (!tracked) throw new HttpError(503, 'shutting down', 'SHUTTING_DOWN');
      return await tracked;
    } catch (err) {
      if (err instanceof HttpError) {
        graphqlErrors.inc({ service: def.name, code: err.code });
        return { status: err.status, body: { errors: [{ message: err.message, extensions: { code: err.code, ...err.extensions } }] } };
      }
      logger.error({ err, department: def.name }, 'subgraph request failed');
      return { status: 500, body: { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } };
    }
  };
  // Readiness and metrics are on the operations port only: a caller of the public port learns nothing of the department's state.
  const routes: Routes<null> = {
    '/healthz': async (_req, res) => sendJson(res, 200, { status: 'ok', department: def.name }),
    '/graphql': graphql,
  };

  const http = drainableServer(
    routeRequests({
      service: def.name,
      routes,
      begin: () => null,
      failure: () => ({ log: { department: def.name }, message: 'internal error', extensions: {} }),
    }),
  );
  await new Promise<void>((resolve) => http.server.listen(opts.port, opts.host, resolve));
  const { port } = http.server.address() as AddressInfo;
  const ops = await startOpsServer(
    def.name,
    opts.host,
    opts.opsPort,
    async (_req, res) => {
      const { ready, degraded, checks } = await health.readiness();
      sendJson(res, ready ? 200 : 503, { status: ready ? (degraded ? 'degraded' : 'ready') : 'not ready', department: def.name, checks });
    },
    () => http.draining,
  );
  heads?.start();
  const stopped = def.started?.(orm);
  const url = `http://${opts.host}:${port}/graphql`;
  const leaveProcess = opts.inProcess ? serveInProcess(url, inProcess) : () => undefined;
  logger.info({ department: def.name, url, inProcess: opts.inProcess === true }, 'subgraph listening');
  return {
    department: def.name,
    url,
    opsUrl: ops.url,
    orm,
    stats,
    async stop() {
      // The gateway calls a stopping subgraph over HTTP, which the drain refuses, as in distributed mode.
      leaveProcess();
      const cutOff = await http.drain(opts.drainTimeoutMs ?? 10_000);
      if (cutOff) logger.warn({ department: def.name, requests: cutOff }, 'stopped with requests still running (drain timeout)');
      await ops.stop();
      stopped?.();
      await apollo.stop();
      await heads?.stop();
      await auditWriter?.close();
      await replays.close();
      await hubOrm?.close();
      await orm.close();
    },
  };
}
