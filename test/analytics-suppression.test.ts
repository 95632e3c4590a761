import { loadPolicy } from '../src/policy/policy';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/*
 * Complementary suppression over months and townships needs counts the small demo city is too
 * sparse for (most of its monthly cells are small, and so are their totals). This file's own
 * database gets a built case in 2027, after the demo period: two townships of one county whose
 * incidents are laid out month by month below, so every count is known from the layout.
 */

let t: TestHub;
const K = loadPolicy().suppressionThreshold;
/** Incidents per township and month (Jan, Feb, Mar 2027): township A's January is the small cell. */
const LAYOUT = { A: [3, 10, 0], B: [10, 10, 10] } as const;
const MONTHS = ['2027-01', '2027-02', '2027-03'];
const RANGE = { from: '2027-01-01', to: '2027-03-31' };
let county: string;
let townships: { A: string; B: string };

beforeAll(async () => {
  t = await startTestHub();
  county = t.city.divisions.find((d) => d.level === 'COUNTY')!.code;
  const [a, b] = t.city.divisions.filter((d) => d.parentCode === county).map((d) => d.code);
  townships = { A: a, B: b };
  let seq = 0;
  for (const [name, perMonth] of Object.entries(LAYOUT) as Array<[keyof typeof LAYOUT, readonly number[]]>) {
    const grid = t.city.grids.find((g) => g.townshipCode === townships[name])!;
    for (const [m, n] of perMonth.entries()) {
      for (let i = 0; i < n; i++) {
        await sql(t, `insert into police.incident (id, kind, summary, reported_at, district_code, grid_code) values ($1, '求助', '测试', $2, $3, $4)`, [
          `JQ99${String(++seq).padStart(8, '0')}`,
          `${MONTHS[m]}-${String(i + 1).padStart(2, '0')}T02:00:00Z`,
          county,
          grid.code,
        ]);
      }
    }
  }
});
afterAll(async () => {
  await t?.stop();
});

type Cell = { incidents: number | null; suppressedFields: string[] };
type Months = { monthly: Array<{ month: string; policeStatistics: Cell }>; policeStatistics: Cell };
const QUERY = `query ($c: String!, $from: String!, $to: String!) { district(code: $c) {
  policeStatistics(from: $from, to: $to) { incidents suppressedFields } monthly(from: $from, to: $to) { month policeStatistics { incidents suppressedFields } }
  townships { code policeStatistics(from: $from, to: $to) { incidents suppressedFields } monthly(from: $from, to: $to) { month policeStatistics { incidents suppressedFields } } } } }`;

async function table(who: 'admin' | 'analyst'): Promise<Map<string, number | null>> {
  const res = await t.query<{ district: Months & { townships: Array<Months & { code: string }> } }>(who, QUERY, { c: county, ...RANGE });
  expect(res.body.errors).toBeUndefined();
  const cells = new Map<string, number | null>();
  for (const [code, d] of [[county, res.body.data!.district], ...res.body.data!.district.townships.map((x) => [x.code, x] as const)] as Array<
    [string, Months]
  >) {
    cells.set(code, d.policeStatistics.incidents);
    for (const m of d.monthly) cells.set(`${code}@${m.month}`, m.policeStatistics.incidents);
  }
  return cells;
}

it("hides the small month, and complements it in its township's range and its county's month, so that no total gives it away", async () => {
  const exact = await table('admin');
  const { A, B } = townships;
  // The layout, as counted by the hub.
  expect(exact.get(`${A}@2027-01`)).toBe(LAYOUT.A[0]);
  expect(exact.get(A)).toBe(13);
  expect(exact.get(county)).toBe(43);
  const shown = await table('analyst');
  expect(shown.get(`${A}@2027-01`)).toBeNull();
  // Published cells are exact, zeros are published, small ones hidden.
  for (const [cell, value] of exact) {
    if (shown.get(cell) !== null) expect({ cell, value: shown.get(cell) }).toEqual({ cell, value });
    if (value === 0) expect({ cell, shown: shown.get(cell) }).toEqual({ cell, shown: 0 });
    if (value! > 0 && value! < K) expect({ cell, shown: shown.get(cell) }).toEqual({ cell, shown: null });
  }
  // Every line: a division's range = Σ its months; the county's month = Σ its townships' months;
  // the county's range = Σ its townships'. A published total never has exactly one hidden part.
  const lines = [
    ...[county, A, B].map((code) => ({ total: code, parts: MONTHS.map((m) => `${code}@${m}`) })),
    ...MONTHS.map((m) => ({ total: `${county}@${m}`, parts: [`${A}@${m}`, `${B}@${m}`] })),
    { total: county, parts: [A, B] },
  ];
  let protectedLines = 0;
  for (const { total, parts } of lines) {
    if (shown.get(total) === null) continue;
    const hidden = parts.filter((p) => shown.get(p) === null);
    expect({ total, hidden: hidden.length === 1 }).toEqual({ total, hidden: false });
    if (hidden.length) {
      protectedLines++;
      // What the published cells leave for the hidden ones together: at least k.
      const left = exact.get(total)! - parts.filter((p) => shown.get(p) !== null).reduce((n, p) => n + exact.get(p)!, 0);
      expect(left).toBeGreaterThanOrEqual(K);
    }
  }
  // A's range and the county's January both had to be complemented.
  expect(protectedLines).toBeGreaterThanOrEqual(2);
  expect(shown.get(A)).toBe(13);
  expect(shown.get(`${county}@2027-01`)).toBe(13);
});
