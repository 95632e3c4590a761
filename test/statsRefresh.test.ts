import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/shared/db';
import { hub } from './support/cli';
import { sqlAt } from './support/db';

/*
 * `hub stats refresh`: decides every department's release again from its records and rewrites the
 * stored one, printing a line per department as it goes; found through the running hub's
 * `.data/running.json` like every command, or given --database-url.
 */

const DEPARTMENTS = ['grid', 'police', 'procuratorate', 'court', 'justice'];
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
  expect(lines).toHaveLength(DEPARTMENTS.length + 1);
  for (const [i, department] of DEPARTMENTS.entries()) {
    const m =
      /^(\w+): (\d+) cells released \((\d+) withheld\) in [\d.]+ s; audit: (\d+) withheld cells proven wide by a witness, (\d+) narrow by one line, (\d+) by the LP$/.exec(
        lines[i],
      );
    expect(m?.[1]).toBe(department);
    const after = await release(department);
    expect(after).toEqual(before[department]);
    expect([Number(m![2]), Number(m![3])]).toEqual([after.length, after.filter((c) => c.value === null).length]);
  }
  expect(lines.at(-1)).toMatch(/^5 departments, \d+ cells, \d+ withheld \([\d.]+ %\), in [\d.]+ s$/);
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
});
