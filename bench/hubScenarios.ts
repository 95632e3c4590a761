import { devIdentities, devToken, type DevIdentity } from '../src/auth/devTokens';
import type { AuthKeys } from '../src/auth/keys';
import { withClient } from './database';
import { pick, seededRandom, type BenchRequest, type Workload } from './load';

/**
 * The hub's benchmark scenarios: the GraphQL operations, who sends them, and which records they
 * ask for (sampled from the database, so they work on the demo city and on a city-scale one).
 */

/**
 * Scenario 1: a judge's cross-agency view of one person — the registry (grid), police records,
 * prosecutions, court cases, mediations and community correction: all five departments. The judge
 * states the person's case (`x-purpose: case:<court case number>`), which the court tried: every
 * field is one the policy grants for it, so a correct response has no errors.
 */
const PERSON_VIEW_FIELDS = `fragment PersonViewFields on Person {
  id name gender birthDate idNumber phone address
  grid { code name village district { code name } }
  policeRecords { role policeCase { caseNo charge stage filedOn } }
  prosecutions { caseNo charges decision receivedOn decidedOn }
  courtCases { caseNo kind status cause filedOn concludedOn judgment { verdict sentenceMonths probation judgedOn } }
  mediations { id outcome startedOn closedOn agreement }
  communityCorrection { id status startOn endOn }
}`;

export const PERSON_VIEW = `query PersonView($id: ID!) { person(id: $id) { ...PersonViewFields } }
${PERSON_VIEW_FIELDS}`;

/** Scenario 2: one criminal case from the police through prosecution and trial to community corrections, with the people's names. */
const CASE_JOURNEY_FIELDS = `fragment CaseJourneyFields on PoliceCase {
  caseNo charge stage filedOn transferredOn
  participants { role person { id name } }
  arrestReview { caseNo decision decidedOn }
  prosecution {
    caseNo charges decision decidedOn
    defendants { id name }
    courtCase {
      caseNo status cause filedOn
      judgment { verdict sentenceMonths probation judgedOn }
      hearings { kind heldOn }
      parties { role person { id name } }
      communityCorrection { id status startOn endOn }
    }
  }
}`;

export const CASE_JOURNEY = `query CaseJourney($caseNo: String!) { policeCase(caseNo: $caseNo) { ...CaseJourneyFields } }
${CASE_JOURNEY_FIELDS}`;

/** Scenario 3: a grid worker's resident list, one page; the policy limits the rows to the worker's grid in SQL. */
export const GRID_LIST = `query GridList($first: Int!, $after: String) {
  persons(first: $first, after: $after) {
    edges { cursor node { id name gender birthDate idNumber phone address householdStatus rentalHousing } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * The row-scaling check: the same selections for a page of N people or N cases. With batched
 * loading, a page of 100 costs the same statements as a page of 10 — what "SQL statements per
 * request independent of rows" means.
 */
const PERSON_VIEW_PAGE = `query PersonViewPage($first: Int!) { persons(first: $first) { edges { node { ...PersonViewFields } } } }
${PERSON_VIEW_FIELDS}`;
const CASE_JOURNEY_PAGE = `query CaseJourneyPage($first: Int!) { policeCases(first: $first, filter: { stage: TRANSFERRED }) { edges { node { ...CaseJourneyFields } } } }
${CASE_JOURNEY_FIELDS}`;

export const GRID_PAGE_SIZE = 10;
const MAX_PAGES_PER_WORKER = 5;

export interface HubSamples {
  /** Parties of court cases across the city, whose records all belong to that case's journey. */
  personIds: string[];
  /** The court case of each sampled person, which a judge of its district states (`x-purpose: case:<number>`) to see them in full. */
  personCases: Map<string, { caseNo: string; district: string }>;
  peopleWithRecords: number;
  /** Police cases that were prosecuted and tried (their journey goes on past the police), with the trying court's district. */
  policeCaseNos: string[];
  caseDistricts: Map<string, string>;
  /**
   * The residents with the most kinds of records (police, prosecution, court, mediation,
   * correction): the row-scaling check's single records, every branch of the view non-empty
   * where the city has such a person (asked with the policy off, so no purpose is needed).
   */
  richPersonIds: string[];
  /** The districts whose judges the samples need. */
  districts: string[];
  gridCodes: string[];
}

/**
 * Deterministic samples (ordered by a hash), so two runs on the same data ask for the same
 * records. They span every district: each request is sent by a judge of the district whose court
 * tried the case (a court handles its district's cases), so the sample is not limited to the
 * dev judge's 连山区 — which held only 9 such people and 5 such cases in the small demo city.
 */
export async function sampleHubData(databaseUrl: string, sizes = { people: 200, cases: 100, grids: 20 }): Promise<HubSamples> {
  return withClient(databaseUrl, async (c) => {
    // The full view of a person is granted for a case the caller handles: the judge states the
    // case of each person's trial, and every record of theirs belongs to that case's journey —
    // one court case; for a criminal one at most one police case and one prosecution (its own),
    // for the others none.
    const parties = (
      await c.query<{ id: string; caseNo: string; district: string }>(
        `select p.person_id as id, p.case_no as "caseNo", left(c.township_code, 6) as district
         from court.court_party p join court.court_case c on c.case_no = p.case_no
         where (select count(*) from court.court_party o where o.person_id = p.person_id) = 1
           and (select count(*) from police.case_participant o where o.person_id = p.person_id) <= case when c.kind = 'CRIMINAL' then 1 else 0 end
           and (select count(*) from procuratorate.prosecution_defendant o where o.person_id = p.person_id) <= case when c.kind = 'CRIMINAL' then 1 else 0 end
           and not exists (select 1 from justice.community_correction r where r.person_id = p.person_id and r.court_case_no <> p.case_no)
         order by md5(p.person_id) limit $1`,
        [sizes.people],
      )
    ).rows;
    // Cases a court tried, which a judge of that court states to follow them from the police on.
    const cases = (
      await c.query<{ n: string; district: string }>(
        `select p.police_case_no as n, left(c.township_code, 6) as district
         from procuratorate.prosecution_case p join court.court_case c on c.prosecution_case_no = p.case_no
         order by md5(p.police_case_no) limit $1`,
        [sizes.cases],
      )
    ).rows;
    const richPersonIds = (
      await c.query<{ id: string }>(
        `select p.id from grid.person p
         order by (exists (select 1 from police.case_participant x where x.person_id = p.id))::int
           + (exists (select 1 from procuratorate.prosecution_defendant x where x.person_id = p.id))::int
           + (exists (select 1 from court.court_party x where x.person_id = p.id))::int
           + (exists (select 1 from justice.mediation_party x where x.person_id = p.id))::int
           + (exists (select 1 from justice.community_correction x where x.person_id = p.id))::int desc, md5(p.id)
         limit 10`,
      )
    ).rows.map((r) => r.id);
    const gridCodes = (await c.query<{ code: string }>(`select code from grid.grid order by md5(code) limit $1`, [sizes.grids])).rows.map((r) => r.code);
    return {
      personIds: parties.map((p) => p.id),
      personCases: new Map(parties.map((p) => [p.id, { caseNo: p.caseNo, district: p.district }])),
      peopleWithRecords: parties.length,
      policeCaseNos: cases.map((r) => r.n),
      caseDistricts: new Map(cases.map((r) => [r.n, r.district])),
      richPersonIds,
      districts: [...new Set([...parties.map((p) => p.district), ...cases.map((r) => r.district)])].sort(),
      gridCodes,
    };
  });
}

export interface HubTokens {
  /** A judge of 连山区 (the dev identity), for the row-scaling pages (a free purpose). */
  court: string;
  /** A judge per sampled district: sees all five departments' parts of a person of a case the district's court tried, stating that case. */
  judges: Map<string, string>;
  /** A grid worker per sampled grid, whose jurisdiction is that grid. */
  gridWorkers: Map<string, string>;
}

export async function makeHubTokens(keys: AuthKeys, samples: Pick<HubSamples, 'gridCodes' | 'districts'>): Promise<HubTokens> {
  if (!keys.devCallerSigningKey) throw new Error('the benchmark signs dev caller tokens: run it in dev mode (HUB_MODE=dev)');
  const sign = (who: DevIdentity) => devToken(keys.devCallerSigningKey!, keys.callerIssuer, keys.callerAudience, who, '2h');
  const identities = devIdentities(samples.gridCodes[0]);
  const judge = identities.find((i) => i.agency === 'court')!;
  const court = await sign(judge);
  const judges = new Map<string, string>();
  for (const district of samples.districts) judges.set(district, await sign({ ...judge, sub: `ju-${district}-001`, jurisdiction: [district] }));
  const gridWorker = identities.find((i) => i.agency === 'grid')!;
  const gridWorkers = new Map<string, string>();
  for (const code of samples.gridCodes) gridWorkers.set(code, await sign({ ...gridWorker, sub: `gw-${code}`, jurisdiction: [code] }));
  return { court, judges, gridWorkers };
}

function graphql(query: string, operationName: string, variables: Record<string, unknown>, headers: Record<string, string>): BenchRequest {
  return { body: JSON.stringify({ query, operationName, variables }), headers };
}

export function personViewRequests(samples: HubSamples, tokens: HubTokens): BenchRequest[] {
  return samples.personIds.map((id) =>
    graphql(
      PERSON_VIEW,
      'PersonView',
      { id },
      {
        authorization: `Bearer ${tokens.judges.get(samples.personCases.get(id)!.district)!}`,
        'x-purpose': encodeURIComponent(`case:${samples.personCases.get(id)!.caseNo}`),
      },
    ),
  );
}

/**
 * The person view of the sampled parties and of the residents with the most kinds of records,
 * stating no purpose: for a hub with the policy off, where they count the loaders' statements
 * alone (a stated case adds the gateway's purpose check, cached for a while: counts that depend
 * on timing). The row-scaling check's single records.
 */
export function unstatedPersonViewRequests(samples: HubSamples, tokens: HubTokens): BenchRequest[] {
  return [...samples.richPersonIds, ...samples.personIds].map((id) => graphql(PERSON_VIEW, 'PersonView', { id }, { authorization: `Bearer ${tokens.court}` }));
}

/** The sampled case journeys stating no purpose, for a hub with the policy off (as `unstatedPersonViewRequests`). */
export function unstatedCaseJourneyRequests(samples: HubSamples, tokens: HubTokens): BenchRequest[] {
  return samples.policeCaseNos.map((caseNo) => graphql(CASE_JOURNEY, 'CaseJourney', { caseNo }, { authorization: `Bearer ${tokens.court}` }));
}

export function caseJourneyRequests(samples: HubSamples, tokens: HubTokens): BenchRequest[] {
  return samples.policeCaseNos.map((caseNo) =>
    graphql(
      CASE_JOURNEY,
      'CaseJourney',
      { caseNo },
      {
        authorization: `Bearer ${tokens.judges.get(samples.caseDistricts.get(caseNo)!)!}`,
        'x-purpose': encodeURIComponent(`case:${caseNo}`),
      },
    ),
  );
}

export function personViewPageRequest(tokens: HubTokens, first: number): BenchRequest {
  return graphql(PERSON_VIEW_PAGE, 'PersonViewPage', { first }, { authorization: `Bearer ${tokens.court}`, 'x-purpose': 'cross-agency review' });
}

export function caseJourneyPageRequest(tokens: HubTokens, first: number): BenchRequest {
  return graphql(CASE_JOURNEY_PAGE, 'CaseJourneyPage', { first }, { authorization: `Bearer ${tokens.court}`, 'x-purpose': 'case review' });
}

export function gridListRequest(token: string, first: number, after: string | null): BenchRequest {
  return graphql(GRID_LIST, 'GridList', { first, after }, { authorization: `Bearer ${token}` });
}

interface GridListPage {
  data?: { persons: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
  errors?: unknown[];
}

/**
 * Every page (up to a few per worker) of the sampled grid workers' lists, found by walking the
 * list through the gateway once: the load then asks for random pages of random workers.
 */
export async function gridListRequests(gatewayUrl: string, tokens: HubTokens): Promise<BenchRequest[]> {
  const requests: BenchRequest[] = [];
  for (const token of tokens.gridWorkers.values()) {
    let after: string | null = null;
    for (let page = 0; page < MAX_PAGES_PER_WORKER; page++) {
      const request = gridListRequest(token, GRID_PAGE_SIZE, after);
      requests.push(request);
      const res = await postJson<GridListPage>(gatewayUrl, request);
      if (!res.data || res.errors) throw new Error(`grid list walk failed: ${JSON.stringify(res).slice(0, 500)}`);
      const info = res.data.persons.pageInfo;
      if (!info.hasNextPage || !info.endCursor) break;
      after = info.endCursor;
    }
  }
  return requests;
}

/** A workload that sends a random one of `requests` each time (seeded, so runs repeat). */
export function randomWorkload(url: string, requests: BenchRequest[], seed = 1): Workload {
  if (!requests.length) throw new Error(`no requests to send to ${url}`);
  const random = seededRandom(seed);
  return { url, next: () => pick(requests, random) };
}

export async function postJson<T>(url: string, request: BenchRequest): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: request.body });
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${url} answered ${res.status} with non-JSON: ${text.slice(0, 300)}`);
  }
}
