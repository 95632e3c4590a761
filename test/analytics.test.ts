import { Supergraph } from '@apollo/federation-internals';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { devIdentities } from '../src/auth/devTokens';
import type { Viewer } from '../src/auth/viewer';
import { readSupergraph } from '../src/cli/compose';
import { loadPolicy } from '../src/policy/policy';
import type { DemoCriminalChain } from '../src/demo/types';
import { addDays } from '../src/demo/dates';
import { residentsYearEnd } from '../src/subgraphs/grid/statistics';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
  court = await sql<CourtRow>(
    t,
    `select township_code as township, filed_on::text as filed, concluded_on::text as concluded, verdict::text as verdict from court.court_case where appeal_of_case_no is null`,
  );
});
afterAll(async () => {
  await t?.stop();
});

const policy = loadPolicy();
const K = policy.suppressionThreshold;
const api: GraphQLSchema = Supergraph.build(readSupergraph()).apiSchema().toGraphQLJSSchema();

// ---- What the demo city says ----------------------------------------------------------------------

interface CourtRow {
  township: string;
  filed: string;
  concluded: string | null;
  verdict: string | null;
}
/** The court places a case by the township where the matter arose, which the demo city derives per kind of case: read from its table (first instances: appeals are not counted). */
let court: CourtRow[] = [];

/** A counted event: where (a code that starts with its township's, or a district's only), the day, and what a distinct count counts. */
interface Event {
  place: string;
  day: string;
  subject?: string;
}
type Range = { from: string | null; to: string | null };

const DEPARTMENTS = {
  gridStatistics: ['eventsReported', 'disputes', 'hazards', 'gridWorkersActive', 'residents', 'disputesPer10000Residents'],
  policeStatistics: ['incidents', 'casesFiled', 'casesTransferred', 'incidentsPer10000Residents', 'casesFiledPer10000Residents'],
  procuratorateStatistics: ['arrestsApproved', 'arrestsNotApproved', 'prosecutions', 'nonProsecutions', 'pending'],
  courtStatistics: ['casesFiled', 'casesConcluded', 'convictions', 'mediatedSettlements', 'judicialConfirmations'],
  justiceStatistics: [
    'mediationCases',
    'mediationsSucceeded',
    'successRate',
    'mediationsClosedOnTime',
    'onTimeClosureRate',
    'peopleUnderCorrection',
    'legalAidCases',
  ],
} as const;
type Department = keyof typeof DEPARTMENTS;
type Figures = Record<string, number | null> & { suppressedFields: string[] };
type Division = { code: string } & { [D in Department]: Figures };

/** Counts kept per district only. */
const PER_DISTRICT = new Set(['peopleUnderCorrection', 'legalAidCases']);

const selection = (args: string, departments: Record<string, readonly string[]> = DEPARTMENTS) =>
  Object.entries(departments)
    .map(([d, fields]) => `${d}${args} { ${fields.join(' ')} suppressedFields }`)
    .join('\n');

function events(): Record<string, Event[]> {
  const c = t.city;
  const day = (iso: string) => iso.slice(0, 10);
  const chains = c.criminalChains;
  const transferred = chains.filter((x): x is DemoCriminalChain & { prosecution: NonNullable<DemoCriminalChain['prosecution']> } => x.prosecution !== null);
  const reviewed = transferred.flatMap((x) => (x.prosecution.arrestReview ? [{ gridCode: x.gridCode, review: x.prosecution.arrestReview }] : []));
  const point = (id: string) => c.mediationPoints.find((p) => p.id === id)!;
  const verdict = (v: string) => court.filter((r) => r.verdict === v && r.concluded).map((r) => ({ place: r.township, day: r.concluded! }));
  return {
    'gridStatistics.eventsReported': c.gridEvents.map((e) => ({ place: e.gridCode, day: day(e.reportedAt) })),
    'gridStatistics.disputes': c.gridEvents.filter((e) => e.kind === 'DISPUTE').map((e) => ({ place: e.gridCode, day: day(e.reportedAt) })),
    'gridStatistics.hazards': c.gridEvents.filter((e) => e.kind === 'HAZARD').map((e) => ({ place: e.gridCode, day: day(e.reportedAt) })),
    'gridStatistics.gridWorkersActive': c.gridEvents.map((e) => ({ place: e.gridCode, day: day(e.reportedAt), subject: e.reportedBy })),
    'policeStatistics.incidents': [
      ...c.incidents.map((i) => ({ place: i.gridCode, day: day(i.reportedAt) })),
      ...chains.map((x) => ({ place: x.gridCode, day: day(x.occurredAt) })),
    ],
    'policeStatistics.casesFiled': chains.map((x) => ({ place: x.gridCode, day: x.filedOn })),
    'policeStatistics.casesTransferred': transferred.map((x) => ({ place: x.gridCode, day: x.prosecution.receivedOn })),
    'procuratorateStatistics.arrestsApproved': reviewed
      .filter((x) => x.review.decision === 'APPROVED')
      .map((x) => ({ place: x.gridCode, day: x.review.decidedOn })),
    'procuratorateStatistics.arrestsNotApproved': reviewed
      .filter((x) => x.review.decision === 'NOT_APPROVED')
      .map((x) => ({ place: x.gridCode, day: x.review.decidedOn })),
    'procuratorateStatistics.prosecutions': transferred
      .filter((x) => x.prosecution.decision === 'PROSECUTE')
      .map((x) => ({ place: x.gridCode, day: x.prosecution.decidedOn! })),
    'procuratorateStatistics.nonProsecutions': transferred
      .filter((x) => x.prosecution.decision === 'NOT_PROSECUTE')
      .map((x) => ({ place: x.gridCode, day: x.prosecution.decidedOn! })),
    'procuratorateStatistics.pending': transferred
      .filter((x) => x.prosecution.decision === 'PENDING')
      .map((x) => ({ place: x.gridCode, day: x.prosecution.receivedOn })),
    'courtStatistics.casesFiled': court.map((r) => ({ place: r.township, day: r.filed })),
    'courtStatistics.casesConcluded': court.filter((r) => r.concluded).map((r) => ({ place: r.township, day: r.concluded! })),
    'courtStatistics.convictions': verdict('GUILTY'),
    'courtStatistics.mediatedSettlements': verdict('MEDIATED'),
    'courtStatistics.judicialConfirmations': verdict('CONFIRMED'),
    'justiceStatistics.mediationCases': c.disputes.map((d) => ({ place: point(d.pointId).townshipCode, day: d.startedOn })),
    'justiceStatistics.mediationsSucceeded': c.disputes
      .filter((d) => d.outcome === 'SUCCEEDED')
      .map((d) => ({ place: point(d.pointId).townshipCode, day: d.startedOn })),
    'justiceStatistics.mediationsClosed': c.disputes
      .filter((d) => d.outcome !== 'IN_PROGRESS')
      .map((d) => ({ place: point(d.pointId).townshipCode, day: d.startedOn })),
    // 一个月内调结: closed within 30 days of the start (a date difference of the demo's own days).
    'justiceStatistics.mediationsClosedOnTime': c.disputes
      .filter((d) => d.closedOn !== null && Date.parse(d.closedOn) - Date.parse(d.startedOn) <= 30 * 86_400_000)
      .map((d) => ({ place: point(d.pointId).townshipCode, day: d.startedOn })),
    'justiceStatistics.legalAidCases': c.legalAid.map((l) => ({ place: l.districtCode, day: l.appliedOn })),
  };
}

function count(list: Event[], code: string, { from, to }: Range, distinct = false): number {
  // The city (211400) holds every place of its prefix (2114).
  const prefix = /^\d{4}00$/.test(code) ? code.slice(0, 4) : code;
  const hits = list.filter((e) => e.place.startsWith(prefix) && (!from || e.day >= from) && (!to || e.day <= to));
  return distinct ? new Set(hits.map((e) => e.subject)).size : hits.length;
}

/** What an agency that sees exact counts gets for a division over a range. */
function expected(code: string, range: Range): { [D in Department]: Record<string, number | null> } {
  const ev = events();
  const out = {} as { [D in Department]: Record<string, number | null> };
  for (const [department, fields] of Object.entries(DEPARTMENTS) as Array<[Department, readonly string[]]>) {
    out[department] = {};
    for (const f of fields) {
      if (f.endsWith('Rate') || f.endsWith('Per10000Residents') || ['peopleUnderCorrection', 'residents'].includes(f)) continue;
      out[department][f] = PER_DISTRICT.has(f) && code.length > 6 ? null : count(ev[`${department}.${f}`], code, range, f === 'gridWorkersActive');
    }
  }
  const closed = count(ev['justiceStatistics.mediationsClosed'], code, range);
  out.justiceStatistics.successRate = closed === 0 ? null : out.justiceStatistics.mediationsSucceeded! / closed;
  out.justiceStatistics.onTimeClosureRate = closed === 0 ? null : out.justiceStatistics.mediationsClosedOnTime! / closed;
  const under = t.city.criminalChains.filter(
    (c) =>
      c.correction &&
      c.districtCode.startsWith(code === CITY ? code.slice(0, 4) : code) &&
      (range.from || range.to
        ? (!range.to || c.correction.startOn <= range.to) && (!range.from || c.correction.endOn >= range.from)
        : c.correction.status === 'ACTIVE'),
  );
  out.justiceStatistics.peopleUnderCorrection = code.length > 6 ? null : new Set(under.map((c) => c.suspectIdNumbers[0])).size;
  const residents = residentsOf(code);
  out.gridStatistics.residents = residents;
  out.gridStatistics.disputesPer10000Residents = residents === 0 ? null : (out.gridStatistics.disputes! * 10_000) / residents;
  for (const f of ['incidents', 'casesFiled'] as const)
    out.policeStatistics[`${f}Per10000Residents`] = residents === 0 ? null : (out.policeStatistics[f]! * 10_000) / residents;
  return out;
}

/** The registry's people of a division born by the residents' year-end, whatever the range (a snapshot). */
function residentsOf(code: string): number {
  const prefix = code === CITY ? code.slice(0, 4) : code;
  const yearEnd = residentsYearEnd();
  return t.city.persons.filter((p) => p.gridCode.startsWith(prefix) && p.birthDate <= yearEnd).length;
}

const counts = (f: Figures) => Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'suppressedFields'));

/** The months a range touches, each with the part of the range inside it. */
function monthSlices({ from, to }: { from: string; to: string }): Array<{ month: string; from: string; to: string }> {
  const out = [];
  for (let [y, m] = from.split('-').map(Number); `${y}-${String(m).padStart(2, '0')}` <= to.slice(0, 7); [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1]) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    out.push({ month, from: `${month}-01` < from ? from : `${month}-01`, to: last > to ? to : last });
  }
  return out;
}

/** A township and a range in which the police filed exactly 3 cases: found in the demo city, not written down. */
/**
 * A township and a range in which a statistic counts exactly 3 (found in the demo city, not written
 * down), widened as far as the township keeps its 3 so that the county's other townships hold
 * `others` or more: then the county total is published and only complementary suppression hides the 3.
 */
function threeCases(
  statistics: string[],
  others = 0,
): { statistic: string; department: Department; field: string; township: string; range: { from: string; to: string } } {
  const ev = events();
  for (const statistic of statistics) {
    const [department, field] = statistic.split('.') as [Department, string];
    for (const township of t.city.divisions.filter((d) => d.level === 'TOWNSHIP').map((d) => d.code)) {
      const days = [...new Set(ev[statistic].filter((e) => e.place.startsWith(township)).map((e) => e.day))].sort();
      for (let i = 0; i + 2 < days.length; i++) {
        const range = { from: i > 0 ? addDays(days[i - 1], 1) : '2024-01-01', to: days[i + 2] < days.at(-1)! ? addDays(days[i + 3], -1) : '2026-12-31' };
        const county = township.slice(0, 6);
        if (count(ev[statistic], township, range) === 3 && count(ev[statistic], county, range) - 3 >= others)
          return { statistic, department, field, township, range };
      }
    }
  }
  throw new Error('no township with three in a range');
}

// Whole months: analysts read released cells only (month-aligned ranges).
const RANGE = { from: '2025-03-01', to: '2025-10-31' };
/** Funnels are released per calendar year. */
const YEAR = { from: '2025-01-01', to: '2025-12-31' };
const CITY = '211400';
const DIVISIONS = `query ($from: Date, $to: Date) { districts { code ${selection('(from: $from, to: $to)')} townships { code ${selection('(from: $from, to: $to)')} } } }`;
const MONTHLY = `query ($from: Date!, $to: Date!) { districts { code monthly(from: $from, to: $to) { month ${selection('')} }
  townships { code monthly(from: $from, to: $to) { month ${selection('')} } } } }`;
type DivisionsResult = { districts: Array<Division & { townships: Division[] }> };
type MonthlyResult = {
  districts: Array<{
    code: string;
    monthly: Array<Division & { month: string }>;
    townships: Array<{ code: string; monthly: Array<Division & { month: string }> }>;
  }>;
};
const flat = <T extends { townships: unknown[] }>(districts: T[]) => districts.flatMap((d) => [d, ...(d.townships as T[])]);

describe('district statistics count what the demo city holds', () => {
  it.each([
    ['over a range', RANGE],
    ['over everything', { from: null, to: null }],
  ])('every statistic of every district and township %s', async (_name, range) => {
    const res = await t.query<DivisionsResult>('admin', DIVISIONS, range);
    expect(res.body.errors).toBeUndefined();
    const divisions = flat(res.body.data!.districts);
    expect(divisions).toHaveLength(t.city.divisions.filter((d) => d.level !== 'CITY').length);
    for (const d of divisions) {
      const want = expected(d.code, range);
      for (const department of Object.keys(DEPARTMENTS) as Department[]) {
        expect({ code: d.code, department, ...counts(d[department]) }).toEqual({ code: d.code, department, ...want[department] });
        expect(d[department].suppressedFields).toEqual([]);
      }
    }
    // Not a vacuous comparison: the demo city has events of every kind.
    const county = divisions.filter((d) => d.code.length === 6);
    if (range.from === null)
      for (const department of Object.keys(DEPARTMENTS) as Department[]) {
        for (const f of DEPARTMENTS[department])
          expect({ department, f, some: county.some((d) => (d[department][f] ?? 0) > 0) }).toEqual({ department, f, some: true });
      }
  });

  it('counts the city as a whole: district(code: "211400") is the city level, with the districts as its parts', async () => {
    type City = Division & { name: string; level: string; parent: unknown; townships: Array<{ code: string; parent: { code: string } }> };
    const q = `query ($from: Date, $to: Date) { district(code: "${CITY}") { code name level parent { code } townships { code parent { code } }
      ${selection('(from: $from, to: $to)')} } }`;
    const res = await t.query<{ district: City }>('admin', q, RANGE);
    expect(res.body.errors).toBeUndefined();
    const city = res.body.data!.district;
    expect([city.code, city.name, city.level, city.parent]).toEqual([CITY, '葫芦岛市', 'CITY', null]);
    expect(city.townships.map((d) => [d.code, d.parent.code])).toEqual(t.city.divisions.filter((d) => d.level === 'COUNTY').map((d) => [d.code, CITY]));
    const want = expected(CITY, RANGE);
    for (const department of Object.keys(DEPARTMENTS) as Department[])
      expect({ department, ...counts(city[department]) }).toEqual({ department, ...want[department] });
    expect(want.policeStatistics.casesFiled).toBeGreaterThan(0);
    // The city's monthly series is the city level too; a flow is a per-district cohort, refused for the city.
    const series = await t.query<{ district: { monthly: Array<{ month: string; policeStatistics: { casesFiled: number } }> } }>(
      'admin',
      `{ district(code: "${CITY}") { monthly(from: "2025-03-01", to: "2025-04-30") { month policeStatistics { casesFiled } } } }`,
    );
    expect(series.body.data!.district.monthly).toEqual(
      monthSlices({ from: '2025-03-01', to: '2025-04-30' }).map((s) => ({
        month: s.month,
        policeStatistics: { casesFiled: count(events()['policeStatistics.casesFiled'], CITY, s) },
      })),
    );
    const flow = await t.query('admin', `{ district(code: "${CITY}") { caseFlow(from: "2025-01-01", to: "2025-12-31") { police { filed } } } }`);
    expect(flow.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it("gives analysts the city's released cells (city = Σ districts is one of the release's lines), and a district's officer none", async () => {
    const q = `{ district(code: "${CITY}") { year: policeStatistics(from: "${YEAR.from}", to: "${YEAR.to}") { incidents casesFiled suppressedFields }
      monthly(from: "2025-01-01", to: "2025-12-31") { month policeStatistics { incidents casesFiled suppressedFields } } } }`;
    type R = { district: { year: Figures; monthly: Array<{ month: string; policeStatistics: Figures }> } };
    const [shown, exact] = [await t.query<R>('analyst', q), await t.query<R>('admin', q)];
    expect(shown.body.errors).toBeUndefined();
    const cells = (r: R) => [r.district.year, ...r.district.monthly.map((m) => m.policeStatistics)];
    const released = cells(shown.body.data!);
    // Every released city cell is exact, every withheld one is named, and some are released.
    for (const [i, c] of released.entries())
      for (const f of ['incidents', 'casesFiled'])
        expect({ i, f, v: c[f] }).toEqual({ i, f, v: c.suppressedFields.includes(f) ? null : cells(exact.body.data!)[i][f] });
    expect(released.some((c) => c.suppressedFields.filter((f) => ['incidents', 'casesFiled'].includes(f)).length < 2)).toBe(true);
    const officer = await t.query<{ district: { policeStatistics: unknown } }>('police', `{ district(code: "${CITY}") { policeStatistics { casesFiled } } }`);
    expect(officer.body.data!.district.policeStatistics).toBeNull();
    expect(officer.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN_FIELD' } });
  });

  it('gives every month of a range its own days of every statistic', async () => {
    const res = await t.query<MonthlyResult>('admin', MONTHLY, RANGE);
    expect(res.body.errors).toBeUndefined();
    const slices = monthSlices(RANGE);
    for (const d of flat(res.body.data!.districts)) {
      expect(d.monthly.map((m) => m.month)).toEqual(slices.map((s) => s.month));
      d.monthly.forEach((m, i) => {
        const want = expected(d.code, slices[i]);
        for (const department of Object.keys(DEPARTMENTS) as Department[]) {
          expect({ code: d.code, month: m.month, department, ...counts(m[department]) }).toEqual({
            code: d.code,
            month: m.month,
            department,
            ...want[department],
          });
        }
      });
    }
  });

  it('refuses a monthly series without both ends, or longer than 60 months', async () => {
    for (const [query, argument] of [
      ['{ district(code: "211402") { monthly(from: "2020-01-01", to: "2025-12-31") { month } } }', 'to'],
      ['{ district(code: "211402") { monthly(from: "2025-02-30", to: "2025-12-31") { month } } }', 'from'],
      ['{ district(code: "211402") { monthly(from: "2025-12-01", to: "2025-01-31") { month } } }', 'from'],
    ] as const) {
      const res = await t.query('admin', query);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });

  // The Date scalar refuses "" at the gateway, before any department: no data at all, not a null field.
  it('refuses an empty day as a malformed one in every department\'s statistics and in the flows (absent is open, "" is not)', async () => {
    const fields = [...Object.keys(DEPARTMENTS), 'caseFlow', 'disputeFlow'];
    for (const field of fields) {
      for (const [args, argument] of [
        ['from: ""', 'from'],
        ['to: ""', 'to'],
      ] as const) {
        const res = await t.query('admin', `{ district(code: "211402") { ${field}(${args}) { __typename } } }`);
        expect({ field, args, data: res.body.data?.district, errors: res.body.errors?.map((e) => e.extensions) }).toEqual({
          field,
          args,
          data: undefined,
          errors: [expect.objectContaining({ code: 'BAD_USER_INPUT', argument })],
        });
      }
      const open = await t.query('admin', `{ district(code: "211402") { ${field}(from: null) { __typename } } }`);
      expect({ field, errors: open.body.errors }).toEqual({ field, errors: undefined });
    }
  });
  it('counts in one statement per department and query-plan step, for one district as for all of them with their townships', async () => {
    const statements = async (query: string) => {
      const before = Object.fromEntries(Object.entries(t.hub.subgraphs).map(([name, s]) => [name, s.stats.sqlStatements]));
      const res = await t.query('analyst', query, RANGE);
      expect(res.body.errors).toBeUndefined();
      // Only the departments with statistics (not audit, petition or hotline).
      return Object.fromEntries(
        Object.entries(t.hub.subgraphs)
          .filter(([name]) => Object.hasOwn(DEPARTMENTS, `${name}Statistics`))
          .map(([name, s]) => [name, s.stats.sqlStatements - before[name]]),
      );
    };
    const one = await statements(`query ($from: Date, $to: Date) { district(code: "211402") { code ${selection('(from: $from, to: $to)')} } }`);
    const all = await statements(`query ($from: Date, $to: Date) { districts { code ${selection('(from: $from, to: $to)')} } }`);
    // grid: the division(s), then its own figures and the residents they are divided by; each other department: one statement.
    expect(one).toEqual({ grid: 3, police: 1, procuratorate: 1, court: 1, justice: 1 });
    expect(all).toEqual(one);
    const nested = await statements(DIVISIONS);
    // Districts and their townships are two query-plan steps: two statements each (grid three).
    expect(nested).toEqual({ grid: 6, police: 2, procuratorate: 2, court: 2, justice: 2 });
    // The police's statistics alone: the gateway fetches grid's residents (their rates' divisor) with the divisions, in the same step.
    const police = await statements(`query ($from: Date, $to: Date) { districts { code policeStatistics(from: $from, to: $to) { incidents } } }`);
    expect(police).toEqual({ grid: 2, police: 1, procuratorate: 0, court: 0, justice: 0 });
    // A series of police and grid figures: the residents of the police's month rates are the ones grid's month rates read.
    const series = await statements(
      `query ($from: Date!, $to: Date!) { district(code: "211403") { monthly(from: $from, to: $to) { month policeStatistics { incidents } gridStatistics { disputes } } } }`,
    );
    expect(series).toEqual({ grid: 3, police: 1, procuratorate: 0, court: 0, justice: 0 });
  });
});

describe('funnels: each department counts its own stage from the keys of the stage before', () => {
  const CASE_FLOW = `query ($from: Date, $to: Date) { districts { code caseFlow(from: $from, to: $to) { ...F } townships { code caseFlow(from: $from, to: $to) { ...F } } } }
    fragment F on CaseFlow { code from to police { filed transferred suppressedFields } procuratorate { received prosecuted suppressedFields }
      court { tried convicted suppressedFields } justice { communityCorrections suppressedFields } }`;
  const DISPUTE_FLOW = `query ($from: Date, $to: Date) { districts { code disputeFlow(from: $from, to: $to) { ...F } townships { code disputeFlow(from: $from, to: $to) { ...F } } } }
    fragment F on DisputeFlow { code grid { disputesReported suppressedFields } justice { mediated succeeded failed suppressedFields }
      court { judicialConfirmations lawsuits suppressedFields } }`;
  type Stage = Record<string, number | null> & { suppressedFields: string[] };
  type Flow = Record<string, Stage | string | null>;
  type FlowResult = {
    districts: Array<{ code: string; caseFlow?: Flow; disputeFlow?: Flow; townships: Array<{ code: string; caseFlow?: Flow; disputeFlow?: Flow }> }>;
  };
  const stages = (flow: Flow) =>
    Object.fromEntries(
      Object.entries(flow)
        .filter(([, v]) => v !== null && typeof v === 'object')
        .map(([k, v]) => [k, counts(v as Figures)]),
    );

  it('follows the cases filed in a range from police to corrections', async () => {
    const res = await t.query<FlowResult>('admin', CASE_FLOW, RANGE);
    expect(res.body.errors).toBeUndefined();
    for (const d of flat(res.body.data!.districts)) {
      const cohort = t.city.criminalChains.filter((c) => c.gridCode.startsWith(d.code) && c.filedOn >= RANGE.from && c.filedOn <= RANGE.to);
      expect({ code: d.code, ...stages(d.caseFlow!) }).toEqual({
        code: d.code,
        police: { filed: cohort.length, transferred: cohort.filter((c) => c.prosecution).length },
        procuratorate: {
          received: cohort.filter((c) => c.prosecution).length,
          prosecuted: cohort.filter((c) => c.prosecution?.decision === 'PROSECUTE').length,
        },
        court: { tried: cohort.filter((c) => c.trial).length, convicted: cohort.filter((c) => c.trial?.verdict === 'GUILTY').length },
        justice: { communityCorrections: cohort.filter((c) => c.correction).length },
      });
      expect(d.caseFlow).toMatchObject({ code: d.code, from: RANGE.from, to: RANGE.to });
    }
    const city = res.body.data!.districts.reduce((n, d) => n + ((d.caseFlow!.justice as Stage).communityCorrections ?? 0), 0);
    expect(city).toBeGreaterThan(0);
  });

  it('follows the disputes reported in a range from the grid to mediation and court', async () => {
    const res = await t.query<FlowResult>('admin', DISPUTE_FLOW, RANGE);
    expect(res.body.errors).toBeUndefined();
    const eventOf = new Map(t.city.gridEvents.map((e) => [e.id, e]));
    for (const d of flat(res.body.data!.districts)) {
      const reported = t.city.gridEvents.filter(
        (e) => e.kind === 'DISPUTE' && e.gridCode.startsWith(d.code) && e.reportedAt.slice(0, 10) >= RANGE.from && e.reportedAt.slice(0, 10) <= RANGE.to,
      );
      const cohort = t.city.disputes.filter((x) => x.gridEventId !== null && reported.includes(eventOf.get(x.gridEventId)!));
      expect({ code: d.code, ...stages(d.disputeFlow!) }).toEqual({
        code: d.code,
        grid: { disputesReported: reported.length },
        justice: {
          mediated: cohort.length,
          succeeded: cohort.filter((x) => x.outcome === 'SUCCEEDED').length,
          failed: cohort.filter((x) => x.outcome === 'FAILED').length,
        },
        court: { judicialConfirmations: cohort.filter((x) => x.confirmationCaseNo).length, lawsuits: cohort.filter((x) => x.lawsuitCaseNo).length },
      });
    }
  });

  it('never lets a caller select the keys passed between stages', async () => {
    for (const field of [
      'caseFlow { transferredCaseKeys }',
      'caseFlow { prosecutedCaseKeys }',
      'caseFlow { convictedCaseKeys }',
      'disputeFlow { disputeEventKeys }',
      'disputeFlow { mediationCaseKeys }',
    ]) {
      for (const who of ['analyst', 'admin'] as const) {
        const res = await t.query(who, `{ district(code: "211402") { ${field} } }`);
        expect(res.body.data).toBeUndefined();
        expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      }
    }
  });

  it('costs one statement per department, for one district as for all of them', async () => {
    const q = (
      root: string,
    ) => `{ ${root} { caseFlow(from: "2025-01-01", to: "2025-12-31") { police { filed } procuratorate { prosecuted } court { convicted } justice { communityCorrections } }
      disputeFlow(from: "2025-01-01", to: "2025-12-31") { grid { disputesReported } justice { mediated } court { lawsuits } } } }`;
    const statements = async (query: string) => {
      const before = Object.fromEntries(Object.entries(t.hub.subgraphs).map(([name, s]) => [name, s.stats.sqlStatements]));
      const res = await t.query('analyst', query);
      expect(res.body.errors).toBeUndefined();
      // Only the departments with statistics (not audit, petition or hotline).
      return Object.fromEntries(
        Object.entries(t.hub.subgraphs)
          .filter(([name]) => Object.hasOwn(DEPARTMENTS, `${name}Statistics`))
          .map(([name, s]) => [name, s.stats.sqlStatements - before[name]]),
      );
    };
    const one = await statements(q('district(code: "211402")'));
    expect(await statements(q('districts'))).toEqual(one);
    // grid: the division(s), the disputes' statistic and their keys; police: the cases' statistic and their
    // stage; court and justice: one statement per flow they have a stage in.
    expect(one).toEqual({ grid: 3, police: 2, procuratorate: 1, court: 2, justice: 2 });
  });
});

describe('small-cell suppression for analysts', () => {
  it("suppresses the funnels' stages as well, decided on the county's table whatever was asked", async () => {
    const township = t.city.divisions.find((d) => d.level === 'TOWNSHIP')!.code;
    const flow = `caseFlow(from: "${YEAR.from}", to: "${YEAR.to}") { police { filed transferred suppressedFields } court { convicted suppressedFields } }`;
    type R = { district: { caseFlow: { police: Figures; court: Figures } } };
    const alone = await t.query<R>('analyst', `{ district(code: "${township}") { ${flow} } }`);
    expect(alone.body.errors).toBeUndefined();
    // The same township among all of its county's: the same answer.
    const within = await t.query<{ district: { townships: Array<{ code: string; caseFlow: { police: Figures; court: Figures } }> } }>(
      'analyst',
      `{ district(code: "${township.slice(0, 6)}") { townships { code ${flow} } } }`,
    );
    expect(within.body.data!.district.townships.find((x) => x.code === township)!.caseFlow).toEqual(alone.body.data!.district.caseFlow);
  });

  it('withholds a stage wherever a stage before it is withheld (a published subset would bound it), with complements', async () => {
    const FLOWS = {
      caseFlow: `police { filed transferred suppressedFields } procuratorate { received prosecuted suppressedFields } court { tried convicted suppressedFields } justice { communityCorrections suppressedFields }`,
      disputeFlow: `grid { disputesReported suppressedFields } justice { mediated succeeded failed suppressedFields } court { judicialConfirmations lawsuits suppressedFields }`,
    };
    for (const [flow, stages] of Object.entries(FLOWS)) {
      const q = `query ($from: Date, $to: Date) { districts { code ${flow}(from: $from, to: $to) { ${stages} } townships { code ${flow}(from: $from, to: $to) { ${stages} } } } }`;
      type Division = { code: string } & Record<string, Record<string, Figures>>;
      const full = YEAR;
      const shown = await t.query<{ districts: Array<Division & { townships: Division[] }> }>('analyst', q, full);
      const exact = await t.query<{ districts: Array<Division & { townships: Division[] }> }>('admin', q, full);
      expect(shown.body.errors).toBeUndefined();
      const exactOf = new Map(flat(exact.body.data!.districts).map((d) => [d.code, d[flow]]));
      let forced = 0;
      for (const d of flat(shown.body.data!.districts)) {
        const sequence = Object.entries(d[flow]).flatMap(([stage, f]) =>
          Object.keys(counts(f)).map((measure) => ({
            label: `${d.code} ${stage}.${measure}`,
            stage,
            measure,
            shown: f[measure],
            exact: exactOf.get(d.code)![stage][measure] as number,
          })),
        );
        // From the first withheld count on, every positive count of a later stage is withheld too (and
        // the cases transferred, a subset of the cases filed).
        const first = sequence.findIndex((c) => c.shown === null);
        sequence.forEach((c, i) => {
          if (c.shown !== null) expect({ label: c.label, value: c.shown }).toEqual({ label: c.label, value: c.exact });
          const after = first >= 0 && i > first && (c.stage !== sequence[first].stage || sequence[first].measure === 'filed');
          if (after && c.exact > 0) {
            forced++;
            expect({ label: c.label, shown: c.shown }).toEqual({ label: c.label, shown: null });
          }
        });
      }
      expect(forced).toBeGreaterThan(0);
      // Within each stage's county table, no published total has a lone hidden township.
      for (const d of shown.body.data!.districts) {
        for (const [stage, f] of Object.entries(d[flow])) {
          for (const m of Object.keys(counts(f))) {
            if (f[m] === null) continue;
            const hidden = d.townships.filter((x) => x[flow][stage][m] === null);
            expect({ total: `${d.code} ${stage}.${m}`, lone: hidden.length === 1 }).toEqual({ total: `${d.code} ${stage}.${m}`, lone: false });
          }
        }
      }
    }
  });

  it('publishes a first stage exactly as the district statistic it equals, so neither gives the other away', async () => {
    type Obj = { [k: string]: Obj } & { suppressedFields: string[] };
    const res = await t.query<{ districts: Obj[] }>(
      'analyst',
      `query ($from: Date, $to: Date) { districts { code
      policeStatistics(from: $from, to: $to) { casesFiled suppressedFields } caseFlow(from: $from, to: $to) { police { filed suppressedFields } }
      gridStatistics(from: $from, to: $to) { disputes suppressedFields } disputeFlow(from: $from, to: $to) { grid { disputesReported suppressedFields } } } }`,
      YEAR,
    );
    const figure = (o: Obj, field: string) => [o[field] as unknown, o.suppressedFields.includes(field)] as const;
    const pairs = res.body.data!.districts.flatMap((d) => [
      [...figure(d.policeStatistics, 'casesFiled'), ...figure(d.caseFlow.police, 'filed')],
      [...figure(d.gridStatistics, 'disputes'), ...figure(d.disputeFlow.grid, 'disputesReported')],
    ]);
    for (const [value, hidden, stage, stageHidden] of pairs) expect({ stage, stageHidden }).toEqual({ stage: value, stageHidden: hidden });
    expect(pairs.some(([, hidden]) => hidden)).toBe(true);
  });

  it('suppresses for oversight too, and for nobody when the policy names no agency', async () => {
    const q = `{ districts { code policeStatistics(from: "${RANGE.from}", to: "${RANGE.to}") { casesFiled suppressedFields } } }`;
    const analyst = await t.query('analyst', q);
    const oversight = await t.query('oversight', q);
    expect(oversight.body).toEqual(analyst.body);
    expect(JSON.stringify(analyst.body)).toContain('"casesFiled":null');
    expect(policy.suppressionFor('analyst')).toBe(K);
    expect(policy.suppressionFor('police')).toBeNull();
  });
});

describe('indicators (指标) from released counts', () => {
  const ON_TIME = `justiceStatistics(from: $from, to: $to) { mediationsClosedOnTime onTimeClosureRate successRate suppressedFields }`;
  const q = `query ($from: Date, $to: Date) { city { code ${ON_TIME} } districts { code ${ON_TIME} townships { code ${ON_TIME} } } }`;
  type Division = { code: string; justiceStatistics: Figures };
  type R = { city: Division; districts: Array<Division & { townships: Division[] }> };
  const all = (r: R) => [r.city, ...flat(r.districts)];

  it('gives the justice bureau the exact on-time closure rate (一个月内调结) inside its jurisdiction, and nothing outside', async () => {
    const res = await t.query<R>('justice', q, YEAR);
    for (const d of all(res.body.data!)) {
      const inside = d.code.startsWith('211402');
      const want = expected(d.code, YEAR).justiceStatistics;
      expect({ code: d.code, figures: d.justiceStatistics && counts(d.justiceStatistics) }).toEqual({
        code: d.code,
        figures: inside
          ? { mediationsClosedOnTime: want.mediationsClosedOnTime, onTimeClosureRate: want.onTimeClosureRate, successRate: want.successRate }
          : null,
      });
    }
    // Plausible, and not a tautology: some mediations of 连山区 closed late, some on time.
    const county = res.body.data!.districts.find((d) => d.code === '211402')!.justiceStatistics;
    expect(county.onTimeClosureRate).toBeGreaterThan(0.5);
    const closed = count(events()['justiceStatistics.mediationsClosed'], '211402', YEAR);
    expect(county.mediationsClosedOnTime).toBeLessThanOrEqual(closed);
  });

  it('gives analysts the rate of released counts only: exact where both are released, else null and named in suppressedFields', async () => {
    const [shown, exact] = [await t.query<R>('analyst', q, YEAR), await t.query<R>('admin', q, YEAR)];
    expect(shown.body.errors).toBeUndefined();
    const exactOf = new Map(all(exact.body.data!).map((d) => [d.code, d.justiceStatistics]));
    let withheld = 0;
    for (const d of all(shown.body.data!)) {
      const f = d.justiceStatistics;
      const hidden = f.suppressedFields.includes('onTimeClosureRate');
      // A withheld count withholds every rate built on it.
      if (f.suppressedFields.includes('mediationsClosedOnTime')) expect({ code: d.code, hidden }).toEqual({ code: d.code, hidden: true });
      expect({ code: d.code, rate: f.onTimeClosureRate }).toEqual({ code: d.code, rate: hidden ? null : exactOf.get(d.code)!.onTimeClosureRate });
      if (hidden && exactOf.get(d.code)!.onTimeClosureRate !== null) withheld++;
    }
    // The small demo city's mediations (24 closed in 2025, city-wide) are too few for most released
    // year cells. The released path is the unit test of the justice statistics
    // (src/subgraphs/justice/statistics.test.ts) and the medium city's figures in docs/analytics.md.
    expect(withheld).toBeGreaterThan(0);
  });

  it('gives analysts the closure counts per district and city year only: a township, or a month of a district, is withheld and named', async () => {
    const shown = await t.query<R>('analyst', q, YEAR);
    const exact = new Map(all((await t.query<R>('admin', q, YEAR)).body.data!).map((d) => [d.code, d.justiceStatistics]));
    for (const township of flat(shown.body.data!.districts).filter((d) => d.code.length === 9)) {
      // Not a released cell, whatever its value: withheld even where the exact count is 0.
      expect({ code: township.code, ...counts(township.justiceStatistics), named: township.justiceStatistics.suppressedFields }).toEqual({
        code: township.code,
        mediationsClosedOnTime: null,
        onTimeClosureRate: null,
        successRate: null,
        named: expect.arrayContaining(['mediationsClosedOnTime', 'onTimeClosureRate', 'successRate']) as unknown,
      });
    }
    expect(exact.get(flat(shown.body.data!.districts).find((d) => d.code.length === 9)!.code)!.mediationsClosedOnTime).not.toBeNull();
    const month = await t.query<{ districts: Division[] }>('analyst', `query ($from: Date, $to: Date) { districts { code ${ON_TIME} } }`, {
      from: '2025-03-01',
      to: '2025-03-31',
    });
    expect(month.body.errors).toBeUndefined();
    for (const d of month.body.data!.districts)
      expect({
        code: d.code,
        onTime: d.justiceStatistics.mediationsClosedOnTime,
        named: d.justiceStatistics.suppressedFields.includes('mediationsClosedOnTime'),
      }).toEqual({
        code: d.code,
        onTime: null,
        named: true,
      });
  });
});

describe('residents and rates per 10,000 residents (issue #22)', () => {
  const GRID = `gridStatistics(from: $from, to: $to) { disputes residents disputesPer10000Residents suppressedFields }`;
  const q = `query ($from: Date, $to: Date) { city { code ${GRID} } districts { code ${GRID} townships { code ${GRID} } } }`;
  type Division = { code: string; gridStatistics: Figures };
  type R = { city: Division; districts: Array<Division & { townships: Division[] }> };
  const all = (r: R) => [r.city, ...flat(r.districts)];

  it("releases every division's year-end residents (the registry adds up: city = Σ districts = Σ townships)", async () => {
    const [shown, exact] = [await t.query<R>('analyst', q, YEAR), await t.query<R>('admin', q, YEAR)];
    expect(shown.body.errors).toBeUndefined();
    for (const r of [shown, exact])
      for (const d of all(r.body.data!))
        expect({ code: d.code, residents: d.gridStatistics.residents }).toEqual({ code: d.code, residents: residentsOf(d.code) });
    const districts = exact.body.data!.districts;
    expect(districts.reduce((s, d) => s + d.gridStatistics.residents!, 0)).toBe(exact.body.data!.city.gridStatistics.residents);
    for (const d of districts) expect(d.townships.reduce((s, x) => s + x.gridStatistics.residents!, 0)).toBe(d.gridStatistics.residents);
  });

  it('gives analysts disputes per 10,000 residents from released counts only: withheld (and named) with the disputes it divides', async () => {
    // The year and its months: the small city's 2025 dispute counts are all withheld, some months' released.
    const MONTHS = `gridStatistics { disputes residents disputesPer10000Residents suppressedFields }`;
    const series = `query ($from: Date!, $to: Date!) { city { code ${GRID} monthly(from: $from, to: $to) { month ${MONTHS} } }
      districts { code ${GRID} monthly(from: $from, to: $to) { month ${MONTHS} } } }`;
    type S = Division & { monthly: Array<{ month: string; gridStatistics: Figures }> };
    type RS = { city: S; districts: S[] };
    const cells = (r: RS) =>
      [r.city, ...r.districts].flatMap((d) => [
        { at: `${d.code}@2025`, f: d.gridStatistics },
        ...d.monthly.map((m) => ({ at: `${d.code}@${m.month}`, f: m.gridStatistics })),
      ]);
    const [shown, exact] = [await t.query<RS>('analyst', series, YEAR), await t.query<RS>('admin', series, YEAR)];
    expect(shown.body.errors).toBeUndefined();
    const exactOf = new Map(cells(exact.body.data!).map((c) => [c.at, c.f]));
    const seen = { released: 0, withheld: 0 };
    for (const { at, f } of cells(shown.body.data!)) {
      const hidden = f.suppressedFields.includes('disputesPer10000Residents');
      expect({ at, hidden }).toEqual({ at, hidden: f.disputes === null || f.residents === null });
      expect({ at, rate: f.disputesPer10000Residents }).toEqual({ at, rate: hidden ? null : exactOf.get(at)!.disputesPer10000Residents });
      seen[hidden ? 'withheld' : 'released']++;
    }
    expect(seen.released).toBeGreaterThan(0);
    expect(seen.withheld).toBeGreaterThan(0);
    const city = exact.body.data!.city.gridStatistics;
    expect(city.disputesPer10000Residents).toBeCloseTo((count(events()['gridStatistics.disputes'], CITY, YEAR) * 10_000) / residentsOf(CITY), 9);
  });
});

describe("police rates per 10,000 residents (万人发案率), over grid's residents fetched through the graph", () => {
  const POLICE = `policeStatistics(from: $from, to: $to) { incidents casesFiled incidentsPer10000Residents casesFiledPer10000Residents suppressedFields }`;
  const GRID = `gridStatistics(from: $from, to: $to) { residents suppressedFields }`;
  const MONTHS = `monthly(from: $from, to: $to) { month policeStatistics { incidents casesFiled incidentsPer10000Residents casesFiledPer10000Residents suppressedFields } }`;
  const q = `query ($from: Date!, $to: Date!) { city { code ${POLICE} ${GRID} ${MONTHS} } districts { code ${POLICE} ${GRID} ${MONTHS} townships { code ${POLICE} ${GRID} } } }`;
  type Division = { code: string; policeStatistics: Figures; gridStatistics: Figures; monthly?: Array<{ month: string; policeStatistics: Figures }> };
  type R = { city: Division; districts: Array<Division & { townships: Division[] }> };
  /** Every division's range cell and, for the city and the districts, its month cells, each with the residents grid gave the same viewer. */
  const cells = (r: R) =>
    [r.city, ...flat(r.districts)].flatMap((d) => [
      { at: d.code, f: d.policeStatistics, residents: d.gridStatistics.residents },
      ...(d.monthly ?? []).map((m) => ({ at: `${d.code}@${m.month}`, f: m.policeStatistics, residents: d.gridStatistics.residents })),
    ]);
  const RATES = [
    ['incidents', 'incidentsPer10000Residents'],
    ['casesFiled', 'casesFiledPer10000Residents'],
  ] as const;

  it('gives exact viewers their exact counts over the registry residents, months included', async () => {
    const res = await t.query<R>('admin', q, YEAR);
    expect(res.body.errors).toBeUndefined();
    const ev = events();
    for (const { at, f } of cells(res.body.data!)) {
      const [code, month] = at.split('@');
      const range = month ? { from: `${month}-01`, to: `${month}-31` } : YEAR;
      for (const [count_, rate] of RATES) {
        const want = (count(ev[`policeStatistics.${count_}`], code, range) * 10_000) / residentsOf(code);
        expect({ at, rate, value: f[rate] }).toEqual({ at, rate, value: want });
      }
      expect({ at, suppressed: f.suppressedFields }).toEqual({ at, suppressed: [] });
    }
  });

  it("gives analysts the rate of the police's released count over grid's released residents: withheld (and named) with either", async () => {
    const [shown, exact] = [await t.query<R>('analyst', q, YEAR), await t.query<R>('admin', q, YEAR)];
    expect(shown.body.errors).toBeUndefined();
    const exactOf = new Map(cells(exact.body.data!).map((c) => [c.at, c.f]));
    const seen = { released: 0, withheld: 0 };
    for (const { at, f, residents } of cells(shown.body.data!))
      for (const [count_, rate] of RATES) {
        const hidden = f.suppressedFields.includes(rate);
        expect({ at, rate, hidden }).toEqual({ at, rate, hidden: f[count_] === null || residents === null });
        expect({ at, rate, value: f[rate] }).toEqual({ at, rate, value: hidden ? null : (f[count_]! * 10_000) / residents! });
        if (!hidden) expect({ at, rate, value: f[rate] }).toEqual({ at, rate, value: exactOf.get(at)![rate] });
        seen[hidden ? 'withheld' : 'released']++;
      }
    expect(seen.released).toBeGreaterThan(0);
    expect(seen.withheld).toBeGreaterThan(0);
  });

  it("divides by the residents the gateway passes (a @requires of grid's field), never by a figure of its own", async () => {
    // Police asked directly with a made-up residents figure: the rate follows it, so police reads no residents itself.
    const res = await t.subgraphQuery<{ _entities: Array<{ policeStatistics: Figures }> }>(
      'police',
      'admin',
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on District { policeStatistics(from: "${YEAR.from}", to: "${YEAR.to}") { incidents incidentsPer10000Residents suppressedFields } } } }`,
      {
        r: [
          { __typename: 'District', code: '211402', residents: 20_000 },
          { __typename: 'District', code: '211402', residents: null },
        ],
      },
    );
    expect(res.body.errors).toBeUndefined();
    const incidents = count(events()['policeStatistics.incidents'], '211402', YEAR);
    expect(res.body.data!._entities.map((e) => e.policeStatistics)).toEqual([
      { incidents, incidentsPer10000Residents: (incidents * 10_000) / 20_000, suppressedFields: [] },
      // No residents from grid (withheld, or denied): the rate is withheld with them.
      { incidents, incidentsPer10000Residents: null, suppressedFields: ['incidentsPer10000Residents', 'casesFiledPer10000Residents'] },
    ]);
    const bad = await t.subgraphQuery('police', 'admin', `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, {
      r: [{ __typename: 'District', code: '211402', residents: 'many' }],
    });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_REPRESENTATION');
    // Callers cannot select the plumbing field itself.
    const direct = await t.query('admin', `{ district(code: "211402") { residents } }`);
    expect(direct.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('year-on-year change (同比) against the same days a year earlier', () => {
  /** The counts that add up over time and have a change, per department. */
  const YOY = {
    policeStatistics: ['incidents', 'casesFiled'],
    gridStatistics: ['disputes'],
    justiceStatistics: ['mediationCases'],
    courtStatistics: ['casesFiled'],
  } as const;
  type Dept = keyof typeof YOY;
  const NOW = { from: '2026-03-01', to: '2026-10-31' };
  const THEN = { from: '2025-03-01', to: '2025-10-31' };
  const sel = (args: string) =>
    Object.entries(YOY)
      .map(([d, fs]) => `${d}${args} { ${fs.join(' ')} suppressedFields yearOnYear { ${fs.join(' ')} suppressedFields } }`)
      .join(' ');
  // The same range a year earlier, asked directly: what the change must agree with.
  const last = Object.entries(YOY)
    .map(([d, fs]) => `last_${d}: ${d}(from: $pf, to: $pt) { ${fs.join(' ')} suppressedFields }`)
    .join(' ');
  const both = `${sel('(from: $from, to: $to)')} ${last}`;
  const q = `query ($from: Date, $to: Date, $pf: Date, $pt: Date) { city { code ${both} } districts { code ${both} townships { code ${both} } } }`;
  type Changed = Figures & { yearOnYear: Figures | null };
  type D = { code: string } & Record<Dept, Changed> & Record<`last_${Dept}`, Figures>;
  type R = { city: D; districts: Array<D & { townships: D[] }> };
  const all = (r: R) => [r.city, ...flat(r.districts)];
  const vars = { ...NOW, pf: THEN.from, pt: THEN.to };
  const fieldsOf = () => Object.entries(YOY) as Array<[Dept, readonly string[]]>;

  it("gives exact viewers the change of their exact counts: (this − last year) ÷ last year, from the demo city's records", async () => {
    const res = await t.query<R>('admin', q, vars);
    expect(res.body.errors).toBeUndefined();
    const ev = events();
    let changes = 0;
    for (const d of all(res.body.data!))
      for (const [dept, fields] of fieldsOf()) {
        expect({ at: `${d.code} ${dept}`, suppressed: d[dept].yearOnYear!.suppressedFields }).toEqual({ at: `${d.code} ${dept}`, suppressed: [] });
        for (const f of fields) {
          const [now, then] = [count(ev[`${dept}.${f}`], d.code, NOW), count(ev[`${dept}.${f}`], d.code, THEN)];
          const at = `${d.code} ${dept}.${f}`;
          expect({ at, change: d[dept].yearOnYear![f] }).toEqual({ at, change: then === 0 ? null : (now - then) / then });
          if (then > 0 && now !== then) changes++;
        }
      }
    // Not a tautology: the demo city's counts do move between the two years.
    expect(changes).toBeGreaterThan(0);
  });

  it("gives analysts the change of released counts only: of the range's and last year's released sums, withheld (and named) with either", async () => {
    const [shown, exact] = [await t.query<R>('analyst', q, vars), await t.query<R>('admin', q, vars)];
    expect(shown.body.errors).toBeUndefined();
    const exactOf = new Map(all(exact.body.data!).map((d) => [d.code, d]));
    const seen = { released: 0, withheld: 0 };
    for (const d of all(shown.body.data!))
      for (const [dept, fields] of fieldsOf())
        for (const f of fields) {
          const at = `${d.code} ${dept}.${f}`;
          const [now, then] = [d[dept][f], d[`last_${dept}`][f]];
          const hidden = d[dept].yearOnYear!.suppressedFields.includes(f);
          expect({ at, hidden }).toEqual({ at, hidden: now === null || then === null });
          const change = d[dept].yearOnYear![f];
          expect({ at, change }).toEqual({ at, change: hidden || then === 0 ? null : (now! - then!) / then! });
          // Released sums are the exact counts, so a released change is the exact one.
          if (!hidden) expect({ at, change }).toEqual({ at, change: exactOf.get(d.code)![dept].yearOnYear![f] });
          seen[hidden ? 'withheld' : 'released']++;
        }
    expect(seen.released).toBeGreaterThan(0);
    expect(seen.withheld).toBeGreaterThan(0);
  });

  it('compares each month of a series with the same month a year earlier, for analysts and exact viewers', async () => {
    const series = `{ districts { code
      monthly(from: "2026-01-01", to: "2026-06-30") { month policeStatistics { incidents casesFiled suppressedFields yearOnYear { incidents casesFiled suppressedFields } } }
      last: monthly(from: "2025-01-01", to: "2025-06-30") { month policeStatistics { incidents casesFiled suppressedFields } } } }`;
    type M = { month: string; policeStatistics: Changed };
    type S = { districts: Array<{ code: string; monthly: M[]; last: M[] }> };
    const ev = events();
    const seen = { released: 0, withheld: 0 };
    for (const agency of ['admin', 'analyst'] as const) {
      const res = await t.query<S>(agency, series);
      expect(res.body.errors).toBeUndefined();
      for (const d of res.body.data!.districts)
        d.monthly.forEach((m, i) => {
          const before = d.last[i];
          expect(before.month).toBe(`2025${m.month.slice(4)}`);
          for (const f of YOY.policeStatistics) {
            const at = `${agency} ${d.code}@${m.month} ${f}`;
            const [now, then] = [m.policeStatistics[f], before.policeStatistics[f]];
            const hidden = m.policeStatistics.yearOnYear!.suppressedFields.includes(f);
            expect({ at, hidden }).toEqual({ at, hidden: now === null || then === null });
            expect({ at, change: m.policeStatistics.yearOnYear![f] }).toEqual({ at, change: hidden || then === 0 ? null : (now! - then!) / then! });
            if (agency === 'admin') {
              const days = (month: string) => ({ from: `${month}-01`, to: `${month}-31` });
              expect({ at, now, then }).toEqual({
                at,
                now: count(ev[`policeStatistics.${f}`], d.code, days(m.month)),
                then: count(ev[`policeStatistics.${f}`], d.code, days(before.month)),
              });
            } else seen[hidden ? 'withheld' : 'released']++;
          }
        });
    }
    expect(seen.released).toBeGreaterThan(0);
  });

  it("computes an analyst's change from the stored release's cells themselves (two released cells set for the test, then put back)", async () => {
    // The small demo city releases no month cell of a count above the threshold in both years
    // (its counts are sparse): every released change there is 0 ÷ 0. Two cells of the stored
    // release are set here so that the released path gives a number.
    const where = `statistic = 'police' and measure = 'incidents' and code = '211402' and period in ('2025-05', '2026-05')`;
    const kept = await sql<{ period: string; value: number | null }>(t, `select period, value from police.statistics_release where ${where}`);
    expect(kept.map((c) => c.period).sort()).toEqual(['2025-05', '2026-05']);
    const set = (before: number | null, now: number) =>
      sql(t, `update police.statistics_release set value = case period when '2025-05' then $1::int else $2::int end where ${where}`, [before, now]);
    const q = `{ district(code: "211402") { policeStatistics(from: "2026-05-01", to: "2026-05-31") { incidents yearOnYear { incidents suppressedFields } }
      monthly(from: "2026-05-01", to: "2026-05-31") { policeStatistics { incidents yearOnYear { incidents suppressedFields } } } } }`;
    type P = { incidents: number | null; yearOnYear: Figures };
    type Q = { district: { policeStatistics: P; monthly: Array<{ policeStatistics: P }> } };
    try {
      await set(5, 8);
      const released = await t.query<Q>('analyst', q);
      expect(released.body.errors).toBeUndefined();
      for (const p of [released.body.data!.district.policeStatistics, released.body.data!.district.monthly[0].policeStatistics])
        expect(p).toEqual({ incidents: 8, yearOnYear: { incidents: (8 - 5) / 5, suppressedFields: [] } });
      await set(null, 8);
      const withheld = await t.query<Q>('analyst', q);
      for (const p of [withheld.body.data!.district.policeStatistics, withheld.body.data!.district.monthly[0].policeStatistics])
        expect(p).toEqual({ incidents: 8, yearOnYear: { incidents: null, suppressedFields: ['incidents'] } });
    } finally {
      for (const c of kept) await sql(t, `update police.statistics_release set value = $1 where ${where} and period = $2`, [c.value, c.period]);
    }
  });

  it('refuses a change without both ends, or (for analysts) one whose year-earlier days are not released; null, unnamed, where last year had none', async () => {
    const [{ first_month: first }] = await sql<{ first_month: string }>(
      t,
      `select first_month from police.statistics_release where statistic = 'police' limit 1`,
    );
    const since = `${Number(first.slice(0, 4)) + 1}${first.slice(4)}-01`;
    const yoy = (args: string) => `{ district(code: "211402") { policeStatistics${args} { incidents yearOnYear { incidents suppressedFields } } } }`;
    for (const [agency, args, argument] of [
      ['admin', '', 'from'],
      ['admin', `(from: "${NOW.from}")`, 'to'],
      ['analyst', `(to: "${NOW.to}")`, 'from'],
    ] as const) {
      const res = await t.query(agency, yoy(args));
      expect({ agency, args, errors: res.body.errors?.map((e) => e.extensions) }).toEqual({
        agency,
        args,
        errors: [expect.objectContaining({ code: 'BAD_USER_INPUT', argument })],
      });
    }
    // The first released year (January: every release starts then) has no released year before it: the message says from when a change can be asked.
    const firstYear = { from: `${first}-01`, to: `${first.slice(0, 4)}-12-31` };
    const early = await t.query<{ district: { policeStatistics: Changed } }>('analyst', yoy(`(from: "${firstYear.from}", to: "${firstYear.to}")`));
    expect(early.body.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'from' })]);
    expect(early.body.errors![0].message).toContain(`from ${since} on`);
    expect(early.body.data!.district.policeStatistics.incidents).not.toBeUndefined();
    const months = await t.query(
      'analyst',
      `{ district(code: "211402") { monthly(from: "${first}-01", to: "${first}-31") { policeStatistics { yearOnYear { incidents } } } } }`,
    );
    expect(months.body.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'from' })]);
    // An exact viewer's year before the demo city's records: last year counted nothing, so there is no ratio (not a withheld one).
    const before = { from: `${Number(first.slice(0, 4)) - 1}-01-01`, to: `${Number(first.slice(0, 4)) - 1}-12-31` };
    expect(count(events()['policeStatistics.incidents'], '211402', before)).toBe(0);
    const exact = await t.query<{ district: { policeStatistics: Changed } }>('admin', yoy(`(from: "${firstYear.from}", to: "${firstYear.to}")`));
    expect(exact.body.errors).toBeUndefined();
    expect(exact.body.data!.district.policeStatistics.yearOnYear).toEqual({ incidents: null, suppressedFields: [] });
    expect(exact.body.data!.district.policeStatistics.incidents).toBeGreaterThan(0);
  });
});

describe('what analysts and out-of-jurisdiction officers can reach', () => {
  const analyst: Viewer = (() => {
    const who = devIdentities('211402001001').find((i) => i.agency === 'analyst')!;
    return { sub: who.sub, name: who.name, agency: 'analyst', roles: who.roles, jurisdiction: who.jurisdiction };
  })();
  /** Types an analyst may read fields of: divisions, grids and their centroids, mediation points (public places), organisational units (public bodies, no person), statistics (and their year-on-year changes and 民转刑), the hotspot map of released grid cells, and plumbing. */
  const AGGREGATE =
    /^(Query|District|DistrictMonth|Grid|GeoPoint|MediationPoint|OrgUnit|CaseFlow|DisputeFlow|GridHotspots|HotspotFeature|HotspotProperties|PointGeometry|PageInfo|TypePermissions|FieldPermission|\w+Statistics|\w+YearOnYear|\w+CivilToCriminal|\w+Stage|(Grid|MediationPoint)(Connection|Edge))$/;
  /** Pages and edges are open to all: what they hold is ruled by its own type. */
  const PLUMBING = /(Connection|Edge)$/;

  it('the policy denies the analyst every field of every other type: people, their cases, records and staff', () => {
    const reachable = Object.values(api.getTypeMap()).filter((type) => isObjectType(type) && !type.name.startsWith('__'));
    const open: string[] = [];
    for (const type of reachable) {
      if (AGGREGATE.test(type.name) || PLUMBING.test(type.name)) continue;
      for (const field of Object.keys((type as { getFields(): object }).getFields())) {
        // Inside the analyst's jurisdiction, with a purpose stated: the most any record could give.
        const record = { gridCode: '211402001001', townshipCode: '211402001', districtCode: '211402', code: '211402', sealed: false };
        if (policy.decide(type.name, field, record, { viewer: analyst, purpose: 'analysis' }).outcome !== 'deny') open.push(`${type.name}.${field}`);
      }
    }
    expect(open).toEqual([]);
    // And the aggregate types carry no person-level type but through fields the policy denies.
    for (const name of ['Grid', 'MediationPoint', 'District']) {
      const type = api.getType(name);
      if (!isObjectType(type)) throw new Error(`no type ${name}`);
      for (const [field, def] of Object.entries(type.getFields())) {
        let named = getNamedType(def.type);
        // A page is plumbing: what it carries is its edges' nodes.
        while (isObjectType(named) && PLUMBING.test(named.name)) {
          const inner = named.getFields().edges ?? named.getFields().node;
          if (!inner) break;
          named = getNamedType(inner.type);
        }
        const target = named.name;
        if (isObjectType(named) && !AGGREGATE.test(target)) {
          expect({
            field: `${name}.${field}`,
            target,
            fieldsOpen: Object.keys((api.getType(target) as { getFields(): object }).getFields()).filter(
              (f) => policy.decide(target, f, {}, { viewer: analyst, purpose: null }).outcome !== 'deny',
            ),
          }).toEqual({ field: `${name}.${field}`, target, fieldsOpen: [] });
        }
      }
    }
  });

  it('an analyst asking for any person-level entry point or field gets FORBIDDEN_FIELD', async () => {
    const query = api.getQueryType()!;
    const asked: string[] = [];
    for (const [name, field] of Object.entries(query.getFields())) {
      const target = getNamedType(field.type);
      if (!isObjectType(target) || AGGREGATE.test(target.name)) continue;
      const args = field.args
        .filter((a) => String(a.type).endsWith('!'))
        .map(
          (a) =>
            `${a.name}: ${/ID|String/.test(String(a.type)) ? '"211402"' : /^Int/.test(String(a.type)) ? '1' : /^Date/.test(String(a.type)) ? '"2025-03-01"' : '{}'}`,
        );
      const res = await t.query('analyst', `{ x: ${name}${args.length ? `(${args.join(', ')})` : ''} { __typename } }`);
      expect({ name, data: res.body.data?.x ?? null, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ name, data: null, code: 'FORBIDDEN_FIELD' });
      asked.push(name);
    }
    expect(asked).toEqual(expect.arrayContaining(['person', 'persons', 'personByIdNumber', 'policeCase', 'courtCase', 'mediationCase', 'communityCorrection']));
    // Through the public places: the staff behind them.
    const staff = await t.query<{ grid: { worker: Record<string, unknown> | null } }>(
      'analyst',
      `{ grid(code: "${t.city.grids[0].code}") { name worker { name phone } } }`,
    );
    expect(staff.body.data!.grid.worker).toEqual({ name: null, phone: null });
    expect(staff.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN_FIELD', 'FORBIDDEN_FIELD']);
    const mediators = await t.query<{ mediationPoints: { edges: Array<{ node: { mediators: Array<{ name: string | null }> | null } }> } }>(
      'analyst',
      `{ mediationPoints(divisionCode: "211402", first: 1) { edges { node { name mediators { name phone } } } } }`,
    );
    expect(mediators.body.data!.mediationPoints.edges[0].node.mediators!.every((m) => m.name === null)).toBe(true);
    expect(mediators.body.errors?.every((e) => e.extensions?.code === 'FORBIDDEN_FIELD')).toBe(true);
  });

  it('gives an officer the statistics of its own jurisdiction only, exact, and denies the others', async () => {
    const q = `query ($from: Date, $to: Date) { districts { code policeStatistics(from: $from, to: $to) { casesFiled } courtStatistics(from: $from, to: $to) { convictions }
      caseFlow(from: $from, to: $to) { police { filed } } monthly(from: "2025-03-01", to: "2025-04-30") { month }
      townships { code policeStatistics(from: $from, to: $to) { casesFiled } } } }`;
    type R = {
      districts: Array<{
        code: string;
        policeStatistics: { casesFiled: number } | null;
        courtStatistics: unknown;
        caseFlow: unknown;
        monthly: unknown;
        townships: Array<{ code: string; policeStatistics: { casesFiled: number } | null }>;
      }>;
    };
    const own = await t.query<R>('police', q, RANGE);
    const exact = await t.query<R>('admin', q, RANGE);
    for (const [i, d] of own.body.data!.districts.entries()) {
      const mine = d.code === '211402';
      const want = exact.body.data!.districts[i];
      expect({ code: d.code, police: d.policeStatistics, court: d.courtStatistics, flow: d.caseFlow, monthly: d.monthly, townships: d.townships }).toEqual(
        mine
          ? { code: d.code, police: want.policeStatistics, court: want.courtStatistics, flow: want.caseFlow, monthly: want.monthly, townships: want.townships }
          : {
              code: d.code,
              police: null,
              court: null,
              flow: null,
              monthly: null,
              townships: d.townships.map((x) => ({ code: x.code, policeStatistics: null })),
            },
      );
    }
    const denied = own.body.errors!.filter((e) => e.extensions?.code === 'FORBIDDEN_FIELD');
    // 5 other districts × 4 fields + their 10 townships.
    expect(denied).toHaveLength(5 * 4 + 10);
    expect(denied.every((e) => e.extensions?.reason === 'outside your jurisdiction')).toBe(true);
  });
});

describe('CSV export', () => {
  const csvUrl = () => t.url.replace(/\/graphql$/, '/stats.csv');
  const get = async (who: 'analyst' | 'admin' | 'police' | 'grid' | null, params: Record<string, string>) => {
    const headers: Record<string, string> = who ? { authorization: `Bearer ${await t.token(who)}` } : {};
    const res = await fetch(`${csvUrl()}?${new URLSearchParams(params).toString()}`, { headers });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { res, bytes, text: bytes.toString('utf8') };
  };
  /** A minimal RFC 4180 reader for the test: the table, and the footer after its blank line. */
  const parse = (text: string) => {
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const blank = lines.indexOf('');
    const table = (blank < 0 ? lines : lines.slice(0, blank)).map((line) => {
      const cells: string[] = [];
      for (const m of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
        cells.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
        if (m[2] === '') break;
      }
      return cells;
    });
    return Object.assign(table, { footer: blank < 0 ? [] : lines.slice(blank + 1) });
  };
  const LABELS = {
    gridStatistics: ['网格·上报事件', '网格·矛盾纠纷', '网格·安全隐患', '网格·上报网格员', '网格·实有人口', '网格·万人矛盾纠纷数'],
    policeStatistics: ['公安·警情', '公安·刑事立案', '公安·移送审查起诉', '公安·万人警情数', '公安·万人刑事立案数'],
    procuratorateStatistics: ['检察·批准逮捕', '检察·不批准逮捕', '检察·提起公诉', '检察·不起诉', '检察·审查中'],
    courtStatistics: ['法院·立案', '法院·结案', '法院·有罪判决', '法院·调解结案', '法院·司法确认'],
    justiceStatistics: ['司法·人民调解', '司法·调解成功', '司法·调解成功率', '司法·按期调结', '司法·按期调结率', '司法·社区矫正人数', '司法·法律援助'],
    petitionStatistics: ['信访·信访件', '信访·重复信访件', '信访·重复信访率'],
  };
  const CASE_FLOW_HEADER = [
    '区划代码',
    '名称',
    '公安·立案',
    '公安·移送审查起诉',
    '检察·受理',
    '检察·提起公诉',
    '法院·刑事一审立案',
    '法院·有罪判决',
    '司法·社区矫正',
  ];

  it('refuses a caller without a token (401)', async () => {
    const { res } = await get(null, { query: 'districts' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('exports the district statistics as the GraphQL query returns them: Chinese labels, withheld cells marked and explained', async () => {
    const { res, text, bytes } = await get('analyst', { query: 'districts', ...RANGE });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="statistics_districts_2025-03-01_2025-10-31\.csv"$/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(text);
    expect(header).toEqual(['区划代码', '名称', ...Object.values(LABELS).flat()]);
    // Every statistics object the export has: the five departments', and the petition bureau's (its own tests count it: test/petitionStatistics.test.ts).
    const exported = { ...DEPARTMENTS, petitionStatistics: ['petitions', 'repeatPetitions', 'repeatPetitionRate'] };
    type Exported = Record<string, Figures> & { code: string; name: string };
    const gql = await t.query<{ city: Exported; districts: Exported[] }>(
      'analyst',
      `query ($from: Date, $to: Date) { city { code name ${selection('(from: $from, to: $to)', exported)} } districts { code name ${selection('(from: $from, to: $to)', exported)} } }`,
      RANGE,
    );
    // The city total first, then the districts.
    expect(rows[0].slice(0, 2)).toEqual([CITY, '葫芦岛市']);
    expect(rows).toEqual(
      [gql.body.data!.city, ...gql.body.data!.districts].map((d) => [
        d.code,
        d.name,
        ...Object.entries(exported).flatMap(([dep, fields]) =>
          fields.map((f) => {
            const figures = d[dep];
            return figures.suppressedFields.includes(f) ? '*' : String(figures[f] ?? '');
          }),
        ),
      ]),
    );
    expect(rows.flat()).toContain('*');
    expect(parse(text).footer).toEqual([expect.stringMatching(/^\* 不公开：小于公布门槛的计数/)]);
  });

  it('shows a division and its townships, marked where the analyst gets nothing and exact for the admin', async () => {
    const { statistic: column, township, range } = threeCases(['policeStatistics.casesFiled']);
    const label = '公安·刑事立案';
    expect(column).toBe('policeStatistics.casesFiled');
    const county = township.slice(0, 6);
    const cell = async (who: 'analyst' | 'admin', range: Range) => {
      const [header, ...rows] = parse((await get(who, { query: 'districts', division: county, ...(range as Record<string, string>) })).text);
      expect(rows.map((r) => r[0])).toEqual([county, ...t.city.divisions.filter((d) => d.parentCode === county).map((d) => d.code)]);
      return rows.find((r) => r[0] === township)![header.indexOf(label)];
    };
    // The township's 3 cases: the admin sees the number; the analyst gets the released year, a withheld one marked.
    expect(await cell('admin', range)).toBe('3');
    const year = await t.query<{ district: Record<string, Figures> }>(
      'analyst',
      `{ district(code: "${township}") { policeStatistics(from: "${YEAR.from}", to: "${YEAR.to}") { casesFiled } } }`,
    );
    const released = year.body.data!.district.policeStatistics.casesFiled;
    expect(await cell('analyst', YEAR)).toBe(released === null ? '*' : String(released));
  });

  it('exports a monthly series and the funnels, with the same columns whoever asks', async () => {
    const monthly = parse((await get('admin', { query: 'monthly', division: '211402', ...RANGE })).text);
    expect(monthly[0].slice(0, 4)).toEqual(['区划代码', '名称', '月份', '网格·上报事件']);
    expect(monthly.slice(1).map((r) => r[2])).toEqual(monthSlices(RANGE).map((s) => s.month));
    const flow = parse((await get('admin', { query: 'caseFlow', ...RANGE })).text);
    expect(flow[0]).toEqual(CASE_FLOW_HEADER);
    expect(flow).toHaveLength(1 + 6);
    expect(flow.footer).toEqual([]);
    // Police see their own part of the funnel; the rest is marked denied in the same columns, none added.
    const asPolice = parse((await get('police', { query: 'caseFlow', ...RANGE })).text);
    expect(asPolice[0]).toEqual(CASE_FLOW_HEADER);
    expect(asPolice.slice(1).every((r) => r.length === CASE_FLOW_HEADER.length)).toBe(true);
    expect(asPolice.slice(1).map((r) => r.slice(4).join(','))).toContain('—,—,—,—,—');
    expect(asPolice.footer).toEqual(expect.arrayContaining([expect.stringMatching(/^— 无权查看：/)]));
    const disputes = parse((await get('analyst', { query: 'disputeFlow', ...YEAR })).text);
    expect(disputes[0]).toContain('法院·民事起诉');
  });

  it('refuses a grid worker plainly (403) instead of a table of marks', async () => {
    const { res, text } = await get('grid', { query: 'districts', ...RANGE });
    expect(res.status).toBe(403);
    expect(JSON.parse(text).errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^no statistics for this caller/), extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    ]);
  });

  it('refuses an unknown query, a bad day and a monthly series without a division (400), a bad day with one error', async () => {
    for (const params of [{ query: 'people' }, { query: 'districts', from: '2025-02-30' }, { query: 'monthly', ...RANGE }] as Array<Record<string, string>>) {
      const { res, text } = await get('analyst', params);
      expect({ params, status: res.status }).toEqual({ params, status: 400 });
      expect(JSON.parse(text).errors).toHaveLength(1);
    }
  });
});

describe('computed statistics entities reached directly', () => {
  it('resolves a month and a flow from their ids, and refuses malformed representations', async () => {
    const ok = await t.subgraphQuery<{ _entities: Array<Record<string, unknown>> }>(
      'procuratorate',
      'admin',
      `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on DistrictMonth { procuratorateStatistics { prosecutions } } ... on CaseFlow { procuratorate { received } } } }`,
      {
        r: [
          { __typename: 'DistrictMonth', id: '211402:2025-01-01:2025-12-31:2025-03' },
          { __typename: 'CaseFlow', id: '211402::', transferredCaseKeys: [] },
        ],
      },
    );
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!._entities).toEqual([
      {
        procuratorateStatistics: { prosecutions: count(events()['procuratorateStatistics.prosecutions'], '211402', { from: '2025-03-01', to: '2025-03-31' }) },
      },
      { procuratorate: { received: 0 } },
    ]);
    for (const representation of [
      { __typename: 'DistrictMonth', id: '211402:2025-01-01:2025-12-31:2026-03' },
      { __typename: 'CaseFlow', id: '2114:2025-01-01:' },
      { __typename: 'CaseFlow', id: '211402::', transferredCaseKeys: 'A211402202500001' },
    ]) {
      const res = await t.subgraphQuery('procuratorate', 'admin', `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, {
        r: [representation],
      });
      expect({ representation, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ representation, code: 'BAD_REPRESENTATION' });
    }
  });
});
