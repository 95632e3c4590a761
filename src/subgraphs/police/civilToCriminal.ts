import type { EntityManager } from '@mikro-orm/postgresql';
import { Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { CIVIL_TO_CRIMINAL, CIVIL_TO_CRIMINAL_PROTOCOL, civilToCriminalElement, STATISTICS_SERVICE } from '../../analytics/civilToCriminal';
import { psiSteps } from '../../analytics/psiSteps';
import type { DayRange } from '../../analytics/dayRange';
import { Aggregate } from '../../analytics/figures';
import { storeCells } from '../../analytics/releaseStore';
import { psiSide, type PsiSide } from '../../analytics/psi';
import { cityOf, completeYears, monthRange, releaseCell, withheldCells, type ReleaseRules } from '../../analytics/release';
import type { Line } from '../../analytics/suppression';
import { whereCounted } from '../../analytics/yearOnYear';
import type { SubgraphContext } from '../../kit/context';
import type { AuditStats, ReleaseSummary } from '../../kit/department';
import { badInput } from '../../shared/errors';
import { PoliceStatistics } from './statistics';

/*
 * 民转刑 on the police's side (src/analytics/civilToCriminal.ts): its suspects' filings for the
 * protocol, and the figures the protocol counted, decided and stored beside its other release —
 * the count is of its cases, by the county and year they were filed in.
 */

/** The exact figures, stored for the viewers who get exact counts (departments in their jurisdiction, admin): the protocol cannot run per request. */
const EXACT = 'casesExact';
/** The released figures (null when withheld), for the aggregate-only agencies. */
const RELEASED = 'cases';

/** A group of the police's set: a county and a year of filing. */
const groupOf = (county: string, year: string) => `${county}@${year}`;

/**
 * The police's side: each suspect of a criminal case with the month the case was filed, grouped by
 * the case's county and year — from its own schema only, blinded before anything leaves it.
 */
export async function suspectFilingsSide(em: EntityManager): Promise<PsiSide> {
  const rows = await em.getConnection().execute<Array<{ county: string; month: string; person_id: string }>>(
    `select distinct substr(c.grid_code, 1, 6) as county, to_char(c.filed_on, 'YYYY-MM') as month, p.person_id
       from police.police_case c join police.case_participant p on p.case_no = c.case_no and p.role = 'SUSPECT'`,
  );
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const group = groupOf(r.county, r.month.slice(0, 4));
    const members = groups.get(group) ?? [];
    members.push(civilToCriminalElement(r.person_id, r.month));
    groups.set(group, members);
  }
  return psiSide(groups);
}

/**
 * Decides and stores the counts (by `county@year`) as a release of their own: county × complete
 * calendar year and city × year (the years of the police's release), the line city = Σ counties,
 * small counts and their complements withheld with the interval audit of every release. A cell
 * is bounded above by the published cases filed of its division and year (an attacker knows the
 * cases are among them; counting pairs can only exceed it, which makes the bound stricter than
 * the attacker's, never looser; left out where the count exceeds it). Needs the police's release stored first.
 */
export async function storeCivilToCriminal(em: EntityManager, counts: ReadonlyMap<string, number>, rules: ReleaseRules): Promise<ReleaseSummary> {
  const audit: AuditStats = { rounds: 0, witnessed: 0, bounded: 0, solved: 0 };
  const connection = em.getConnection();
  const released = await connection.execute<Array<{ code: string; period: string; value: number | null; first_month: string; last_month: string }>>(
    `select code, period, value, first_month, last_month from police.statistics_release where statistic = 'police' and measure = 'casesFiled' and length(code) = 6`,
  );
  const years = released.length ? completeYears(monthRange(released[0].first_month, released[0].last_month)) : [];
  const counties = [...new Set(released.map((r) => r.code))].filter((c) => c !== cityOf(c)).sort();
  const values = new Map<string, number>();
  const lines: Line[] = [];
  for (const year of years) {
    const parts = counties.map((c) => releaseCell(c, year));
    counties.forEach((c) => values.set(releaseCell(c, year), counts.get(groupOf(c, year)) ?? 0));
    if (counties.length) {
      const city = cityOf(counties[0]);
      values.set(
        releaseCell(city, year),
        parts.reduce((s, id) => s + values.get(id)!, 0),
      );
      lines.push({ total: releaseCell(city, year), parts });
    }
  }
  const bounds = new Map<string, [number, number]>();
  for (const r of released) {
    const id = releaseCell(r.code, r.period);
    // Only where it holds: two qualifying suspects of one case can put the pairs above the cases (the LP would have no solution).
    if (r.value !== null && values.has(id) && values.get(id)! <= r.value) bounds.set(id, [1, r.value]);
  }
  const hidden = await withheldCells({ values, lines, bounds }, rules, audit);
  const cells = [...values].flatMap(([id, value]) => {
    const [code, period] = id.split('@');
    return [
      { measure: RELEASED, code, period, value: hidden.has(id) ? null : value },
      { measure: EXACT, code, period, value },
    ];
  });
  await storeCells(em, 'police', CIVIL_TO_CRIMINAL, cells, years.length ? [`${years[0]}-01`, `${years.at(-1)}-12`] : []);
  return { cells: values.size, withheld: hidden.size, audit };
}

/** Whether a release of 民转刑 is stored (a start decides it only when none is). */
export async function civilToCriminalStored(em: EntityManager): Promise<boolean> {
  const rows = await em.getConnection().execute('select 1 from police.statistics_release where statistic = ? limit 1', [CIVIL_TO_CRIMINAL]);
  return rows.length > 0;
}

/**
 * Its steps of 民转刑 for the statistics refresh: blind its set, reblind the justice bureau's, and
 * decide and store the counts with its own release rules (a start is skipped when `unlessStored` and one is stored).
 */
export const civilToCriminalSteps = psiSteps({
  protocol: CIVIL_TO_CRIMINAL_PROTOCOL,
  service: STATISTICS_SERVICE,
  side: suspectFilingsSide,
  store: (ctx, counts) => storeCivilToCriminal(ctx.em, counts, ctx.policy.releaseRules),
  stored: civilToCriminalStored,
});

@ObjectType({
  description:
    "民转刑: criminal cases filed in the range whose suspect was a party of a people's mediation started in the 12 calendar months before the month of filing, counted without either department learning who (docs/analytics.md). Released per calendar year for the city and its counties.",
})
export class PoliceCivilToCriminal extends Aggregate {
  @Field(() => Int, {
    nullable: true,
    description:
      "Distinct (suspect, month of filing) pairs of the cases filed in the range whose suspect was a party of a people's mediation started in the 12 calendar months before the month of filing; null when withheld (then named).",
  })
  cases!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      '民转刑 share of the criminal cases filed: `cases` ÷ `casesFiled` of the same range; null when either is withheld (then named) or none was filed.',
  })
  rate!: number | null;
}

/** The stored figures: `measure:code@year` → value (null when withheld), and the years stored. */
interface StoredFigures {
  cells: ReadonlyMap<string, number | null>;
  years: string[];
}

/** The whole stored release (a few cells per county and year), read once per request. */
function storedFigures(ctx: SubgraphContext): Promise<StoredFigures> {
  return ctx.loaders
    .custom<string, StoredFigures>(CIVIL_TO_CRIMINAL, async (keys) => {
      const rows = await ctx.em
        .getConnection()
        .execute<Array<{ measure: string; code: string; period: string; value: number | null }>>(
          'select measure, code, period, value from police.statistics_release where statistic = ?',
          [CIVIL_TO_CRIMINAL],
        );
      const stored = {
        cells: new Map(rows.map((r) => [`${r.measure}:${r.code}@${r.period}`, r.value])),
        years: [...new Set(rows.map((r) => r.period))].sort(),
      };
      return keys.map(() => stored);
    })
    .load('');
}

/** The stored years a range covers: whole calendar years only, else `BAD_USER_INPUT` naming the form. */
function yearsOf(range: DayRange, years: readonly string[]): string[] {
  if (!years.length) throw badInput(range.from ? 'from' : 'to', '民转刑 is not released yet: it is counted by `hub stats refresh`');
  const allowed = `民转刑 is released per calendar year: \`from\` YYYY-01-01 and \`to\` YYYY-12-31, between ${years[0]}-01-01 and ${years.at(-1)}-12-31`;
  // Both ends: an open one would give the cases filed (the rate's divisor) another range than the stored years.
  if (!range.from || !range.to) throw badInput(range.from ? 'to' : 'from', `${allowed}; both ends are needed`);
  const { from, to } = range;
  if (!from.endsWith('-01-01') || !years.includes(from.slice(0, 4))) throw badInput('from', allowed);
  if (!to.endsWith('-12-31') || !years.includes(to.slice(0, 4))) throw badInput('to', allowed);
  return years.filter((y) => y >= from.slice(0, 4) && y <= to.slice(0, 4));
}

@Resolver(() => PoliceStatistics)
export class PoliceCivilToCriminalResolver {
  @FieldResolver(() => PoliceCivilToCriminal, {
    nullable: true,
    description:
      "民转刑 of the district (or the city) over the range, which must be whole released calendar years; read from the stored yearly figures by everyone (exact for the department's own viewers, released for the aggregate-only agencies). Null for a township (not counted per township); a month of a series is refused.",
  })
  async civilToCriminal(@Root() statistics: PoliceStatistics, @Ctx() ctx: SubgraphContext): Promise<PoliceCivilToCriminal | null> {
    const at = whereCounted(statistics);
    if (!at) throw new Error('PoliceStatistics was not counted by districtStatisticsResolvers');
    if (at.month) throw badInput('from', '民转刑 is released per calendar year: ask it on a District, not on a month of a series');
    if (at.code.length !== 6) return null;
    const stored = await storedFigures(ctx);
    const measure = ctx.policy.suppressionFor(ctx.viewer.agency) === null ? EXACT : RELEASED;
    const values = yearsOf(at.range, stored.years).map((y) => stored.cells.get(`${measure}:${at.code}@${y}`));
    const cases = values.some((v) => v === null) ? null : values.reduce<number>((s, v) => s + (v ?? 0), 0);
    const filed = statistics.suppressedFields.includes('casesFiled') ? null : statistics.casesFiled;
    const rateWithheld = cases === null || filed === null;
    return Object.assign(new PoliceCivilToCriminal(), {
      cases,
      rate: rateWithheld || filed === 0 ? null : cases / filed,
      suppressedFields: [...(cases === null ? ['cases'] : []), ...(rateWithheld ? ['rate'] : [])],
    });
  }
}
