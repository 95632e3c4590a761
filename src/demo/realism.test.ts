import { CHARGES } from './catalog';
import { DEMO_SIZES, DemoCityPlan, buildDemoCity } from './city';
import { DISTRICTS } from './divisions';
import { CITY_RESIDENTS, sizeForResidents } from './scale';
import type { DemoCity } from './types';

/**
 * Facts a Huludao officer would check in the demo city, stated here from the law and the official
 * figures (docs/domain.md) rather than read back from the generator's own tables: the small city
 * every test reads and the medium one, whose counts are large enough for the rates to mean something.
 */

/**
 * Resident population of each county-level division at the 2020 census (第七次全国人口普查), as
 * docs/domain.md gives it with its sources — restated here, not read from the generator.
 */
const CENSUS_2020: Record<string, number> = {
  '211402': 468_110,
  '211403': 300_000,
  '211404': 176_385,
  '211421': 487_519,
  '211422': 450_000,
  '211481': 552_180,
};

/** Each district's share of the residents, in percent, against its census share. */
function sharePoints(residentsByDistrict: Map<string, number>): Array<{ district: string; demo: number; census: number }> {
  const residents = [...residentsByDistrict.values()].reduce((s, n) => s + n, 0);
  const census = Object.values(CENSUS_2020).reduce((s, n) => s + n, 0);
  return DISTRICTS.map((d) => ({
    district: d.name,
    demo: (100 * (residentsByDistrict.get(d.code) ?? 0)) / residents,
    census: (100 * CENSUS_2020[d.code]) / census,
  }));
}

/**
 * Offences whose gravest principal penalty is criminal detention (拘役): arrest needs a possible
 * sentence of at least 有期徒刑 (刑事诉讼法 art. 81), so none of these is ever reviewed for arrest.
 * 危险驾驶罪 (刑法 art. 133-1), 使用虚假身份证件、盗用身份证件罪 (art. 280-1), 代替考试罪 (art. 284-1).
 */
const DETENTION_AT_MOST = new Set(['危险驾驶罪', '使用虚假身份证件、盗用身份证件罪', '代替考试罪']);

/**
 * The year in a case number or id: `…〔2025〕…` (procuratorate), `(2025)…` (court), after the
 * six-digit division of a police case number (`A2114022025…`), or after the letters of an id (`JQ2025…`).
 */
function yearIn(number: string): string {
  const m = /〔(\d{4})〕|^\((\d{4})\)|^A\d{6}(\d{4})|^[A-Z]{2}(\d{4})/.exec(number);
  const year = m?.slice(1).find((g) => g !== undefined);
  if (!year) throw new Error(`no year in ${number}`);
  return year;
}

describe.each([
  ['small', DEMO_SIZES.small],
  ['medium', DEMO_SIZES.medium],
])('the %s demo city respects the law and the official figures', (_name, size) => {
  let city: DemoCity;
  beforeAll(() => {
    city = buildDemoCity(size);
  });

  const transferred = () => city.criminalChains.flatMap((c) => (c.prosecution ? [{ chain: c, prosecution: c.prosecution }] : []));

  it('reviews no suspect for arrest whose offence is punished at most with 拘役, and only some of the others', () => {
    for (const charge of CHARGES)
      expect({ charge: charge.name, detentionAtMost: charge.gravest === 'detention' }).toEqual({
        charge: charge.name,
        detentionAtMost: DETENTION_AT_MOST.has(charge.name),
      });
    const detentionOnly = transferred().filter(({ chain }) => DETENTION_AT_MOST.has(chain.charge));
    expect(detentionOnly.length).toBeGreaterThan(0);
    expect(detentionOnly.filter(({ prosecution }) => prosecution.arrestReview !== null).map(({ chain }) => chain.policeCaseNo)).toEqual([]);
    // Not every transfer comes with an arrest request: bail (取保候审) is the common way for the rest.
    const eligible = transferred().filter(({ chain }) => !DETENTION_AT_MOST.has(chain.charge));
    const share = eligible.filter(({ prosecution }) => prosecution.arrestReview !== null).length / eligible.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.8);
  });

  it('houses each district within 2 points of its 2020 census share of the city', () => {
    const byGrid = new Map(city.grids.map((g) => [g.code, g.districtCode]));
    const residents = new Map<string, number>();
    for (const p of city.persons) residents.set(byGrid.get(p.gridCode)!, (residents.get(byGrid.get(p.gridCode)!) ?? 0) + 1);
    for (const { district, demo, census } of sharePoints(residents)) expect({ district, off: Math.abs(demo - census) < 2 }).toEqual({ district, off: true });
  });

  it('acquits fewer than 0.5 % of the people it judges', () => {
    const judged = city.criminalChains.filter((c) => c.trial?.verdict);
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.filter((c) => c.trial?.verdict === 'NOT_GUILTY').length / judged.length).toBeLessThan(0.005);
  });

  it("settles more than 90 % of the disputes people's mediation ends, and leaves some failed ones to a lawsuit", () => {
    const ended = city.disputes.filter((d) => d.outcome !== 'IN_PROGRESS');
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.filter((d) => d.outcome === 'SUCCEEDED').length / ended.length).toBeGreaterThan(0.9);
    // The dispute journey (grid event → mediation → 民初 lawsuit) must stay possible to show.
    expect(ended.filter((d) => d.outcome === 'FAILED' && d.lawsuitCaseNo !== null).length).toBeGreaterThan(0);
  });

  it('numbers every record in the year of the date it was issued on', () => {
    const mismatches: string[] = [];
    const check = (number: string | null | undefined, date: string | null | undefined) => {
      if (number && date && yearIn(number) !== date.slice(0, 4)) mismatches.push(`${number} on ${date}`);
    };
    for (const c of city.criminalChains) {
      check(c.incidentId, c.occurredAt);
      check(c.policeCaseNo, c.filedOn);
      check(c.prosecution?.arrestReview?.caseNo, c.prosecution?.arrestReview?.decidedOn);
      check(c.prosecution?.prosecutionCaseNo, c.prosecution?.receivedOn);
      check(c.trial?.courtCaseNo, c.trial?.filedOn);
      check(c.correction?.id, c.correction?.startOn);
    }
    for (const i of city.incidents) check(i.id, i.reportedAt);
    for (const e of city.gridEvents) check(e.id, e.reportedAt);
    for (const e of city.enforcementCases) check(e.caseNo, e.filedOn);
    expect(mismatches).toEqual([]);
  });
});

describe('the city-scale demo', () => {
  it('plans each district within 2 points of its 2020 census share', () => {
    // 2.4 million residents: the plan knows each district's count before generating anyone.
    const plan = new DemoCityPlan(sizeForResidents(CITY_RESIDENTS));
    for (const { district, demo, census } of sharePoints(plan.residentsByDistrict()))
      expect({ district, off: Math.abs(demo - census) < 2 }).toEqual({ district, off: true });
  });
});
