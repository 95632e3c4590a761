import { Client } from 'pg';

/**
 * The statements behind the hub's hot paths, as the loaders and resolvers send them (captured from
 * PostgreSQL's statement log), run with EXPLAIN ANALYZE on a seeded database: `hub plans` tells,
 * for each, the time and the scans, and flags a sequential scan of a large table — the sign of a
 * query whose cost grows with the city instead of with its answer.
 */

/** Keys to query with, picked from the data (by index, never by scanning a large table). */
const SAMPLES: Record<string, string> = {
  person: `select id as v from grid.person where id > 'P8' order by id limit 1`,
  cursor: `select id as v from grid.person where grid_code like '211402%' and id > 'P4' order by id limit 1`,
  grid: `select code as v from grid.grid where code > '211421' order by code limit 1`,
  township: `select code as v from grid.district where level = 'TOWNSHIP' order by code limit 1`,
  participant: `select person_id as v from police.case_participant where person_id > 'P8' order by person_id limit 1`,
  reporter: `select reporter_id as v from police.incident where reporter_id > 'P8' order by reporter_id limit 1`,
  policeCase: `select police_case_no as v from procuratorate.prosecution_case order by police_case_no limit 1`,
  defendant: `select person_id as v from procuratorate.prosecution_defendant where person_id > 'P8' order by person_id limit 1`,
  prosecution: `select prosecution_case_no as v from court.court_case where prosecution_case_no is not null order by prosecution_case_no limit 1`,
  courtParty: `select person_id as v from court.court_party where person_id > 'P8' order by person_id limit 1`,
  courtCase: `select court_case_no as v from justice.community_correction order by court_case_no limit 1`,
  gridEvent: `select grid_event_id as v from justice.mediation_case where grid_event_id is not null order by grid_event_id limit 1`,
  mediationParty: `select person_id as v from justice.mediation_party where person_id > 'P8' order by person_id limit 1`,
  corrected: `select person_id as v from justice.community_correction where person_id > 'P8' order by person_id limit 1`,
  aided: `select applicant_id as v from justice.legal_aid_case where applicant_id > 'P8' order by applicant_id limit 1`,
};

const DISTRICT_CODES = ['211402', '211403', '211404', '211421', '211422', '211481'];
const anyPrefix = (column: string) => `(${DISTRICT_CODES.map((c) => `${column} like '${c}%'`).join(' or ')})`;

/** Name → statement; `{key}` stands for a sampled key. */
export const HOT_QUERIES: Record<string, string> = {
  'person by id': `select "p0".* from "grid"."person" as "p0" where "p0"."id" in ('{person}')`,
  'persons of a district, first page': `select "p0".* from "grid"."person" as "p0" where "p0"."grid_code" like '211402%' order by "p0"."id" asc limit 21`,
  'persons of a district, next page (keyset)': `select "p0".* from "grid"."person" as "p0" where "p0"."grid_code" like '211402%' and "p0"."id" > '{cursor}' order by "p0"."id" asc limit 21`,
  'persons of a township': `select "p0".* from "grid"."person" as "p0" where "p0"."grid_code" like '{township}%' order by "p0"."id" asc limit 21`,
  "persons of a grid (a grid worker's scope)": `select "p0".* from "grid"."person" as "p0" where "p0"."grid_code" like '{grid}%' order by "p0"."id" asc limit 21`,
  'grid events involving a person': `select "g0".* from "grid"."grid_event" as "g0" where "g0"."involved_person_ids" && '{{person}}' order by "g0"."reported_at" desc`,
  'grid events of a district, newest first': `select "g0".* from "grid"."grid_event" as "g0" where "g0"."grid_code" like '211402%' order by "g0"."reported_at" desc, "g0"."id" desc limit 21`,
  'police participants by person': `select "c0".* from "police"."case_participant" as "c0" where "c0"."person_id" in ('{participant}') order by "c0"."case_no" desc`,
  'incidents by reporter': `select "i0".* from "police"."incident" as "i0" where "i0"."reporter_id" in ('{reporter}') order by "i0"."reported_at" desc, "i0"."id" desc`,
  'incidents of a district, newest first': `select "i0".* from "police"."incident" as "i0" where "i0"."grid_code" like '211402%' order by "i0"."reported_at" desc, "i0"."id" desc limit 21`,
  'prosecution by police case no': `select "p0".* from "procuratorate"."prosecution_case" as "p0" where "p0"."police_case_no" in ('{policeCase}')`,
  'prosecutions by defendant': `select "p0".* from "procuratorate"."prosecution_defendant" as "p0" where "p0"."person_id" in ('{defendant}')`,
  'court case by prosecution': `select "c0".* from "court"."court_case" as "c0" where "c0"."prosecution_case_no" in ('{prosecution}')`,
  'court parties by person': `select "c0".* from "court"."court_party" as "c0" where "c0"."person_id" in ('{courtParty}')`,
  'mediation by grid event': `select "m0".* from "justice"."mediation_case" as "m0" where "m0"."grid_event_id" in ('{gridEvent}')`,
  'mediation parties by person': `select "m0".* from "justice"."mediation_party" as "m0" where "m0"."person_id" in ('{mediationParty}')`,
  'corrections by person': `select "c0".* from "justice"."community_correction" as "c0" where "c0"."person_id" in ('{corrected}') order by "c0"."start_on" desc, "c0"."id" desc`,
  'correction by court case': `select "c0".* from "justice"."community_correction" as "c0" where "c0"."court_case_no" in ('{courtCase}')`,
  'legal aid by applicant': `select "l0".* from "justice"."legal_aid_case" as "l0" where "l0"."applicant_id" in ('{aided}') order by "l0"."applied_on" desc, "l0"."id" desc`,
  // The statistics filter by literal division prefixes (analytics/sql.ts `startsWithAny`), which the pattern-ops indexes serve.
  'district statistics: police incidents': `select left(grid_code, 6) as code, count(*) as n from police.incident where ${anyPrefix('grid_code')} group by 1`,
  'township statistics: police incidents': `select left(grid_code, 9) as code, count(*) as n from police.incident where grid_code like '{township}%' group by 1`,
  'district statistics: police incidents in a month': `select left(grid_code, 6) as code, count(*) as n from police.incident where ${anyPrefix('grid_code')} and reported_at >= ('2026-03-01'::date)::timestamp at time zone 'Asia/Shanghai' and reported_at < ('2026-03-31'::date + 1)::timestamp at time zone 'Asia/Shanghai' group by 1`,
  'district statistics: police cases': `select left(grid_code, 6) as code, count(*) filter (where filed_on is not null) as filed, count(*) filter (where transferred_on is not null) as transferred from police.police_case where ${anyPrefix('grid_code')} group by 1`,
  'district statistics: procuratorate': `select left(township_code, 6) as code, decision::text, count(*)::int as n from procuratorate.prosecution_case where ${anyPrefix('township_code')} group by 1, 2`,
  'district statistics: court': `select left(township_code, 6) as code, count(*) as cases_filed from court.court_case where appeal_of_case_no is null and ${anyPrefix('township_code')} group by 1`,
  'district statistics: mediation': `select coalesce(district_code, township_code) as code, count(*) as cases, count(*) filter (where outcome = 'SUCCEEDED') as succeeded, count(*) filter (where outcome <> 'IN_PROGRESS') as closed from "justice"."mediation_case" as "m0" where ("m0"."district_code" in ('211402', '211403', '211404', '211421', '211422', '211481') or 1 = 0) group by grouping sets ((district_code), (township_code))`,
  'district statistics: corrections': `select district_code as code, count(distinct person_id) as n from "justice"."community_correction" as "c0" where "c0"."district_code" in ('211402', '211403', '211404', '211421', '211422', '211481') and "c0"."status" = 'ACTIVE' group by "c0"."district_code"`,
};

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Schema?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

export interface PlanReport {
  name: string;
  ms: number;
  /** Scans, e.g. `Index Scan person_pkey on grid.person (1 rows)`. */
  scans: string[];
  /** Sequential scans of tables with more than `largeRows` rows. */
  problems: string[];
}

function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

/** EXPLAIN ANALYZE of every hot query on the database at `url`. */
export async function explainHotQueries(url: string, largeRows = 50_000): Promise<PlanReport[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const keys: Record<string, string> = {};
    for (const [name, sql] of Object.entries(SAMPLES)) keys[name] = (await client.query<{ v: string }>(sql)).rows[0]?.v ?? '';
    const sizes = new Map(
      (
        await client.query<{ t: string; n: string }>(
          `select n.nspname || '.' || c.relname as t, c.reltuples::bigint as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r'`,
        )
      ).rows.map((r) => [r.t, Number(r.n)]),
    );
    const reports: PlanReport[] = [];
    for (const [name, template] of Object.entries(HOT_QUERIES)) {
      const sql = template.replace(/\{(\w+)\}/g, (_, k: string) => (keys[k] ?? '').replaceAll("'", "''"));
      const [row] = (
        await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number }> }>(`explain (analyze, verbose, format json) ${sql}`)
      ).rows;
      const { Plan, 'Execution Time': ms } = row['QUERY PLAN'][0];
      const scans: string[] = [];
      const problems: string[] = [];
      walk(Plan, (n) => {
        if (!n['Relation Name']) return;
        const table = `${n.Schema}.${n['Relation Name']}`;
        const rows = (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1);
        scans.push(`${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''} on ${table} (${rows} rows)`);
        if (n['Node Type'] === 'Seq Scan' && (sizes.get(table) ?? 0) > largeRows) problems.push(`sequential scan of ${table} (${sizes.get(table)} rows)`);
      });
      reports.push({ name, ms, scans, problems });
    }
    return reports;
  } finally {
    await client.end();
  }
}

export function formatPlanReports(reports: PlanReport[]): string {
  return reports
    .map(
      (r) =>
        `${r.problems.length ? 'SEQ ' : 'ok  '} ${r.ms.toFixed(2).padStart(9)} ms  ${r.name}\n${r.scans.map((s) => `        ${s}`).join('\n')}${r.problems.length ? `\n        !! ${r.problems.join('; ')}` : ''}`,
    )
    .join('\n');
}
