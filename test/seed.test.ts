import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSeed, type SeedReport } from '../src/cli/seed';
import { copyRows } from '../src/kit/bulk';
import { seedDepartment } from '../src/kit/seed';
import { DEV_PERSON_KEY_SECRET, loadConfig } from '../src/shared/config';
import { openDepartmentOrm } from '../src/shared/db';
import { buildDemoCity } from '../src/demo/city';
import { sizeForResidents } from '../src/demo/scale';
import type { DemoCity, DemoPerson } from '../src/demo/types';
import { subgraphList } from '../src/subgraphs';
import { DEPARTMENTS } from '../src/shared/config';

/** A department the hub seeds: not the audit, not one whose records stay in its own system (petition, hotline). */
const isDepartment = (name: string) => {
  const def = subgraphList().find((d) => d.name === name);
  return (DEPARTMENTS as readonly string[]).includes(name) && !def?.existingDatabase && !def?.existingApi;
};
import { courtCasesOf } from '../src/subgraphs/court/seed';
import { gridDepartment } from '../src/subgraphs/grid';
import { GridEvent } from '../src/subgraphs/grid/entities';
import { Incident } from '../src/subgraphs/police/entities';
import { emptyDatabase, sqlAt } from './support/db';

/** `hub seed --scale 2000` through the COPY path, into fresh databases of the test server. */
const SCALE = '2000';
const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-seed-test-'));
const config = loadConfig({ HUB_DATA_DIR: dataDir });
const seed = (url: string, scale = SCALE) => runSeed(config, { scale, databaseUrl: url, progress: 'none', skipDiskCheck: true });

let first: Awaited<ReturnType<typeof emptyDatabase>>;
let second: Awaited<ReturnType<typeof emptyDatabase>>;
let report: SeedReport;
let secondReport: SeedReport;
let city: DemoCity;

/** Every department table, schema-qualified. */
async function tables(url: string): Promise<string[]> {
  const schemas = subgraphList().map((d) => d.name);
  const rows = await sqlAt<{ t: string }>(
    url,
    `select schemaname || '.' || tablename as t from pg_tables where schemaname = any($1) and tablename <> 'mikro_orm_migrations' order by 1`,
    [schemas],
  );
  return rows.map((r) => r.t);
}

/** One checksum per table over every row, in a fixed order. */
async function checksums(url: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await tables(url)) {
    const [row] = await sqlAt<{ sum: string; n: string }>(
      url,
      `select md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as sum, count(*) as n from ${t} x`,
    );
    out[t] = `${row.n}:${row.sum}`;
  }
  return out;
}

async function count(url: string, table: string): Promise<number> {
  return Number((await sqlAt<{ n: string }>(url, `select count(*) as n from ${table}`))[0].n);
}

beforeAll(async () => {
  [first, second] = await Promise.all([emptyDatabase('hub_seed_a'), emptyDatabase('hub_seed_b')]);
  [report, secondReport] = await Promise.all([seed(first.url), seed(second.url)]);
  city = buildDemoCity(sizeForResidents(Number(SCALE)));
});

afterAll(async () => {
  await Promise.all([first?.drop(), second?.drop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('hub seed through COPY', () => {
  it('loads exactly the rows the plan of that scale holds', async () => {
    const chains = city.criminalChains;
    const transferred = chains.filter((c) => c.prosecution);
    const expected: Record<string, number> = {
      'grid.district': city.divisions.length,
      'grid.grid': city.grids.length,
      'grid.grid_worker': city.gridWorkers.length,
      'grid.person': city.persons.length,
      'grid.grid_event': city.gridEvents.length,
      'grid.volunteer': city.volunteers.length,
      'police.incident': city.incidents.length + chains.length,
      'police.police_case': chains.length,
      'police.case_participant': chains.reduce((n, c) => n + c.suspectIdNumbers.length + c.victimIdNumbers.length + c.witnessIdNumbers.length, 0),
      'police.auxiliary_officer': city.auxiliaryOfficers.length,
      'procuratorate.prosecution_case': transferred.length,
      'procuratorate.arrest_review': transferred.filter((c) => c.prosecution?.arrestReview).length,
      'procuratorate.prosecution_defendant': transferred.reduce((n, c) => n + c.suspectIdNumbers.length, 0),
      'court.court_case':
        chains.filter((c) => c.trial).length +
        city.disputes.filter((d) => d.confirmationCaseNo).length +
        city.disputes.filter((d) => d.lawsuitCaseNo).length +
        city.enforcementCases.length +
        // Appeals (二审) are the court's own draws on the judgments, not in the plan.
        courtCasesOf(city).filter((c) => c.appealOfCaseNo).length,
      'justice.mediation_point': city.mediationPoints.length,
      'justice.mediator': city.mediators.length,
      'justice.mediation_case': city.disputes.length,
      'justice.mediation_party': city.disputes.reduce((n, d) => n + d.partyIdNumbers.length, 0),
      'justice.community_correction': chains.filter((c) => c.correction).length,
      'justice.legal_aid_case': city.legalAid.length,
    };
    expect(city.persons.length).toBeGreaterThan(1900);
    for (const [table, n] of Object.entries(expected)) expect([table, await count(first.url, table)]).toEqual([table, n]);
    const reported = Object.fromEntries(
      report.outcomes.flatMap((o) => (o.status === 'seeded' ? Object.entries(o.rows).map(([t, n]) => [`${o.department}.${t}`, n]) : [])),
    );
    for (const [table, n] of Object.entries(expected)) expect(reported[table]).toBe(n);
    expect(report.residents).toBe(city.persons.length);
  });

  it('rebuilds the indexes it dropped and records the scale in each department', async () => {
    const indexes = await sqlAt<{ indexname: string }>(
      first.url,
      `select indexname from pg_indexes where schemaname = 'grid' and tablename = 'person' order by 1`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      'person_address_trgm_index',
      'person_grid_code_index',
      'person_grid_code_prefix_index',
      'person_house_id_index',
      'person_id_number_unique',
      'person_name_pinyin_trgm_index',
      'person_name_trgm_index',
      'person_phone_trgm_index',
      'person_pkey',
    ]);
    for (const def of subgraphList().filter((d) => isDepartment(d.name))) {
      const [{ comment }] = await sqlAt<{ comment: string }>(first.url, `select obj_description($1::regnamespace, 'pg_namespace') as comment`, [def.name]);
      expect(JSON.parse(comment).pinganHubDemoSeed).toMatchObject({ scale: SCALE, seed: city.seed });
    }
  });

  it('is deterministic: a second database seeded at the same scale has identical tables', async () => {
    // The audit subgraph has no demo data: it is kept as it is; every department is seeded.
    expect(secondReport.outcomes.filter((o) => isDepartment(o.department)).every((o) => o.status === 'seeded')).toBe(true);
    expect(await checksums(second.url)).toEqual(await checksums(first.url));
  });

  it('is idempotent: a second run keeps every department and adds nothing', async () => {
    const before = await checksums(first.url);
    const again = await seed(first.url);
    expect(again.outcomes.map((o) => [o.department, o.status])).toEqual(subgraphList().map((d) => [d.name, 'kept']));
    expect(await checksums(first.url)).toEqual(before);
  });

  it('refuses to mix scales unless told to replace, and then replaces every department', async () => {
    await expect(seed(first.url, '3000')).rejects.toThrow(/grid holds the demo city at scale 2000 .*--replace/);
    expect(await count(first.url, 'grid.person')).toBe(city.persons.length);
    const replaced = await runSeed(config, { scale: '3000', databaseUrl: first.url, progress: 'none', skipDiskCheck: true, replace: true });
    expect(await count(first.url, 'grid.person')).toBe(replaced.residents);
    expect(replaced.residents).not.toBe(city.persons.length);
    const police = replaced.outcomes.find((o) => o.department === 'police');
    expect(await count(first.url, 'police.incident')).toBe(police?.status === 'seeded' ? police.rows.incident : -1);
  });

  it('leaves nothing half-written when a load fails part-way', async () => {
    const orm = await openDepartmentOrm({ schema: 'grid', clientUrl: second.url, entities: gridDepartment.entities, migrations: gridDepartment.migrations });
    try {
      const before = await checksums(second.url);
      function* failing(): Generator<DemoPerson> {
        let n = 0;
        for (const p of city.persons) {
          if (++n > 500) throw new Error('generator broke down');
          yield p;
        }
      }
      const broken = { ...city, persons: { [Symbol.iterator]: failing } };
      await expect(seedDepartment(gridDepartment, orm, broken, { personKeySecret: DEV_PERSON_KEY_SECRET }, { scale: 'broken', replace: true })).rejects.toThrow(
        'generator broke down',
      );
      // Districts, grids and workers were loaded before the residents in the same transaction: all rolled back.
      expect(await checksums(second.url)).toEqual(before);
    } finally {
      await orm.close();
    }
  });

  it('round-trips tabs, quotes, backslashes, newlines, NULL-like text, arrays and nulls', async () => {
    const nasty = 'tab\there "double" \'single\' back\\slash \\N \\t new\nline cr\r\nend 网格\u0001';
    const elements = ['a,b', 'quote"d', 'back\\slash', '{brace}', 'NULL', '', ' spaced ', 'tab\tnew\nline', '\\N'];
    const reportedAt = new Date('2026-03-04T05:06:07.000Z');
    const orm = await openDepartmentOrm({ schema: 'grid', clientUrl: second.url, entities: gridDepartment.entities, migrations: gridDepartment.migrations });
    const police = subgraphList().find((d) => d.name === 'police')!;
    const policeOrm = await openDepartmentOrm({ schema: 'police', clientUrl: second.url, entities: police.entities, migrations: police.migrations });
    try {
      await orm.em.fork().transactional((em) =>
        copyRows(em, GridEvent, [
          {
            id: 'GE2099000001',
            kind: 'HAZARD' as GridEvent['kind'],
            title: nasty,
            description: nasty,
            status: 'REPORTED' as GridEvent['status'],
            gridCode: city.grids[0].code,
            unitCode: 'ZZ211402001000',
            reportedBy: 'gw-test',
            reportedAt,
            involvedPersonIds: elements,
          },
        ]),
      );
      await policeOrm.em.fork().transactional((em) =>
        copyRows(em, Incident, [
          {
            id: 'JQ2099000001',
            kind: nasty,
            summary: nasty,
            reportedAt,
            districtCode: '211402',
            gridCode: city.grids[0].code,
            unitCode: 'GA211402001000',
            reporterId: null,
          },
        ]),
      );
    } finally {
      await Promise.all([orm.close(), policeOrm.close()]);
    }
    const [event] = await sqlAt<{ title: string; description: string; involved_person_ids: string[]; reported_at: Date }>(
      second.url,
      `select * from grid.grid_event where id = 'GE2099000001'`,
    );
    expect(event.title).toBe(nasty);
    expect(event.description).toBe(nasty);
    expect(event.involved_person_ids).toEqual(elements);
    expect(event.reported_at.toISOString()).toBe(reportedAt.toISOString());
    const [incident] = await sqlAt<{ kind: string; summary: string; reporter_id: string | null }>(
      second.url,
      `select * from police.incident where id = 'JQ2099000001'`,
    );
    expect(incident).toMatchObject({ kind: nasty, summary: nasty, reporter_id: null });
  });
});
