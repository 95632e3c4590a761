import { join } from 'node:path';
import { loadAuthKeys } from '../auth/keys';
import { startGateway } from '../gateway/server';
import { SupergraphFile, SupergraphUnservable, type ReloadOutcome } from '../gateway/supergraph';
import { startSubgraph } from '../kit/server';
import { gatewayOptions, subgraphOptions } from './runtime';
import { loadPolicy } from '../policy/policy';
import { loadConfig, ROLES, type HubConfig, type SubgraphName } from '../shared/config';
import { prepareSubgraphSchemas, withSubgraphOrm } from '../kit/migrate';
import { buildDemoCity, DEMO_SIZES } from '../demo/city';
import { ConfigError } from '../shared/errors';
import { logger } from '../shared/logger';
import { subgraphs } from '../subgraphs';
import { CliError } from './errors';
import { startTracing } from '../shared/tracing';

/** The gateway's copy of the last supergraph it served, in `HUB_DATA_DIR`. */
export const LAST_GOOD_SUPERGRAPH = 'supergraph.last-good.graphql';

export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

type Env = Record<string, string | undefined>;

export interface ServedRole {
  url: string;
  /** The operations port's base URL (`/readyz`, `/metrics`, `/healthz`). */
  opsUrl: string;
  stop(): Promise<void>;
  /** Gateway only: read the supergraph file again (SIGHUP). */
  reload?: (trigger: string) => Promise<ReloadOutcome>;
}

/**
 * `PORT` and `OPS_PORT` (the container convention: every role on the same ports of its own
 * container) win over the role's own `<ROLE>_PORT` / `GATEWAY_PORT` and `<ROLE>_OPS_PORT` / `GATEWAY_OPS_PORT`.
 */
function portOf(env: Env, name: 'PORT' | 'OPS_PORT', fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError([`${name}=${JSON.stringify(raw)}: expected an integer from 0 to 65535`]);
  return n;
}

/** `SEED_DEMO=small|medium` loads the demo city into the department's tables when they are empty; unset: no demo data. */
function demoSeedOf(env: Env): keyof typeof DEMO_SIZES | null {
  const raw = env.SEED_DEMO;
  if (raw === undefined || raw === '' || raw === 'off') return null;
  if (!Object.hasOwn(DEMO_SIZES, raw))
    throw new ConfigError([`SEED_DEMO=${JSON.stringify(raw)}: expected one of ${Object.keys(DEMO_SIZES).join(', ')} (or unset for no demo data)`]);
  return raw as keyof typeof DEMO_SIZES;
}

/** Where a subgraph of the distributed deployment keeps its records and appends its audit trail. */
function databasesOf(config: HubConfig, name: SubgraphName, command: 'serve' | 'migration apply'): { databaseUrl: string; auditUrl: string } {
  const databaseUrl = config.departmentDatabaseUrls[name] ?? config.databaseUrl;
  if (!databaseUrl) {
    throw new ConfigError([
      `DATABASE_URL_${name.toUpperCase()} or DATABASE_URL: required by \`hub ${command} ${name}\` (only \`hub start\` runs an embedded PostgreSQL)`,
    ]);
  }
  // A department's own system is read-only: its audit trail must go to the hub's database.
  const auditUrl = subgraphs[name].existingDatabase ? (config.auditDatabaseUrl ?? config.databaseUrl) : databaseUrl;
  if (!auditUrl)
    throw new ConfigError([
      `AUDIT_DATABASE_URL or DATABASE_URL: required by \`hub ${command} ${name}\` (its own database is read-only, the audit trail goes to the hub's)`,
    ]);
  return { databaseUrl, auditUrl: config.auditDatabaseUrl ?? auditUrl };
}

/** The hub's database, where it keeps its own schema for a department whose records stay in its own system (its statistics release). */
function hubUrlOf(config: HubConfig, name: SubgraphName, auditUrl: string): string | undefined {
  return subgraphs[name].existingDatabase ? (config.databaseUrl ?? auditUrl) : undefined;
}

/**
 * `hub migration apply <subgraph>`: what `hub serve` does to the databases before it serves —
 * migrate the subgraph's schema and, unless `AUDIT_MIGRATE=off`, the audit schema and its chain —
 * and nothing else, from the same environment. Run before a new version serves (the Kubernetes
 * init container), its subgraph then starts with `SCHEMA_MIGRATE=off`.
 */
export async function migrateRole(name: SubgraphName, env: Env = process.env): Promise<{ applied: string[] }> {
  const config = loadConfig(env);
  const { databaseUrl, auditUrl } = databasesOf(config, name, 'migration apply');
  return withSubgraphOrm(
    subgraphs[name],
    databaseUrl,
    (orm) =>
      prepareSubgraphSchemas(
        subgraphs[name],
        orm,
        { databaseUrl: config.audit ? auditUrl : null, setup: config.auditMigrate ? 'migrate' : 'none' },
        hubUrlOf(config, name, auditUrl) ?? null,
      ),
    { connectTimeoutMs: config.dbConnectTimeoutMs, poolMax: 2 },
  );
}

/**
 * Starts one role of the distributed deployment, configured only by environment variables. The
 * same `startSubgraph`/`startGateway` as embedded mode (`hub start`); what differs is where the
 * database, keys and subgraph URLs come from.
 */
export async function serve(role: Role, env: Env = process.env): Promise<ServedRole> {
  const config = loadConfig(env);
  startTracing(env);
  const keys = await loadAuthKeys(config, env);
  if (role === 'gateway') {
    const supergraph = new SupergraphFile(config.supergraphFile, config.supergraphWatchMs, join(config.dataDir, LAST_GOOD_SUPERGRAPH));
    const gateway = await startGateway({
      ...gatewayOptions(config, keys),
      port: portOf(env, 'PORT', config.gatewayPort),
      opsPort: portOf(env, 'OPS_PORT', config.gatewayOpsPort),
      supergraphSdl: supergraph,
      subgraphUrls: config.subgraphUrls,
      subgraphOpsUrls: config.subgraphOpsUrls,
    }).catch((err: unknown) => {
      // One line and exit code 2: the file must be fixed; a stack says nothing more.
      throw err instanceof SupergraphUnservable ? new CliError(err.message, 2) : err;
    });
    return { url: gateway.url, opsUrl: gateway.opsUrl, stop: () => gateway.stop(), reload: (trigger) => supergraph.reload(trigger) };
  }
  const name: SubgraphName = role;
  const { databaseUrl, auditUrl } = databasesOf(config, name, 'serve');
  const def = subgraphs[name];
  const apiUrl = config.departmentApiUrls[name];
  if (def.existingApi && apiUrl) def.existingApi.client.baseUrl = apiUrl;
  const seed = demoSeedOf(env);
  if (seed && config.mode === 'production')
    logger.warn({ subgraph: name, size: seed }, 'SEED_DEMO is set in production mode: demo people are loaded into empty department tables');
  const internalCalls = keys.internalSigningKey
    ? { signingKey: keys.internalSigningKey, callSecret: config.personKeySecret, subgraphUrls: () => config.subgraphUrls, timeoutMs: config.subgraphTimeoutMs }
    : undefined;
  const subgraph = await startSubgraph(def, {
    internalCalls,
    // A bad policy file stops the start with a clear error.
    ...subgraphOptions(config, keys, loadPolicy(env.POLICY_FILE || undefined), databaseUrl, auditUrl),
    hubUrl: hubUrlOf(config, name, auditUrl),
    port: portOf(env, 'PORT', config.subgraphPorts[name]),
    opsPort: portOf(env, 'OPS_PORT', config.subgraphOpsPorts[name]),
    seed: seed ? { city: buildDemoCity(DEMO_SIZES[seed]), settings: { personKeySecret: config.personKeySecret } } : undefined,
  });
  // Its job queue's worker (the workflow's effects) calls the other departments as the gateway does: it needs the internal signing key.
  let worker: { stop(): Promise<void> } | null = null;
  if (def.jobQueue && internalCalls) {
    worker = await def.jobQueue.start({ ...internalCalls, databaseUrl });
  } else if (def.jobQueue) logger.warn({ subgraph: name }, 'INTERNAL_JWT_PRIVATE_KEY is not set: the job queue is not worked (effects wait in the outbox)');
  return {
    url: subgraph.url,
    opsUrl: subgraph.opsUrl,
    stop: async () => {
      await worker?.stop();
      await subgraph.stop();
    },
  };
}

/**
 * `hub serve <role>` as a process: SIGTERM/SIGINT stop it gracefully (stop accepting, finish
 * in-flight requests within SHUTDOWN_TIMEOUT_MS, close pools) and exit 0; a second signal exits
 * at once with 1. SIGHUP makes the gateway reload its supergraph file.
 */
export async function runServe(role: string): Promise<void> {
  if (!isRole(role)) throw new ConfigError([`unknown role "${role}": expected one of ${ROLES.join(', ')}`]);
  const served = await serve(role);
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      logger.warn({ role, signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ role, signal }, 'stopping: no new requests, finishing those in flight');
    try {
      await served.stop();
      logger.info({ role }, 'stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err, role }, 'stop failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  const reload = served.reload;
  if (reload) process.on('SIGHUP', () => void reload('SIGHUP'));
  logger.info({ role, url: served.url, opsUrl: served.opsUrl, pid: process.pid }, 'serving');
}
