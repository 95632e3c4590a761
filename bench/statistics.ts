import { Client } from 'pg';
import { devIdentities, devToken } from '../src/auth/devTokens';
import type { AuthKeys } from '../src/auth/keys';
import { CIVIL_TO_CRIMINAL } from '../src/analytics/civilToCriminal';
import { lastDay, MAX_MONTHS } from '../src/analytics/dayRange';
import { addMonths } from '../src/demo/dates';
import type { CivilToCriminalRun } from '../src/cli/civilToCriminal';
import { refreshAll, type RefreshedRelease } from '../src/cli/stats';
import type { HubConfig } from '../src/shared/config';
import { subgraphList } from '../src/subgraphs';
import { percentile, type BenchRequest } from './load';
import { postJson } from './hubScenarios';

/**
 * The analyst's statistics at scale (issue #19): the release refresh `hub stats refresh` runs,
 * timed per department and for 民转刑; the cells released and withheld per level; and the monthly
 * series of every county over the whole release with the five departments' statistics and
 * indicators in one request, as `npm run bench` and `bench/statisticsRelease.ts` measure them.
 */

/** Every figure of the five departments a month of the series carries: counts, rates per 10,000 residents, rates. */
export const SERIES_STATISTICS = `gridStatistics { eventsReported disputes hazards gridWorkersActive disputesPer10000Residents suppressedFields }
  policeStatistics { incidents casesFiled casesTransferred incidentsPer10000Residents casesFiledPer10000Residents suppressedFields }
  procuratorateStatistics { arrestsApproved arrestsNotApproved prosecutions nonProsecutions pending suppressedFields }
  courtStatistics { casesFiled casesConcluded convictions mediatedSettlements judicialConfirmations suppressedFields }
  justiceStatistics { mediationCases mediationsSucceeded successRate mediationsClosedOnTime onTimeClosureRate peopleUnderCorrection legalAidCases suppressedFields }`;

/** Year-on-year change (同比), which compares with a released month a year earlier: asked from the release's second year on. */
export const SERIES_YEAR_ON_YEAR = `gridStatistics { yearOnYear { disputes suppressedFields } }
  policeStatistics { yearOnYear { incidents casesFiled suppressedFields } }
  courtStatistics { yearOnYear { casesFiled suppressedFields } }`;

/** Figures (not `suppressedFields`) in a selection. */
function figuresIn(selection: string): number {
  return selection.split(/[\s{}]+/).filter((w) => w && w !== 'suppressedFields' && !/Statistics$|^yearOnYear$/.test(w)).length;
}

/** Cells of a department's stored release at one geography level and period kind. */
export interface ReleaseLevel {
  department: string;
  level: 'city' | 'county' | 'township' | 'grid';
  period: 'month' | 'year';
  cells: number;
  withheld: number;
}

/** The stored releases: cells per department, level and period, and the months they cover. */
export interface StoredRelease {
  levels: ReleaseLevel[];
  /** Cells per measure, level and period, for the measures' own granularity. */
  measures: Array<ReleaseLevel & { measure: string }>;
  firstMonth: string | null;
  lastMonth: string | null;
}

export async function storedRelease(url: string): Promise<StoredRelease> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const out: StoredRelease = { levels: [], measures: [], firstMonth: null, lastMonth: null };
  try {
    for (const def of subgraphList()) {
      if (!def.refreshStatistics) continue;
      const exists = (await client.query<{ t: string | null }>('select to_regclass($1) as t', [`"${def.name}".statistics_release`])).rows[0].t;
      if (!exists) continue;
      const { rows } = await client.query<{
        measure: string | null;
        level: ReleaseLevel['level'];
        period: ReleaseLevel['period'];
        cells: string;
        withheld: string;
        first_month: string | null;
        last_month: string | null;
      }>(
        `select case when grouping(measure) = 1 then null else measure end as measure, level, period, count(*) as cells,
           count(*) filter (where value is null) as withheld, min(first_month) as first_month, max(last_month) as last_month
         from (select measure, value, first_month, last_month,
             case when code like '%00' and length(code) = 6 then 'city' when length(code) = 6 then 'county' when length(code) = 9 then 'township' else 'grid' end as level,
             case when length(period) = 4 then 'year' else 'month' end as period
           from "${def.name}".statistics_release where statistic <> $1) c
         group by grouping sets ((level, period), (measure, level, period)) order by 1 nulls first, 2, 3`,
        // 民转刑's cells (in the police's schema) are counted by its refresh.
        [CIVIL_TO_CRIMINAL],
      );
      for (const r of rows) {
        const cell = { department: def.name, level: r.level, period: r.period, cells: Number(r.cells), withheld: Number(r.withheld) };
        if (r.measure === null) out.levels.push(cell);
        else out.measures.push({ ...cell, measure: r.measure });
        if (r.first_month && (!out.firstMonth || r.first_month < out.firstMonth)) out.firstMonth = r.first_month;
        if (r.last_month && (!out.lastMonth || r.last_month > out.lastMonth)) out.lastMonth = r.last_month;
      }
    }
  } finally {
    await client.end();
  }
  return out;
}

/** Lines for a console: withheld of released cells per department and level, then per measure. */
export function describeRelease(r: StoredRelease): string[] {
  const lines: string[] = [];
  for (const department of [...new Set(r.levels.map((l) => l.department))]) {
    for (const l of r.levels.filter((x) => x.department === department))
      lines.push(`${department} ${l.level} × ${l.period}: ${l.withheld} of ${l.cells} withheld`);
    const cells = r.measures.filter((m) => m.department === department);
    for (const measure of [...new Set(cells.map((m) => m.measure))])
      lines.push(
        `  ${measure}: ${cells
          .filter((m) => m.measure === measure)
          .map((m) => `${m.level} × ${m.period} ${m.withheld}/${m.cells}`)
          .join(', ')} withheld`,
      );
  }
  return lines;
}

/**
 * The months of the longest series an analyst may ask (`MAX_MONTHS`) that the release covers, up to
 * its last: a release starts in January of its first year with records, so a 60-month history
 * (2021-12 …) has a few more months than one series takes.
 */
export function seriesMonths(r: StoredRelease): { first: string; last: string } | null {
  if (!r.firstMonth || !r.lastMonth) return null;
  const earliest = addMonths(`${r.lastMonth}-01`, 1 - MAX_MONTHS).slice(0, 7);
  return { first: r.firstMonth > earliest ? r.firstMonth : earliest, last: r.lastMonth };
}

/** One refresh as the bench reports it. */
export interface RefreshTiming {
  department: string;
  seconds: number;
  cells: number;
  withheld: number;
  /** 民转刑 only: the sets its private intersection blinded. */
  elements?: { police: number; justice: number };
}

/** `hub stats refresh` on `url` (the same code), each department's release timed and reported as it is stored. */
export async function refreshReleases(config: HubConfig, url: string, onDone: (r: RefreshTiming) => void): Promise<RefreshTiming[]> {
  const timing = (r: RefreshedRelease | CivilToCriminalRun): RefreshTiming => ({
    department: r.department,
    seconds: r.seconds,
    cells: r.cells,
    withheld: r.withheld,
    ...('elements' in r ? { elements: r.elements } : {}),
  });
  return (await refreshAll(config, url, (r) => onDone(timing(r)))).map(timing);
}

/** A token of the demo's analyst (aggregate-only: reads the release, never records). */
export async function analystToken(keys: AuthKeys): Promise<string> {
  const analyst = devIdentities('211402001001').find((i) => i.agency === 'analyst')!;
  return devToken(keys.devCallerSigningKey!, keys.callerIssuer, keys.callerAudience, analyst, '2h');
}

/**
 * The monthly series of every county from `firstMonth` to `lastMonth` (YYYY-MM), every figure, in one
 * request: the counts and rates of every month, and under a second alias the year-on-year change of
 * the months that have a released month a year before.
 */
export function seriesRequest(token: string, firstMonth: string, lastMonth: string): BenchRequest {
  const to = lastDay(lastMonth);
  const yearLater = addMonths(`${firstMonth}-01`, 12);
  const change = yearLater <= to ? ` yearOnYear: monthly(from: "${yearLater}", to: "${to}") { month ${SERIES_YEAR_ON_YEAR} }` : '';
  return {
    body: JSON.stringify({ query: `{ districts { code monthly(from: "${firstMonth}-01", to: "${to}") { month ${SERIES_STATISTICS} }${change} } }` }),
    headers: { authorization: `Bearer ${token}` },
  };
}

export interface SeriesTiming {
  counties: number;
  months: number;
  /** Figures of a county's month: counts and rates, and the year-on-year changes from the second year on. */
  figures: number;
  yearOnYearFigures: number;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  /** Size of one answer. */
  bytes: number;
  /** Timed requests that answered errors (their time is in the percentiles), and the first one's errors. */
  failed: number;
  firstFailure?: string;
}

type SeriesAnswer = { errors?: unknown[]; data?: { districts: Array<{ monthly: unknown[] | null }> } };

/**
 * The series `requests` times, one at a time after `warmup` unmeasured ones, every answer checked
 * for errors. The first waits up to 30 s for subgraphs a loaded machine left marked down.
 */
export async function timeSeries(gatewayUrl: string, request: BenchRequest, requests: number, warmup = 3): Promise<SeriesTiming> {
  // A hub just started may still be warming its departments: wait up to 30 s for a clean answer, then measure whatever comes (failures are counted below).
  for (let tries = 0; tries < 30; tries++) {
    const { errors } = await postJson<SeriesAnswer>(gatewayUrl, request);
    if (!errors) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const ms: number[] = [];
  let shape = { counties: 0, months: 0, bytes: 0 };
  // A failed answer (e.g. a department past its timeout) is counted and timed, not fatal: the report says the target is not met and why.
  let failed = 0;
  let firstFailure: string | undefined;
  for (let i = 0; i < requests + warmup; i++) {
    const t0 = performance.now();
    const res = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: request.body });
    const text = await res.text();
    const elapsed = performance.now() - t0;
    const answer = JSON.parse(text) as SeriesAnswer;
    if (i >= warmup) ms.push(elapsed);
    if (answer.errors || !answer.data) {
      if (i >= warmup) failed++;
      firstFailure ??= text.slice(0, 300);
      continue;
    }
    shape = { counties: answer.data.districts.length, months: answer.data.districts[0]?.monthly?.length ?? 0, bytes: Buffer.byteLength(text) };
  }
  ms.sort((a, b) => a - b);
  return {
    ...shape,
    figures: figuresIn(SERIES_STATISTICS),
    yearOnYearFigures: figuresIn(SERIES_YEAR_ON_YEAR),
    requests,
    p50: percentile(ms, 0.5),
    p95: percentile(ms, 0.95),
    max: ms.at(-1) ?? 0,
    failed,
    ...(firstFailure ? { firstFailure } : {}),
  };
}
