import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPKCS8, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { Client } from 'pg';
import { devIdentities, type DevIdentity } from '../../src/auth/devTokens';
import { signCallerToken } from '../../src/auth/callerToken';
import { TOKEN_ALG } from '../../src/auth/keys';
import type { Agency } from '../../src/auth/viewer';
import type { Role } from '../../src/cli/serve';
import { SUBGRAPHS, type SubgraphName } from '../../src/shared/config';
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/shared/db';
import { buildDemoCity, DEMO_SIZES } from '../../src/demo/city';
import type { DemoCity } from '../../src/demo/types';
import { freePort } from '../../src/shared/embeddedPostgres';
import { repoRoot } from '../../src/shared/paths';
import type { GraphQLResponse } from './hub';

const ROLES: Role[] = ['gateway', ...SUBGRAPHS];
const HUB_JS = join(repoRoot, 'dist', 'src', 'cli', 'hub.js');
// Nine processes migrate and seed their databases at once; on two shared cores under other suites that has taken over 45 s.
const READY_TIMEOUT_MS = 120_000;
const ISSUER = 'pingan-hub-test-issuer';
const AUDIENCE = 'pingan-hub';

export interface HubProcess {
  role: Role;
  port: number;
  /** http://127.0.0.1:port (add /graphql, /healthz). */
  base: string;
  /** The operations port: http://127.0.0.1:opsPort (add /readyz, /metrics, /healthz). */
  ops: string;
  child: ChildProcess;
  /** Exit code, or the signal name when killed by one. */
  exit: Promise<number | string>;
  /** stdout and stderr so far (JSON log lines). */
  output: string[];
}

/**
 * The distributed deployment as real OS processes on loopback ports: `node dist/src/cli/hub.js
 * serve <role>` for the six subgraphs and the gateway, each subgraph with its own database on the
 * test server (the audit subgraph's is the audit database every department writes to), configured
 * only by environment variables, in production mode with PEM keys from the environment.
 */
export interface Topology {
  city: DemoCity;
  personKeySecret: string;
  /** Database name per subgraph on the test server. */
  databases: Record<SubgraphName, string>;
  ports: Record<Role, number>;
  opsPorts: Record<Role, number>;
  processes: Partial<Record<Role, HubProcess>>;
  gatewayUrl: string;
  /** The supergraph file the gateway serves (a copy: tests may rewrite it). */
  supergraphFile: string;
  token(agency: Agency, overrides?: Partial<DevIdentity>): Promise<string>;
  query<T = Record<string, unknown>>(
    token: string,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Spawns one role and waits until its /readyz (on its operations port) is green (or fails with its output). */
  start(role: Role): Promise<HubProcess>;
  /** Runs SQL as the server's superuser on a subgraph's database, or on `postgres` (null). */
  sql<T = Record<string, unknown>>(database: SubgraphName | null, text: string, params?: unknown[]): Promise<T[]>;
  /** SIGTERMs whatever still runs, waits for it, drops the databases. */
  stop(): Promise<void>;
}

async function pemPair(): Promise<{ privatePem: string; publicPem: string; privateKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
  return { privatePem: await exportPKCS8(privateKey), publicPem: await exportSPKI(publicKey), privateKey };
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function startTopology(opts: { env?: Record<string, string>; roleEnv?: Partial<Record<Role, Record<string, string>>> } = {}): Promise<Topology> {
  const serverUrl = process.env.HUB_TEST_SERVER_URL!;
  const tag = randomBytes(4).toString('hex');
  const databases = Object.fromEntries(SUBGRAPHS.map((s) => [s, `hub_dist_${tag}_${s}`])) as Record<SubgraphName, string>;
  await Promise.all(Object.values(databases).map((db) => ensureDatabase(serverUrl, db)));
  const ports = {} as Record<Role, number>;
  const opsPorts = {} as Record<Role, number>;
  for (const role of ROLES) [ports[role], opsPorts[role]] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'pingan-hub-dist-'));
  const supergraphFile = join(dir, 'supergraph.graphql');
  copyFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), supergraphFile);

  const [internal, caller] = await Promise.all([pemPair(), pemPair()]);
  const personKeySecret = randomBytes(32).toString('hex');
  const common: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HUB_MODE: 'production',
    HUB_HOST: '127.0.0.1',
    HUB_DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    PERSON_KEY_SECRET: personKeySecret,
    INTERNAL_JWT_PUBLIC_KEY: internal.publicPem,
    CALLER_JWT_PUBLIC_KEY: caller.publicPem,
    CALLER_JWT_ISSUER: ISSUER,
    CALLER_JWT_AUDIENCE: AUDIENCE,
    ...opts.env,
  };
  const roleEnv = (role: Role): Record<string, string> => {
    if (role === 'gateway') {
      return {
        ...common,
        PORT: String(ports.gateway),
        OPS_PORT: String(opsPorts.gateway),
        INTERNAL_JWT_PRIVATE_KEY: internal.privatePem,
        SUPERGRAPH_FILE: supergraphFile,
        ...Object.fromEntries(SUBGRAPHS.map((s) => [`SUBGRAPH_URL_${s.toUpperCase()}`, `http://127.0.0.1:${ports[s]}/graphql`])),
        ...Object.fromEntries(SUBGRAPHS.map((s) => [`SUBGRAPH_OPS_URL_${s.toUpperCase()}`, `http://127.0.0.1:${opsPorts[s]}`])),
        ...opts.roleEnv?.gateway,
      };
    }
    return {
      ...common,
      PORT: String(ports[role]),
      OPS_PORT: String(opsPorts[role]),
      DATABASE_URL: withDatabase(serverUrl, databases[role]),
      AUDIT_DATABASE_URL: withDatabase(serverUrl, databases.audit),
      // The audit subgraph has nothing to seed (its trail fills with use).
      ...(role === 'audit' ? {} : { SEED_DEMO: 'small' }),
      // The workflow alone calls departments (dispatch's record check, the effects' reads and deliveries), as in docker/compose.yaml.
      ...(role === 'workflow'
        ? {
            INTERNAL_JWT_PRIVATE_KEY: internal.privatePem,
            ...Object.fromEntries(SUBGRAPHS.map((s) => [`SUBGRAPH_URL_${s.toUpperCase()}`, `http://127.0.0.1:${ports[s]}/graphql`])),
          }
        : {}),
      ...opts.roleEnv?.[role],
    };
  };

  const processes: Partial<Record<Role, HubProcess>> = {};
  const start = async (role: Role): Promise<HubProcess> => {
    const child = spawn(process.execPath, [HUB_JS, 'serve', role], { env: roleEnv(role), stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (output.length > 2000) output.splice(0, output.length - 2000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const exit = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    const p: HubProcess = { role, port: ports[role], base: `http://127.0.0.1:${ports[role]}`, ops: `http://127.0.0.1:${opsPorts[role]}`, child, exit, output };
    processes[role] = p;
    let exited: number | string | undefined;
    void exit.then((c) => (exited = c));
    await waitFor(`${role} to be ready`, READY_TIMEOUT_MS, async () => {
      if (exited !== undefined) throw new Error(`${role} exited (${exited}) before it was ready:\n${output.join('\n')}`);
      const res = await fetch(`${p.ops}/readyz`, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? true : undefined;
    }).catch((err: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- ${role} output ---\n${output.slice(-30).join('\n')}`);
    });
    return p;
  };

  const identities = devIdentities(buildDemoCity(DEMO_SIZES.small).grids[0].code);
  const stopAll = async () => {
    const running = Object.values(processes).filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    for (const p of running) p.child.kill('SIGTERM');
    await Promise.all(running.map((p) => Promise.race([p.exit, new Promise((r) => setTimeout(r, 15_000))])));
    for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  };
  try {
    // The subgraphs start together (each migrates and seeds its own database), then the gateway.
    await Promise.all(SUBGRAPHS.map((s) => start(s)));
    await start('gateway');
  } catch (err) {
    await stopAll();
    await Promise.all(Object.values(databases).map((db) => dropDatabase(serverUrl, db)));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    city: buildDemoCity(DEMO_SIZES.small),
    personKeySecret,
    databases,
    ports,
    opsPorts,
    processes,
    gatewayUrl: `http://127.0.0.1:${ports.gateway}/graphql`,
    supergraphFile,
    token: (agency, overrides = {}) => {
      const base = identities.find((i) => i.agency === agency)!;
      return signCallerToken(caller.privateKey, ISSUER, AUDIENCE, { ...base, ...overrides, ttl: '1h' });
    },
    async query(token, query, variables, headers = {}) {
      const res = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] } as never;
    },
    start,
    async sql(database, text, params = []) {
      const client = new Client({ connectionString: withDatabase(serverUrl, database ? databases[database] : 'postgres') });
      await client.connect();
      try {
        return (await client.query(text, params)).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await stopAll();
      await Promise.all(Object.values(databases).map((db) => dropDatabase(serverUrl, db)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
