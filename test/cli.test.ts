import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/shared/db';
import { repoRoot } from '../src/shared/paths';
import { hub } from './support/cli';

/** A data folder of our own: `hub token` makes dev keys in it on first use. */
const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The compiled `hub` CLI: every command documented, bad arguments refused with exit code 2 and a clear line. */
describe('hub CLI', () => {
  it('lists its commands, each with its own --help', () => {
    const help = hub(['--help']);
    expect(help.status).toBe(0);
    for (const command of [
      'start',
      'token',
      'compose',
      'policy',
      'audit',
      'migration',
      'new-department',
      'kubernetes',
      'docker',
      'stand-in',
      'petition-fixture',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
      const own = hub([command, '--help']);
      expect(own.status).toBe(0);
      expect(own.stdout).toContain(`Usage: hub ${command}`);
    }
    expect(hub(['policy', 'explain', '--help']).stdout).toContain('--agency <agency>');
    expect(hub(['audit', 'verify', '--help']).stdout).toContain('--against <path>');
  });

  it.each([
    [['bogus'], "unknown command 'bogus'"],
    [['token'], "required option '--agency <agency>' not specified"],
    [['token', '--agency', 'mayor'], 'unknown agency "mayor"'],
    [['token', '--agency', 'grid', '--jurisdiction', '2114'], 'jurisdiction "2114" is not a 6-, 9- or 12-digit division or grid code'],
    [['token', '--agency', 'grid', '--jurisdiction', '211402'], 'a grid token holds 12-digit codes'],
    [['token', '--agency', 'police', '--jurisdiction', '211400'], 'needs the "city" role'],
    [['token', '--agency', 'police', '--ttl', 'forever'], 'expected a duration like 30m, 8h or 2d'],
    [['policy', 'explain', 'Person.idNumber', '--agency', 'mayor'], 'unknown agency "mayor"'],
    [['migration', 'create', 'library'], 'unknown department "library"'],
    [['new-department'], "missing required argument 'name'"],
    [['stand-in', 'police'], 'no stand-in for "police": expected one of hotline'],
    [['stand-in', 'hotline', '--port', 'x'], '--port x: expected an integer from 0 to 65535'],
  ])('refuses %j', (args, message) => {
    const res = hub(args);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(message);
  });

  it("serves the stand-in for a department's API (hub stand-in, a service of docker/compose.yaml) until stopped", async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist/src/cli/hub.js'), 'stand-in', 'hotline', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const port = /on 127\.0\.0\.1:(\d+) /.exec(line.toString())![1];
      const res = await fetch(`http://127.0.0.1:${port}/api/tickets?limit=2`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as Array<{ gdbh: string }>).map((t) => t.gdbh)).toHaveLength(2);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
  });

  it('prints a dev token, and explains the policy offline', () => {
    const token = hub(['token', '--agency', 'grid', '--jurisdiction', '211402001001'], { HUB_DATA_DIR: dataDir });
    expect(token.status).toBe(0);
    expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const explain = hub(['policy', 'explain', 'Person.idNumber', '--agency', 'grid']);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toContain('Person.idNumber for grid: allow if inside your jurisdiction, else deny');
    const bound = hub(['policy', 'explain', 'Person.idNumber', '--agency', 'court']);
    expect(bound.stdout).toContain('allow if the record belongs to the case you stated and handle (x-purpose: case:<number>), else mask (idNumber)');
    // A field the graph does not have is refused, not answered with the type's default.
    const nope = hub(['policy', 'explain', 'Person.nope', '--agency', 'police']);
    expect(nope.status).toBe(2);
    expect(nope.stderr.trim().split('\n')).toEqual([expect.stringContaining('Person.nope: no such field in the graph')]);
  });

  it('hub seed refuses a history outside 12–120 whole months before touching any database (exit 2)', () => {
    for (const bad of ['11', '121', '6e1', '24.5', 'x']) {
      const res = hub(['seed', '--history-months', bad, '--database-url', 'postgresql://nobody@127.0.0.1:1/none'], { HUB_DATA_DIR: dataDir });
      expect(res.status).toBe(2);
      expect(oneLine(res.stderr)).toBe(`hub: --history-months ${bad}: expected a whole number of months from 12 to 120`);
    }
  });

  it('refuses dev tokens in production mode', () => {
    const res = hub(['token', '--agency', 'police'], { HUB_MODE: 'production', PERSON_KEY_SECRET: 'x'.repeat(40) });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('dev tokens exist only in dev mode');
  });
});

/** One plain line on stderr: no stack frames, no second line. */
function oneLine(stderr: string): string {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  return stderr.trim();
}

describe('hub CLI next to a running hub (.data/running.json)', () => {
  /** A data folder whose running.json names this (live) process and a seeded copy of the test city. */
  const running = mkdtempSync(join(tmpdir(), 'pingan-hub-cli-running-'));
  const idle = mkdtempSync(join(tmpdir(), 'pingan-hub-cli-idle-'));
  const serverUrl = process.env.HUB_TEST_SERVER_URL!;
  const database = `cli_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    await ensureDatabase(serverUrl, database, process.env.HUB_TEST_TEMPLATE);
    writeFileSync(
      join(running, 'running.json'),
      JSON.stringify({ pid: process.pid, databaseUrl: withDatabase(serverUrl, database), gatewayUrl: 'http://127.0.0.1:4000/graphql' }),
    );
  });
  afterAll(async () => {
    await dropDatabase(serverUrl, database);
    for (const dir of [running, idle]) rmSync(dir, { recursive: true, force: true });
  });

  it("hub plans with no arguments explains the running hub's database", () => {
    const res = hub(['plans'], { HUB_DATA_DIR: running });
    expect(res.stderr).not.toContain('--database-url');
    expect(res.stdout).toMatch(/persons/i);
    expect([0, 1]).toContain(res.status);
  }, 60_000);

  it('hub plans with no hub and no URL says to start one (exit 2)', () => {
    const res = hub(['plans'], { HUB_DATA_DIR: idle });
    expect(res.status).toBe(2);
    expect(oneLine(res.stderr)).toContain('start the hub (npm start)');
  });

  it('hub seed refuses plainly while the hub runs', () => {
    const res = hub(['seed', '--scale', 'small', '--no-progress'], { HUB_DATA_DIR: running });
    expect(res.status).toBe(1);
    expect(oneLine(res.stderr)).toBe(
      `hub: the hub is running (npm start, pid ${process.pid}) on ${running}: stop it (Ctrl-C) and seed again, or give --database-url`,
    );
  });

  it("hub migration apply finds the running hub's database, and says plainly where there is none (exit 2)", () => {
    const res = hub(['migration', 'apply', 'police'], { HUB_DATA_DIR: running });
    expect(res.stderr).toBe('');
    expect(res.stdout).toBe("police: schema up to date (the running hub's database)\n");
    expect(res.status).toBe(0);
    const none = hub(['migration', 'apply', 'police'], { HUB_DATA_DIR: idle });
    expect(none.status).toBe(2);
    expect(oneLine(none.stderr)).toContain('DATABASE_URL_POLICE or DATABASE_URL: required by `hub migration apply police`');
  });

  it('hub audit verify --against a missing file: one line, exit 2', () => {
    const res = hub(['audit', 'verify', '--against', join(idle, 'head.jws')], { HUB_DATA_DIR: running });
    expect(res.status).toBe(2);
    expect(oneLine(res.stderr)).toContain('no such file');
  });

  it('an unexpected failure is one line too (exit 1)', () => {
    const res = hub(['audit', 'verify', '--database-url', 'postgresql://nobody@127.0.0.1:1/none'], { HUB_DATA_DIR: idle });
    expect(res.status).toBe(1);
    expect(oneLine(res.stderr)).toContain('ECONNREFUSED');
  });
});

describe('hub doctor', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-doctor-'));
  let taken: Server;
  let takenPort: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });
  /** Every port 0 (not checked) unless the test says otherwise. */
  const ports = Object.fromEntries(['GATEWAY', 'GRID', 'POLICE', 'PROCURATORATE', 'COURT', 'JUSTICE', 'AUDIT'].map((p) => [`${p}_PORT`, '0']));

  it('passes on a healthy setup', () => {
    const res = hub(['doctor'], { ...ports, HUB_DATA_DIR: dataDir, DATABASE_URL: process.env.HUB_TEST_SERVER_URL! });
    expect(res.stdout).toMatch(/^ok {4}node {5}24\./m);
    expect(res.stdout).toMatch(/^ok {4}database PostgreSQL \d+/m);
    expect(res.stdout).toMatch(/^ok {4}policy {3}\d+ type entries/m);
    expect(res.status).toBe(0);
  });

  it('names a taken port, an unreachable database and a bad policy, with what to do (exit 1)', () => {
    const policy = join(dataDir, 'policy.yaml');
    writeFileSync(policy, 'types: [not, a, map]\n');
    const res = hub(['doctor'], {
      ...ports,
      GATEWAY_PORT: String(takenPort),
      HUB_DATA_DIR: dataDir,
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
      POLICY_FILE: policy,
    });
    expect(res.stdout).toContain(
      `FAIL  ports    ${takenPort} (GATEWAY_PORT) taken by another program on 127.0.0.1: stop it, or set the variable to a free port`,
    );
    expect(res.stdout).toMatch(/^FAIL {2}database cannot reach PostgreSQL while connecting \(ECONNREFUSED/m);
    expect(res.stdout).toMatch(/^FAIL {2}policy /m);
    expect(res.stdout).toMatch(/^ok {4}node /m);
    expect(res.status).toBe(1);
    expect(oneLine(res.stderr)).toBe('hub: 3 check(s) failed: ports, database, policy');
  });
});

/** `hub policy check` fails on a condition the subgraph resolving the field cannot evaluate (it would never hold there). */
describe('hub policy check', () => {
  it('passes on the policy as committed', () => {
    const res = hub(['policy', 'check']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('fails (exit 1) on a jurisdiction rule run where the record has no jurisdiction column', () => {
    // Police resolve Person.policeRecords on a stub carrying the person key only: no gridCode to test.
    const committed = readFileSync(join(__dirname, '..', 'schema', 'policy.yaml'), 'utf8');
    const broken = committed.replace(
      '        police: { if: role:investigator, then: allow, else: { if: caseBound, then: allow, else: deny } }',
      '        police: { if: jurisdiction, then: allow, else: deny }',
    );
    expect(broken).not.toBe(committed);
    const policy = join(dataDir, 'policy-jurisdiction-on-stub.yaml');
    writeFileSync(policy, broken);
    const res = hub(['policy', 'check'], { POLICY_FILE: policy });
    expect(res.stderr).toContain(
      'policy entry Person.fields.policeRecords.police: condition "jurisdiction" reads gridCode, which the police subgraph\'s Person records do not carry',
    );
    expect(res.status).toBe(1);
  });
});
