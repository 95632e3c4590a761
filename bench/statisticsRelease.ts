import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { devIdentities, devToken } from '../src/auth/devTokens';
import { HUB_DATABASE, startHub } from '../src/cli/runtime';
import { buildDemoCity, DEMO_SIZES } from '../src/demo/city';
import { loadConfig } from '../src/shared/config';
import { withDatabase } from '../src/shared/db';
import { repoRoot } from '../src/shared/paths';
import { postJson } from './hubScenarios';
import { analystToken, describeRelease, seriesMonths, seriesRequest, storedRelease, timeSeries } from './statistics';

/** The indicators (指标) printed for the first complete year of the release, as the analyst and as admin. */
const INDICATORS = 'justiceStatistics(from: $from, to: $to) { mediationCases successRate onTimeClosureRate suppressedFields }';

/**
 * `node dist/bench/statisticsRelease.js [small|medium] [requests]`: a fresh embedded hub with the
 * demo city of that size — or, with `--database-url <url>` in place of the size, a hub on that
 * database as `hub seed` left it (the city scale: `npm run seed -- --scale city --database-url …`
 * first; nothing is seeded here); prints each department's release refresh time (`hub stats refresh`, a child process), released and withheld
 * cells per level (city, county, township × month, year), and the latency of the analyst's
 * monthly series of every county over the whole release with all five departments' statistics in
 * one request (`requests` times, default 20, after 3 warm-up ones), then the indicators of the city
 * and each county over the release's first year, as the analyst reads them and exact (admin), and
 * the analyst's hotspot maps of that year (grids released, zero, withheld).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--database-url');
  const external = at >= 0 ? args.splice(at, 2)[1] : undefined;
  if (at >= 0 && !external) throw new Error('--database-url needs a URL');
  // With a database the first argument is the request count: the size is the database's.
  const size = (external ? 'given' : (args.shift() ?? 'small')) as keyof typeof DEMO_SIZES;
  if (!external && !(size in DEMO_SIZES)) throw new Error(`unknown size ${size}: small, medium or --database-url <url>`);
  const requests = Number(args[0] ?? 20);
  const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-release-'));
  chmodSync(dataDir, 0o755);
  const config = loadConfig({
    ...process.env,
    HUB_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_SUBJECT_BURST: '1000000',
    RATE_LIMIT_AGENCY_BURST: '1000000',
  });
  const started = Date.now();
  const hub = external
    ? await startHub({ config, databaseUrl: external, randomPorts: true })
    : await startHub({ config, city: buildDemoCity(DEMO_SIZES[size]), randomPorts: true });
  process.stdout.write(
    `${external ? 'the given database' : `demo city ${size}`}: hub started (releases decided where none was stored) in ${((Date.now() - started) / 1000).toFixed(1)} s, load ${loadavg()[0].toFixed(1)}\n`,
  );
  try {
    const url = external ?? withDatabase(hub.embedded!.url, HUB_DATABASE);
    // In a process of its own, as an operator runs it: the LP solves block their thread, which must not be the hub's.
    const refreshed = execFileSync(process.execPath, [join(repoRoot, 'dist/src/cli/hub.js'), 'stats', 'refresh', '--database-url', url], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    process.stdout.write(`hub stats refresh (load ${loadavg()[0].toFixed(1)}):\n${refreshed}`);
    const release = await storedRelease(url);
    for (const line of describeRelease(release)) process.stdout.write(`  ${line}\n`);
    const { first, last } = seriesMonths(release)!;
    const token = await analystToken(hub.keys);
    const series = await timeSeries(hub.gatewayUrl, seriesRequest(token, first, last), requests);
    process.stdout.write(
      `series: ${series.counties} counties × ${series.months} months (${first} … ${last}), 5 departments, ${series.figures} figures each (+ ${series.yearOnYearFigures} year-on-year from the second year)\n` +
        `series as the analyst, ${series.requests} requests: p50 ${series.p50.toFixed(0)} ms, p95 ${series.p95.toFixed(0)} ms, max ${series.max.toFixed(0)} ms (load ${loadavg()[0].toFixed(1)})\n`,
    );
    const admin = devIdentities('211402001001').find((i) => i.agency === 'admin')!;
    const adminToken = await devToken(hub.keys.devCallerSigningKey!, hub.keys.callerIssuer, hub.keys.callerAudience, admin, '2h');
    const year = first.slice(0, 4);
    const query = `query ($from: Date, $to: Date) { city { code ${INDICATORS} } districts { code ${INDICATORS} } }`;
    type Row = { code: string; justiceStatistics: Record<string, number | null> & { suppressedFields: string[] } };
    const read = async (who: string) =>
      postJson<{ data: { city: Row; districts: Row[] } }>(hub.gatewayUrl, {
        body: JSON.stringify({ query, variables: { from: `${year}-01-01`, to: `${year}-12-31` } }),
        headers: { authorization: `Bearer ${who}` },
      });
    const [shown, exact] = [await read(token), await read(adminToken)];
    const figure = (v: number | null | undefined) => (v === null || v === undefined ? '·' : Number.isInteger(v) ? String(v) : v.toFixed(3));
    process.stdout.write(`indicators ${year} (analyst / exact): code, mediations, success rate, on-time closure rate\n`);
    const exactRows = [exact.data.city, ...exact.data.districts];
    for (const [i, r] of [shown.data.city, ...shown.data.districts].entries()) {
      const [a, e] = [r.justiceStatistics, exactRows[i].justiceStatistics];
      process.stdout.write(
        `  ${r.code}  ${figure(a.mediationCases)} / ${figure(e.mediationCases)}  ${figure(a.successRate)} / ${figure(e.successRate)}  ${figure(a.onTimeClosureRate)} / ${figure(e.onTimeClosureRate)}\n`,
      );
    }
    // The analyst's hotspot maps of the same year: every grid of every county, from grid's release.
    const maps = await postJson<{ data: Record<string, { features: Array<{ properties: { gridCode: string; events: number | null } }> }> }>(hub.gatewayUrl, {
      body: JSON.stringify({
        query: `{ ${exact.data.districts
          .map(
            (d) =>
              `c${d.code}: hotspots(divisionCode: "${d.code}", from: "${year}-01-01", to: "${year}-12-31") { features { properties { gridCode events } } }`,
          )
          .join(' ')} }`,
      }),
      headers: { authorization: `Bearer ${token}` },
    });
    const grids = Object.values(maps.data).flatMap((m) => m.features.map((f) => f.properties));
    const withheld = grids.filter((g) => g.events === null).length;
    const zeros = grids.filter((g) => g.events === 0).length;
    process.stdout.write(
      `hotspots ${year} as the analyst: ${grids.length} grids, ${grids.length - withheld - zeros} released with events, ${zeros} released zeros, ${withheld} withheld; first grids: ${grids
        .filter((g) => g.gridCode.startsWith(grids[0].gridCode.slice(0, 9)))
        .slice(0, 8)
        .map((g) => `${g.gridCode} ${g.events ?? '·'}`)
        .join(', ')}\n`,
    );
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
