import { feasibleIntervals, monthRange } from '../src/analytics/release';
import type { Line } from '../src/analytics/suppression';
import { loadPolicy } from '../src/policy/policy';
import { startTestHub, type TestHub } from './support/hub';

/*
 * The attacker test: an analyst reads the whole police release of the demo city through the
 * gateway — every county and township, every month and the complete year — and solves, by linear
 * programming over every line of the hierarchy (county = Σ townships, year = Σ months), the
 * feasible interval of each withheld cell. None may be narrower than the policy's protection
 * range. Then the attacks the release was built against: cumulative ranges as aliases, and a day.
 */

let t: TestHub;
const policy = loadPolicy();
const MEASURES = ['incidents', 'casesFiled', 'casesTransferred'] as const;
type Measure = (typeof MEASURES)[number];
type Figures = Record<Measure, number | null> & { suppressedFields: string[] };
/** The demo city's police records: 2025-01 … 2026-11, so 2025 is the one complete year. */
const MONTHS = monthRange('2025-01', '2026-11');
const FIELDS = `{ ${MEASURES.join(' ')} suppressedFields }`;
const DIVISION = `code year: policeStatistics(from: "2025-01-01", to: "2025-12-31") ${FIELDS}
  monthly(from: "2025-01-01", to: "2026-11-30") { month policeStatistics ${FIELDS} }`;
type Division = { code: string; year: Figures; monthly: Array<{ month: string; policeStatistics: Figures }> };

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

/** Every released cell (`code@period`, null when withheld) of the county and townships as `who` reads them. */
async function release(who: 'analyst' | 'admin'): Promise<{ cells: Map<string, number | null>[]; divisions: Array<Division & { townships: Division[] }> }> {
  const res = await t.query<{ districts: Array<Division & { townships: Division[] }> }>(who, `{ districts { ${DIVISION} townships { ${DIVISION} } } }`);
  expect(res.body.errors).toBeUndefined();
  const divisions = res.body.data!.districts;
  const cells = MEASURES.map((m) => {
    const out = new Map<string, number | null>();
    for (const d of divisions.flatMap((c) => [c, ...c.townships])) {
      out.set(`${d.code}@2025`, d.year[m]);
      for (const x of d.monthly) out.set(`${d.code}@${x.month}`, x.policeStatistics[m]);
    }
    return out;
  });
  return { cells, divisions };
}

/** The lines an attacker knows: a county is the sum of its townships, a year the sum of its months (police records all have a township). */
function hierarchyLines(divisions: ReadonlyArray<Division & { townships: Division[] }>): Line[] {
  const lines: Line[] = [];
  for (const county of divisions) {
    for (const period of ['2025', ...MONTHS]) lines.push({ total: `${county.code}@${period}`, parts: county.townships.map((x) => `${x.code}@${period}`) });
    for (const d of [county, ...county.townships])
      lines.push({ total: `${d.code}@2025`, parts: MONTHS.filter((m) => m.startsWith('2025')).map((m) => `${d.code}@${m}`) });
  }
  return lines;
}

it('no withheld cell of the release can be narrowed below the protection range by any combination of released cells', async () => {
  const [shown, exact] = [await release('analyst'), await release('admin')];
  const lines = hierarchyLines(shown.divisions);
  let withheld = 0;
  for (const [i, cells] of shown.cells.entries()) {
    const hidden = new Set([...cells].filter(([, v]) => v === null).map(([id]) => id));
    const published = new Map([...cells].filter((e): e is [string, number] => e[1] !== null));
    // Released cells are exact.
    for (const [id, v] of published) expect({ id, v }).toEqual({ id, v: exact.cells[i].get(id) });
    for (const [id, [lo, hi]] of await feasibleIntervals(lines, published, hidden)) {
      const value = exact.cells[i].get(id)!;
      expect({ id, wide: hi - lo >= policy.protectionRange }).toEqual({ id, wide: true });
      expect(value >= lo - 1e-6 && value <= hi + 1e-6).toBe(true);
    }
    withheld += hidden.size;
  }
  // The small demo city has small cells: the test protects something.
  expect(withheld).toBeGreaterThan(10);
});

it('cumulative ranges in aliases give only sums of released cells (withheld when one of them is), and a single day is refused', async () => {
  const county = t.city.divisions.find((d) => d.level === 'COUNTY')!.code;
  const months2026 = MONTHS.filter((m) => m.startsWith('2026'));
  const aliases = months2026.map((m, i) => `m${i}: policeStatistics(from: "2025-01-01", to: "${lastDay(m)}") ${FIELDS}`).join('\n');
  const res = await t.query<{ district: Record<string, Figures> }>('analyst', `{ district(code: "${county}") { ${aliases} } }`);
  expect(res.body.errors).toBeUndefined();
  const { cells } = await release('analyst');
  for (const [j, m] of MEASURES.entries()) {
    for (const [i] of months2026.entries()) {
      const parts = [`${county}@2025`, ...months2026.slice(0, i + 1).map((x) => `${county}@${x}`)].map((id) => cells[j].get(id) ?? null);
      const sum = parts.some((v) => v === null) ? null : parts.reduce<number>((s, v) => s + (v ?? 0), 0);
      expect({ m, i, value: res.body.data!.district[`m${i}`][m] }).toEqual({ m, i, value: sum });
    }
  }
  const day = await t.query('analyst', `{ district(code: "${county}") { policeStatistics(from: "2026-02-01", to: "2026-02-01") { incidents } } }`);
  expect(day.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(day.body.errors?.[0].message).toContain('the last day of a month');
  const flow = await t.query('analyst', `{ district(code: "${county}") { caseFlow(from: "2025-01-01", to: "2025-06-30") { police { filed } } } }`);
  expect(flow.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(flow.body.errors?.[0].message).toContain('one calendar year');
});

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${new Date(Date.UTC(y, m, 0)).getUTCDate()}`;
}
