import 'reflect-metadata';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { devToken } from '../src/auth/devTokens';
import { loadAuthKeys } from '../src/auth/keys';
import { loadConfig } from '../src/shared/config';
import { logger } from '../src/shared/logger';
import { repoRoot } from '../src/shared/paths';
import { checkExpectedResponse, checkSameAnswers, sqlProfile, type SqlProfile } from './checks';
import { BenchChild } from './children';
import { fitPools, openBenchDatabase, withClient, type BenchCity, type BenchDatabase } from './database';
import {
  caseJourneyPageRequest,
  caseJourneyRequests,
  gridListRequest,
  gridListRequests,
  makeHubTokens,
  personViewPageRequest,
  personViewRequests,
  randomWorkload,
  unstatedCaseJourneyRequests,
  unstatedPersonViewRequests,
  sampleHubData,
  type HubTokens,
} from './hubScenarios';
import { machineLoad, snapshot, waitForQuiet } from './machine';
import { medianOf, runLoad, starved, type BenchRequest, type LoadResult, type Workload } from './load';
import { summariseProfiles } from './profile';
import { publicExpectedResponse, publicQuery } from './publicBenchmark';
import { evaluate, writeResults, type BenchResults, type Measurement, type ScalingCheck } from './report';
import { analystToken, describeRelease, seriesMonths, seriesRequest, storedRelease, timeSeries } from './statistics';
import { DEFAULT_HISTORY_MONTHS, demoPeriod, HISTORY_MONTHS_RANGE } from '../src/demo/city';
import { parseScale } from '../src/demo/scale';

/**
 * `npm run bench`: the hub's scenarios (person view, case journey, grid worker's list), the
 * raw-SQL floor and the policy cost on one database, then the gateway A/B on the public
 * benchmark — every server in its own child process, load from this one (autocannon) over
 * loopback, warm-up first, each measurement repeated and the median kept; then the analyst's
 * monthly series of every county from the statistics release refreshed before the hubs started.
 * Writes bench/results/<time>.json, bench/results/latest.json and docs/performance.md — with
 * `--scale city`, bench/results/city-latest.json and docs/performance-city.md, on a city database
 * the bench seeds once and keeps.
 */

interface Options {
  databaseUrl?: string;
  /** The city of the bench's own database (ignored with a database URL). */
  city: BenchCity;
  /** Requests of the statistics series (one at a time). */
  seriesRequests: number;
  duration: number;
  warmup: number;
  rounds: number;
  connections: number;
  abConnections: number;
  only: Set<'hub' | 'ab'>;
  profile: boolean;
  audit: string;
  docs: boolean;
  /** Seconds to wait before each measurement for other processes to go quiet (0: don't). */
  quietWait: number;
  quietThreshold: number;
}

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${v}: expected a positive number`);
  return n;
}

function parseOptions(): Options {
  const program = new Command('bench')
    .description('Pingan Hub benchmark suite (npm run bench -- [options]); every option also has an environment variable')
    .option(
      '--database-url <url>',
      'use this PostgreSQL (e.g. a city-scale database) instead of an embedded one with the demo city [DATABASE_URL, unless --scale]',
    )
    .option(
      '--scale <scale>',
      'the demo city: small (throwaway database), or medium | city | a number of residents, seeded once into an embedded PostgreSQL kept in the data folder and reused [BENCH_SCALE, small]',
    )
    .option(
      '--history-months <n>',
      `months of history of the city, ${HISTORY_MONTHS_RANGE.min}–${HISTORY_MONTHS_RANGE.max} [BENCH_HISTORY_MONTHS; 23 for small, else 60]`,
    )
    .option('--series-requests <n>', "requests of the analyst's monthly series, one at a time [BENCH_SERIES_REQUESTS, 20]")
    .option('--duration <seconds>', 'length of each measurement [BENCH_DURATION, 5]')
    .option('--warmup <seconds>', 'warm-up per server and scenario before measuring [BENCH_WARMUP, 3]')
    .option('--rounds <n>', 'measurements per scenario; the median is kept [BENCH_ROUNDS, 3]')
    .option('--connections <n>', 'concurrent connections for the hub scenarios [BENCH_CONNECTIONS, 10]')
    .option('--ab-connections <n>', 'concurrent connections for the gateway A/B, 50 as published [BENCH_AB_CONNECTIONS, 50]')
    .option('--only <parts>', 'hub, ab or hub,ab [BENCH_ONLY, hub,ab]')
    .option('--profile', 'write CPU profiles of the servers to bench/results/profiles and summarise our hot spots [BENCH_PROFILE=1]')
    .option('--quiet-wait <seconds>', 'on a shared machine, wait up to this long before each measurement for other processes to go quiet [BENCH_QUIET_WAIT, 0]')
    .option('--quiet-threshold <percent>', "what 'quiet' means: other processes below this % of one core [BENCH_QUIET_THRESHOLD, 25]")
    .option('--no-docs', 'do not rewrite docs/performance.md (results JSON only)')
    .parse();
  const o = program.opts<Record<string, string | boolean | undefined>>();
  const num = (flag: string | boolean | undefined, env: string, fallback: number) => (typeof flag === 'string' ? Number(flag) : envNumber(env, fallback));
  const only = String(o.only ?? process.env.BENCH_ONLY ?? 'hub,ab')
    .split(',')
    .map((s) => s.trim());
  for (const part of only) if (part !== 'hub' && part !== 'ab') throw new Error(`--only: unknown part ${part}`);
  const scaleText = (o.scale as string | undefined) ?? process.env.BENCH_SCALE;
  const scale = parseScale(scaleText ?? 'small').name;
  const monthsText = (o.historyMonths as string | undefined) ?? process.env.BENCH_HISTORY_MONTHS;
  // A city is benchmarked over the five years the analyst's series covers; the small one as it always was.
  const historyMonths = monthsText === undefined ? (scale === 'small' ? DEFAULT_HISTORY_MONTHS : 60) : /^\d{1,4}$/.test(monthsText) ? Number(monthsText) : NaN;
  try {
    demoPeriod(historyMonths);
  } catch {
    throw new Error(`--history-months ${monthsText}: expected a whole number of months from ${HISTORY_MONTHS_RANGE.min} to ${HISTORY_MONTHS_RANGE.max}`);
  }
  return {
    // A scale asks for the bench's own database: DATABASE_URL (set for tests) does not override it.
    databaseUrl: (o.databaseUrl as string | undefined) ?? (scaleText === undefined ? process.env.DATABASE_URL : undefined),
    city: { scale, historyMonths },
    seriesRequests: Math.round(num(o.seriesRequests, 'BENCH_SERIES_REQUESTS', 20)),
    duration: num(o.duration, 'BENCH_DURATION', 5),
    warmup: num(o.warmup, 'BENCH_WARMUP', 3),
    rounds: Math.round(num(o.rounds, 'BENCH_ROUNDS', 3)),
    connections: Math.round(num(o.connections, 'BENCH_CONNECTIONS', 10)),
    abConnections: Math.round(num(o.abConnections, 'BENCH_AB_CONNECTIONS', 50)),
    only: new Set(only as Array<'hub' | 'ab'>),
    profile: o.profile === true || process.env.BENCH_PROFILE === '1',
    // Passed to the hub's environment; the audit writer reads it once it exists.
    audit: process.env.AUDIT ?? 'on',
    docs: o.docs !== false,
    quietWait: typeof o.quietWait === 'string' ? Number(o.quietWait) : Number(process.env.BENCH_QUIET_WAIT ?? 0),
    quietThreshold: num(o.quietThreshold, 'BENCH_QUIET_THRESHOLD', 25),
  };
}

const RESULTS_DIR = join(repoRoot, 'bench', 'results');
const LOG_DIR = join(RESULTS_DIR, 'logs');
const PROFILE_DIR = join(RESULTS_DIR, 'profiles');

const log = (message: string) => process.stdout.write(`${message}\n`);

/** Everything started, so a failure or Ctrl-C stops it all. */
const running: Array<{ stop(): Promise<void> }> = [];

async function startChild(opts: Options, name: string, script: string, env: Record<string, string> = {}, args: string[] = []): Promise<BenchChild> {
  const execArgv = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = await BenchChild.start({ name, script, env, args, execArgv, logDir: LOG_DIR });
  running.push(child);
  log(`  started ${name} (pid ${child.pid})`);
  return child;
}

/** One timed run, with the CPU each named server process used during it. */
async function measure(workload: Workload, connections: number, durationSec: number, servers: Record<string, BenchChild>): Promise<LoadResult> {
  const before = await Promise.all(Object.values(servers).map((s) => s.stats()));
  const t0 = process.hrtime.bigint();
  const machineBefore = snapshot();
  const result = await runLoad(workload, { durationSec, connections });
  result.machine = machineLoad(machineBefore, snapshot());
  const elapsedMicros = Number(process.hrtime.bigint() - t0) / 1000;
  const after = await Promise.all(Object.values(servers).map((s) => s.stats()));
  const used = Object.keys(servers).map((name, i) => [name, after[i].cpuMicros - before[i].cpuMicros] as const);
  result.cpuPercent = Object.fromEntries(used.map(([name, micros]) => [name, (100 * micros) / elapsedMicros]));
  result.cpuMsPerRequest = Object.fromEntries(used.map(([name, micros]) => [name, micros / 1000 / Math.max(1, result.requests)]));
  return result;
}

interface Target {
  id: string;
  scenario: string;
  label: string;
  workload: Workload;
  servers: Record<string, BenchChild>;
  connections: number;
}

/**
 * One measurement; with `--quiet-wait`, it starts once other processes are quiet and is repeated
 * (twice at most) when they used more than twice the threshold during it.
 */
async function measureQuietly(opts: Options, t: Target): Promise<LoadResult> {
  for (let attempt = 1; ; attempt++) {
    if (opts.quietWait > 0) await waitForQuiet(opts.quietWait, opts.quietThreshold);
    const r = await measure(t.workload, t.connections, opts.duration, t.servers);
    const others = r.machine?.othersPercent ?? 0;
    if (opts.quietWait <= 0 || attempt === 3 || others <= 2 * opts.quietThreshold) return r;
    log(`  (${t.label}: other processes used ${others.toFixed(0)}% CPU during the run; measuring again)`);
  }
}

/** Warm-up for each target, then `rounds` rounds that run every target once, in turn, so slow drifts hit all alike. */
async function measureAlternating(opts: Options, targets: Target[]): Promise<Measurement[]> {
  for (const t of targets) {
    log(`  warm-up ${t.label} (${opts.warmup} s)`);
    await runLoad(t.workload, { durationSec: opts.warmup, connections: t.connections });
  }
  const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.id, []]));
  for (let round = 1; round <= opts.rounds; round++) {
    for (const t of targets) {
      const r = await measureQuietly(opts, t);
      runs.get(t.id)!.push(r);
      const cpu =
        Object.entries(r.cpuPercent)
          .map(([k, v]) => `${k} ${v.toFixed(0)}% (${r.cpuMsPerRequest[k].toFixed(2)} ms/req)`)
          .join(', ') + (r.machine ? `, others ${r.machine.othersPercent.toFixed(0)}%` : '');
      log(
        `  round ${round}/${opts.rounds} ${t.label.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors.total}  cpu ${cpu}${starved(r) ? '  [starved: left out of the median]' : ''}`,
      );
      for (const [message, n] of Object.entries(r.errorMessages ?? {})) log(`      ${n} × ${message}`);
    }
  }
  return targets.map((t) => ({ id: t.id, scenario: t.scenario, label: t.label, runs: runs.get(t.id)!, median: medianOf(runs.get(t.id)!) }));
}

/**
 * Audit rows written while `f` runs, per request (the audit writer commits before a subgraph
 * answers, so the count is exact once the requests are done); absent without an audit trail.
 */
async function withAuditRows(databaseUrl: string, f: () => Promise<SqlProfile>): Promise<SqlProfile> {
  const count = () =>
    withClient(databaseUrl, async (c) => {
      const exists = (await c.query<{ t: string | null }>(`select to_regclass('audit.access_log') as t`)).rows[0].t;
      return exists ? Number((await c.query<{ n: string }>('select count(*) as n from audit.access_log')).rows[0].n) : null;
    });
  const before = await count();
  const profile = await f();
  const after = await count();
  return before === null || after === null ? profile : { ...profile, auditRowsPerRequest: (after - before) / profile.requests };
}

/**
 * Statements for pages of growing size against the most any single record of the scenario costs
 * (all of its branches non-empty): with batched loading, a page of 100 costs no more than that.
 */
async function scaling(name: string, server: BenchChild, url: string, single: SqlProfile, pages: Array<[number, BenchRequest]>): Promise<ScalingCheck> {
  const points: ScalingCheck['points'] = [{ size: 1, rows: single.rows.max, statements: single.max, note: `most over ${single.requests} single requests` }];
  for (const [size, request] of pages) {
    const p = await sqlProfile(server, url, [request]);
    if (p.errors) throw new Error(`${name}: errors in the row-scaling check: ${p.firstError}`);
    points.push({ size, rows: p.rows.max, statements: p.max });
  }
  return { name, points, independent: points.every((p) => p.statements <= points[0].statements) };
}

interface HubServers {
  /** Policy on, auditing as configured: the hub as it runs (scenarios 1–3). */
  on: BenchChild;
  /** Policy on, auditing off (only when auditing is on): splits the policy's cost. */
  noAudit: BenchChild | null;
  off: BenchChild;
  floor: BenchChild;
  auditState: string;
}

async function startHubServers(opts: Options, databaseUrl: string, results: BenchResults): Promise<HubServers> {
  const pools = await fitPools(databaseUrl, opts.audit === 'off' ? 2 : 3);
  log(`  pools: ${pools.explanation}`);
  results.settings.pools = pools;
  const env = { BENCH_DATABASE_URL: databaseUrl, AUDIT: opts.audit, DB_POOL_MAX: String(pools.hubPoolMax) };
  return {
    on: await startChild(opts, 'hub-policy-on', 'hubServer.js', { ...env, POLICY_ENFORCEMENT: 'on' }),
    noAudit:
      opts.audit === 'off' ? null : await startChild(opts, 'hub-policy-on-audit-off', 'hubServer.js', { ...env, POLICY_ENFORCEMENT: 'on', AUDIT: 'off' }),
    off: await startChild(opts, 'hub-policy-off', 'hubServer.js', { ...env, POLICY_ENFORCEMENT: 'off' }),
    floor: await startChild(opts, 'sql-floor', 'floorServer.js', { BENCH_DATABASE_URL: databaseUrl, BENCH_FLOOR_POOL_MAX: String(pools.floorPoolMax) }),
    auditState: opts.audit === 'off' ? 'audit off' : 'audit on',
  };
}

interface HubWorkloads {
  tokens: HubTokens;
  personHub: BenchRequest[];
  personFloor: BenchRequest[];
  caseHub: BenchRequest[];
  caseFloor: BenchRequest[];
  gridList: BenchRequest[];
  /** Single records stating no purpose, for the row-scaling check with the policy off. */
  personUnstated: BenchRequest[];
  caseUnstated: BenchRequest[];
}

/** The sampled records as requests to the hub and to the floor, pairwise in the same order. */
async function hubWorkloads(databaseUrl: string, gatewayUrl: string, results: BenchResults): Promise<HubWorkloads> {
  const samples = await sampleHubData(databaseUrl);
  const tokens = await makeHubTokens(await loadAuthKeys(loadConfig()), samples);
  const w: HubWorkloads = {
    tokens,
    personHub: personViewRequests(samples, tokens),
    personFloor: samples.personIds.map((id) => ({ body: JSON.stringify({ id }), headers: {} })),
    caseHub: caseJourneyRequests(samples, tokens),
    caseFloor: samples.policeCaseNos.map((caseNo) => ({ body: JSON.stringify({ caseNo }), headers: {} })),
    gridList: await gridListRequests(gatewayUrl, tokens),
    personUnstated: unstatedPersonViewRequests(samples, tokens),
    caseUnstated: unstatedCaseJourneyRequests(samples, tokens),
  };
  results.data.samples = {
    people: samples.personIds.length,
    peopleWithRecords: samples.peopleWithRecords,
    cases: samples.policeCaseNos.length,
    gridWorkers: samples.gridCodes.length,
    gridPages: w.gridList.length,
  };
  log(
    `  samples: ${samples.personIds.length} people (parties of court cases, each with a judge of the case's district stating it), ${samples.policeCaseNos.length} police cases tried by ${samples.districts.length} districts' courts, ${w.gridList.length} list pages of ${samples.gridCodes.length} grid workers`,
  );
  return w;
}

/** Before anything is timed: the floor's answers equal the hub's, exact statement counts, no errors, and the row-scaling check. */
async function hubPreflight(hub: HubServers, w: HubWorkloads, databaseUrl: string, results: BenchResults): Promise<void> {
  log('  checking that the floor returns exactly what the hub returns…');
  const n1 = await checkSameAnswers('person view', hub.off.urls.gateway, w.personHub, hub.floor.urls.personView, w.personFloor);
  const n2 = await checkSameAnswers('case journey', hub.off.urls.gateway, w.caseHub, hub.floor.urls.caseJourney, w.caseFloor);
  results.checks.push(`The SQL floor's answers deep-equal the hub's (policy off) for all ${n1} sampled people and all ${n2} sampled cases.`);

  log('  counting SQL statements per request (one request at a time)…');
  const { on, noAudit, off, floor } = hub;
  const profiles: Record<string, SqlProfile> = {
    'person-view': await withAuditRows(databaseUrl, () => sqlProfile(on, on.urls.gateway, w.personHub)),
    ...(noAudit ? { 'person-view-audit-off': await sqlProfile(noAudit, noAudit.urls.gateway, w.personHub) } : {}),
    'person-view-policy-off': await sqlProfile(off, off.urls.gateway, w.personHub),
    'person-view-floor': await sqlProfile(floor, floor.urls.personView, w.personFloor),
    'case-journey': await withAuditRows(databaseUrl, () => sqlProfile(on, on.urls.gateway, w.caseHub)),
    'case-journey-policy-off': await sqlProfile(off, off.urls.gateway, w.caseHub),
    'case-journey-floor': await sqlProfile(floor, floor.urls.caseJourney, w.caseFloor),
    'grid-list': await withAuditRows(databaseUrl, () => sqlProfile(on, on.urls.gateway, w.gridList)),
  };
  for (const [id, p] of Object.entries(profiles)) {
    if (p.errors) throw new Error(`${id}: ${p.errors} of ${p.requests} responses carry errors, e.g. ${p.firstError}`);
  }
  results.checks.push('No response of the sampled requests of scenarios 1–3 (policy on) carries a GraphQL error.');
  results.sql = profiles;

  const gridToken = w.tokens.gridWorkers.values().next().value!;
  const gridSingle = await sqlProfile(on, on.urls.gateway, [gridListRequest(gridToken, 1, null)]);
  // Single records without a stated case: the loaders' statements alone, the residents with the
  // most kinds of records among them (the sampled parties need not have every kind).
  const personSingles = await sqlProfile(off, off.urls.gateway, w.personUnstated);
  const caseSingles = await sqlProfile(off, off.urls.gateway, w.caseUnstated);
  for (const p of [personSingles, caseSingles]) if (p.errors) throw new Error(`row-scaling check, single records: ${p.firstError}`);
  results.scaling = [
    // A page of people or cases spans many cases, and the full view is granted for the one case a
    // caller states: these pages are counted with the policy off (the loaders are the same).
    await scaling(
      'person view, a page of people',
      off,
      off.urls.gateway,
      personSingles,
      [10, 100].map((n) => [n, personViewPageRequest(w.tokens, n)]),
    ),
    await scaling(
      'case journey, a page of cases',
      off,
      off.urls.gateway,
      caseSingles,
      [10, 100].map((n) => [n, caseJourneyPageRequest(w.tokens, n)]),
    ),
    await scaling(
      "grid worker's list page",
      on,
      on.urls.gateway,
      gridSingle,
      [10, 100].map((n) => [n, gridListRequest(gridToken, n, null)]),
    ),
  ];
  for (const s of results.scaling) log(`  ${s.name}: ${s.points.map((p) => `${p.size} → ${p.rows} objects, ${p.statements} statements`).join('; ')}`);
}

/** Scenarios 1, 2, 3, 5 and 6, in the order each round runs them. */
function hubTargets(hub: HubServers, w: HubWorkloads, c: number): Target[] {
  const { on, noAudit, off, floor } = hub;
  const target = (id: string, scenario: string, label: string, server: BenchChild, url: string, requests: BenchRequest[], connections = c): Target => ({
    id,
    scenario,
    label,
    workload: randomWorkload(url, requests),
    servers: { [server === floor ? 'floor' : 'hub']: server },
    connections,
  });
  return [
    target('person-view', '1', `person view · hub (policy on, ${hub.auditState})`, on, on.urls.gateway, w.personHub),
    ...(noAudit ? [target('person-view-audit-off', '6', 'person view · hub (policy on, audit off)', noAudit, noAudit.urls.gateway, w.personHub)] : []),
    target('person-view-policy-off', '6', 'person view · hub (policy off)', off, off.urls.gateway, w.personHub),
    target('person-view-floor', '5', 'person view · SQL floor', floor, floor.urls.personView, w.personFloor),
    // One request at a time (the issue's targets are set here) and 50 at once.
    target('person-view-c1', '1', 'person view · hub, 1 connection', on, on.urls.gateway, w.personHub, 1),
    target('person-view-floor-c1', '5', 'person view · SQL floor, 1 connection', floor, floor.urls.personView, w.personFloor, 1),
    target('person-view-c50', '1', 'person view · hub, 50 connections', on, on.urls.gateway, w.personHub, 50),
    target('person-view-floor-c50', '5', 'person view · SQL floor, 50 connections', floor, floor.urls.personView, w.personFloor, 50),
    target('case-journey', '2', 'case journey · hub', on, on.urls.gateway, w.caseHub),
    target('case-journey-floor', '5', 'case journey · SQL floor', floor, floor.urls.caseJourney, w.caseFloor),
    target('case-journey-c1', '2', 'case journey · hub, 1 connection', on, on.urls.gateway, w.caseHub, 1),
    target('case-journey-floor-c1', '5', 'case journey · SQL floor, 1 connection', floor, floor.urls.caseJourney, w.caseFloor, 1),
    target('grid-list', '3', "grid worker's list page · hub", on, on.urls.gateway, w.gridList),
  ];
}

async function hubPart(opts: Options, results: BenchResults): Promise<void> {
  log('\n== Hub scenarios ==');
  log('  preparing the database…');
  const db: BenchDatabase = await openBenchDatabase(loadConfig(), { databaseUrl: opts.databaseUrl, city: opts.city }, log);
  running.push(db);
  results.settings.database = db.description;
  results.settings.city = db.city ?? undefined;
  results.data.counts = db.counts;
  log(
    `  ${db.description}: ${Object.entries(db.counts)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  );
  const hub = await startHubServers(opts, db.url, results);
  const w = await hubWorkloads(db.url, hub.on.urls.gateway, results);
  await hubPreflight(hub, w, db.url, results);
  results.measurements.push(...(await measureAlternating(opts, hubTargets(hub, w, opts.connections))));
  await statisticsPart(opts, db, hub.on, results);
  const processes: Array<[string, BenchChild | null]> = [
    [`hub (policy on, ${hub.auditState}): gateway + 5 subgraphs, one process`, hub.on],
    ['hub (policy on, audit off)', hub.noAudit],
    ['hub (policy off)', hub.off],
    ['SQL floor', hub.floor],
  ];
  for (const [name, child] of processes) if (child) results.memory.push({ process: name, peakRssMiB: (await child.stats()).maxRssBytes / 2 ** 20 });
  for (const [, child] of processes) await child?.stop();
  await db.stop();
}

/** The analyst's monthly series of every county over the whole stored release, every figure, one request at a time (policy and audit on). */
async function statisticsPart(opts: Options, db: BenchDatabase, hub: BenchChild, results: BenchResults): Promise<void> {
  log("\n== Statistics: the release and the analyst's monthly series ==");
  const release = await storedRelease(db.url);
  for (const line of describeRelease(release)) log(`  ${line}`);
  const months = seriesMonths(release);
  if (!months) throw new Error('the statistics release covers no month: nothing to ask a series of');
  const token = await analystToken(await loadAuthKeys(loadConfig()));
  const series = await timeSeries(hub.urls.gateway, seriesRequest(token, months.first, months.last), opts.seriesRequests);
  log(
    `  series of ${series.counties} counties × ${series.months} months (${months.first} … ${months.last}), ${series.figures} figures each (+ ${series.yearOnYearFigures} year-on-year from the second year), ${(series.bytes / 1024).toFixed(0)} KiB: ` +
      `p50 ${series.p50.toFixed(0)} ms, p95 ${series.p95.toFixed(0)} ms, max ${series.max.toFixed(0)} ms over ${series.requests} requests` +
      (series.failed ? `, ${series.failed} answered errors: ${series.firstFailure ?? ''}` : ''),
  );
  results.statistics = {
    refresh: db.refresh,
    levels: release.levels,
    firstMonth: release.firstMonth!,
    lastMonth: months.last,
    seriesFrom: months.first,
    series,
  };
}

async function abPart(opts: Options, results: BenchResults): Promise<void> {
  const config = loadConfig();
  const keys = await loadAuthKeys(config);
  log('\n== Gateway A/B on the public benchmark ==');
  const subgraphs = await startChild(opts, 'public-subgraphs', 'publicSubgraphs.js');
  const env = { BENCH_SUBGRAPH_URLS: JSON.stringify(subgraphs.urls) };
  const ours = await startChild(opts, 'gateway-ours', 'gatewayOurs.js', env);
  const stock = await startChild(opts, 'gateway-stock', 'gatewayStock.js', env);
  // Any valid caller will do: that graph has no policy.
  const caller = { agency: 'admin' as const, sub: 'bench-ab', name: 'benchmark', roles: [], jurisdiction: ['211400'], description: 'benchmark caller' };
  const token = await devToken(keys.devCallerSigningKey!, keys.callerIssuer, keys.callerAudience, caller, '2h');
  const body = JSON.stringify({ query: publicQuery(), operationName: 'TestQuery' });
  const ourRequest: BenchRequest = { body, headers: { authorization: `Bearer ${token}` } };
  const stockRequest: BenchRequest = { body, headers: {} };
  const expected = publicExpectedResponse();
  await checkExpectedResponse('our gateway', ours.urls.gateway, ourRequest, expected);
  await checkExpectedResponse('stock @apollo/gateway', stock.urls.gateway, stockRequest, expected);
  results.checks.push("Both gateways' TestQuery responses deep-equal the benchmark's expected-response.json before measuring.");
  log('  both gateways return the expected response');
  const fixed = (url: string, request: BenchRequest): Workload => ({ url, next: () => request });
  results.measurements.push(
    ...(await measureAlternating(opts, [
      {
        id: 'gateway-ours',
        scenario: '7',
        label: 'public benchmark · our gateway',
        workload: fixed(ours.urls.gateway, ourRequest),
        servers: { gateway: ours, subgraphs },
        connections: opts.abConnections,
      },
      {
        id: 'gateway-stock',
        scenario: '7',
        label: 'public benchmark · stock @apollo/gateway',
        workload: fixed(stock.urls.gateway, stockRequest),
        servers: { gateway: stock, subgraphs },
        connections: opts.abConnections,
      },
    ])),
  );
  for (const [name, child] of [
    ['our gateway (public benchmark)', ours],
    ['stock @apollo/gateway (public benchmark)', stock],
    ['public benchmark subgraphs (4 in one process)', subgraphs],
  ] as const) {
    results.memory.push({ process: name, peakRssMiB: (await child.stats()).maxRssBytes / 2 ** 20 });
  }
  for (const child of [ours, stock, subgraphs]) await child.stop();
}

async function main(): Promise<void> {
  const opts = parseOptions();
  // Migration and start-up chatter would drown the results; LOG_LEVEL=info brings it back.
  logger.level = process.env.LOG_LEVEL ?? 'warn';
  mkdirSync(LOG_DIR, { recursive: true });
  if (opts.profile) rmSync(PROFILE_DIR, { recursive: true, force: true });
  const results: BenchResults = {
    version: 1,
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      kernel: release(),
      loadAverageAtStart: loadavg()[0],
    },
    settings: {
      durationSec: opts.duration,
      warmupSec: opts.warmup,
      rounds: opts.rounds,
      connections: opts.connections,
      abConnections: opts.abConnections,
      audit: opts.audit,
      database: '',
      profile: opts.profile,
      parts: [...opts.only],
      quietWaitSec: opts.quietWait,
      quietThresholdPercent: opts.quietThreshold,
      scale: opts.city.scale,
    },
    data: { counts: {}, samples: {} },
    measurements: [],
    sql: {},
    scaling: [],
    ratios: {},
    targets: [],
    memory: [],
    checks: [],
  };
  log(
    `Pingan Hub benchmark: ${opts.rounds} × ${opts.duration} s per scenario after ${opts.warmup} s warm-up; ${opts.connections} connections (A/B: ${opts.abConnections}); ${results.machine.cpus} CPUs, Node ${process.version}`,
  );
  if (opts.only.has('hub')) await hubPart(opts, results);
  if (opts.only.has('ab')) await abPart(opts, results);
  if (opts.profile) results.profiles = summariseProfiles(PROFILE_DIR);
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverageAtEnd = loadavg()[0];
  evaluate(results);
  const written = writeResults(results, { resultsDir: RESULTS_DIR, docs: opts.docs });
  if (opts.city.scale !== 'small' && opts.city.scale !== 'city')
    log(`(scale ${opts.city.scale}: results JSON only; the docs cover the small city and the real one)`);
  log(`\n${written.summary}\nwrote ${written.files.join(', ')}`);
}

const stopAll = async () => {
  for (const r of running.reverse()) await r.stop().catch(() => {});
};

process.once('SIGINT', () => {
  log('\ninterrupted: stopping servers…');
  void stopAll().then(() => process.exit(130));
});

main().catch(async (err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await stopAll();
  process.exit(1);
});
