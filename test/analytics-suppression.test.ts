import { feasibleIntervals, monthRange } from '../src/analytics/release';
import type { Line } from '../src/analytics/suppression';
import { loadPolicy } from '../src/policy/policy';
import { startTestHub, type TestHub } from './support/hub';

/*
 * The attacker test: an analyst reads the whole police release of the demo city through the
 * gateway — every county and township, every month and the complete year — and solves, by linear
 * programming over every line of the hierarchy (county = Σ townships, year = Σ months), the
 * feasible interval of each withheld cell. None may be narrower than the policy's protection
 * range. The same for the petition bureau's release (kept in the hub's own schema for it), with
 * the order of its measures as the attacker's bounds too (repeat petitions ≤ petitions). Then the attacks the release was built against: cumulative ranges as aliases, and a day.
 */

let t: TestHub;
const policy = loadPolicy();

/** A department's released statistic as the attacker reads it: its field, measures, months and the order of its measures. */
interface Released {
  field: string;
  measures: readonly string[];
  months: readonly string[];
  /** `[a, b]`: a ≤ b in every cell (the measures' `atMost`), which the attacker knows too. */
  order: ReadonlyArray<readonly [string, string]>;
}
/** The demo city's police records: 2025-01 … 2026-11, so 2025 is the one complete year. */
const POLICE: Released = {
  field: 'policeStatistics',
  measures: ['incidents', 'casesFiled', 'casesTransferred'],
  months: monthRange('2025-01', '2026-11'),
  order: [],
};
/** The petition bureau's fixture: 2025-01 … 2026-05; a repeat petition is a petition. */
const PETITION: Released = {
  field: 'petitionStatistics',
  measures: ['petitions', 'repeatPetitions'],
  months: monthRange('2025-01', '2026-05'),
  order: [['repeatPetitions', 'petitions']],
};
const MEASURES = POLICE.measures;
const MONTHS = POLICE.months;
type Figures = Record<string, number | null> & { suppressedFields: string[] };
const FIELDS = `{ ${MEASURES.join(' ')} suppressedFields }`;
type Division = { code: string; year: Figures; monthly: Array<{ month: string; figures: Figures }> };

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

/** Every released cell (`code@period`, null when withheld) of every measure, county and township as `who` reads them. */
async function release(
  who: 'analyst' | 'admin',
  of: Released,
): Promise<{ cells: Map<string, Map<string, number | null>>; divisions: Array<Division & { townships: Division[] }> }> {
  const fields = `{ ${of.measures.join(' ')} suppressedFields }`;
  const division = `code year: ${of.field}(from: "2025-01-01", to: "2025-12-31") ${fields}
    monthly(from: "${of.months[0]}-01", to: "${lastDay(of.months.at(-1)!)}") { month figures: ${of.field} ${fields} }`;
  const res = await t.query<{ districts: Array<Division & { townships: Division[] }> }>(who, `{ districts { ${division} townships { ${division} } } }`);
  expect(res.body.errors).toBeUndefined();
  const divisions = res.body.data!.districts;
  const cells = new Map(
    of.measures.map((m) => {
      const out = new Map<string, number | null>();
      for (const d of divisions.flatMap((c) => [c, ...c.townships])) {
        out.set(`${d.code}@2025`, d.year[m]);
        for (const x of d.monthly) out.set(`${d.code}@${x.month}`, x.figures[m]);
      }
      return [m, out];
    }),
  );
  return { cells, divisions };
}

/** The lines an attacker knows: a county is the sum of its townships, a year the sum of its months (the demo's records all have a township). */
function hierarchyLines(divisions: ReadonlyArray<Division & { townships: Division[] }>, months: readonly string[]): Line[] {
  const lines: Line[] = [];
  for (const county of divisions) {
    for (const period of ['2025', ...months]) lines.push({ total: `${county.code}@${period}`, parts: county.townships.map((x) => `${x.code}@${period}`) });
    for (const d of [county, ...county.townships])
      lines.push({ total: `${d.code}@2025`, parts: months.filter((m) => m.startsWith('2025')).map((m) => `${d.code}@${m}`) });
  }
  return lines;
}

/** What the order of measures tells the attacker of `measure`'s cells, from the other measures' released cells. */
function orderBounds(of: Released, measure: string, cells: ReadonlyMap<string, ReadonlyMap<string, number | null>>): Map<string, [number, number]> {
  const bounds = new Map<string, [number, number]>();
  for (const id of cells.get(measure)!.keys()) {
    const below = of.order.filter(([, b]) => b === measure).map(([a]) => cells.get(a)!.get(id) ?? 1);
    const above = of.order.filter(([a]) => a === measure).map(([, b]) => cells.get(b)!.get(id) ?? Infinity);
    bounds.set(id, [Math.max(1, ...below), Math.min(Infinity, ...above)]);
  }
  return bounds;
}

it.each([
  ['police', POLICE],
  ['petition', PETITION],
])('no withheld cell of the %s release can be narrowed below the protection range by any combination of released cells', async (_, of) => {
  const [shown, exact] = [await release('analyst', of), await release('admin', of)];
  const lines = hierarchyLines(shown.divisions, of.months);
  let withheld = 0;
  for (const m of of.measures) {
    const cells = shown.cells.get(m)!;
    const hidden = new Set([...cells].filter(([, v]) => v === null).map(([id]) => id));
    const published = new Map([...cells].filter((e): e is [string, number] => e[1] !== null));
    // Released cells are exact.
    for (const [id, v] of published) expect({ m, id, v }).toEqual({ m, id, v: exact.cells.get(m)!.get(id) });
    for (const [id, [lo, hi]] of await feasibleIntervals(lines, published, hidden, undefined, orderBounds(of, m, shown.cells))) {
      const value = exact.cells.get(m)!.get(id)!;
      expect({ m, id, wide: hi - lo >= policy.protectionRange }).toEqual({ m, id, wide: true });
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
  const { cells } = await release('analyst', POLICE);
  for (const m of MEASURES) {
    for (const [i] of months2026.entries()) {
      const parts = [`${county}@2025`, ...months2026.slice(0, i + 1).map((x) => `${county}@${x}`)].map((id) => cells.get(m)!.get(id) ?? null);
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
