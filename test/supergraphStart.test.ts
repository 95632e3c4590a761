import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAST_GOOD_SUPERGRAPH } from '../src/cli/serve';
import { supergraphId } from '../src/gateway/supergraph';
import { freePort } from '../src/shared/embeddedPostgres';
import { repoRoot } from '../src/shared/paths';
import { SUBGRAPHS } from '../src/shared/config';
import { waitFor } from './support/processes';

/**
 * `hub serve gateway` started on a supergraph file it cannot serve: without a last good copy it
 * says why in one line and exits 2; with one (kept from an earlier start) it serves the copy and
 * its `/readyz` says `stale` until a good file arrives. Only the gateway runs: no subgraph needed.
 */
const HUB_JS = join(repoRoot, 'dist', 'src', 'cli', 'hub.js');
const GOOD = join(repoRoot, 'schema', 'supergraph.graphql');
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pingan-hub-supergraph-'));
  file = join(dir, 'supergraph.graphql');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function gateway(port: number, opsPort: number) {
  const env = {
    PATH: process.env.PATH ?? '',
    HUB_DATA_DIR: join(dir, 'data'),
    SUPERGRAPH_FILE: file,
    SUPERGRAPH_WATCH_MS: '0',
    PORT: String(port),
    OPS_PORT: String(opsPort),
    LOG_LEVEL: 'info',
    // Nothing listens there: the gateway starts without its subgraphs.
    ...Object.fromEntries(
      SUBGRAPHS.flatMap((s) => [
        [`SUBGRAPH_URL_${s.toUpperCase()}`, 'http://127.0.0.1:9/graphql'],
        [`SUBGRAPH_OPS_URL_${s.toUpperCase()}`, 'http://127.0.0.1:9'],
      ]),
    ),
  };
  const child = spawn(process.execPath, [HUB_JS, 'serve', 'gateway'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => stdout.push(...c.toString('utf8').split('\n').filter(Boolean)));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exit = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const readyz = async () =>
    (await (await fetch(`http://127.0.0.1:${opsPort}/readyz`, { signal: AbortSignal.timeout(2_000) })).json()) as {
      supergraph: string;
      supergraphId: string;
      status: string;
    };
  return { child, exit, stdout, stderr: () => stderr, readyz };
}

test('an invalid supergraph and no last good copy: one line naming the file and the error, no stack, exit code 2', async () => {
  writeFileSync(file, 'type Query { oops');
  const g = gateway(await freePort(), await freePort());
  expect(await g.exit).toBe(2);
  const lines = g.stderr().trimEnd().split('\n');
  expect(lines).toEqual([
    expect.stringMatching(new RegExp(`^hub: supergraph ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be served: Syntax Error: `)),
  ]);
  expect(g.stdout.join('\n')).not.toMatch(/\n\s+at /);
}, 30_000);

test('a missing file: the same one line and exit code 2', async () => {
  const g = gateway(await freePort(), await freePort());
  expect(await g.exit).toBe(2);
  expect(g.stderr().trimEnd().split('\n')).toEqual([expect.stringMatching(/cannot be served: cannot read it \(ENOENT\)$/)]);
}, 30_000);

test('with a last good copy: an invalid file at start serves the copy, /readyz says stale, and a good file ends it', async () => {
  const good = readFileSync(GOOD, 'utf8');
  const goodId = supergraphId(good);
  const [port, opsPort] = [await freePort(), await freePort()];

  // A first start on a good file leaves the copy beside the gateway's data.
  copyFileSync(GOOD, file);
  const first = gateway(port, opsPort);
  const fresh = await waitFor('the gateway to answer /readyz', 20_000, () => first.readyz());
  expect(fresh).toMatchObject({ supergraph: goodId, supergraphId: goodId });
  expect(readFileSync(join(dir, 'data', LAST_GOOD_SUPERGRAPH), 'utf8')).toBe(good);
  first.child.kill('SIGTERM');
  expect(await first.exit).toBe(0);

  // A bad rollout: the file no longer composes (a join to a subgraph that does not exist).
  writeFileSync(file, good.replace('@join__type(graph: POLICE, key: "id")', '@join__type(graph: NOWHERE, key: "id")'));
  const second = gateway(port, opsPort);
  try {
    const stale = await waitFor('the gateway to answer /readyz', 20_000, () => second.readyz());
    expect(stale).toMatchObject({ supergraph: 'stale', supergraphId: goodId, status: 'not ready' });
    const logged = second.stdout
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => typeof l.msg === 'string' && l.msg.includes('serving the last good copy'));
    expect(logged).toMatchObject({ file, servedFrom: join(dir, 'data', LAST_GOOD_SUPERGRAPH), supergraph: goodId });
    // The bad file did not replace the copy.
    expect(readFileSync(join(dir, 'data', LAST_GOOD_SUPERGRAPH), 'utf8')).toBe(good);

    // A good file arrives (here the original again): no longer stale.
    writeFileSync(file, good);
    second.child.kill('SIGHUP');
    await waitFor('the gateway to leave stale', 5_000, async () => ((await second.readyz()).supergraph === goodId ? true : undefined));
    expect(existsSync(join(dir, 'data', `${LAST_GOOD_SUPERGRAPH}.tmp`))).toBe(false);
  } finally {
    second.child.kill('SIGTERM');
    await second.exit;
  }
}, 60_000);
