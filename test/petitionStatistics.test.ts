import { readFileSync } from 'node:fs';
import { refreshDepartment } from '../src/cli/stats';
import { PETITION_FIXTURE } from '../src/demo/petitionFixture';
import { monthRange } from '../src/analytics/release';
import { withDatabase } from '../src/shared/db';
import { DISTRICTS } from '../src/shared/huludao';
import { subgraphs } from '../src/subgraphs';
import { emptyDatabase, sql, sqlAt } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/*
 * The petition bureau's statistics (issue #19) through the gateway: counted in its own system's
 * tables (the stand-in xf.xf_case), exact for the 综治中心 and admin inside their jurisdiction,
 * the release for analysts (kept in the hub's schema `petition`), and the repeat petitions
 * (重复信访) recounted here from the bureau's rows by the definition, independently of the SQL.
 */

let t: TestHub;
interface Petition {
  xfjbh: string;
  ryid: string;
  xfrq: string;
  wgdm: string;
}
let petitions: Petition[];
const FIELDS = 'petitions repeatPetitions repeatPetitionRate suppressedFields';
type Figures = { petitions: number | null; repeatPetitions: number | null; repeatPetitionRate: number | null; suppressedFields: string[] };
const COUNTIES = DISTRICTS.map((d) => d.code);

beforeAll(async () => {
  t = await startTestHub();
  petitions = await sql<Petition>(t, `select xfjbh, ryid, xfrq::text as xfrq, wgdm from xf.xf_case`);
});
afterAll(async () => {
  await t?.stop();
});

/** The same day twelve months earlier (the last day of a shorter month when it has no such day), as PostgreSQL's `date - interval '12 months'`. */
function twelveMonthsBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** A repeat petition: its petitioner registered another one in the 12 months before it (the same day: a lower number). */
function isRepeat(p: Petition): boolean {
  return petitions.some((q) => q.ryid === p.ryid && q.xfrq >= twelveMonthsBefore(p.xfrq) && (q.xfrq < p.xfrq || (q.xfrq === p.xfrq && q.xfjbh < p.xfjbh)));
}

/** The exact figures of a division (city, county, township) over days [from, to], from the bureau's rows. */
function expected(code: string, from: string, to: string): Omit<Figures, 'suppressedFields'> {
  const placed = petitions.filter((p) => COUNTIES.includes(p.wgdm.slice(0, 6)));
  const inside = placed.filter((p) => (code === '211400' || p.wgdm.startsWith(code)) && p.xfrq >= from && p.xfrq <= to);
  const repeats = inside.filter(isRepeat).length;
  return {
    petitions: inside.length,
    repeatPetitions: repeats,
    repeatPetitionRate: inside.length ? repeats / inside.length : null,
  };
}

const divisionsQuery = (range: string) => `{ city { code petitionStatistics${range} { ${FIELDS} } }
  districts { code petitionStatistics${range} { ${FIELDS} } townships { code petitionStatistics${range} { ${FIELDS} } } } }`;
type Divisions = {
  city: { code: string; petitionStatistics: Figures };
  districts: Array<{ code: string; petitionStatistics: Figures; townships: Array<{ code: string; petitionStatistics: Figures }> }>;
};
const flatten = (d: Divisions) => [d.city, ...d.districts.flatMap((c) => [c, ...c.townships])];

describe('petition statistics (信访, 重复信访)', () => {
  it('the fixture has repeat petitions to count: 80 returns on purpose, each within 12 months of the earlier petition', () => {
    expect(petitions.length).toBe(141);
    // The generator's 80 returns, plus a resident who petitioned twice on other matters.
    expect(petitions.filter(isRepeat).length).toBe(81);
  });

  it('admin reads the exact figures of the city, every county and township, over everything and over a year', async () => {
    for (const [range, from, to] of [
      ['', '0000-01-01', '9999-12-31'],
      ['(from: "2025-01-01", to: "2025-12-31")', '2025-01-01', '2025-12-31'],
      ['(from: "2025-03-10", to: "2026-02-07")', '2025-03-10', '2026-02-07'],
    ]) {
      const res = await t.query<Divisions>('admin', divisionsQuery(range));
      expect(res.body.errors).toBeUndefined();
      const all = flatten(res.body.data!);
      expect(all.length).toBeGreaterThan(12);
      for (const d of all) expect({ code: d.code, ...d.petitionStatistics }).toEqual({ code: d.code, ...expected(d.code, from, to), suppressedFields: [] });
    }
    const city = (await t.query<Divisions>('admin', divisionsQuery(''))).body.data!.city.petitionStatistics;
    expect(city.repeatPetitions).toBe(81);
  });

  it('admin reads the exact monthly series of a county', async () => {
    const res = await t.query<{ district: { monthly: Array<{ month: string; petitionStatistics: Figures }> } }>(
      'admin',
      `{ district(code: "211402") { monthly(from: "2025-01-01", to: "2026-05-31") { month petitionStatistics { ${FIELDS} } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const months = res.body.data!.district.monthly;
    expect(months.map((m) => m.month)).toEqual(monthRange('2025-01', '2026-05'));
    for (const m of months) {
      const to = `${m.month}-31`;
      expect({ month: m.month, ...m.petitionStatistics }).toEqual({ month: m.month, ...expected('211402', `${m.month}-01`, to), suppressedFields: [] });
    }
  });

  it("the 综治中心 reads its own district's exact figures, nothing outside; departments a petition may complain about get none", async () => {
    const own = await t.query<{ district: { petitionStatistics: Figures; townships: Array<{ code: string; petitionStatistics: Figures }> } }>(
      'zongzhi',
      `{ district(code: "211402") { petitionStatistics { ${FIELDS} } townships { code petitionStatistics { ${FIELDS} } } } }`,
    );
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.district.petitionStatistics).toEqual({ ...expected('211402', '0000-01-01', '9999-12-31'), suppressedFields: [] });
    for (const x of own.body.data!.district.townships)
      expect(x.petitionStatistics).toEqual({ ...expected(x.code, '0000-01-01', '9999-12-31'), suppressedFields: [] });
    const other = await t.query('zongzhi', `{ district(code: "211422") { petitionStatistics { petitions } } }`);
    expect(other.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN_FIELD' } });
    for (const agency of ['police', 'procuratorate', 'court'] as const) {
      const denied = await t.query(agency, `{ district(code: "211402") { petitionStatistics { petitions } } }`);
      expect({ agency, code: denied.body.errors?.[0]?.extensions?.code }).toEqual({ agency, code: 'FORBIDDEN_FIELD' });
    }
  });

  it('analysts read the release: every figure exact or withheld and named, the rate withheld with either count; the release shows something', async () => {
    const range = '(from: "2025-01-01", to: "2025-12-31")';
    const [shown, exact] = await Promise.all([t.query<Divisions>('analyst', divisionsQuery(range)), t.query<Divisions>('admin', divisionsQuery(range))]);
    expect(shown.body.errors).toBeUndefined();
    const exactOf = new Map(flatten(exact.body.data!).map((d) => [d.code, d.petitionStatistics]));
    let released = 0;
    let withheld = 0;
    for (const d of flatten(shown.body.data!)) {
      const f = d.petitionStatistics;
      const e = exactOf.get(d.code)!;
      for (const m of ['petitions', 'repeatPetitions'] as const) {
        if (f[m] === null) {
          withheld++;
          expect({ code: d.code, m, named: f.suppressedFields.includes(m) }).toEqual({ code: d.code, m, named: true });
        } else {
          released++;
          expect({ code: d.code, m, v: f[m] }).toEqual({ code: d.code, m, v: e[m] });
        }
      }
      const rateWithheld = f.petitions === null || f.repeatPetitions === null;
      expect({ code: d.code, named: f.suppressedFields.includes('repeatPetitionRate') }).toEqual({ code: d.code, named: rateWithheld });
      expect(f.repeatPetitionRate).toBe(rateWithheld ? null : e.repeatPetitionRate);
    }
    process.stdout.write(`petition release, 2025, city/counties/townships × 2 counts: ${released} released, ${withheld} withheld\n`);
    const show = (v: number | null) => (v === null ? '·' : String(Number(v.toFixed(3))));
    for (const d of [shown.body.data!.city, ...shown.body.data!.districts]) {
      const f = d.petitionStatistics;
      const e = exactOf.get(d.code)!;
      process.stdout.write(
        `${d.code}: petitions ${show(f.petitions)}/${e.petitions} repeat ${show(f.repeatPetitions)}/${e.repeatPetitions} rate ${show(f.repeatPetitionRate)}/${show(e.repeatPetitionRate)}\n`,
      );
    }
    // The city's 2025 is released, its repeat-petition rate with it (59 of 117).
    const city = shown.body.data!.city.petitionStatistics;
    expect(city).toEqual({ ...exactOf.get('211400')!, suppressedFields: [] });
    // With a county's: the small city is sparse, most county cells are withheld (or complements of withheld ones).
    expect(released).toBeGreaterThan(2);
    expect(withheld).toBeGreaterThan(0);
  });

  it('bad ranges are BAD_USER_INPUT: days that do not exist, from after to, and for analysts ranges that are not whole released months', async () => {
    for (const [who, range, argument] of [
      ['admin', '(from: "2025-02-30")', 'from'],
      ['admin', '(from: "2025-06-01", to: "2025-05-31")', 'to'],
      ['analyst', '(from: "2025-01-02", to: "2025-01-31")', 'from'],
      ['analyst', '(from: "2025-01-01", to: "2025-01-30")', 'to'],
      ['analyst', '(from: "2026-01-01", to: "2026-11-30")', 'to'],
      ['analyst', '(from: "2024-12-01", to: "2025-01-31")', 'from'],
    ] as const) {
      const res = await t.query(who, `{ district(code: "211402") { petitionStatistics${range} { petitions } } }`);
      expect({ who, range, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ who, range, code: 'BAD_USER_INPUT' });
      expect(res.body.errors?.[0]?.message).toContain(argument);
      expect([200, 400]).toContain(res.status);
    }
  });

  it("places a petition by its grid code only: a county's code counts in the county (never a township), a code of no county of the city in no cell; the release is refreshed from the bureau's tables into the hub's schema", async () => {
    const before = (await t.query<Divisions>('admin', divisionsQuery(''))).body.data!;
    await sql(
      t,
      `insert into xf.xf_case (xfjbh, ryid, xfxs, xfrq, nrzy, blzt, wgdm, rs, gxsj) values
        ('XFT0000001', 'XFR000001', '来信', '2025-07-07', '测试', '受理', '211402', 1, now()),
        ('XFT0000002', 'XFR000001', '来信', '2025-07-08', '测试', '受理', '999999001001', 1, now()),
        ('XFT0000003', 'XFR000001', '来信', '2025-07-09', '测试', '受理', '未知', 1, now())`,
    );
    const after = (await t.query<Divisions>('admin', divisionsQuery(''))).body.data!;
    const county = (d: Divisions) => d.districts.find((c) => c.code === '211402')!;
    expect(after.city.petitionStatistics.petitions).toBe(before.city.petitionStatistics.petitions! + 1);
    expect(county(after).petitionStatistics.petitions).toBe(county(before).petitionStatistics.petitions! + 1);
    // XFR000001 petitioned in the 12 months before: the county's one is a repeat.
    expect(county(after).petitionStatistics.repeatPetitions).toBe(county(before).petitionStatistics.repeatPetitions! + 1);
    expect(county(after).townships.map((x) => x.petitionStatistics)).toEqual(county(before).townships.map((x) => x.petitionStatistics));
    // `hub stats refresh`'s path: the bureau's tables read, the release stored in the hub's schema for it.
    const url = withDatabase(t.serverUrl, t.database);
    const refreshed = await refreshDepartment(subgraphs.petition, url);
    expect(refreshed).toMatchObject({ department: 'petition' });
    expect(refreshed!.cells).toBeGreaterThan(0);
    process.stdout.write(`petition refresh: ${refreshed!.cells} cells (${refreshed!.withheld} withheld) in ${refreshed!.seconds.toFixed(1)} s\n`);
    const [stored] = await sql<{ july: number | null }>(
      t,
      `select value as july from petition.statistics_release where statistic = 'petition' and measure = 'petitions' and code = '211400' and period = '2025-07'`,
    );
    const july = petitions.filter((p) => p.xfrq.startsWith('2025-07')).length + 1;
    // Released or withheld, never a count with the unplaced petitions in it.
    expect([null, july]).toContain(stored.july);
    const [{ xf }] = await sql<{ xf: number }>(
      t,
      `select count(*)::int as xf from information_schema.tables where table_schema = 'xf' and table_name = 'statistics_release'`,
    );
    expect(xf).toBe(0);
  });
});

describe("the bureau's system in a database of its own, as in production (DATABASE_URL_PETITION)", () => {
  let bureau: Awaited<ReturnType<typeof emptyDatabase>>;
  let own: TestHub;
  const year = `{ city { petitionStatistics(from: "2025-01-01", to: "2025-12-31") { petitions repeatPetitions } } }`;
  beforeAll(async () => {
    bureau = await emptyDatabase('petition_system');
    await sqlAt(bureau.url, readFileSync(PETITION_FIXTURE, 'utf8'));
    // The bureau registers a petition after the hub's release was decided.
    await sqlAt(
      bureau.url,
      `insert into xf.xf_case (xfjbh, ryid, xfxs, xfrq, nrzy, blzt, wgdm, rs, gxsj) values ('XFT0000009', 'XFR000002', '来信', '2025-07-07', '测试', '受理', '211403201002', 1, now())`,
    );
    own = await startTestHub({ DATABASE_URL_PETITION: bureau.url });
  });
  afterAll(async () => {
    await own?.stop();
    await bureau?.drop();
  });

  it("counts exact figures in the bureau's database and reads the analysts' release from the hub's schema for it, in the hub's database", async () => {
    const exact = await own.query<{ city: { petitionStatistics: { petitions: number } } }>('admin', year);
    const released = await own.query<{ city: { petitionStatistics: { petitions: number } } }>('analyst', year);
    expect([exact.body.errors, released.body.errors]).toEqual([undefined, undefined]);
    // 117 petitions of 2025 in the fixture: one more in the bureau's system, none more in the stored release.
    expect(exact.body.data!.city.petitionStatistics.petitions).toBe(118);
    expect(released.body.data!.city.petitionStatistics.petitions).toBe(117);
    const [{ schemas }] = await sqlAt<{ schemas: string[] }>(
      bureau.url,
      `select array_agg(schema_name::text order by schema_name) as schemas from information_schema.schemata where schema_name in ('xf', 'petition')`,
    );
    expect(schemas).toEqual(['xf']);
  });
});
