import { intersectionSizes } from '../src/analytics/psi';
import { addMonths } from '../src/demo/dates';
import type { DemoCity } from '../src/demo/types';
import { withSubgraphOrm } from '../src/kit/migrate';
import { loadPolicy } from '../src/policy/policy';
import { withDatabase } from '../src/shared/db';
import { subgraphs } from '../src/subgraphs';
import { mediationPartiesSide } from '../src/subgraphs/justice/civilToCriminal';
import { suspectFilingsSide } from '../src/subgraphs/police/civilToCriminal';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/*
 * 民转刑 through the gateway: counted by PSI-CA between the justice bureau and the police when the
 * test template was prepared, stored per county and year in the police's release, read exact by
 * the department's own viewers and released (suppressed) for analysts.
 */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const K = loadPolicy().suppressionThreshold;
const YEAR = { from: '2025-01-01', to: '2025-12-31' };

/**
 * The definition, read straight off the demo city's records (the test's own oracle): distinct
 * (suspect, month of filing) pairs of the cases filed in a county and year whose suspect was a
 * party of a mediation started in the 12 calendar months before the month of filing.
 */
function expectedPairs(city: DemoCity): Map<string, number> {
  const windows = new Map<string, Set<string>>();
  for (const m of city.disputes)
    for (const party of m.partyIdNumbers)
      for (let k = 1; k <= 12; k++) {
        const months = windows.get(party) ?? new Set<string>();
        months.add(addMonths(`${m.startedOn.slice(0, 7)}-01`, k).slice(0, 7));
        windows.set(party, months);
      }
  const pairs = new Set<string>();
  for (const c of city.criminalChains)
    for (const s of c.suspectIdNumbers)
      if (windows.get(s)?.has(c.filedOn.slice(0, 7))) pairs.add(`${c.gridCode.slice(0, 6)}@${c.filedOn.slice(0, 4)}|${s}|${c.filedOn.slice(0, 7)}`);
  const counts = new Map<string, number>();
  for (const p of pairs) counts.set(p.split('|')[0], (counts.get(p.split('|')[0]) ?? 0) + 1);
  return counts;
}

/** The escalations the generator made, by the county and year of their cases. */
function escalations(city: DemoCity): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of city.criminalChains.filter((x) => x.escalatedFrom)) {
    const key = `${c.gridCode.slice(0, 6)}@${c.filedOn.slice(0, 4)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

type C2C = { cases: number | null; rate: number | null; suppressedFields: string[] };
type Row = { code: string; policeStatistics: { casesFiled: number | null; suppressedFields: string[]; civilToCriminal: C2C | null } | null };
const SELECTION = 'code policeStatistics(from: $from, to: $to) { casesFiled suppressedFields civilToCriminal { cases rate suppressedFields } }';
const QUERY = `query ($from: Date, $to: Date) { city { ${SELECTION} } districts { ${SELECTION} } }`;

describe('民转刑 (civil disputes that became criminal cases)', () => {
  it('the protocol counts exactly what the definition counts, every county and year, and the generator made every escalation it counts', async () => {
    const url = withDatabase(t.serverUrl, t.database);
    const justice = await withSubgraphOrm(subgraphs.justice, url, (orm) => mediationPartiesSide(orm.em.fork()));
    const counted = await withSubgraphOrm(subgraphs.police, url, async (orm) => intersectionSizes(await suspectFilingsSide(orm.em.fork()), justice));
    const expected = expectedPairs(t.city);
    expect(Object.fromEntries([...counted].filter(([, n]) => n > 0))).toEqual(Object.fromEntries(expected));
    // Every deliberate escalation is counted; on the small city they are all there is (no coincidence).
    const made = escalations(t.city);
    for (const [group, n] of made) expect(expected.get(group) ?? 0).toBeGreaterThanOrEqual(n);
    expect(Object.fromEntries(expected)).toEqual(Object.fromEntries(made));
    expect([...made.values()].reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
  });

  it('admin reads the stored exact figures: each county as the generator made them, the city their sum, the rate of the cases filed', async () => {
    const res = await t.query<{ city: Row; districts: Row[] }>('admin', QUERY, YEAR);
    expect(res.body.errors).toBeUndefined();
    const made = escalations(t.city);
    let sum = 0;
    for (const d of res.body.data!.districts) {
      const expected = made.get(`${d.code}@2025`) ?? 0;
      sum += expected;
      const s = d.policeStatistics!;
      expect({ code: d.code, ...s.civilToCriminal }).toEqual({
        code: d.code,
        cases: expected,
        rate: s.casesFiled ? expected / s.casesFiled : null,
        suppressedFields: [],
      });
    }
    expect(res.body.data!.city.policeStatistics!.civilToCriminal!.cases).toBe(sum);
    expect(sum).toBeGreaterThan(0);
  });

  it("a police officer gets the own district's exact figure and nothing of another district", async () => {
    const q = `{ own: district(code: "211402") { policeStatistics(from: "2025-01-01", to: "2025-12-31") { civilToCriminal { cases suppressedFields } } }
                 other: district(code: "211481") { policeStatistics(from: "2025-01-01", to: "2025-12-31") { civilToCriminal { cases } } } }`;
    const res = await t.query<{ own: { policeStatistics: { civilToCriminal: C2C } }; other: { policeStatistics: null } }>('police', q);
    expect(res.body.data!.own.policeStatistics.civilToCriminal).toEqual({ cases: escalations(t.city).get('211402@2025') ?? 0, suppressedFields: [] });
    expect(res.body.data!.other.policeStatistics).toBeNull();
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN_FIELD']);
  });

  it('the analyst gets the release: small counts withheld and named with their rate, released ones exact', async () => {
    const [shown, exact] = [
      await t.query<{ city: Row; districts: Row[] }>('analyst', QUERY, YEAR),
      await t.query<{ city: Row; districts: Row[] }>('admin', QUERY, YEAR),
    ];
    expect(shown.body.errors).toBeUndefined();
    const rows = [shown.body.data!.city, ...shown.body.data!.districts];
    const truth = new Map([exact.body.data!.city, ...exact.body.data!.districts].map((r) => [r.code, r.policeStatistics!.civilToCriminal!.cases!]));
    const stored = new Map(
      (
        await sql<{ code: string; value: number | null }>(
          t,
          `select code, value from police.statistics_release where statistic = 'civilToCriminal' and measure = 'cases' and period = '2025'`,
        )
      ).map((r) => [r.code, r.value]),
    );
    let withheld = 0;
    for (const r of rows) {
      const c = r.policeStatistics!.civilToCriminal!;
      const n = truth.get(r.code)!;
      expect(c.cases).toBe(stored.get(r.code));
      if (c.cases === null) {
        withheld++;
        expect(c.suppressedFields).toEqual(['cases', 'rate']);
      } else {
        expect(c.cases).toBe(n);
        expect(n === 0 || n >= K).toBe(true);
      }
      if (n > 0 && n < K) expect(c.cases).toBeNull();
    }
    // The small city has fewer than K escalations a county-year: every positive cell is withheld, and no line then pins one.
    expect(withheld).toBeGreaterThanOrEqual(2);
  });

  it('refuses what is not a whole released calendar year, or a month of a series; a township has none', async () => {
    const ask = (args: string) => t.query('admin', `{ district(code: "211402") { policeStatistics(${args}) { civilToCriminal { cases } } } }`);
    for (const [args, argument] of [
      ['from: "2025-02-01", to: "2025-12-31"', 'from'],
      ['from: "2025-01-01", to: "2025-11-30"', 'to'],
      ['from: "2026-01-01", to: "2026-11-30"', 'from'],
      ['from: "2025-01-01"', 'to'],
    ] as const) {
      const res = await ask(args);
      expect(res.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([['BAD_USER_INPUT', argument]]);
      expect(res.body.errors![0].message).toContain('2025-01-01 and 2025-12-31');
    }
    const month = await t.query(
      'admin',
      `{ district(code: "211402") { monthly(from: "2025-01-01", to: "2025-01-31") { policeStatistics { civilToCriminal { cases } } } } }`,
    );
    expect(month.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const township = await t.query<{ district: { policeStatistics: { civilToCriminal: null } } }>(
      'admin',
      `{ district(code: "211402001") { policeStatistics(from: "2025-01-01", to: "2025-12-31") { civilToCriminal { cases } } } }`,
    );
    expect(township.body.errors).toBeUndefined();
    expect(township.body.data!.district.policeStatistics.civilToCriminal).toBeNull();
  });
});
