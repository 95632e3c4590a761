import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, visit } from 'yaml';
import { repoRoot } from '../shared/paths';
import { SUBGRAPHS, type SubgraphName } from '../shared/config';
import { hasHubSchema } from '../kit/migrate';
import { subgraphs } from '../subgraphs';

/**
 * docker/compose.yaml, generated from the one registry of subgraphs (like `hub kubernetes` for the
 * Kubernetes base): every subgraph with its own database login, the departments that keep their own
 * systems with honest stand-ins for them, and the gateway that knows them all. `hub docker` writes
 * it, `hub docker --check` (CI and test/docker.test.ts) fails when the committed file differs.
 * The scripts beside it (postgres/init-databases.sh, pgbouncer/entrypoint.sh, init-secrets.sh) are
 * hand-written and read the lists they need from what this file passes them.
 */

/** Every role listens here inside its own container (`PORT` in the image). */
const PORT = 4000;
/** `/readyz` and `/metrics` (`OPS_PORT` in the image), never published. */
const OPS_PORT = 4200;
/** The image's user (docker/Dockerfile): the gateway's private key is copied in for it alone. */
const IMAGE_UID = '10001';

export const DOCKER_COMPOSE = join(repoRoot, 'docker', 'compose.yaml');

const upper = (s: string) => s.toUpperCase();
const login = (s: SubgraphName) => `hub_${s}`;
const passwordVar = (s: SubgraphName) => `HUB_DB_PASSWORD_${upper(s)}`;
const password = (s: SubgraphName) => `\${${passwordVar(s)}:?}`;

/** A department whose records stay in its own system's database: the stand-in the compose PostgreSQL holds for it. */
export function systemDatabase(s: SubgraphName): string {
  return `${s}_system`;
}

/** A department whose records stay behind its own API: the compose service that stands in for it. */
export function standInService(s: SubgraphName): string {
  return `${s}-api`;
}

/** The stand-in's port: the one its spec names (`devPort`), else the hub's. */
const standInPort = (s: SubgraphName) => subgraphs[s].existingApi?.devPort ?? PORT;

/**
 * Subgraphs that keep tables of their own in the hub (a database `hub_<name>`): all but those read
 * from their own system, unless the hub keeps a schema for one (petition's statistics release).
 */
export function ownDatabases(): SubgraphName[] {
  return SUBGRAPHS.filter((s) => !subgraphs[s].existingDatabase || hasHubSchema(subgraphs[s]));
}

/** `name=schema` of every department whose records stay in its own database, for postgres/init-databases.sh. */
function existingSystems(): string[] {
  return SUBGRAPHS.flatMap((s) => {
    const existing = subgraphs[s].existingDatabase;
    return existing?.devFixture ? [`${s}=${existing.schema}`] : [];
  });
}

const probe = (url: string, okOnly: boolean) => [
  'CMD',
  'node',
  '-e',
  `fetch('${url}').then((r) => process.exit(${okOnly ? 'r.ok ? 0 : 1' : '0'}), () => process.exit(1))`,
];

const hubEnv = {
  HUB_MODE: 'production',
  LOG_LEVEL: '${LOG_LEVEL:-info}',
  PERSON_KEY_SECRET: '${PERSON_KEY_SECRET:?set PERSON_KEY_SECRET in docker/.env (docker/init-secrets.sh makes one)}',
  // Key files mounted as secrets (keys.ts accepts a PEM or a path to one).
  INTERNAL_JWT_PUBLIC_KEY: '/run/secrets/internal_jwt_public_key',
  CALLER_JWT_PUBLIC_KEY: '/run/secrets/caller_jwt_public_key',
  CALLER_JWT_ISSUER: '${CALLER_JWT_ISSUER:-pingan-hub}',
  CALLER_JWT_AUDIENCE: '${CALLER_JWT_AUDIENCE:-pingan-hub}',
  DB_QUERY_TIMEOUT_MS: '${DB_QUERY_TIMEOUT_MS:-10000}',
  DB_CONNECT_TIMEOUT_MS: '${DB_CONNECT_TIMEOUT_MS:-5000}',
  SHUTDOWN_TIMEOUT_MS: '${SHUTDOWN_TIMEOUT_MS:-10000}',
  DB_POOL_MAX: '${DB_POOL_MAX:-6}',
};

/** What every container of the hub's image shares; the command picks the role. */
function hubService(command: string[], dependsOn: Record<string, { condition: string }>): Record<string, unknown> {
  return {
    image: '${HUB_IMAGE:-pingan-hub:local}',
    build: { context: '..', dockerfile: 'docker/Dockerfile' },
    command,
    restart: 'unless-stopped',
    stop_grace_period: '20s',
    secrets: ['internal_jwt_public_key', 'caller_jwt_public_key'],
    healthcheck: { test: probe(`http://127.0.0.1:${OPS_PORT}/readyz`, true), interval: '10s', timeout: '5s', start_period: '60s', retries: 3 },
    depends_on: dependsOn,
  };
}

const databaseUp = { postgres: { condition: 'service_healthy' }, pgbouncer: { condition: 'service_started' } };

function subgraphService(s: SubgraphName): Record<string, unknown> {
  const def = subgraphs[s];
  const audit = s === 'audit';
  // The audit subgraph owns the audit database and migrates it; every department appends there with its own login.
  const auditUrl = `postgresql://${login(s)}:${password(s)}@postgres:5432/hub_audit`;
  // A department's own system is read directly (not through PgBouncer, which refuses the read-only startup
  // option): its stand-in here, or where docker/.env says when it has none.
  const existing = def.existingDatabase;
  const hubDatabase = `postgresql://${login(s)}:${password(s)}@pgbouncer:6432/hub_${s}`;
  const system = !existing
    ? null
    : existing.devFixture
      ? `postgresql://${login(s)}:${password(s)}@postgres:5432/${systemDatabase(s)}`
      : `\${DATABASE_URL_${upper(s)}:?set DATABASE_URL_${upper(s)} in docker/.env: the ${s} department's own database, with a login that may only read it}`;
  // The hub's own database for a department whose records stay in its system (its statistics release): DATABASE_URL, the system DATABASE_URL_<NAME>.
  const ownsHubDatabase = !existing || hasHubSchema(def);
  const systemVariable = (fallback: string) => ({ [`DATABASE_URL_${upper(s)}`]: `\${DATABASE_URL_${upper(s)}:-${fallback}}` });
  const environment: Record<string, string> = {
    ...hubEnv,
    SEED_DEMO: '${SEED_DEMO:-}',
    ...(audit ? {} : { AUDIT_MIGRATE: 'off' }),
    DATABASE_URL: ownsHubDatabase ? hubDatabase : system!,
    // The department's real system, when docker/.env names it, wins over the stand-in (`DATABASE_URL_<NAME>` comes first).
    ...(system && ownsHubDatabase ? (existing?.devFixture ? systemVariable(system) : { [`DATABASE_URL_${upper(s)}`]: system }) : {}),
    ...(system && !ownsHubDatabase && existing?.devFixture ? systemVariable('') : {}),
    AUDIT_DATABASE_URL: auditUrl,
  };
  if (def.existingApi) {
    environment[`API_URL_${upper(s)}`] = def.existingApi.devService
      ? `\${API_URL_${upper(s)}:-http://${standInService(s)}:${standInPort(s)}${new URL(def.existingApi.client.baseUrl).pathname.replace(/\/$/, '')}}`
      : `\${API_URL_${upper(s)}:?set API_URL_${upper(s)} in docker/.env: where the ${s} department's API answers}`;
  }
  // A department's own system is not behind the hub's PgBouncer (its hub database, when it has one, is).
  const databases = ownsHubDatabase ? databaseUp : { postgres: databaseUp.postgres };
  const dependsOn: Record<string, { condition: string }> = audit ? { ...databases } : { ...databases, audit: { condition: 'service_healthy' } };
  if (def.existingApi?.devService) dependsOn[standInService(s)] = { condition: 'service_started' };
  const service = hubService(['serve', s], dependsOn);
  if (!def.jobQueue) return { ...service, environment };
  // A job queue (the workflow's effects) and its own checks call departments as the gateway does: it signs internal tokens.
  environment.INTERNAL_JWT_PRIVATE_KEY = '/run/secrets/internal_jwt_private_key';
  for (const called of def.jobQueue.calls) environment[`SUBGRAPH_URL_${upper(called)}`] = `http://${called}:${PORT}/graphql`;
  return { ...service, secrets: [privateKeySecret, ...(service.secrets as string[])], environment };
}

/** The stand-in for a department's own API (test fixtures, in the image): try the stack without the real system. */
function standIn(s: SubgraphName): Record<string, unknown> {
  const port = standInPort(s);
  return {
    image: '${HUB_IMAGE:-pingan-hub:local}',
    command: ['stand-in', s, '--port', String(port)],
    restart: 'unless-stopped',
    // Any HTTP answer means it is up (the image's own check probes a hub role's /readyz).
    healthcheck: { test: probe(`http://127.0.0.1:${port}/`, false), interval: '10s', timeout: '5s', retries: 3 },
  };
}

function postgres(): Record<string, unknown> {
  const systems = existingSystems();
  return {
    image: 'postgres:17-bookworm',
    restart: 'unless-stopped',
    environment: {
      POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in docker/.env}',
      // What postgres/init-databases.sh makes: a login per subgraph, a database per subgraph that keeps tables in the hub, one audit chain each.
      HUB_SUBGRAPHS: SUBGRAPHS.join(' '),
      HUB_DATABASES: ownDatabases().join(' '),
      HUB_EXISTING_SYSTEMS: systems.join(' '),
      ...Object.fromEntries(SUBGRAPHS.map((s) => [passwordVar(s), password(s)])),
    },
    volumes: [
      'pgdata:/var/lib/postgresql/data',
      './postgres/init-databases.sh:/docker-entrypoint-initdb.d/10-pingan-hub.sh:ro',
      ...systems.map((pair) => {
        const s = pair.split('=')[0] as SubgraphName;
        return `../${subgraphs[s].existingDatabase!.devFixture}:/stand-ins/${s}.sql:ro`;
      }),
    ],
    healthcheck: { test: ['CMD-SHELL', 'pg_isready -U postgres -d postgres'], interval: '5s', timeout: '5s', retries: 12 },
  };
}

function pgbouncer(): Record<string, unknown> {
  return {
    build: { context: './pgbouncer' },
    image: '${PGBOUNCER_IMAGE:-pingan-hub-pgbouncer:local}',
    restart: 'unless-stopped',
    environment: {
      // The logins that reach their own database through it (pgbouncer/entrypoint.sh).
      HUB_DATABASES: ownDatabases().join(' '),
      ...Object.fromEntries(ownDatabases().map((s) => [passwordVar(s), password(s)])),
    },
    depends_on: { postgres: { condition: 'service_healthy' } },
  };
}

/** The internal signing key, copied into the container (not bind-mounted), readable by the image's user alone. */
const privateKeySecret = { source: 'internal_jwt_private_key', uid: IMAGE_UID, mode: 0o400 };

function gateway(): Record<string, unknown> {
  const base = hubService(['serve', 'gateway'], Object.fromEntries(SUBGRAPHS.map((s) => [s, { condition: 'service_started' }])));
  return {
    ...base,
    secrets: [privateKeySecret, 'internal_jwt_public_key', 'caller_jwt_public_key'],
    environment: {
      ...hubEnv,
      INTERNAL_JWT_PRIVATE_KEY: '/run/secrets/internal_jwt_private_key',
      ...Object.fromEntries(SUBGRAPHS.map((s) => [`SUBGRAPH_URL_${upper(s)}`, `http://${s}:${PORT}/graphql`])),
      ...Object.fromEntries(SUBGRAPHS.map((s) => [`SUBGRAPH_OPS_URL_${upper(s)}`, `http://${s}:${OPS_PORT}`])),
      SUBGRAPH_TIMEOUT_MS: '${SUBGRAPH_TIMEOUT_MS:-5000}',
      SUBGRAPH_HEALTH_INTERVAL_MS: '${SUBGRAPH_HEALTH_INTERVAL_MS:-5000}',
      SUPERGRAPH_FILE: '${SUPERGRAPH_FILE:-/app/schema/supergraph.graphql}',
      SUPERGRAPH_WATCH_MS: '${SUPERGRAPH_WATCH_MS:-5000}',
    },
    ports: [`\${GATEWAY_PUBLISH:-127.0.0.1:${PORT}}:${PORT}`],
  };
}

/** The compose file as an object: services in a stable order (databases, subgraphs in registry order with their stand-ins, gateway). */
export function dockerCompose(): Record<string, unknown> {
  const services: Record<string, unknown> = { postgres: postgres(), pgbouncer: pgbouncer() };
  // The audit subgraph first: it migrates the trail the departments append to.
  for (const s of ['audit' as const, ...SUBGRAPHS.filter((x) => x !== 'audit')]) {
    if (subgraphs[s].existingApi?.devService) services[standInService(s)] = standIn(s);
    services[s] = subgraphService(s);
  }
  services.gateway = gateway();
  return {
    name: 'pingan-hub',
    services,
    secrets: {
      internal_jwt_private_key: { environment: 'INTERNAL_JWT_PRIVATE_KEY_PEM' },
      internal_jwt_public_key: { file: './keys/internal-public.pem' },
      caller_jwt_public_key: { file: './keys/caller-public.pem' },
    },
    volumes: { pgdata: {} },
  };
}

const HEADER = `Generated by \`hub docker\` from the subgraph registry (src/cli/docker.ts); do not edit.
Pingan Hub, distributed: PostgreSQL (a database per subgraph that keeps tables in the hub, the audit
database, and stand-ins for the departments' own systems), PgBouncer, every subgraph and the gateway,
each its own container from one image. See docs/deploy.md.

  docker/init-secrets.sh                 # once: key pairs in docker/keys/, passwords in docker/.env
  SEED_DEMO=small docker compose -f docker/compose.yaml up -d --build
  docker compose -f docker/compose.yaml exec gateway node -e "fetch('http://127.0.0.1:4200/readyz').then(r=>r.text()).then(console.log)"
(readiness and metrics are on each container's operations port 4200, which is not published)`;

/** Why a service is what it is, said once above it in the file. */
function serviceComments(): Record<string, string> {
  const out: Record<string, string> = {
    pgbouncer: ' Departments reach their own databases through PgBouncer (session pooling; docker/pgbouncer/pgbouncer.ini says why).',
    audit:
      " The audit database's owner: migrates the trail and registers every chain; each department appends with its own login\n (AUDIT_MIGRATE=off, only its own chain: postgres/init-databases.sh) once it is healthy.",
    gateway:
      " Started, not healthy, subgraphs suffice: it serves what is up (partial results) and picks the rest up by itself.\n The private key is copied into the container (not bind-mounted), readable by the image's user alone.\n Several gateways: `--scale gateway=3` with a port range in GATEWAY_PUBLISH or a load balancer in front.",
  };
  for (const s of SUBGRAPHS) {
    const def = subgraphs[s];
    if (def.existingDatabase?.devFixture)
      out[s] =
        ` ${s} reads the department's own database, read-only: here a stand-in (${systemDatabase(s)}, loaded from ${def.existingDatabase.devFixture},\n which its login may only read). In production set DATABASE_URL_${upper(s)} in docker/.env: the department's system, a login that may only SELECT.` +
        (hasHubSchema(def) ? `\n What the hub keeps for it (its statistics release) is in its hub database, hub_${s} (DATABASE_URL).` : '');
    if (def.jobQueue)
      out[s] =
        ` Its job queue delivers a handoff's effects to the departments that own the records, and a dispatch asks the\n record's department whether it exists: both sign internal tokens as the gateway does (it calls ${def.jobQueue.calls.join(', ')}).`;
    if (def.existingApi?.devService)
      out[standInService(s)] =
        ` A stand-in for the ${s} department's own API (test fixtures, in the image). In production set API_URL_${upper(s)}\n in docker/.env to the real API and remove this service.`;
  }
  return out;
}

const YAML_11_BOOLEAN = /^(y|yes|n|no|true|false|on|off)$/i;

export function dockerComposeText(): string {
  const doc = new Document(dockerCompose(), { aliasDuplicateObjects: false });
  doc.commentBefore = HEADER.split('\n')
    .map((l) => ` ${l}`)
    .join('\n');
  const services = doc.get('services', true);
  if (isMap(services)) {
    const comments = serviceComments();
    for (const pair of services.items) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && comments[pair.key.value]) pair.key.commentBefore = comments[pair.key.value];
    }
  }
  visit(doc, {
    Scalar(_key, node) {
      // Plain `off`, `yes`… are booleans to a YAML 1.1 reader: quote them, as every reader must see the text.
      if (typeof node.value === 'string' && YAML_11_BOOLEAN.test(node.value)) node.type = 'QUOTE_DOUBLE';
      // A file mode: the number every YAML reader reads alike (`0o400` is a string to a YAML 1.1 one), said in octal beside it.
      if (node.value === 0o400) node.comment = ' 0o400: its owner reads it, nobody else';
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Writes docker/compose.yaml (or with `check`, only compares); true when it differs. */
export function writeDockerCompose(check: boolean): boolean {
  const text = dockerComposeText();
  const differs = !existsSync(DOCKER_COMPOSE) || readFileSync(DOCKER_COMPOSE, 'utf8') !== text;
  if (differs && !check) writeFileSync(DOCKER_COMPOSE, text);
  return differs;
}
