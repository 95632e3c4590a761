import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { importPKCS8 } from 'jose';
import { parse } from 'yaml';
import type { AccessEntry } from '../src/audit/chain';
import { AuditWriter } from '../src/audit/writer';
import { writeDockerCompose } from '../src/cli/docker';
import { migrateRole } from '../src/cli/serve';
import { DEPARTMENTS, SUBGRAPHS } from '../src/shared/config';
import { withDatabase } from '../src/shared/db';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/shared/embeddedPostgres';
import { repoRoot } from '../src/shared/paths';
import { subgraphs } from '../src/subgraphs';
import { sqlAt } from './support/db';

/** The Docker deployment as its files say it: logins, secrets and the image's user (no Docker needed). */
const docker = join(repoRoot, 'docker');

type Service = {
  command?: string[];
  environment: Record<string, string>;
  secrets?: Array<string | { source: string; uid?: string; mode?: number }>;
  depends_on?: Record<string, unknown>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
};
const composeText = readFileSync(join(docker, 'compose.yaml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file?: string; environment?: string }>;
};

/** The login of a postgresql:// URL in compose.yaml (variables left as they are). */
function login(url: string): string {
  return /^postgresql:\/\/([^:]+):/.exec(url)![1];
}

/** The departments that keep their own systems: petition (its own database), hotline (its own API). */
const ownDatabase = DEPARTMENTS.filter((d) => subgraphs[d].existingDatabase);
const ownApi = DEPARTMENTS.filter((d) => subgraphs[d].existingApi);

describe('docker/compose.yaml', () => {
  it('is what `hub docker` makes from the subgraph registry (hub docker --check)', () => {
    expect(writeDockerCompose(true)).toBe(false);
  });

  it('is valid against the Compose specification (the schema dclint ships), YAML 1.1 readers included', () => {
    const schema = JSON.parse(readFileSync(join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    const validate = ajv.compile(schema);
    expect(validate(parse(composeText))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    // Read as YAML 1.1 (older Compose readers), no value turns into a boolean or a number it was not meant to be.
    expect(parse(composeText, { version: '1.1' })).toEqual(parse(composeText));
  });

  it('runs every subgraph of the registry, the gateway, and a stand-in for each API a department keeps', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'pgbouncer', 'gateway', ...SUBGRAPHS, ...ownApi.map((d) => `${d}-api`)].sort());
    for (const s of SUBGRAPHS) expect({ s, command: compose.services[s].command }).toEqual({ s, command: ['serve', s] });
  });

  it.each(DEPARTMENTS)('%s uses its own login for its database and the audit trail, never the audit owner, and does not migrate the trail', (department) => {
    const env = compose.services[department].environment;
    expect(login(env.DATABASE_URL)).toBe(`hub_${department}`);
    expect(login(env.AUDIT_DATABASE_URL)).toBe(`hub_${department}`);
    expect(env.AUDIT_DATABASE_URL).toMatch(/@postgres:5432\/hub_audit$/);
    expect(env.AUDIT_MIGRATE).toBe('off');
    // The audit schema is migrated, and every chain registered, by its owner first.
    expect(compose.services[department].depends_on).toMatchObject({ audit: { condition: 'service_healthy' } });
  });

  it("reads a department's own database from a stand-in it may only read, loaded from its fixture; keeps its release in a hub database of its own", () => {
    expect(ownDatabase).toEqual(['petition']);
    const env = compose.services.petition.environment;
    // The bureau's system: DATABASE_URL_PETITION from docker/.env, else the stand-in (config.ts reads DATABASE_URL_<NAME> before DATABASE_URL).
    expect(env.DATABASE_URL_PETITION).toBe('${DATABASE_URL_PETITION:-postgresql://hub_petition:${HUB_DB_PASSWORD_PETITION:?}@postgres:5432/petition_system}');
    // The hub's schema for the bureau (its statistics release): a database of its own, as every department's.
    expect(env.DATABASE_URL).toBe('postgresql://hub_petition:${HUB_DB_PASSWORD_PETITION:?}@pgbouncer:6432/hub_petition');
    const postgres = compose.services.postgres;
    expect(postgres.environment.HUB_EXISTING_SYSTEMS).toBe('petition=xf');
    expect(postgres.environment.HUB_DATABASES.split(' ')).toContain('petition');
    expect(postgres.volumes).toContain('../test/fixtures/petition/xf.sql:/stand-ins/petition.sql:ro');
    expect(existsSync(join(docker, '..', 'test/fixtures/petition/xf.sql'))).toBe(true);
  });

  it("calls a department's own API where API_URL_<NAME> says, by default the stand-in of its spec's port and path", () => {
    expect(ownApi).toEqual(['hotline']);
    expect(compose.services.hotline.environment.API_URL_HOTLINE).toBe('${API_URL_HOTLINE:-http://hotline-api:4180/api}');
    expect(compose.services['hotline-api'].command).toEqual(['stand-in', 'hotline', '--port', '4180']);
    expect(compose.services.hotline.depends_on).toMatchObject({ 'hotline-api': { condition: 'service_started' } });
  });

  it('gives the audit owner login to the audit subgraph alone', () => {
    const owners = Object.entries(compose.services)
      .filter(([, s]) => Object.values(s.environment ?? {}).some((v) => typeof v === 'string' && v.startsWith('postgresql://hub_audit:')))
      .map(([name]) => name);
    expect(owners).toEqual(['audit']);
  });

  it('hands the gateway its private key as a copied secret only its user can read; no private key is a file secret', () => {
    const privateKey = compose.services.gateway.secrets!.find((s) => typeof s === 'object' && s.source === 'internal_jwt_private_key');
    expect(privateKey).toEqual({ source: 'internal_jwt_private_key', uid: '10001', mode: 0o400 });
    expect(compose.secrets.internal_jwt_private_key).toEqual({ environment: 'INTERNAL_JWT_PRIVATE_KEY_PEM' });
    for (const [name, secret] of Object.entries(compose.secrets))
      if (secret.file) expect({ name, file: secret.file }).toEqual({ name, file: expect.stringMatching(/-public\.pem$/) });
  });
});

describe('the operations port (readiness, metrics)', () => {
  const dockerfile = readFileSync(join(docker, 'Dockerfile'), 'utf8');
  it('is 4200 in the image, where the health checks probe /readyz, and never published', () => {
    expect(dockerfile).toMatch(/^\s+OPS_PORT=4200 \\$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*process\.env\.OPS_PORT \|\| 4200\) \+ '\/readyz'/);
    const hub = Object.entries(compose.services).filter(([, s]) => s.healthcheck?.test.join(' ').includes('/readyz'));
    expect(hub.map(([name]) => name).sort()).toEqual(['gateway', ...SUBGRAPHS].sort());
    for (const [name, s] of hub) {
      expect({ name, probe: s.healthcheck!.test.join(' ') }).toEqual({ name, probe: expect.stringContaining("'http://127.0.0.1:4200/readyz'") });
      expect({ name, published: (s.ports ?? []).filter((p) => /:4200$/.test(p)) }).toEqual({ name, published: [] });
    }
  });
  it("gives the gateway every subgraph's URL and operations URL, so it probes readiness where it is served", () => {
    const env = compose.services.gateway.environment;
    for (const s of SUBGRAPHS) {
      expect(env[`SUBGRAPH_URL_${s.toUpperCase()}`]).toBe(`http://${s}:4000/graphql`);
      expect(env[`SUBGRAPH_OPS_URL_${s.toUpperCase()}`]).toBe(`http://${s}:4200`);
    }
  });
});

/** compose.yaml's `${VAR:?}` and `${VAR:-default}` filled in from `vars`, as Compose would; the host names mapped to this machine's server. */
function interpolate(value: string, vars: Record<string, string>, hosts: Record<string, string>): string {
  // Innermost first, as compose does: a default may hold a variable (`${A:-x${B:?}y}`); an unset or empty variable takes its `:-` default.
  let filled = value;
  for (let before = ''; before !== filled;) {
    before = filled;
    filled = filled.replace(/\$\{([A-Z0-9_]+)(?::([?-])([^{}]*))?\}/g, (_, name: string, kind?: string, fallback?: string) =>
      vars[name] ? vars[name] : kind === '-' ? (fallback ?? '') : '',
    );
  }
  return Object.entries(hosts).reduce((url, [from, to]) => url.replace(`@${from}/`, `@${to}/`), filled);
}

describe('the compose database, made by docker/postgres/init-databases.sh on a PostgreSQL server of its own', () => {
  // Roles are the server's, not a database's: the script runs on a throwaway server, never the suite's.
  let server: EmbeddedDatabase;
  let dir: string;
  // What docker/.env holds (init-secrets.sh): a password per login, the person-key secret.
  const dotEnv = {
    ...Object.fromEntries(SUBGRAPHS.map((s) => [`HUB_DB_PASSWORD_${s.toUpperCase()}`, `pw-${s}-${process.pid}`])),
    PERSON_KEY_SECRET: randomBytes(32).toString('hex'),
  };
  let hosts: Record<string, string>;
  const envOf = (s: string) => Object.fromEntries(Object.entries(compose.services[s].environment).map(([k, v]) => [k, interpolate(v, dotEnv, hosts)]));
  const writers: AuditWriter[] = [];
  const entry = (subgraph: string): AccessEntry => ({
    requestId: `compose-${subgraph}`,
    subject: 'test',
    agency: 'admin',
    operation: null,
    documentHash: null,
    purpose: null,
    entityType: 'Probe',
    entityId: null,
    field: '*',
    decision: 'allow',
    reason: 'compose login test',
    paths: [],
    fields: [],
    breakGlass: false,
    sealed: false,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pingan-hub-compose-pg-'));
    // initdb runs as the unprivileged `postgres` user when we are root: it must be able to enter the folder.
    chmodSync(dir, 0o755);
    server = await startEmbeddedPostgres(join(dir, 'pg'), { durable: false });
    const superuser = new URL(server.url);
    hosts = { 'postgres:5432': `127.0.0.1:${server.port}`, 'pgbouncer:6432': `127.0.0.1:${server.port}` };
    const postgres = compose.services.postgres;
    const standIns = mkdtempSync(join(tmpdir(), 'pingan-hub-stand-ins-'));
    for (const volume of postgres.volumes!.filter((v) => v.includes(':/stand-ins/'))) {
      const [from, to] = volume.split(':');
      copyFileSync(join(docker, from), join(standIns, to.slice('/stand-ins/'.length)));
    }
    execFileSync('sh', [join(docker, 'postgres', 'init-databases.sh')], {
      stdio: 'pipe',
      env: {
        PATH: process.env.PATH,
        ...envOf('postgres'),
        POSTGRES_USER: 'postgres',
        PGHOST: '127.0.0.1',
        PGPORT: String(server.port),
        PGPASSWORD: decodeURIComponent(superuser.password),
        HUB_STAND_INS: standIns,
      },
    });
    rmSync(standIns, { recursive: true, force: true });
    // What the audit container does before it serves: migrate the trail as its owner, register every chain.
    await migrateRole('audit', { ...envOf('audit'), LOG_LEVEL: 'silent' });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(writers.map((w) => w.close()));
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(DEPARTMENTS)('%s appends to its own chain with its own login, and cannot write as another department', async (department) => {
    const env = envOf(department);
    const own = new AuditWriter(env.AUDIT_DATABASE_URL, department);
    writers.push(own);
    await own.write([entry(department)]);
    const other = new AuditWriter(env.AUDIT_DATABASE_URL, department === 'grid' ? 'police' : 'grid');
    writers.push(other);
    await expect(other.write([entry(department)])).rejects.toThrow(/permission denied to set role/);
    const rows = await sqlAt<{ chain: string }>(withDatabase(server.url, 'hub_audit'), 'select chain from audit.access_log where request_id = $1', [
      `compose-${department}`,
    ]);
    expect(rows).toEqual([{ chain: department }]);
  });

  it("lets petition's login read the stand-in of the bureau's system and nothing else: no write, no other department's database", async () => {
    const url = envOf('petition').DATABASE_URL_PETITION;
    const cases = await sqlAt<{ n: string }>(url, 'select count(*) as n from xf.xf_case');
    expect(Number(cases[0].n)).toBeGreaterThan(0);
    await expect(sqlAt(url, "update xf.xf_case set blzt = 'x'")).rejects.toThrow(/permission denied for table xf_case/);
    await expect(sqlAt(url, 'create table xf.mine (id int)')).rejects.toThrow(/permission denied for schema xf/);
    await expect(sqlAt(url.replace(/\/[^/]+$/, '/hub_grid'), 'select 1')).rejects.toThrow(/permission denied for database "hub_grid"/);
    // Its hub database (the statistics release) is its own, as a native department's is.
    await expect(sqlAt(envOf('petition').DATABASE_URL, 'select current_user as u')).resolves.toEqual([{ u: 'hub_petition' }]);
  });

  it("lets each native department's login reach its own database only", async () => {
    for (const department of DEPARTMENTS.filter((d) => !subgraphs[d].existingDatabase)) {
      const url = envOf(department).DATABASE_URL;
      await expect(sqlAt(url, 'select current_user as u')).resolves.toEqual([{ u: `hub_${department}` }]);
      const other = department === 'grid' ? 'hub_police' : 'hub_grid';
      await expect(sqlAt(url.replace(/\/[^/]+$/, `/${other}`), 'select 1')).rejects.toThrow(/permission denied for database/);
    }
  });
});

describe('docker/init-secrets.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-hub-docker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes private keys and .env readable by their owner only (0600), public keys 0644, and a .env key the hub can import', async () => {
    mkdirSync(join(dir, 'docker'));
    copyFileSync(join(docker, 'init-secrets.sh'), join(dir, 'docker', 'init-secrets.sh'));
    copyFileSync(join(docker, 'compose.yaml'), join(dir, 'docker', 'compose.yaml'));
    execFileSync('sh', [join(dir, 'docker', 'init-secrets.sh')], { stdio: 'pipe' });
    const mode = (file: string) => (statSync(join(dir, 'docker', file)).mode & 0o777).toString(8);
    expect(['.env', 'keys/internal-private.pem', 'keys/caller-private.pem'].map(mode)).toEqual(['600', '600', '600']);
    expect(['keys/internal-public.pem', 'keys/caller-public.pem'].map(mode)).toEqual(['644', '644']);
    const env = readFileSync(join(dir, 'docker', '.env'), 'utf8');
    const pem = /^INTERNAL_JWT_PRIVATE_KEY_PEM="(.*)"$/m.exec(env)![1].replace(/\\n/g, '\n');
    expect(pem).toBe(readFileSync(join(dir, 'docker', 'keys', 'internal-private.pem'), 'utf8'));
    await expect(importPKCS8(pem, 'ES256')).resolves.toBeDefined();
    // A password for every login compose.yaml names, each its own.
    const names = [...env.matchAll(/^(HUB_DB_PASSWORD_[A-Z0-9_]+)=([0-9a-f]{32})$/gm)];
    expect(names.map((m) => m[1]).sort()).toEqual(SUBGRAPHS.map((s) => `HUB_DB_PASSWORD_${s.toUpperCase()}`).sort());
    expect(new Set(names.map((m) => m[2])).size).toBe(names.length);
  });
});

describe('docker/Dockerfile', () => {
  it('copies into its build stage everything the build compiles and bundles', () => {
    const file = readFileSync(join(docker, 'Dockerfile'), 'utf8');
    const build = file.slice(0, file.lastIndexOf('\nFROM '));
    const copied = [...build.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
    const tsconfig = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    // bench/ is compiled when present; the image does not run benchmarks.
    const roots = tsconfig.include.map((p) => p.replace(/\/\*\*.*$/, '')).filter((r) => r !== 'bench');
    const buildScript = readFileSync(join(repoRoot, 'tools', 'build.mts'), 'utf8');
    const bundled = [...buildScript.matchAll(/\[join\(root, '(\w+)', 'build\.mts'\)\]/g)].map((m) => m[1]);
    expect(bundled).toEqual(['console']);
    for (const needed of [...roots, ...bundled, 'tools', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'])
      expect({ needed, copied: copied.includes(needed) }).toEqual({ needed, copied: true });
  });

  it('runs the hub as an unprivileged user (uid 10001), not root', () => {
    const file = readFileSync(join(docker, 'Dockerfile'), 'utf8');
    const final = file.slice(file.lastIndexOf('\nFROM '));
    expect(final).toMatch(/useradd --system --uid 10001 [^\n]* hub\b/);
    const users = [...final.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('hub');
  });
});
