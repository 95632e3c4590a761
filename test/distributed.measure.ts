/**
 * Measurements of the distributed deployment (prints numbers, asserts nothing about time):
 * how long the gateway takes to notice a subgraph outage and its recovery, and the person view's
 * latency with one process per department against embedded mode (`hub start`, one process).
 *
 *   npm run -s build && NODE_OPTIONS=--experimental-vm-modules npx jest --testMatch '<rootDir>/test/distributed.measure.ts'
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type CryptoKey } from 'jose';
import { cityWideChange, devIdentities } from '../src/auth/devTokens';
import { signCallerToken } from '../src/auth/callerToken';
import { loadOrCreateDevKeyFile, TOKEN_ALG } from '../src/auth/keys';
import { DEV_PERSON_KEY_SECRET, SUBGRAPHS } from '../src/shared/config';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/shared/db';
import { freePort } from '../src/shared/embeddedPostgres';
import { personKey } from '../src/shared/personKey';
import { repoRoot } from '../src/shared/paths';
import { startTopology, waitFor, type Topology } from './support/processes';

const REQUESTS = 200;
const PERSON_VIEW = `query PersonView($id: ID!) {
  person(id: $id) {
    id name gender birthDate idNumber phone address householdStatus rentalHousing grid { code }
    policeRecords { role policeCase { caseNo } }
    incidents { id reportedAt }
    prosecutions { caseNo decision }
    courtCases { caseNo kind }
    mediations { id outcome }
    communityCorrection { id status }
    legalAid { id status }
  }
}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

async function timedPost(url: string, token: string, body: unknown): Promise<{ ms: number; json: any }> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'measurement' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  return { ms: performance.now() - t0, json };
}

let t: Topology;
beforeAll(async () => {
  // The gateway's defaults (SUBGRAPH_HEALTH_INTERVAL_MS=5000): the numbers are those of a default deployment.
  t = await startTopology();
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

test('how long the gateway takes to notice a subgraph outage and its recovery', async () => {
  const token = await t.token('police', cityWideChange('police'));
  const chain = t.city.criminalChains.find((c) => c.trial && c.prosecution)!;
  const variables = { id: personKey(chain.suspectIdNumbers[0], t.personKeySecret) };
  const gatewayState = async () => ((await (await fetch(`${t.processes.gateway!.ops}/readyz`)).json()) as any).subgraphs.police.state as string;
  const rows: string[] = [];
  for (let round = 0; round < 3; round++) {
    // Outage, no traffic: only the periodic probe can notice.
    const killedAt = performance.now();
    t.processes.police!.child.kill('SIGKILL');
    await t.processes.police!.exit;
    await waitFor('probe to notice', 15_000, async () => ((await gatewayState()) === 'down' ? true : undefined), 10);
    const probeNoticed = performance.now() - killedAt;
    // With traffic: the first request after the kill already answers without police.
    const first = await timedPost(t.gatewayUrl, token, { query: PERSON_VIEW, variables });
    const partial = first.json.errors?.some((e: any) => e.extensions?.department === 'police');

    const startedAt = performance.now();
    await t.start('police');
    const processReady = performance.now() - startedAt;
    const readyAt = performance.now();
    await waitFor('probe to notice recovery', 15_000, async () => ((await gatewayState()) === 'up' ? true : undefined), 10);
    const probeRecovered = performance.now() - readyAt;
    const full = await timedPost(t.gatewayUrl, token, { query: PERSON_VIEW, variables });
    const complete = !full.json.errors?.some((e: any) => e.extensions?.code === 'DEPARTMENT_UNAVAILABLE');
    rows.push(
      `round ${round + 1}: outage seen by /readyz after ${probeNoticed.toFixed(0)} ms (no traffic); first request after the kill: ${first.ms.toFixed(1)} ms, partial=${partial}; ` +
        `police process ready ${processReady.toFixed(0)} ms after spawn; recovery seen by /readyz ${probeRecovered.toFixed(0)} ms after that; next request complete=${complete}`,
    );
  }
  process.stdout.write(`\n${rows.join('\n')}\n`);
});

test('person view latency: process per department vs embedded mode', async () => {
  // Embedded mode as `npm start` runs it: one process, its own database on the same server.
  const serverUrl = process.env.HUB_TEST_SERVER_URL!;
  const database = `hub_measure_${process.pid}`;
  await ensureDatabase(serverUrl, database);
  const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-measure-'));
  const devKeys = await loadOrCreateDevKeyFile(dataDir);
  const ports: Record<string, number> = {};
  // Every port of every role, public and operations, free: nothing collides with another hub on this machine.
  for (const role of ['GATEWAY', ...SUBGRAPHS.map((s) => s.toUpperCase())])
    [ports[`${role}_PORT`], ports[`${role}_OPS_PORT`]] = [await freePort(), await freePort()];
  const embedded = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'hub.js'), 'start'], {
    env: {
      PATH: process.env.PATH,
      HUB_DATA_DIR: dataDir,
      DATABASE_URL: withDatabase(serverUrl, database),
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  embedded.stdout.on('data', (c: Buffer) => (output += c.toString()));
  embedded.stderr.on('data', (c: Buffer) => (output += c.toString()));
  try {
    const embeddedUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
    await waitFor('embedded hub', 120_000, async () => (output.includes('Pingan Hub is up') ? true : undefined), 200);
    const chain = t.city.criminalChains.find((c) => c.trial && c.prosecution)!;
    const idNumber = chain.suspectIdNumbers[0];
    const who = { ...devIdentities(t.city.grids[0].code).find((i) => i.agency === 'court')!, ...cityWideChange('court') };
    const embeddedToken = await signCallerToken((await importJWK(devKeys.caller.privateJwk, TOKEN_ALG)) as CryptoKey, 'pingan-hub-dev', 'pingan-hub', who);
    const distributedToken = await t.token('court', cityWideChange('court'));
    const targets = [
      { name: 'embedded (one process)', url: embeddedUrl, token: embeddedToken, id: personKey(idNumber, DEV_PERSON_KEY_SECRET), ms: [] as number[] },
      { name: 'distributed (7 processes)', url: t.gatewayUrl, token: distributedToken, id: personKey(idNumber, t.personKeySecret), ms: [] as number[] },
    ];
    for (const target of targets) {
      const warm = await timedPost(target.url, target.token, { query: PERSON_VIEW, variables: { id: target.id } });
      expect(warm.json.data.person.id).toBe(target.id);
    }
    // Alternating blocks, so a change in the machine's load falls on both alike.
    for (let block = 0; block < 4; block++) {
      for (const target of targets) {
        for (let i = 0; i < REQUESTS / 4; i++)
          target.ms.push((await timedPost(target.url, target.token, { query: PERSON_VIEW, variables: { id: target.id } })).ms);
      }
    }
    process.stdout.write(
      `\nperson view (court, fields of all five departments), ${REQUESTS} sequential requests each:\n` +
        targets.map((x) => `  ${x.name.padEnd(26)} median ${median(x.ms).toFixed(1)} ms, p90 ${p90(x.ms).toFixed(1)} ms`).join('\n') +
        '\n',
    );
  } finally {
    embedded.kill('SIGTERM');
    await new Promise((r) => embedded.once('exit', r));
    await dropDatabase(serverUrl, database);
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 300_000);
