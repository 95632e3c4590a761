import { join } from 'node:path';
import { ConfigError } from './errors';
import { repoRoot } from './paths';
import { SUBGRAPH_REGISTRY, SUBGRAPHS, type SubgraphName } from './registry';

export { DEPARTMENTS, SUBGRAPHS, type Department, type SubgraphName } from './registry';
/** What `hub serve` can run: the gateway or one subgraph, each its own process. */
export const ROLES: ReadonlyArray<'gateway' | SubgraphName> = ['gateway', ...SUBGRAPHS];

export type HubMode = 'dev' | 'production';

export interface HubConfig {
  mode: HubMode;
  /** Unset: an embedded PostgreSQL server is started (embedded mode). */
  databaseUrl: string | undefined;
  /** Per-department database URLs (`DATABASE_URL_POLICE`, …), falling back to `databaseUrl`. */
  departmentDatabaseUrls: Partial<Record<SubgraphName, string>>;
  /** Where a department that is an existing REST API answers (`API_URL_HOTLINE`, …); default: its spec's server. */
  departmentApiUrls: Partial<Record<SubgraphName, string>>;
  dataDir: string;
  host: string;
  gatewayPort: number;
  subgraphPorts: Record<SubgraphName, number>;
  /** Subgraph URLs the gateway calls (`SUBGRAPH_URL_POLICE`, …); default: loopback on `subgraphPorts`. */
  subgraphUrls: Record<SubgraphName, string>;
  /** The subgraphs whose URL is configured (`SUBGRAPH_URL_<NAME>` set): in other processes, as in distributed mode. */
  subgraphUrlsSet: SubgraphName[];
  /** The gateway's operations port (`GATEWAY_OPS_PORT`): `/readyz`, `/metrics`, `/healthz`, never on the public port. */
  gatewayOpsPort: number;
  /** Each subgraph's operations port (`POLICE_OPS_PORT`, …). */
  subgraphOpsPorts: Record<SubgraphName, number>;
  /**
   * Where the gateway probes each subgraph's `/readyz` (`SUBGRAPH_OPS_URL_POLICE`, …, a base URL);
   * default: the host of its `subgraphUrls` entry on its `subgraphOpsPorts` port.
   */
  subgraphOpsUrls: Record<SubgraphName, string>;
  personKeySecret: string;
  /** Maximum `first` of any paginated list. */
  maxPageSize: number;
  dbQueryTimeoutMs: number;
  /** The most connections one subgraph holds (`DB_POOL_MAX`): department pool, audit writer and readiness together. */
  dbPoolMax: number;
  /** How long opening a database connection may take (a database host that does not answer). */
  dbConnectTimeoutMs: number;
  subgraphTimeoutMs: number;
  /** Per-subgraph bounds (`SUBGRAPH_TIMEOUT_MS_POLICE`, …), falling back to `subgraphTimeoutMs`. */
  subgraphTimeoutsMs: Record<SubgraphName, number>;
  /** The gateway's circuit breaker and bulkhead, per subgraph. */
  breaker: { failures: number; halfOpenAfterMs: number; maxConcurrent: number; maxQueued: number };
  /**
   * How the gateway reaches subgraphs of its own process (embedded mode): `in-process` (default)
   * hands them the call directly, `http` goes through their loopback port as in distributed mode.
   */
  subgraphTransport: 'in-process' | 'http';
  /** The time budget of one caller request at the gateway (`REQUEST_TIMEOUT_MS`); subgraph calls get what is left. */
  requestTimeoutMs: number;
  /** How often the gateway probes each subgraph's `/readyz` (0: never on a timer). */
  subgraphHealthIntervalMs: number;
  /** On SIGTERM, how long in-flight requests may run before the process cuts them off and exits. */
  shutdownTimeoutMs: number;
  /** The supergraph the gateway serves, and how often it looks for a new one there (0: only on SIGHUP). */
  supergraphFile: string;
  supergraphWatchMs: number;
  /** Where the audit trail is written; default: each subgraph's own database. */
  auditDatabaseUrl: string | undefined;
  /**
   * Whether this subgraph migrates the audit schema at start (`AUDIT_MIGRATE=off` where its login may
   * only append, as the departments in docker/compose.yaml: the audit subgraph, the owner, migrates).
   */
  auditMigrate: boolean;
  /**
   * Whether a subgraph migrates its own schema at start (`SCHEMA_MIGRATE=off` where
   * `hub migration apply` ran before it, as the Kubernetes init container does).
   */
  schemaMigrate: boolean;
  /** Dev-only switch to measure the audit's cost (`AUDIT=off`); always on in production. */
  audit: boolean;
  /** Where the audit subgraph exports the signed chain heads, and how often (`AUDIT_HEAD_DIR`, `AUDIT_HEAD_INTERVAL_MS`; 0: never). */
  auditHeads: { dir: string; intervalMs: number };
  /** Oversight's alert thresholds (`AUDIT_ALERT_*`). */
  auditAlerts: AlertThresholds;
  /** Dev-only switch to measure the policy's cost (`POLICY_ENFORCEMENT=off`); always on in production. */
  policyEnforcement: boolean;
  /** The gateway's defences against hostile and broken requests (docs/security.md). */
  security: SecurityConfig;
}

/** Per-operation limits, checked at the gateway before any subgraph is called. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Fields weighted by how many times they can be resolved: page size of paginated lists, `listSize` for other lists. */
  maxCost: number;
  /** Assumed length of a list field that takes no page size. */
  listSize: number;
  /** Operations costing more are heavy: their time budget is `heavyRequestTimeoutMs`, not the request's. */
  heavyCost: number;
  heavyRequestTimeoutMs: number;
}

/** A token bucket: `burst` requests at once, refilled at `perMinute`; `perMinute` 0 turns the bucket off. */
export interface BucketLimit {
  perMinute: number;
  burst: number;
}

export interface SecurityConfig {
  limits: OperationLimits;
  maxBodyBytes: number;
  rateLimit: { subject: BucketLimit; agency: BucketLimit };
  /** Shared rate-limit buckets for several gateways; unset: in memory, per gateway. */
  redisUrl: string | undefined;
  /** Only operations registered in this manifest run (trusted operations); unset: any valid operation. */
  trustedOperationsFile: string | undefined;
  /** Browser origins allowed to call the gateway (CORS); empty: none. */
  corsOrigins: string[];
  /**
   * Names the gateway answers to (`Host`, port aside), besides localhost, 127.0.0.1 and [::1]:
   * checked in dev mode always (DNS rebinding), in production when set.
   */
  allowedHosts: string[];
  /** Who may introspect the schema and get "Did you mean …" suggestions. */
  schemaDisclosure: 'admin' | 'everyone';
  /** Internal error messages, service names and stack traces in responses (dev only). */
  errorDetails: boolean;
  /** Automatic persisted queries (dev only). */
  persistedQueries: boolean;
}

/**
 * Database connections one subgraph holds at most, all pools together. Two replicas of each of
 * the eight subgraphs: 2 × 8 × 4 = 64 of PostgreSQL's default max_connections of 100 (docs/deploy.md).
 */
export const DEFAULT_DB_POOL_MAX = 4;

export const DEV_PERSON_KEY_SECRET = 'pingan-hub-dev-person-key-secret-do-not-use-in-production';

/** Operations ports: 4200 for the gateway, 42xx for the subgraph serving on 41xx. */
export const DEFAULT_GATEWAY_OPS_PORT = 4200;

type Env = Record<string, string | undefined>;

/** Oversight's alert thresholds on the audit trail (docs/audit.md). */
export interface AlertThresholds {
  /** Distinct people one officer looked up within one clock hour (paging through the population). */
  bulkPeoplePerHour: number;
  /** Distinct records one officer looked at outside their jurisdiction (masked or denied for that reason) in the period. */
  outsideJurisdiction: number;
  /** Requests in which one officer looked up the same person in the period. */
  repeatedReads: number;
  /** Local hours counted as odd, `[from, to)` (0–6: midnight to six), in `timeZone`. */
  oddHours: { from: number; to: number; timeZone: string };
}

/** Reads `AUDIT_ALERT_*`; bad values are problems of the configuration. */
function readAlertThresholds(r: Reader): AlertThresholds {
  const odd = r.string('AUDIT_ALERT_ODD_HOURS', '0-6');
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(odd);
  const [from, to] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  const oddOk = from >= 0 && from < to && to <= 24;
  if (!oddOk) r.problems.push(`AUDIT_ALERT_ODD_HOURS=${JSON.stringify(odd)}: expected local hours FROM-TO with 0 <= FROM < TO <= 24, e.g. 0-6`);
  const timeZone = r.string('AUDIT_ALERT_TIME_ZONE', 'Asia/Shanghai');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    r.problems.push(`AUDIT_ALERT_TIME_ZONE=${JSON.stringify(timeZone)}: not a time zone`);
  }
  return {
    bulkPeoplePerHour: r.int('AUDIT_ALERT_BULK_PEOPLE_PER_HOUR', 200, 2, 1_000_000),
    outsideJurisdiction: r.int('AUDIT_ALERT_OUTSIDE_JURISDICTION', 20, 1, 1_000_000),
    repeatedReads: r.int('AUDIT_ALERT_REPEATED_READS', 20, 2, 1_000_000),
    oddHours: oddOk ? { from, to, timeZone } : { from: 0, to: 6, timeZone },
  };
}

/** The alert thresholds of an environment (the audit subgraph reads its process's); throws on bad values. */
export function alertThresholds(env: Env = process.env): AlertThresholds {
  const r = new Reader(env);
  const thresholds = readAlertThresholds(r);
  if (r.problems.length) throw new ConfigError(r.problems);
  return thresholds;
}

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const v = this.env[name];
    return v === undefined || v === '' ? fallback : v;
  }

  optional(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v === '' ? undefined : v;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error();
      return raw;
    } catch {
      this.problems.push(`${name}: expected a ${protocols.join(' or ')} URL, got ${JSON.stringify(raw.replace(/\/\/[^@/]*@/, '//***@'))}`);
      return undefined;
    }
  }
}

function readSecurity(r: Reader, mode: HubMode): SecurityConfig {
  const dev = mode === 'dev';
  const devOnly = <T extends string>(name: string, allowed: readonly [T, T], devDefault: T, productionValue: T): T => {
    const value = r.oneOf(name, allowed, dev ? devDefault : productionValue);
    if (!dev && value !== productionValue) r.problems.push(`${name}=${value}: only allowed in dev mode`);
    return value;
  };
  const corsOrigins = (r.optional('CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    let valid = false;
    try {
      valid = new URL(origin).origin === origin;
    } catch {
      // reported below
    }
    if (!valid) r.problems.push(`CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin like https://police.example.gov.cn`);
  }
  const bucket = (name: string, perMinute: number, burst: number): BucketLimit => ({
    perMinute: r.int(`RATE_LIMIT_${name}_PER_MINUTE`, perMinute, 0, 1_000_000),
    burst: r.int(`RATE_LIMIT_${name}_BURST`, burst, 1, 1_000_000),
  });
  return {
    limits: {
      maxDepth: r.int('MAX_QUERY_DEPTH', 15, 1, 100),
      maxAliases: r.int('MAX_ALIASES', 15, 0, 1000),
      maxDirectives: r.int('MAX_DIRECTIVES', 20, 0, 1000),
      maxTokens: r.int('MAX_TOKENS', 1000, 10, 100_000),
      maxCost: r.int('MAX_QUERY_COST', 150_000, 1, 10_000_000),
      listSize: r.int('LIST_SIZE_ESTIMATE', 10, 1, 1000),
      heavyCost: r.int('HEAVY_QUERY_COST', 25_000, 1, 10_000_000),
      heavyRequestTimeoutMs: r.int('HEAVY_REQUEST_TIMEOUT_MS', 5_000, 100, 600_000),
    },
    maxBodyBytes: r.int('MAX_BODY_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    rateLimit: { subject: bucket('SUBJECT', 600, 120), agency: bucket('AGENCY', 12_000, 2_000) },
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    trustedOperationsFile: r.optional('TRUSTED_OPERATIONS_FILE'),
    corsOrigins,
    allowedHosts: (r.optional('ALLOWED_HOSTS') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    schemaDisclosure: devOnly('INTROSPECTION', ['admin', 'everyone'], 'everyone', 'admin'),
    // Off by default even in dev: stack traces on every FORBIDDEN_FIELD drown the answer (turn on to debug).
    errorDetails: devOnly('ERROR_DETAILS', ['on', 'off'], 'off', 'off') === 'on',
    persistedQueries: devOnly('PERSISTED_QUERIES', ['on', 'off'], 'on', 'off') === 'on',
  };
}

/** The operations base URL on the same host as a subgraph's GraphQL URL, on its ops port. */
function opsUrlBeside(graphqlUrl: string, opsPort: number): string {
  const u = new URL(graphqlUrl);
  return `${u.protocol}//${u.hostname}:${opsPort}`;
}

/** Reads the hub's configuration from environment variables; every bad value is reported at once. */
export function loadConfig(env: Env = process.env): HubConfig {
  const r = new Reader(env);
  const mode = r.oneOf<HubMode>('HUB_MODE', ['dev', 'production'], 'dev');
  const databaseUrl = r.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const host = r.string('HUB_HOST', '127.0.0.1');
  const gatewayPort = r.int('GATEWAY_PORT', 4000, 0, 65535);
  const subgraphPorts = {} as Record<SubgraphName, number>;
  const subgraphUrls = {} as Record<SubgraphName, string>;
  const subgraphUrlsSet: SubgraphName[] = [];
  const subgraphOpsPorts = {} as Record<SubgraphName, number>;
  const subgraphOpsUrls = {} as Record<SubgraphName, string>;
  const departmentDatabaseUrls: Partial<Record<SubgraphName, string>> = {};
  const departmentApiUrls: Partial<Record<SubgraphName, string>> = {};
  for (const d of SUBGRAPHS) {
    const upper = d.toUpperCase();
    subgraphPorts[d] = r.int(`${upper}_PORT`, SUBGRAPH_REGISTRY[d].port, 0, 65535);
    const given = r.url(`SUBGRAPH_URL_${upper}`, ['http:', 'https:']);
    if (given) subgraphUrlsSet.push(d);
    subgraphUrls[d] = given ?? `http://${host}:${subgraphPorts[d]}/graphql`;
    subgraphOpsPorts[d] = r.int(`${upper}_OPS_PORT`, SUBGRAPH_REGISTRY[d].port + 100, 0, 65535);
    subgraphOpsUrls[d] = r.url(`SUBGRAPH_OPS_URL_${upper}`, ['http:', 'https:']) ?? opsUrlBeside(subgraphUrls[d], subgraphOpsPorts[d]);
    const own = r.url(`DATABASE_URL_${upper}`, ['postgres:', 'postgresql:']);
    if (own) departmentDatabaseUrls[d] = own;
    const api = r.url(`API_URL_${upper}`, ['http:', 'https:']);
    if (api) departmentApiUrls[d] = api;
  }
  let personKeySecret = r.string('PERSON_KEY_SECRET', DEV_PERSON_KEY_SECRET);
  if (mode === 'production' && personKeySecret === DEV_PERSON_KEY_SECRET) {
    r.problems.push('PERSON_KEY_SECRET: must be set in production (the dev default is public)');
  } else if (personKeySecret.length < 32) {
    r.problems.push('PERSON_KEY_SECRET: must be at least 32 characters');
    personKeySecret = DEV_PERSON_KEY_SECRET;
  }
  if (mode === 'production' && env.POLICY_ENFORCEMENT === 'off') r.problems.push('POLICY_ENFORCEMENT=off: only allowed in dev mode');
  if (mode === 'production' && env.AUDIT === 'off') r.problems.push('AUDIT=off: only allowed in dev mode');
  const security = readSecurity(r, mode);
  // Sized for interactive person views (docs/deploy.md, "Timeouts"): far above their measured p99, far below a person's patience.
  const subgraphTimeoutMs = r.int('SUBGRAPH_TIMEOUT_MS', 5_000, 100, 600_000);
  const dataDir = r.string('HUB_DATA_DIR', join(repoRoot, '.data'));
  const config: HubConfig = {
    mode,
    databaseUrl,
    departmentDatabaseUrls,
    departmentApiUrls,
    dataDir,
    host,
    gatewayPort,
    subgraphPorts,
    subgraphUrls,
    subgraphUrlsSet,
    gatewayOpsPort: r.int('GATEWAY_OPS_PORT', DEFAULT_GATEWAY_OPS_PORT, 0, 65535),
    subgraphOpsPorts,
    subgraphOpsUrls,
    personKeySecret,
    maxPageSize: r.int('MAX_PAGE_SIZE', 100, 1, 1000),
    dbQueryTimeoutMs: r.int('DB_QUERY_TIMEOUT_MS', 10_000, 100, 600_000),
    dbPoolMax: r.int('DB_POOL_MAX', DEFAULT_DB_POOL_MAX, 3, 1000),
    dbConnectTimeoutMs: r.int('DB_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    subgraphTimeoutMs,
    subgraphTimeoutsMs: Object.fromEntries(
      SUBGRAPHS.map((d) => [d, r.int(`SUBGRAPH_TIMEOUT_MS_${d.toUpperCase()}`, subgraphTimeoutMs, 100, 600_000)]),
    ) as Record<SubgraphName, number>,
    breaker: {
      failures: r.int('SUBGRAPH_BREAKER_FAILURES', 3, 1, 1000),
      halfOpenAfterMs: r.int('SUBGRAPH_BREAKER_HALF_OPEN_MS', 5_000, 100, 3_600_000),
      maxConcurrent: r.int('SUBGRAPH_MAX_CONCURRENCY', 64, 1, 100_000),
      maxQueued: r.int('SUBGRAPH_MAX_QUEUED', 1024, 0, 100_000),
    },
    subgraphTransport: r.oneOf('SUBGRAPH_TRANSPORT', ['in-process', 'http'], 'in-process'),
    requestTimeoutMs: r.int('REQUEST_TIMEOUT_MS', 20_000, 100, 600_000),
    subgraphHealthIntervalMs: r.int('SUBGRAPH_HEALTH_INTERVAL_MS', 5_000, 0, 3_600_000),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    supergraphFile: r.string('SUPERGRAPH_FILE', join(repoRoot, 'schema', 'supergraph.graphql')),
    supergraphWatchMs: r.int('SUPERGRAPH_WATCH_MS', 5_000, 0, 3_600_000),
    policyEnforcement: r.oneOf('POLICY_ENFORCEMENT', ['on', 'off'], 'on') === 'on',
    auditDatabaseUrl: r.url('AUDIT_DATABASE_URL', ['postgres:', 'postgresql:']),
    audit: r.oneOf('AUDIT', ['on', 'off'], 'on') === 'on',
    auditMigrate: r.oneOf('AUDIT_MIGRATE', ['on', 'off'], 'on') === 'on',
    schemaMigrate: r.oneOf('SCHEMA_MIGRATE', ['on', 'off'], 'on') === 'on',
    auditHeads: { dir: r.string('AUDIT_HEAD_DIR', join(dataDir, 'audit-heads')), intervalMs: r.int('AUDIT_HEAD_INTERVAL_MS', 60_000, 0, 86_400_000) },
    auditAlerts: readAlertThresholds(r),
    security,
  };
  if (r.problems.length) throw new ConfigError(r.problems);
  return config;
}
