import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAuthKeys, type AuthKeys } from '../auth/keys';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway/server';
import { loadDemoData, releaseIfMissing, startSubgraph, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { DEFAULT_PAGE_SIZE } from '../kit/pagination';
import { hasHubSchema, withHubSchema, withSubgraphOrm } from '../kit/migrate';
import { Client } from 'pg';
import type { SubgraphDefinition } from '../kit/department';
import type { HubConfig } from '../shared/config';
import { ConfigError } from '../shared/errors';
import { repoRoot } from '../shared/paths';
import { ensureDatabase, migrateDepartment, servingLogin, withDatabase } from '../shared/db';
import type { DemoCity } from '../demo/types';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../shared/embeddedPostgres';
import { subgraphList } from '../subgraphs';
import { refreshCivilToCriminal, withLocalSteps } from './civilToCriminal';
import { migrateAudit, registerChain } from '../audit/migrate';
import { startTracing } from '../shared/tracing';
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
  /**
   * Serve as the subgraphs' own non-superuser logins (`servingLogin`), migrating and seeding as the
   * URL's login: always with the embedded server; tests ask for it on theirs.
   */
  servingLogins?: boolean;
}

export interface RunningHub {
  gatewayUrl: string;
  /** The gateway's operations port (`/readyz`, `/metrics`). */
  gatewayOpsUrl: string;
  consoleUrl: string;
  subgraphs: Record<string, RunningSubgraph>;
  keys: AuthKeys;
  embedded: EmbeddedDatabase | null;
  /** Stops one subgraph and starts it again on the same port and database (tests: a department that goes away and comes back). */
  stopSubgraph(name: string): Promise<() => Promise<void>>;
  /** The job queue workers running in this process (the workflow's effect delivery), by subgraph. */
  workers: Record<string, { stop(): Promise<void> }>;
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
  startTracing();
  // A bad policy stops the start before anything runs.
  const policy = opts.policy ?? loadPolicy();
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = opts.databaseUrl ?? config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), { fresh: opts.fresh });
    await ensureDatabase(embedded.url, HUB_DATABASE);
    databaseUrl = withDatabase(embedded.url, HUB_DATABASE);
  }
  // Audit trail elsewhere (AUDIT_DATABASE_URL): its owner migrates it, so the subgraphs keep doing it themselves.
  const split = (embedded !== null || opts.servingLogins === true) && !config.auditDatabaseUrl && config.audit;
  const started: RunningSubgraph[] = [];
  const devServices: Array<{ stop(): Promise<void> }> = [];
  let gateway: RunningGateway | undefined;
  const workers: Record<string, { stop(): Promise<void> }> = {};
  const startOptions = new Map<string, SubgraphOptions>();
  const stop = async () => {
    if (embedded) rmSync(runningFile(config.dataDir), { force: true });
    await Promise.all(Object.values(workers).map((w) => w.stop()));
    await gateway?.stop();
    await Promise.all(started.map((s) => s.stop()));
    await Promise.all(devServices.map((s) => s.stop()));
    await embedded?.stop();
  };
  try {
    const keys = await loadAuthKeys(config);
    const auditMigrated = new Set<string>();
    // Subgraphs ask each other (and the workflow's worker delivers effects) as the gateway calls them: signed, bound, in process here.
    const internalCalls = keys.internalSigningKey
      ? {
          signingKey: keys.internalSigningKey,
          callSecret: config.personKeySecret,
          subgraphUrls: () => Object.fromEntries(started.map((s) => [s.department, s.url])),
          timeoutMs: config.subgraphTimeoutMs,
        }
      : undefined;
    for (const def of subgraphList()) {
      const api = def.existingApi;
      if (api) {
        const url = config.departmentApiUrls[def.name];
        if (url) api.client.baseUrl = url;
        else if (config.mode === 'production')
          throw new ConfigError([`API_URL_${def.name.toUpperCase()}: required in production (${def.name}'s records are behind its own API)`]);
        else if (api.devService) {
          const service = await api.devService(opts.randomPorts ? 0 : (api.devPort ?? 0));
          devServices.push(service);
          api.client.baseUrl = service.url;
        }
      }
      const own = config.departmentDatabaseUrls[def.name];
      if (def.existingDatabase && !own) {
        if (config.mode === 'production')
          throw new ConfigError([`DATABASE_URL_${def.name.toUpperCase()}: required in production (${def.name}'s records stay in its own database)`]);
        await loadDevFixture(def, databaseUrl);
        // Its release, decided from the stand-in into the hub's schema for it when none is stored, as a seed decides the others'.
        if (opts.city && hasHubSchema(def)) await withSubgraphOrm(def, databaseUrl, (orm) => releaseIfMissing(def, orm, policy, databaseUrl));
      }
      const seed = opts.city ? { city: opts.city, settings: { personKeySecret: config.personKeySecret } } : undefined;
      // Where the subgraph lives in the hub's database: the owner migrates and seeds, the subgraph serves as its own login.
      const serving = !own && split ? await prepareServing(def, databaseUrl, seed, policy, auditMigrated) : null;
      // A department's own system is read-only: its audit trail goes to the hub's database.
      const options = subgraphOptions(config, keys, policy, serving ?? own ?? databaseUrl, serving ?? (def.existingDatabase ? databaseUrl : undefined));
      // The audit schema is migrated once per audit database, before the first subgraph that writes there; each subgraph then only registers its chain.
      if (!serving && options.auditDatabaseUrl && options.auditSetup === 'migrate' && !auditMigrated.has(options.auditDatabaseUrl)) {
        await migrateAudit(options.auditDatabaseUrl);
        auditMigrated.add(options.auditDatabaseUrl);
      }
      const subgraphOpts: SubgraphOptions = {
        ...options,
        // The hub's own schema for a department whose records stay in its own system: in the hub's database.
        hubUrl: def.existingDatabase ? (serving ?? databaseUrl) : undefined,
        internalCalls,
        // Serving as its own login, the subgraph neither migrates nor registers: the owner did both.
        ...(serving
          ? { migrate: false, auditSetup: 'none' as const }
          : { seed, auditSetup: options.auditSetup === 'none' ? ('none' as const) : ('register' as const) }),
        port: opts.randomPorts ? 0 : config.subgraphPorts[def.name],
        // The gateway below lives in this process: it calls the subgraph directly (same checks, no loopback HTTP).
        inProcess: config.subgraphTransport === 'in-process',
        opsPort: opts.randomPorts ? 0 : config.subgraphOpsPorts[def.name],
      };
      startOptions.set(def.name, subgraphOpts);
      started.push(await startSubgraph(def, subgraphOpts));
    }
    // The demo's 民转刑 joins two departments' records, once both are seeded and the police's release decided (when none is stored).
    if (opts.city)
      await withLocalSteps(
        { police: config.departmentDatabaseUrls.police ?? databaseUrl, justice: config.departmentDatabaseUrls.justice ?? databaseUrl },
        policy,
        (call) => refreshCivilToCriminal(call, { onlyIfMissing: true }),
      );
    const subgraphs = Object.fromEntries(started.map((s) => [s.department, s]));
    gateway = await startGateway({
      ...gatewayOptions(config, keys),
      port: opts.randomPorts ? 0 : config.gatewayPort,
      opsPort: opts.randomPorts ? 0 : config.gatewayOpsPort,
      supergraphSdl: opts.supergraphSdl ?? readFileSync(config.supergraphFile, 'utf8'),
      subgraphUrls: Object.fromEntries(started.map((s) => [s.department, s.url])),
      subgraphOpsUrls: Object.fromEntries(started.map((s) => [s.department, s.opsUrl])),
    });
    for (const def of subgraphList()) {
      if (def.jobQueue && internalCalls) workers[def.name] = await def.jobQueue.start({ ...internalCalls, databaseUrl: startOptions.get(def.name)!.clientUrl });
    }
    const stopSubgraph = async (name: string) => {
      const i = started.findIndex((s) => s.department === name);
      const def = subgraphList().find((d) => d.name === name);
      if (i < 0 || !def) throw new Error(`no subgraph ${name} in this hub`);
      const old = started[i];
      await old.stop();
      // Again on the same port: the gateway and the workers know it by its URL.
      const again = { ...startOptions.get(name)!, port: Number(new URL(old.url).port), seed: undefined, migrate: false };
      return async () => {
        started[i] = await startSubgraph(def, again);
      };
    };
    // Lets `hub audit …` reach the running embedded server instead of starting a second one on the same folder.
    // 0600: it holds the superuser's URL, password included.
    if (embedded) writeFileSync(runningFile(config.dataDir), JSON.stringify({ pid: process.pid, databaseUrl, gatewayUrl: gateway.url }), { mode: 0o600 });
    return {
      gatewayUrl: gateway.url,
      gatewayOpsUrl: gateway.opsUrl,
      consoleUrl: gateway.consoleUrl,
      subgraphs,
      keys,
      embedded,
      stopSubgraph,
      workers,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * As the owner of the hub's database: migrates the subgraph's schema (a department's own system is
 * read as it is), loads demo data into empty tables, registers its audit chain, and returns the URL
 * of the login it serves as (`servingLogin`).
 */
async function prepareServing(
  def: SubgraphDefinition,
  ownerUrl: string,
  seed: SubgraphOptions['seed'],
  policy: Policy,
  auditMigrated: Set<string>,
): Promise<string> {
  if (!def.existingDatabase) {
    await withSubgraphOrm(def, ownerUrl, async (orm) => {
      await migrateDepartment(orm);
      await def.jobQueue?.migrate(ownerUrl);
      if (seed) await loadDemoData(def, orm, seed, policy);
    });
  } else if (hasHubSchema(def)) {
    // The hub's schema for a department whose records stay in its own system (its release), before its login is granted it.
    await withHubSchema(def, ownerUrl, async () => undefined);
  }
  if (!auditMigrated.has(ownerUrl)) {
    await migrateAudit(ownerUrl);
    auditMigrated.add(ownerUrl);
  }
  await registerChain(ownerUrl, def.name);
  // The same login reads the hub's own schema for a department whose records stay in its own system (its release).
  if (hasHubSchema(def)) await servingLogin(ownerUrl, { subgraph: def.name, schema: def.name, readOnly: true, readsAuditTrail: false });
  return servingLogin(ownerUrl, {
    subgraph: def.name,
    schema: def.existingDatabase?.schema ?? def.name,
    // The audit subgraph reads the trail as the writer role, and has no write of its own to the audit schema.
    readOnly: def.existingDatabase !== undefined || def.name === 'audit',
    readsAuditTrail: def.name === 'audit',
    queueSchema: def.jobQueue?.schema,
  });
}

/** Migrates every department's schema on `databaseUrl` and loads the demo city into empty ones. */
export async function prepareDatabase(databaseUrl: string, city: DemoCity, personKeySecret: string): Promise<Record<string, Record<string, number> | null>> {
  const loaded: Record<string, Record<string, number> | null> = {};
  const policy = loadPolicy();
  for (const def of subgraphList()) {
    if (def.existingDatabase) {
      await loadDevFixture(def, databaseUrl);
      if (hasHubSchema(def)) await withSubgraphOrm(def, databaseUrl, (orm) => releaseIfMissing(def, orm, policy, databaseUrl));
      continue;
    }
    await withSubgraphOrm(def, databaseUrl, async (orm) => {
      // The audit schema is the audit subgraph's own: migrated here once, with the others.
      await migrateDepartment(orm);
      await def.jobQueue?.migrate(databaseUrl);
      loaded[def.name] = await loadDemoData(def, orm, { city, settings: { personKeySecret } }, policy);
    });
  }
  // 民转刑 joins two departments' records, after the police's release: decided once all are in, when none is stored.
  await withLocalSteps({ police: databaseUrl, justice: databaseUrl }, policy, (call) => refreshCivilToCriminal(call, { onlyIfMissing: true }));
  return loaded;
}

/**
 * Dev and tests: creates the stand-in for a department's own system (its `devFixture` SQL) in the
 * hub's database, once: nothing is done when its schema exists.
 */
async function loadDevFixture(def: SubgraphDefinition, databaseUrl: string): Promise<void> {
  const existing = def.existingDatabase;
  if (!existing?.devFixture) return;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from information_schema.schemata where schema_name = $1', [existing.schema]);
    if (rowCount) return;
    // One transaction: a fixture that fails half-way leaves no schema behind (and is retried next start).
    await client.query(`begin;\n${readFileSync(join(repoRoot, existing.devFixture), 'utf8')}\ncommit;`);
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}

function runningFile(dataDir: string): string {
  return join(dataDir, 'running.json');
}

/** What `npm start` leaves in `<data folder>/running.json` while it runs, for the other `hub` commands. */
export interface RunningHubFile {
  pid: number;
  databaseUrl: string;
  gatewayUrl: string;
}

/** The embedded hub running from `dataDir` (`npm start`), if one is: a stale or unreadable file counts as none. */
export function runningHub(dataDir: string): RunningHubFile | null {
  const file = runningFile(dataDir);
  if (!existsSync(file)) return null;
  let running: RunningHubFile;
  try {
    running = JSON.parse(readFileSync(file, 'utf8')) as RunningHubFile;
    process.kill(running.pid, 0);
  } catch {
    return null;
  }
  return running;
}

/** The database URL of an embedded hub running from `dataDir`, if one is running. */
export function runningHubDatabase(dataDir: string): string | null {
  return runningHub(dataDir)?.databaseUrl ?? null;
}

/**
 * A subgraph's options from the configuration, the same in embedded mode and `hub serve`; the
 * caller adds the port and any demo data.
 */
export function subgraphOptions(
  config: HubConfig,
  keys: AuthKeys,
  policy: Policy,
  databaseUrl: string,
  auditFallbackUrl = databaseUrl,
): Omit<SubgraphOptions, 'port' | 'opsPort'> {
  return {
    clientUrl: databaseUrl,
    host: config.host,
    internalVerificationKey: keys.internalVerificationKey,
    // Each subgraph migrates its own schema unless `hub migration apply` did before (`SCHEMA_MIGRATE=off`); an advisory lock serialises concurrent starts.
    migrate: config.schemaMigrate,
    statementTimeoutMs: config.dbQueryTimeoutMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    drainTimeoutMs: config.shutdownTimeoutMs,
    poolMax: config.dbPoolMax,
    personKeySecret: config.personKeySecret,
    maxPageSize: config.maxPageSize,
    policy,
    enforcePolicy: config.policyEnforcement,
    auditDatabaseUrl: config.audit ? (config.auditDatabaseUrl ?? auditFallbackUrl) : null,
    auditSetup: config.auditMigrate ? 'migrate' : 'none',
    auditHeads: keys.internalSigningKey ? { ...config.auditHeads, alerts: config.auditAlerts, signingKey: keys.internalSigningKey } : undefined,
    errorDetails: config.security.errorDetails,
    redisUrl: config.security.redisUrl,
  };
}

/** The gateway's options from the configuration; the caller adds the ports, supergraph and subgraph URLs. */
export function gatewayOptions(
  config: HubConfig,
  keys: AuthKeys,
): Omit<GatewayOptions, 'port' | 'opsPort' | 'supergraphSdl' | 'subgraphUrls' | 'subgraphOpsUrls'> {
  return {
    host: config.host,
    keys,
    callSecret: config.personKeySecret,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    subgraphTimeoutsMs: config.subgraphTimeoutsMs,
    breaker: config.breaker,
    requestTimeoutMs: config.requestTimeoutMs,
    subgraphHealthIntervalMs: config.subgraphHealthIntervalMs,
    drainTimeoutMs: config.shutdownTimeoutMs,
    mode: config.mode,
    security: config.security,
    pages: { default: DEFAULT_PAGE_SIZE, max: config.maxPageSize },
  };
}
