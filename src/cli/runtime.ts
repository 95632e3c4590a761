import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAuthKeys, type AuthKeys } from '../auth/keys';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway/server';
import { seedIfEmpty, startSubgraph, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { pageSize } from '../kit/pagination';
import type { HubConfig } from '../shared/config';
import { ensureDatabase, migrateDepartment, openDepartmentOrm, withDatabase } from '../shared/db';
import type { DemoCity } from '../shared/demo/types';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../shared/embeddedPostgres';
import { departmentList } from '../subgraphs';
import { migrateAudit } from '../audit/migrate';
import { loadPolicy, type Policy } from '../policy/policy';

export interface HubOptions {
  config: HubConfig;
  /** Wipe the embedded database first (`npm start -- --fresh`). */
  fresh?: boolean;
  /** Demo data to load into empty departments. */
  city?: DemoCity;
  /** Pick free ports instead of the configured ones (tests). */
  randomPorts?: boolean;
  /** Use this server instead of DATABASE_URL / the embedded one (tests). */
  databaseUrl?: string;
  /** Supergraph to serve; default `schema/supergraph.graphql`. */
  supergraphSdl?: string;
  /** Policy to enforce; default `POLICY_FILE` or `schema/policy.yaml`. */
  policy?: Policy;
}

export interface RunningHub {
  gatewayUrl: string;
  consoleUrl: string;
  subgraphs: Record<string, RunningSubgraph>;
  keys: AuthKeys;
  embedded: EmbeddedDatabase | null;
  stop(): Promise<void>;
}

/** The database of embedded mode (`npm start`, `hub seed` without a URL). */
export const HUB_DATABASE = 'pingan_hub';

/**
 * Embedded mode in one process: PostgreSQL (embedded unless a URL is given), migrations, demo
 * data, the five department subgraphs on loopback ports, and the gateway in front of them.
 */
export async function startHub(opts: HubOptions): Promise<RunningHub> {
  const { config } = opts;
  pageSize.max = config.maxPageSize;
  // A bad policy stops the start before anything runs.
  const policy = opts.policy ?? loadPolicy();
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = opts.databaseUrl ?? config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), { fresh: opts.fresh });
    await ensureDatabase(embedded.url, HUB_DATABASE);
    databaseUrl = withDatabase(embedded.url, HUB_DATABASE);
  }
  const started: RunningSubgraph[] = [];
  let gateway: RunningGateway | undefined;
  const stop = async () => {
    if (embedded) rmSync(runningFile(config.dataDir), { force: true });
    await gateway?.stop();
    await Promise.all(started.map((s) => s.stop()));
    await embedded?.stop();
  };
  try {
    const keys = await loadAuthKeys(config);
    for (const def of departmentList()) {
      started.push(
        await startSubgraph(def, {
          ...subgraphOptions(config, keys, policy, config.departmentDatabaseUrls[def.name] ?? databaseUrl),
          port: opts.randomPorts ? 0 : config.subgraphPorts[def.name],
          seed: opts.city ? { city: opts.city, settings: { personKeySecret: config.personKeySecret } } : undefined,
        }),
      );
    }
    const subgraphs = Object.fromEntries(started.map((s) => [s.department, s]));
    gateway = await startGateway({
      ...gatewayOptions(config, keys),
      port: opts.randomPorts ? 0 : config.gatewayPort,
      supergraphSdl: opts.supergraphSdl ?? readFileSync(config.supergraphFile, 'utf8'),
      subgraphUrls: Object.fromEntries(started.map((s) => [s.department, s.url])),
    });
    // Lets `hub audit …` reach the running embedded server instead of starting a second one on the same folder.
    if (embedded) writeFileSync(runningFile(config.dataDir), JSON.stringify({ pid: process.pid, databaseUrl, gatewayUrl: gateway.url }));
    return { gatewayUrl: gateway.url, consoleUrl: gateway.consoleUrl, subgraphs, keys, embedded, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Migrates every department's schema on `databaseUrl` and loads the demo city into empty ones. */
export async function prepareDatabase(databaseUrl: string, city: DemoCity, personKeySecret: string): Promise<Record<string, Record<string, number> | null>> {
  const loaded: Record<string, Record<string, number> | null> = {};
  for (const def of departmentList()) {
    const orm = await openDepartmentOrm({ schema: def.name, clientUrl: databaseUrl, entities: def.entities, migrations: def.migrations });
    try {
      await migrateDepartment(orm);
      loaded[def.name] = await seedIfEmpty(def, orm, city, { personKeySecret });
      await migrateAudit(databaseUrl);
    } finally {
      await orm.close();
    }
  }
  return loaded;
}

function runningFile(dataDir: string): string {
  return join(dataDir, 'running.json');
}

/** The database URL of an embedded hub running from `dataDir`, if one is running. */
export function runningHubDatabase(dataDir: string): string | null {
  const file = runningFile(dataDir);
  if (!existsSync(file)) return null;
  const { pid, databaseUrl } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; databaseUrl: string };
  try {
    process.kill(pid, 0);
    return databaseUrl;
  } catch {
    return null;
  }
}

/**
 * A subgraph's options from the configuration, the same in embedded mode and `hub serve`; the
 * caller adds the port and any demo data.
 */
export function subgraphOptions(config: HubConfig, keys: AuthKeys, policy: Policy, databaseUrl: string): Omit<SubgraphOptions, 'port'> {
  return {
    clientUrl: databaseUrl,
    host: config.host,
    internalVerificationKey: keys.internalVerificationKey,
    // Each subgraph migrates its own schema (and the audit schema on its audit database); an advisory lock serialises concurrent starts.
    migrate: true,
    statementTimeoutMs: config.dbQueryTimeoutMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    drainTimeoutMs: config.shutdownTimeoutMs,
    personKeySecret: config.personKeySecret,
    policy,
    enforcePolicy: config.policyEnforcement,
    auditDatabaseUrl: config.audit ? (config.auditDatabaseUrl ?? databaseUrl) : null,
    errorDetails: config.security.errorDetails,
    redisUrl: config.security.redisUrl,
  };
}

/** The gateway's options from the configuration; the caller adds the port, supergraph and subgraph URLs. */
export function gatewayOptions(config: HubConfig, keys: AuthKeys): Omit<GatewayOptions, 'port' | 'supergraphSdl' | 'subgraphUrls'> {
  return {
    host: config.host,
    keys,
    callSecret: config.personKeySecret,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    subgraphHealthIntervalMs: config.subgraphHealthIntervalMs,
    drainTimeoutMs: config.shutdownTimeoutMs,
    mode: config.mode,
    security: config.security,
    pages: { default: pageSize.default, max: config.maxPageSize },
  };
}
