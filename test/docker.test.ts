import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPKCS8 } from 'jose';
import { parse } from 'yaml';
import { DEPARTMENTS } from '../src/shared/config';
import { repoRoot } from '../src/shared/paths';

/** The Docker deployment as its files say it: logins, secrets and the image's user (no Docker needed). */
const docker = join(repoRoot, 'docker');

type Service = {
  environment: Record<string, string>;
  secrets?: Array<string | { source: string; uid?: string; mode?: number }>;
  depends_on?: Record<string, unknown>;
  healthcheck?: { test: string[] };
  ports?: string[];
};
const compose = parse(readFileSync(join(docker, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file?: string; environment?: string }>;
};

/** The login of a postgresql:// URL in compose.yaml (variables left as they are). */
function login(url: string): string {
  return /^postgresql:\/\/([^:]+):/.exec(url)![1];
}

/**
 * The two examples of departments that keep their own systems (petition: the bureau's database,
 * hotline: a REST API) run in embedded mode and Kubernetes, not yet in compose (docs/deploy.md).
 */
const NOT_IN_COMPOSE = ['petition', 'hotline'];

describe('docker/compose.yaml', () => {
  it('runs every department of the registry but the two examples that are not in compose yet', () => {
    expect(DEPARTMENTS.filter((d) => !compose.services[d])).toEqual(NOT_IN_COMPOSE);
  });

  it.each(DEPARTMENTS.filter((d) => !NOT_IN_COMPOSE.includes(d)))(
    '%s uses its own login for its database and the audit trail, never the audit owner, and does not migrate the trail',
    (department) => {
      const env = compose.services[department].environment;
      expect(login(env.DATABASE_URL)).toBe(`hub_${department}`);
      expect(login(env.AUDIT_DATABASE_URL)).toBe(`hub_${department}`);
      expect(env.AUDIT_DATABASE_URL).toMatch(/\/hub_audit$/);
      expect(env.AUDIT_MIGRATE).toBe('off');
      // The audit schema is migrated by its owner first.
      expect(compose.services[department].depends_on).toMatchObject({ audit: { condition: 'service_healthy' } });
    },
  );

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
    expect(hub.map(([name]) => name).sort()).toEqual(['audit', 'court', 'gateway', 'grid', 'justice', 'police', 'procuratorate', 'workflow']);
    for (const [name, s] of hub) {
      expect({ name, probe: s.healthcheck!.test.join(' ') }).toEqual({ name, probe: expect.stringContaining("'http://127.0.0.1:4200/readyz'") });
      expect({ name, published: (s.ports ?? []).filter((p) => /:4200$/.test(p)) }).toEqual({ name, published: [] });
    }
  });
  it("gives the gateway every subgraph's operations URL, so it probes readiness where it is served", () => {
    const env = compose.services.gateway.environment;
    for (const d of DEPARTMENTS.filter((x) => !NOT_IN_COMPOSE.includes(x))) expect(env[`SUBGRAPH_OPS_URL_${d.toUpperCase()}`]).toBe(`http://${d}:4200`);
    expect(env.SUBGRAPH_OPS_URL_AUDIT).toBe('http://audit:4200');
  });
});

describe('docker/postgres/init-databases.sh', () => {
  const script = readFileSync(join(docker, 'postgres', 'init-databases.sh'), 'utf8');
  it("lets each department login connect to the audit database and assume its own chain's role, and nothing more there", () => {
    expect(script).toMatch(
      /for department in grid police procuratorate court justice workflow; do[\s\S]*--set=chain="pingan_audit_chain_\$department"[\s\S]*grant connect on database hub_audit to :"login";\s*grant :"chain" to :"login";/,
    );
    expect(script).not.toMatch(/grant pingan_audit_writer to :"login"/);
    expect(script).not.toMatch(/grant (all|create)[^;]*hub_audit/i);
  });
});

describe('docker/init-secrets.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-hub-docker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes private keys and .env readable by their owner only (0600), public keys 0644, and a .env key the hub can import', async () => {
    mkdirSync(join(dir, 'docker'));
    copyFileSync(join(docker, 'init-secrets.sh'), join(dir, 'docker', 'init-secrets.sh'));
    execFileSync('sh', [join(dir, 'docker', 'init-secrets.sh')], { stdio: 'pipe' });
    const mode = (file: string) => (statSync(join(dir, 'docker', file)).mode & 0o777).toString(8);
    expect(['.env', 'keys/internal-private.pem', 'keys/caller-private.pem'].map(mode)).toEqual(['600', '600', '600']);
    expect(['keys/internal-public.pem', 'keys/caller-public.pem'].map(mode)).toEqual(['644', '644']);
    const env = readFileSync(join(dir, 'docker', '.env'), 'utf8');
    const pem = /^INTERNAL_JWT_PRIVATE_KEY_PEM="(.*)"$/m.exec(env)![1].replace(/\\n/g, '\n');
    expect(pem).toBe(readFileSync(join(dir, 'docker', 'keys', 'internal-private.pem'), 'utf8'));
    await expect(importPKCS8(pem, 'ES256')).resolves.toBeDefined();
  });
});

describe('docker/Dockerfile', () => {
  it('runs the hub as an unprivileged user (uid 10001), not root', () => {
    const file = readFileSync(join(docker, 'Dockerfile'), 'utf8');
    const final = file.slice(file.lastIndexOf('\nFROM '));
    expect(final).toMatch(/useradd --system --uid 10001 [^\n]* hub\b/);
    const users = [...final.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('hub');
  });
});
