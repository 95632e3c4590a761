// Person-view latency of two builds of the hub, side by side: each runs `hub start` (embedded
// mode) on its own database of one PostgreSQL server, and they answer alternating blocks of
// sequential person views (a court officer, all five departments), so the machine's load falls on
// both alike. Prints p50/p90/p99 of each, the CPU time each hub process used per request (read
// from /proc, so Linux only; steadier than latency on a shared machine), peak RSS, and the ratios.
//
//   mkdir /tmp/hub-before && git archive <commit> | tar -x -C /tmp/hub-before
//   ln -s "$(pwd)/node_modules" /tmp/hub-before/ && (cd /tmp/hub-before && npx tsc -p tsconfig.build.json)
//   npm run -s build && node_modules/.bin/node bench/compare-builds.mjs /tmp/hub-before/dist/src/cli/hub.js dist/src/cli/hub.js
//   ENV_A='{"SUBGRAPH_TRANSPORT":"http"}' node_modules/.bin/node bench/compare-builds.mjs dist/src/cli/hub.js dist/src/cli/hub.js   # one build, two settings
//
// SCENARIO (person-view) picks the request: person-view or case-journey. BLOCKS (600) and PER (1) set the blocks per build and steps per block, CONCURRENCY (1) the requests sent at once per step (the default alternates
// A B B A … request by request, so load that drifts during the run falls on both); ENV_A / ENV_B (JSON) add
// environment variables to one side (e.g. '{"SUBGRAPH_BREAKER_FAILURES":"1000"}'). LABEL names the
// comparison and adds its figures to bench/results/levers.json, which docs/performance.md shows
// (`node dist/bench/report.js` redoes the page).
//
// The two sides are not alike: with the same build on both (an A/A run, 2 cores, load 4–8) B used 9–14 % less CPU
// per request than A (A also hosts the hotline stand-in that B calls). A lever's ratio B/A from one order carries
// that bias: run both orders (the builds swapped) and take the effect as √(ratio A→B ÷ ratio swapped).
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const require = createRequire(import.meta.url);
const B = new URL('../dist/src', import.meta.url).pathname;
const { startEmbeddedPostgres } = require(`${B}/shared/embeddedPostgres.js`);
const { ensureDatabase, withDatabase } = require(`${B}/shared/db.js`);
const { buildDemoCity, DEMO_SIZES } = require(`${B}/demo/city.js`);
const { personKey } = require(`${B}/shared/personKey.js`);
const { DEV_PERSON_KEY_SECRET } = require(`${B}/shared/config.js`);
const { SUBGRAPHS } = require(`${B}/shared/registry.js`);

const [hubA, hubB] = process.argv.slice(2);
if (!hubA || !hubB) throw new Error('usage: node bench/compare-builds.mjs <hub.js of build A> <hub.js of build B>');
// PORT_BASE (4500): A's ports from there, B's 200 above (another comparison running on this machine takes another base).
const PORT_BASE = Number(process.env.PORT_BASE ?? 4500);
const variants = [
  { name: 'A', hub: hubA, base: PORT_BASE },
  { name: 'B', hub: hubB, base: PORT_BASE + 200 },
];
const BLOCKS = Number(process.env.BLOCKS ?? 600),
  PER = Number(process.env.PER ?? 1),
  CONCURRENCY = Number(process.env.CONCURRENCY ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'ab-pg-'));
const { chmodSync } = await import('node:fs');
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres(join(dir, 'pg'), { durable: false });
const city = buildDemoCity(DEMO_SIZES.small);
// SCENARIO picks the request: the person view (default) or the case journey (bench/hubScenarios.ts), both as a court officer.
const SCENARIOS = {
  'person-view': {
    query: `query PersonView($id: ID!) { person(id: $id) { id name gender birthDate idNumber phone address grid { code }
  policeRecords { role policeCase { caseNo } } prosecutions { caseNo decision } courtCases { caseNo kind } mediations { id outcome } communityCorrection { id status } legalAid { id status } } }`,
    variables: city.criminalChains.slice(0, 50).map((c) => ({ id: personKey(c.suspectIdNumbers[0], DEV_PERSON_KEY_SECRET) })),
    answered: (data) => data?.person,
  },
  'case-journey': {
    query: require(new URL('../dist/bench/hubScenarios.js', import.meta.url).pathname).CASE_JOURNEY,
    variables: city.criminalChains
      .filter((c) => c.prosecution)
      .slice(0, 50)
      .map((c) => ({ caseNo: c.policeCaseNo })),
    answered: (data) => data?.policeCase,
  },
};
const scenario = SCENARIOS[process.env.SCENARIO ?? 'person-view'];
if (!scenario) throw new Error(`SCENARIO is one of ${Object.keys(SCENARIOS).join(', ')}`);
const children = [];
try {
  for (const v of variants) {
    await ensureDatabase(pg.url, `ab_${v.name.toLowerCase()}`);
    // Every port of each hub in its own range (the subgraphs of the registry, their operations ports); B uses A's hotline stand-in.
    const ports = Object.fromEntries(
      SUBGRAPHS.flatMap((name, i) => [
        [`${name.toUpperCase()}_PORT`, String(v.base + 1 + i)],
        [`${name.toUpperCase()}_OPS_PORT`, String(v.base + 51 + i)],
      ]),
    );
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: withDatabase(pg.url, `ab_${v.name.toLowerCase()}`),
      HUB_DATA_DIR: mkdtempSync(join(tmpdir(), `ab-${v.name}-`)),
      LOG_LEVEL: 'warn',
      GATEWAY_PORT: String(v.base),
      GATEWAY_OPS_PORT: String(v.base + 50),
      ...ports,
      ...(v.name === 'B' ? { API_URL_HOTLINE: 'http://127.0.0.1:4180' } : {}),
      RATE_LIMIT_SUBJECT_BURST: '1000000',
      RATE_LIMIT_AGENCY_BURST: '1000000',
      ...(process.env[`ENV_${v.name}`] ? JSON.parse(process.env[`ENV_${v.name}`]) : {}),
    };
    const child = spawn(process.execPath, [v.hub, 'start'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let out = '';
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (c) => {
        out += c;
        if (out.includes('Ctrl-C')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`${v.name} exited ${code}: ${out}`)));
    });
    v.token = /\n {2}court\s+[^\n]*\n {2}(\S+)/.exec(out)[1];
    v.url = `http://127.0.0.1:${v.base}/graphql`;
  }
  const one = async (v, i) => {
    const t0 = performance.now();
    const res = await fetch(v.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}`, 'x-purpose': 'measurement' },
      body: JSON.stringify({ query: scenario.query, variables: scenario.variables[i % scenario.variables.length] }),
    });
    const body = await res.json();
    if (res.status !== 200 || !scenario.answered(body.data)) throw new Error(`${v.name}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return performance.now() - t0;
  };
  // utime + stime of the hub process, in clock ticks (100 per second), and its peak RSS.
  const cpuTicks = (pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  };
  const peakRss = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  for (const v of variants) {
    v.ms = [];
    for (let i = 0; i < 50; i++) await one(v, i);
  }
  for (const [i, v] of variants.entries()) {
    v.pid = children[i].pid;
    v.ticks = cpuTicks(v.pid);
  }
  const load = loadavg()[0];
  // CONCURRENCY requests at once per step (default 1: one at a time), e.g. to see the audit's group commit.
  const step = async (v, i) => (await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => one(v, i * CONCURRENCY + k)))).forEach((ms) => v.ms.push(ms));
  for (let b = 0; b < BLOCKS; b++) for (const v of b % 2 ? [...variants].reverse() : variants) for (let i = 0; i < PER; i++) await step(v, b * PER + i);
  for (const v of variants) v.cpuMs = ((cpuTicks(v.pid) - v.ticks) * 10) / v.ms.length;
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)];
  for (const v of variants)
    console.log(
      `${v.name}: n=${v.ms.length} p50 ${q(v.ms, 0.5).toFixed(2)} ms p90 ${q(v.ms, 0.9).toFixed(2)} ms p99 ${q(v.ms, 0.99).toFixed(2)} ms  CPU ${v.cpuMs.toFixed(2)} ms/request  peak RSS ${peakRss(v.pid).toFixed(0)} MiB`,
    );
  console.log(
    `p50 B/A = ${(q(variants[1].ms, 0.5) / q(variants[0].ms, 0.5)).toFixed(3)}  CPU per request B/A = ${(variants[1].cpuMs / variants[0].cpuMs).toFixed(3)}  (load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores)`,
  );
  if (process.env.LABEL) {
    const file = new URL('./results/levers.json', import.meta.url);
    const side = (v) => ({
      env: process.env[`ENV_${v.name}`] ?? null,
      p50: q(v.ms, 0.5),
      p90: q(v.ms, 0.9),
      cpuMsPerRequest: v.cpuMs,
      peakRssMiB: peakRss(v.pid),
    });
    const entry = {
      label: process.env.LABEL,
      scenario: process.env.SCENARIO ?? 'person-view',
      concurrency: CONCURRENCY,
      measuredAt: new Date().toISOString(),
      requestsEach: variants[0].ms.length,
      loadAverage: [load, loadavg()[0]],
      a: side(variants[0]),
      b: side(variants[1]),
    };
    writeFileSync(file, `${JSON.stringify([...(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : []), entry], null, 2)}\n`);
  }
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  await pg.stop();
}
