import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type QueryResultRow } from 'pg';
import { DEPARTMENTS, loadConfig, type Department } from '../src/shared/config';
import { FLOOR_POOL_MAX } from './database';
import { failToParent, serveParent } from './children';

/**
 * The raw-SQL floor: what the person view (scenario 1) and the case journey (scenario 2) cost
 * when hand-written — node-pg, named prepared statements, keys batched as `= any($1)`, one
 * statement per department and step, independent steps in parallel, no GraphQL and no policy.
 * It answers with the same JSON the hub gives (with the policy off), and keeps the department
 * boundaries the hub keeps: no statement joins two departments' tables.
 */

const pools = {} as Record<Department, Pool>;
const statements: Record<string, number> = {};

async function sql<R extends QueryResultRow>(department: Department, name: string, text: string, values: unknown[]): Promise<R[]> {
  statements[department] = (statements[department] ?? 0) + 1;
  return (await pools[department].query<R>({ name, text, values })).rows;
}

// ---- Scenario 1: person view ------------------------------------------------------------------

const PERSON_GRID = `
  select p.id, p.name, p.gender, p.birth_date::text as birth_date, p.id_number, p.phone, p.address,
         g.code as grid_code, g.name as grid_name, g.village, d.code as district_code, d.name as district_name
  from grid.person p
  join grid.grid g on g.code = p.grid_code
  left join grid.district d on d.code = g.district_code
  where p.id = any($1)`;

const PERSON_POLICE = `
  select cp.role, c.case_no, c.charge, c.stage, c.filed_on::text as filed_on
  from police.case_participant cp join police.police_case c on c.case_no = cp.case_no
  where cp.person_id = any($1)
  order by cp.case_no desc`;

const PERSON_PROSECUTIONS = `
  select c.case_no, c.charges, c.decision, c.received_on::text as received_on, c.decided_on::text as decided_on
  from procuratorate.prosecution_defendant d join procuratorate.prosecution_case c on c.case_no = d.case_no
  where d.person_id = any($1)
  order by c.received_on desc, c.case_no collate "C" desc`;

const PERSON_COURT = `
  select c.case_no, c.kind, c.status, c.cause, c.filed_on::text as filed_on, c.concluded_on::text as concluded_on,
         c.verdict, c.sentence_months, c.probation
  from (select distinct case_no from court.court_party where person_id = any($1)) p
  join court.court_case c on c.case_no = p.case_no
  order by c.filed_on desc, c.case_no collate "C" desc`;

const PERSON_JUSTICE = `
  select
    coalesce((select json_agg(json_build_object('id', m.id, 'outcome', m.outcome, 'startedOn', m.started_on, 'closedOn', m.closed_on,
                                                'agreement', m.agreement) order by m.started_on desc, m.id collate "C" desc)
              from justice.mediation_party mp join justice.mediation_case m on m.id = mp.mediation_id
              where mp.person_id = any($1)), '[]') as mediations,
    coalesce((select json_agg(json_build_object('id', c.id, 'status', c.status, 'startOn', c.start_on, 'endOn', c.end_on)
                              order by c.start_on desc, c.id desc)
              from justice.community_correction c where c.person_id = any($1)), '[]') as corrections`;

interface Judged {
  verdict: string | null;
  sentence_months: number | null;
  probation: boolean | null;
  concluded_on: string | null;
}

const judgment = (c: Judged) =>
  c.verdict ? { verdict: c.verdict, sentenceMonths: c.sentence_months, probation: c.probation, judgedOn: c.concluded_on } : null;

interface Correction {
  id: string;
  status: string;
  startOn: string;
  endOn: string;
}

/** All five departments at once: each needs only the person key, which the request carries. */
async function personView(id: string): Promise<unknown> {
  const ids = [id];
  const [people, records, prosecutions, courtCases, [justice]] = await Promise.all([
    sql<Record<string, string>>('grid', 'person-grid', PERSON_GRID, [ids]),
    sql<Record<string, string>>('police', 'person-police', PERSON_POLICE, [ids]),
    sql<Record<string, string | string[]>>('procuratorate', 'person-prosecutions', PERSON_PROSECUTIONS, [ids]),
    sql<Judged & Record<string, string>>('court', 'person-court', PERSON_COURT, [ids]),
    sql<{ mediations: unknown[]; corrections: Correction[] }>('justice', 'person-justice', PERSON_JUSTICE, [ids]),
  ]);
  const p = people[0];
  if (!p) return { person: null };
  return {
    person: {
      id: p.id,
      name: p.name,
      gender: p.gender,
      birthDate: p.birth_date,
      idNumber: p.id_number,
      phone: p.phone,
      address: p.address,
      grid: { code: p.grid_code, name: p.grid_name, village: p.village, district: p.district_code ? { code: p.district_code, name: p.district_name } : null },
      policeRecords: records.map((r) => ({ role: r.role, policeCase: { caseNo: r.case_no, charge: r.charge, stage: r.stage, filedOn: r.filed_on } })),
      prosecutions: prosecutions.map((c) => ({
        caseNo: c.case_no,
        charges: c.charges,
        decision: c.decision,
        receivedOn: c.received_on,
        decidedOn: c.decided_on,
      })),
      courtCases: courtCases.map((c) => ({
        caseNo: c.case_no,
        kind: c.kind,
        status: c.status,
        cause: c.cause,
        filedOn: c.filed_on,
        concludedOn: c.concluded_on,
        judgment: judgment(c),
      })),
      mediations: justice.mediations,
      // The running correction, or else the latest.
      communityCorrection: justice.corrections.find((c) => c.status === 'ACTIVE') ?? justice.corrections[0] ?? null,
    },
  };
}

// ---- Scenario 2: case journey -----------------------------------------------------------------

const CASE_POLICE = `
  select c.case_no, c.charge, c.stage, c.filed_on::text as filed_on, c.transferred_on::text as transferred_on,
    coalesce((select json_agg(json_build_object('role', p.role, 'personId', p.person_id) order by p.role, p.person_id)
              from police.case_participant p where p.case_no = c.case_no), '[]') as participants
  from police.police_case c where c.case_no = any($1)`;

/** The arrest review and the prosecution of the police cases, each found by the police case number. */
const CASE_PROCURATORATE = `
  select 'prosecution' as kind, c.police_case_no,
    json_build_object('caseNo', c.case_no, 'charges', c.charges, 'decision', c.decision, 'decidedOn', c.decided_on,
      'defendants', coalesce((select json_agg(d.person_id order by d.position) from procuratorate.prosecution_defendant d where d.case_no = c.case_no), '[]')) as record
  from procuratorate.prosecution_case c where c.police_case_no = any($1)
  union all
  select 'arrestReview', a.police_case_no, json_build_object('caseNo', a.case_no, 'decision', a.decision, 'decidedOn', a.decided_on)
  from procuratorate.arrest_review a where a.police_case_no = any($1)`;

const CASE_COURT = `
  select c.prosecution_case_no, c.case_no, c.status, c.cause, c.filed_on::text as filed_on, c.concluded_on::text as concluded_on,
         c.verdict, c.sentence_months, c.probation,
    coalesce((select json_agg(json_build_object('kind', h.kind, 'heldOn', h.held_on) order by h.held_on, h.id)
              from court.hearing h where h.case_no = c.case_no), '[]') as hearings,
    coalesce((select json_agg(json_build_object('role', p.role, 'personId', p.person_id) order by p.id)
              from court.court_party p where p.case_no = c.case_no), '[]') as parties
  from court.court_case c where c.prosecution_case_no = any($1)`;

const CASE_CORRECTIONS = `
  select court_case_no, id, status, start_on::text as start_on, end_on::text as end_on
  from justice.community_correction where court_case_no = any($1)`;

const PERSON_NAMES = `select id, name from grid.person where id = any($1)`;

interface Party {
  role: string;
  personId: string;
}

/**
 * Three rounds: police and procuratorate (both keyed by the police case number) together; then
 * the court (keyed by the prosecution); then corrections and everybody's names together.
 */
async function caseJourney(caseNo: string): Promise<unknown> {
  const [[policeCase], procuratorate] = await Promise.all([
    sql<Record<string, string> & { participants: Party[] }>('police', 'case-police', CASE_POLICE, [[caseNo]]),
    sql<{ kind: string; record: Record<string, unknown> & { defendants?: string[] } }>('procuratorate', 'case-procuratorate', CASE_PROCURATORATE, [[caseNo]]),
  ]);
  if (!policeCase) return { policeCase: null };
  const prosecution = procuratorate.find((r) => r.kind === 'prosecution')?.record ?? null;
  const arrestReview = procuratorate.find((r) => r.kind === 'arrestReview')?.record ?? null;
  const [court] = prosecution
    ? await sql<Judged & Record<string, string> & { hearings: unknown[]; parties: Party[] }>('court', 'case-court', CASE_COURT, [[prosecution.caseNo]])
    : [];
  const personIds = [
    ...new Set([...policeCase.participants.map((p) => p.personId), ...(prosecution?.defendants ?? []), ...(court?.parties ?? []).map((p) => p.personId)]),
  ];
  const [corrections, people] = await Promise.all([
    court ? sql<Record<string, string>>('justice', 'case-corrections', CASE_CORRECTIONS, [[court.case_no]]) : Promise.resolve([]),
    personIds.length ? sql<{ id: string; name: string }>('grid', 'person-names', PERSON_NAMES, [personIds]) : Promise.resolve([]),
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const person = (id: string) => ({ id, name: names.get(id) ?? null });
  const correction = corrections[0];
  return {
    policeCase: {
      caseNo: policeCase.case_no,
      charge: policeCase.charge,
      stage: policeCase.stage,
      filedOn: policeCase.filed_on,
      transferredOn: policeCase.transferred_on,
      participants: policeCase.participants.map((p) => ({ role: p.role, person: person(p.personId) })),
      arrestReview,
      prosecution: prosecution && {
        caseNo: prosecution.caseNo,
        charges: prosecution.charges,
        decision: prosecution.decision,
        decidedOn: prosecution.decidedOn,
        defendants: (prosecution.defendants ?? []).map(person),
        courtCase: court
          ? {
              caseNo: court.case_no,
              status: court.status,
              cause: court.cause,
              filedOn: court.filed_on,
              judgment: judgment(court),
              hearings: court.hearings,
              parties: court.parties.map((p) => ({ role: p.role, person: person(p.personId) })),
              communityCorrection: correction ? { id: correction.id, status: correction.status, startOn: correction.start_on, endOn: correction.end_on } : null,
            }
          : null,
      },
    },
  };
}

// ---- HTTP -------------------------------------------------------------------------------------

const routes: Record<string, (input: Record<string, string>) => Promise<unknown>> = {
  '/person-view': (input) => personView(input.id),
  '/case-journey': (input) => caseJourney(input.caseNo),
};

async function readJson(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set');
  const config = loadConfig();
  // Connections per department: the runner sizes them to fit the server (bench/database.ts, fitPools).
  const max = Number(process.env.BENCH_FLOOR_POOL_MAX ?? FLOOR_POOL_MAX);
  for (const d of DEPARTMENTS) pools[d] = new Pool({ connectionString: config.departmentDatabaseUrls[d] ?? databaseUrl, max });
  const server = createServer((req, res) => {
    const route = routes[(req.url ?? '/').split('?')[0]];
    if (!route || req.method !== 'POST') {
      send(res, 404, { errors: [{ message: 'not found' }] });
      return;
    }
    readJson(req)
      .then(async (input) => send(res, 200, { data: await route(input) }))
      .catch((err: unknown) => send(res, 500, { errors: [{ message: err instanceof Error ? err.message : String(err) }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  serveParent(
    { personView: `${base}/person-view`, caseJourney: `${base}/case-journey` },
    {
      sqlStatements: () => ({ ...statements }),
      stop: async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await Promise.all(Object.values(pools).map((p) => p.end()));
      },
    },
  );
}

main().catch(failToParent);
