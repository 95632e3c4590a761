import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devIdentities, devToken } from '../src/auth/devTokens';
import { startHub } from '../src/cli/runtime';
import { buildDemoCity, DEMO_SIZES } from '../src/demo/city';
import { withSubgraphOrm } from '../src/kit/migrate';
import { loadConfig } from '../src/shared/config';
import { subgraphs } from '../src/subgraphs';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/shared/db';
import { hub } from './support/cli';
import { sqlAt } from './support/db';

/*
 * `hub stats refresh`: decides every department's release again from its records and rewrites the
 * stored one, printing a line per department as it goes; found through the running hub's
 * `.data/running.json` like every command, or given --database-url.
 */

/** Every department with statistics; petition's release is in the hub's own schema for the bureau (`petition`), its records in xf. */
const DEPARTMENTS = ['grid', 'police', 'procuratorate', 'court', 'justice', 'petition'];
const serverUrl = process.env.HUB_TEST_SERVER_URL!;
const database = `stats_refresh_${randomBytes(4).toString('hex')}`;
const url = withDatabase(serverUrl, database);
/** A data folder whose running.json names this (live) process and our copy of the test city. */
const running = mkdtempSync(join(tmpdir(), 'pingan-hub-stats-'));

beforeAll(async () => {
  await ensureDatabase(serverUrl, database, process.env.HUB_TEST_TEMPLATE);
  writeFileSync(join(running, 'running.json'), JSON.stringify({ pid: process.pid, databaseUrl: url, gatewayUrl: 'http://127.0.0.1:4000/graphql' }));
});
afterAll(async () => {
  await dropDatabase(serverUrl, database);
  rmSync(running, { recursive: true, force: true });
});

const release = (department: string) =>
  sqlAt<{ id: string; value: number | null }>(
    url,
    `select statistic || ':' || measure || ':' || code || '@' || period as id, value from "${department}".statistics_release order by 1`,
  );

it("rewrites every department's release from its records, one progress line each, exit 0", async () => {
  const before = Object.fromEntries(await Promise.all(DEPARTMENTS.map(async (d) => [d, await release(d)] as const)));
  // A lost release and a tampered cell: both come back as the records say.
  await sqlAt(url, 'delete from police.statistics_release');
  await sqlAt(url, `update grid.statistics_release set value = 99999 where value is not null and code = '211400'`);
  const res = hub(['stats', 'refresh'], { HUB_DATA_DIR: running });
  expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: '' });
  const lines = res.stdout.trim().split('\n');
  // A line per department, then 民转刑's (PSI-CA between justice and police), then the total.
  expect(lines).toHaveLength(DEPARTMENTS.length + 2);
  for (const [i, department] of DEPARTMENTS.entries()) {
    const m =
      /^(\w+): (\d+) cells released \((\d+) withheld\) in [\d.]+ s; audit: (\d+) withheld cells proven wide by a witness, (\d+) narrow by one line, (\d+) by the LP$/.exec(
        lines[i],
      );
    expect(m?.[1]).toBe(department);
    const after = await release(department);
    expect(after).toEqual(before[department]);
    // The police's schema holds 民转刑's cells too: its line counts them (below).
    const own = after.filter((c) => !c.id.startsWith('civilToCriminal:'));
    expect([Number(m![2]), Number(m![3])]).toEqual([own.length, own.filter((c) => c.value === null).length]);
  }
  const [, cells, withheld, police, justice] =
    /^civilToCriminal: (\d+) cells released \((\d+) withheld\) in [\d.]+ s; audit: .* by the LP; PSI-CA over (\d+) police and (\d+) justice elements$/.exec(
      lines.at(-2)!,
    ) ?? [];
  const stored = (await release('police')).filter((c) => c.id.startsWith('civilToCriminal:cases:'));
  expect([Number(cells), Number(withheld)]).toEqual([stored.length, stored.filter((c) => c.value === null).length]);
  expect(Number(police)).toBeGreaterThan(0);
  expect(Number(justice)).toBeGreaterThan(Number(police));
  expect(lines.at(-1)).toMatch(/^6 departments and 民转刑, \d+ cells, \d+ withheld \([\d.]+ %\), in [\d.]+ s$/);
}, 120_000);

it('fails in one line: exit 2 for a bad argument, 1 for an unreachable database', () => {
  const bad = hub(['stats', 'refresh', '--bogus'], { HUB_DATA_DIR: running });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('--bogus');
  const down = hub(['stats', 'refresh', '--database-url', 'postgresql://nobody@127.0.0.1:1/none'], { HUB_DATA_DIR: running });
  expect(down.status).toBe(1);
  expect(down.stderr).not.toMatch(/^\s+at /m);
  expect(down.stderr.trim().split('\n')).toHaveLength(1);
  expect(down.stderr).toContain('ECONNREFUSED');
  // 民转刑 in both departments' processes or in neither: one URL alone is refused before any release is touched.
  const half = hub(['stats', 'refresh', '--database-url', 'postgresql://nobody@127.0.0.1:1/none'], {
    HUB_DATA_DIR: running,
    SUBGRAPH_URL_POLICE: 'http://127.0.0.1:1/graphql',
  });
  expect(half.status).not.toBe(0);
  expect(half.stderr).toContain('SUBGRAPH_URL_POLICE and SUBGRAPH_URL_JUSTICE');
  expect(half.stderr).not.toContain('ECONNREFUSED');
});

it("skips the petition bureau, saying why, on a database `hub seed` made (it holds no stand-in of the bureau's system): the others are refreshed, exit 0", async () => {
  const seeded = `stats_seeded_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(serverUrl, seeded);
  try {
    const seedUrl = withDatabase(serverUrl, seeded);
    expect(hub(['seed', '--scale', 'small', '--database-url', seedUrl], { HUB_DATA_DIR: running }).status).toBe(0);
    const r = hub(['stats', 'refresh', '--database-url', seedUrl], { HUB_DATA_DIR: running });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("petition: skipped — its system's schema xf is not in this database (DATABASE_URL_PETITION names where it is)");
    expect(r.stdout).toMatch(/^civilToCriminal: \d+ cells released/m);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^5 departments and 民转刑, /);
  } finally {
    await dropDatabase(serverUrl, seeded);
  }
}, 120_000);

describe('a hub started on an empty database, as npm start does the first time', () => {
  it('loads the demo city and decides every release before it serves: an analyst reads the city at once', async () => {
    const empty = `stats_fresh_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(serverUrl, empty);
    const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-fresh-'));
    const city = buildDemoCity(DEMO_SIZES.small);
    const started = await startHub({
      config: loadConfig({ HUB_DATA_DIR: dataDir }),
      databaseUrl: withDatabase(serverUrl, empty),
      city,
      randomPorts: true,
      servingLogins: true,
    });
    try {
      for (const d of DEPARTMENTS) {
        const [{ n }] = await sqlAt<{ n: number }>(withDatabase(serverUrl, empty), `select count(*)::int as n from "${d}".statistics_release`);
        expect({ d, released: n > 0 }).toEqual({ d, released: true });
      }
      // 民转刑 too, once both departments were seeded.
      const [{ n }] = await sqlAt<{ n: number }>(
        withDatabase(serverUrl, empty),
        `select count(*)::int as n from police.statistics_release where statistic = 'civilToCriminal'`,
      );
      expect(n).toBeGreaterThan(0);
      const analyst = devIdentities(city.grids[0].code).find((i) => i.agency === 'analyst')!;
      const token = await devToken(started.keys.devCallerSigningKey!, started.keys.callerIssuer, started.keys.callerAudience, analyst);
      const res = await fetch(started.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ city { level policeStatistics(from: "2025-01-01", to: "2025-12-31") { incidents } } }' }),
      });
      const body = (await res.json()) as { data?: { city: { level: string; policeStatistics: { incidents: number | null } } }; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      expect(body.data!.city.level).toBe('CITY');
      expect(body.data!.city.policeStatistics.incidents).toBeGreaterThan(0);
    } finally {
      await started.stop();
      await dropDatabase(serverUrl, empty);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

it('decides a stored release again at start when it lacks a measure the statistic has now (a release kept from an older version)', async () => {
  const rules = { threshold: 5, protection: 3 };
  const police = subgraphs.police;
  const measures = async () =>
    (await sqlAt<{ measure: string }>(url, `select distinct measure from police.statistics_release order by 1`)).map((r) => r.measure);
  const all = await measures();
  expect(all).toContain('casesFiled');
  await sqlAt(url, `delete from police.statistics_release where measure = 'casesFiled'`);
  const summary = await withSubgraphOrm(police, url, (orm) => police.refreshStatistics!(orm.em.fork(), rules, { onlyIfMissing: true }));
  expect(summary.cells).toBeGreaterThan(0);
  expect(await measures()).toEqual(all);
  // Complete now: the next start keeps it.
  const again = await withSubgraphOrm(police, url, (orm) => police.refreshStatistics!(orm.em.fork(), rules, { onlyIfMissing: true }));
  expect(again.cells).toBe(0);
});
