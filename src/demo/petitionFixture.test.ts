import { readFileSync } from 'node:fs';
import { isValidIdNumber } from '../shared/idNumber';
import { DEMO_SIZES, buildDemoCity } from './city';
import { PETITION_FIXTURE, petitionFixtureSql } from './petitionFixture';
import type { DemoCity } from './types';

/** The rows of one `insert into xf.<table> (...) values` of the fixture, as strings (null for SQL null). */
function rowsOf(sql: string, table: string): Array<Array<string | null>> {
  const insert = new RegExp(`^insert into xf\\.${table} \\([^)]*\\) values\\n?([\\s\\S]*?);$`, 'm').exec(sql);
  if (!insert) throw new Error(`no insert into xf.${table}`);
  return [...insert[1].matchAll(/^ *\((.*)\),?$/gm)].map((m) =>
    [...m[1].matchAll(/'((?:[^']|'')*)'|null/g)].map((v) => (v[1] === undefined ? null : v[1].replaceAll("''", "'"))),
  );
}

describe('the petition fixture (test/fixtures/petition/xf.sql)', () => {
  let city: DemoCity;
  let sql: string;
  beforeAll(() => {
    city = buildDemoCity(DEMO_SIZES.small);
    sql = petitionFixtureSql(city);
  });

  it('is what the generator writes from the small demo city (run `npm run -s hub -- petition-fixture` after changing the city)', () => {
    expect(readFileSync(PETITION_FIXTURE, 'utf8').split('\n')).toEqual(sql.split('\n'));
  });

  it("links petitions to the city's dispute events and residents, as the graph joins them", () => {
    const residents = new Map(city.persons.map((p) => [p.idNumber, p]));
    const events = new Map(city.gridEvents.map((e) => [e.id, e]));
    const mediated = new Set(city.disputes.map((d) => d.gridEventId));
    const persons = rowsOf(sql, 'xf_person');
    const cases = rowsOf(sql, 'xf_case');

    // Every petitioner a resident under the same name, but the one old 15-digit number, which links to nobody.
    const old = persons.filter(([, , , sfzh]) => sfzh?.length === 15);
    expect(old.map(([ryid]) => ryid)).toEqual(['XFR900001']);
    for (const [ryid, xm, , sfzh] of persons.filter((p) => p !== old[0])) {
      expect({ ryid, valid: isValidIdNumber(sfzh!), name: residents.get(sfzh!)?.name }).toEqual({ ryid, valid: true, name: xm });
    }

    const sfzhOf = new Map(persons.map(([ryid, , , sfzh]) => [ryid, sfzh]));
    const aboutEvents = cases.filter((c) => c[7] !== null);
    expect(aboutEvents.length).toBeGreaterThanOrEqual(20);
    // 访调对接: each petition the city referred to mediation is in the bureau's system, by the petitioner, in their grid, on its day.
    const referred = city.disputes.filter((d) => d.petition);
    expect(referred.length).toBeGreaterThan(0);
    for (const d of referred) {
      const row = cases.find((c) => c[0] === d.petition!.caseId);
      expect({ sfzh: sfzhOf.get(row?.[1] ?? ''), xfrq: row?.[3], wgdm: row?.[6], wgsjbh: row?.[7] }).toEqual({
        sfzh: d.partyIdNumbers[0],
        xfrq: d.petition!.filedOn,
        wgdm: residents.get(d.partyIdNumbers[0])!.gridCode,
        wgsjbh: null,
      });
    }
    expect(cases.length - aboutEvents.length).toBeGreaterThanOrEqual(20);
    for (const [xfjbh, ryid, , xfrq, nrzy, , wgdm, wgsjbh] of aboutEvents) {
      const event = events.get(wgsjbh!);
      // A party of a mediated dispute, about that dispute's event, in its grid, after it was reported.
      expect({
        xfjbh,
        kind: event?.kind,
        mediated: mediated.has(wgsjbh),
        party: event?.involvedIdNumbers.includes(sfzhOf.get(ryid)!),
        grid: event?.gridCode,
        repeatsText: nrzy!.includes(event?.description ?? '∅'),
        afterReport: xfrq! >= (event?.reportedAt.slice(0, 10) ?? '9999'),
      }).toEqual({ xfjbh, kind: 'DISPUTE', mediated: true, party: true, grid: wgdm, repeatsText: true, afterReport: true });
    }
    // A resident who came more than once keeps one 人员编号.
    expect(new Set(cases.map((c) => c[1])).size).toBeLessThan(cases.length);
  });
});
