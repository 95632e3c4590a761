import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CryptoKey } from 'jose';
import { INTERNAL_TOKEN_HEADER, verifyInternalToken } from '../auth/internalToken';
import { migrateDepartment, openDepartmentOrm } from '../shared/db';
import { HttpError, executeApollo, headerValue, readBody, sendGraphQLError, sendJson } from '../shared/http';
import { logger } from '../shared/logger';
import { personKey } from '../shared/personKey';
import type { DemoCity } from '../shared/demo/types';
import type { Policy } from '../policy/policy';
import type { SubgraphContext } from './context';
import type { DepartmentDefinition, SeedSettings } from './department';
import { Loaders } from './loaders';
import { buildDepartmentSchema } from './schema';
import { auditPlugin } from './audit';
import { AuditWriter } from '../audit/writer';
import { migrateAudit } from '../audit/migrate';

export { INTERNAL_TOKEN_HEADER };
const MAX_SUBGRAPH_BODY = 1024 * 1024;

export interface SubgraphOptions {
  clientUrl: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  internalVerificationKey: CryptoKey;
  migrate: boolean;
  /** Demo data to load when the department's tables are empty. */
  seed?: { city: DemoCity; settings: SeedSettings };
  statementTimeoutMs?: number;
  personKeySecret: string;
  policy: Policy;
  /** False only for dev measurements of the policy's cost. */
  enforcePolicy: boolean;
  /** Where this subgraph writes its audit trail; null turns auditing off (dev measurements only). */
  auditDatabaseUrl: string | null;
}

export interface RunningSubgraph {
  department: string;
  url: string;
  orm: MikroORM;
  /** SQL statements sent since start (tests and benchmarks read the difference). */
  stats: { sqlStatements: number };
  stop(): Promise<void>;
}

/** Loads the demo data in one transaction when the department's first table is empty. */
export async function seedIfEmpty(def: DepartmentDefinition, orm: MikroORM, city: DemoCity, settings: SeedSettings): Promise<Record<string, number> | null> {
  const em = orm.em.fork();
  if ((await em.count(def.entities[0], {})) > 0) return null;
  return em.transactional((tx) => def.seed(tx, city, settings));
}

/**
 * Starts one department as a Federation 2 subgraph over HTTP. Every request must carry a valid
 * internal token signed by the gateway — `_service` and `_entities` included — so reaching the
 * port directly yields nothing.
 */
export async function startSubgraph(def: DepartmentDefinition, opts: SubgraphOptions): Promise<RunningSubgraph> {
  const stats = { sqlStatements: 0 };
  const orm = await openDepartmentOrm({
    schema: def.name,
    clientUrl: opts.clientUrl,
    entities: def.entities,
    migrations: def.migrations,
    statementTimeoutMs: opts.statementTimeoutMs,
    onQuery: () => stats.sqlStatements++,
  });
  if (opts.migrate) {
    await migrateDepartment(orm);
    if (opts.auditDatabaseUrl) await migrateAudit(opts.auditDatabaseUrl);
  }
  const auditWriter = opts.auditDatabaseUrl ? new AuditWriter(opts.auditDatabaseUrl, opts.statementTimeoutMs) : null;
  if (opts.seed) {
    const written = await seedIfEmpty(def, orm, opts.seed.city, opts.seed.settings);
    if (written) logger.info({ department: def.name, rows: written }, 'demo data loaded');
  }
  const schema = await buildDepartmentSchema(def, opts.enforcePolicy ? opts.policy : undefined);
  const apollo = new ApolloServer<SubgraphContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // Only the gateway calls a subgraph, with a JSON POST and an internal token.
    csrfPrevention: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...(auditWriter ? [auditPlugin(auditWriter, def.name)] : [])],
  });
  await apollo.start();

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path !== '/graphql') return sendJson(res, 404, { error: 'not found' });
      const token = headerValue(req, INTERNAL_TOKEN_HEADER);
      if (!token) throw new HttpError(401, 'missing internal token: subgraphs are reached only through the gateway', 'UNAUTHENTICATED');
      const claims = await verifyInternalToken(opts.internalVerificationKey, token).catch(() => {
        throw new HttpError(401, 'invalid or expired internal token', 'UNAUTHENTICATED');
      });
      const body = await readBody(req, MAX_SUBGRAPH_BODY);
      await executeApollo(apollo, req, res, body, async () => {
        const em = orm.em.fork();
        return {
          department: def.name,
          viewer: claims.viewer,
          requestId: claims.requestId,
          purpose: claims.purpose,
          operation: claims.operation ?? null,
          documentHash: claims.documentHash ?? null,
          em,
          loaders: new Loaders(em),
          personKey: (idNumber: string) => personKey(idNumber, opts.personKeySecret),
          policy: opts.policy,
          decisions: [],
        };
      });
    })().catch((err: unknown) => {
      if (err instanceof HttpError) return sendGraphQLError(res, err);
      logger.error({ err, department: def.name }, 'subgraph request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host}:${port}/graphql`;
  logger.info({ department: def.name, url }, 'subgraph listening');
  return {
    department: def.name,
    url,
    orm,
    stats,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
      await auditWriter?.close();
      await orm.close();
    },
  };
}
