import { Supergraph } from '@apollo/federation-internals';
import { getNamedType, isLeafType, type GraphQLSchema } from 'graphql';
import { AGENCIES, inJurisdiction, type Agency, type Viewer } from '../src/auth/viewer';
import { devIdentities } from '../src/auth/devTokens';
import { readSupergraph } from '../src/cli/compose';
import { applyMask } from '../src/policy/masking';
import { loadPolicy } from '../src/policy/policy';
import { hotlineApi } from '../src/subgraphs/hotline/api';
import { sql } from './support/db';
import { dispatchFromFirstGrid, reportDispute } from './support/handoffs';
import { startTestHub, type TestHub } from './support/hub';

let t: TestHub;
/** Two handoffs of the dev grid worker's grid (the demo ones lie elsewhere): one the grid is a side of (回访), one it is not. */
let gridHandoffs: string[];
beforeAll(async () => {
  t = await startTestHub();
  const event = await reportDispute(t);
  gridHandoffs = [await dispatchFromFirstGrid(t, event, 'DISPUTE_MEDIATION', true), await dispatchFromFirstGrid(t, event, 'EVENT_HANDLING', false)];
});
afterAll(async () => {
  await t?.stop();
});

const policy = loadPolicy();
const api: GraphQLSchema = Supergraph.build(readSupergraph()).apiSchema().toGraphQLJSSchema();

/**
 * How to fetch one record of a type through the gateway and read its raw row from the database.
 * `rows` returns two records: one inside the dev grid worker's grid and one in another district.
 */
interface Probe {
  rows(t: TestHub): Promise<Array<Record<string, unknown>>>;
  /** The query (with `$key`) and the path to the record in the response. */
  query(selection: string): string;
  variables(row: Record<string, unknown>): Record<string, unknown>;
  pick(data: Record<string, unknown>, row: Record<string, unknown>): Record<string, unknown> | null | undefined;
  /** The Query field the probe enters by (its own rule comes first). */
  entry: string;
}

const insideGrid = () => t.city.grids[0].code;
const otherDistrict = '211481';

/** The same statement (its $1 a code prefix) for one record in 连山区 (211402) and one in 兴城 (211481), as one union. */
function twoRecords(statement: string): string {
  return `(${statement.replace('$1', "'211402%'")}) union all (${statement.replace('$1', `'${otherDistrict}%'`)})`;
}

/** A probe of one of the grid's own objects, listed under its grid (`SEL` the selection); `statement` selects the rows. */
function gridObjectProbe(list: string, statement: string, nodes: (grid: Record<string, unknown>) => Array<Record<string, unknown>>): Probe {
  return {
    entry: 'grid',
    rows: (t) =>
      sql(
        t,
        `(${statement} where grid_code like '211402%' order by grid_code = $1 desc, id limit 1) union all (${statement} where grid_code not like '211402%' order by id limit 1)`,
        [insideGrid()],
      ),
    query: (s) => `query ($key: String!) { grid(code: $key) { ${list.replace('SEL', s)} } }`,
    variables: (row) => ({ key: row.gridCode }),
    pick: (data, row) => {
      const grid = data.grid as Record<string, unknown> | null;
      return grid ? (nodes(grid).find((n) => n.id === row.id) ?? null) : null;
    },
  };
}

/**
 * A probe of a part of a community correction's file (`list`: events or group) with no id of its
 * own: one of each of two corrections of 连山区 (`statement` selects the rows, with `correctionId`, and
 * `rank`: the lowest first), found in its correction's list by `same` on the fields `identity` selects.
 */
function correctionPartProbe(
  list: string,
  statement: string,
  same: (node: Record<string, unknown>, row: Record<string, unknown>) => boolean,
  identity: string,
): Probe {
  return {
    entry: 'communityCorrection',
    rows: (t) =>
      sql(
        t,
        `select distinct on (p."correctionId") p.* from (${statement}) p join justice.community_correction c on c.id = p."correctionId"
        where c.district_code = '211402' and not c.sealed order by p."correctionId", p.rank, p.id limit 2`,
      ),
    query: (s) => `query ($key: ID!) { communityCorrection(id: $key) { ${list} { ${identity} ${s} } } }`,
    variables: (row) => ({ key: row.correctionId }),
    pick: (data, row) =>
      ((data.communityCorrection as Record<string, Array<Record<string, unknown>> | null> | null)?.[list] ?? []).find((n) => same(n, row)) ?? null,
  };
}

const probes: Record<string, Probe> = {
  Person: {
    entry: 'person',
    rows: (t) =>
      sql(
        t,
        `(select id, name, gender::text, to_char(birth_date, 'YYYY-MM-DD') as "birthDate", id_number as "idNumber", phone, address,
        household_status::text as "householdStatus", rental_housing as "rentalHousing", grid_code as "gridCode" from grid.person where grid_code = $1 order by id limit 1)
      union all (select id, name, gender::text, to_char(birth_date, 'YYYY-MM-DD'), id_number, phone, address, household_status::text, rental_housing, grid_code
        from grid.person where grid_code like $2 order by id limit 1)`,
        [insideGrid(), `${otherDistrict}%`],
      ),
    query: (s) => `query ($key: ID!) { person(id: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.person as Record<string, unknown> | null,
  },
  GridEvent: {
    entry: 'gridEvent',
    rows: (t) =>
      sql(
        t,
        `(select id, title, description, grid_code as "gridCode" from grid.grid_event where grid_code = $1 order by id limit 1)
      union all (select id, title, description, grid_code from grid.grid_event where grid_code like $2 order by id limit 1)`,
        [insideGrid(), `${otherDistrict}%`],
      ),
    query: (s) => `query ($key: ID!) { gridEvent(id: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.gridEvent as Record<string, unknown> | null,
  },
  GridWorker: {
    entry: 'grid',
    rows: (t) =>
      sql(
        t,
        `(select w.id, w.name, w.phone, w.grid_code as "gridCode" from grid.grid_worker w where w.grid_code = $1)
      union all (select id, name, phone, grid_code from grid.grid_worker where grid_code like $2 order by id limit 1)`,
        [insideGrid(), `${otherDistrict}%`],
      ),
    query: (s) => `query ($key: String!) { grid(code: $key) { worker { ${s} } } }`,
    variables: (row) => ({ key: row.gridCode }),
    pick: (data) => (data.grid as { worker: Record<string, unknown> } | null)?.worker,
  },
  Volunteer: {
    entry: 'volunteers',
    rows: (t) =>
      sql(
        t,
        `(select id, name, phone, district_code as "districtCode" from grid.volunteer where district_code = '211402' order by id limit 1)
      union all (select id, name, phone, district_code from grid.volunteer where district_code = $1 order by id limit 1)`,
        [otherDistrict],
      ),
    query: (s) => `query ($key: String!) { volunteers(districtCode: $key, first: 100) { edges { node { id ${s} } } } }`,
    variables: (row) => ({ key: row.districtCode }),
    pick: (data, row) => (data.volunteers as { edges: Array<{ node: Record<string, unknown> }> } | null)?.edges.find((e) => e.node.id === row.id)?.node ?? null,
  },
  // The grid's own objects, reached from their grid: one in 连山区 (the dev grid worker's grid first) and one outside it
  // (the small city has too few special populations to find one in 兴城).
  House: gridObjectProbe('houses(first: 100) { edges { node { id SEL } } }', `select id, address, grid_code as "gridCode" from grid.house`, (g) =>
    ((g.houses as { edges: Array<{ node: Record<string, unknown> }> } | null)?.edges ?? []).map((e) => e.node),
  ),
  SpecialPopulation: gridObjectProbe(
    'specialPopulations { id SEL }',
    `select id, kind::text, measures, responsible_agency as "responsibleAgency", grid_code as "gridCode" from grid.special_population`,
    (g) => (g.specialPopulations as Array<Record<string, unknown>> | null) ?? [],
  ),
  KeyPlace: gridObjectProbe(
    'keyPlaces { id SEL }',
    `select id, manager_name as "managerName", manager_phone as "managerPhone", grid_code as "gridCode" from grid.key_place`,
    (g) => (g.keyPlaces as Array<Record<string, unknown>> | null) ?? [],
  ),
  Visit: gridObjectProbe('visits(first: 100) { edges { node { id SEL } } }', `select id, purpose::text, note, grid_code as "gridCode" from grid.visit`, (g) =>
    ((g.visits as { edges: Array<{ node: Record<string, unknown> }> } | null)?.edges ?? []).map((e) => e.node),
  ),
  // ---- Police, procuratorate, court, justice: one record in 连山区 (211402) and one in 兴城 (211481) ----
  Incident: {
    entry: 'incident',
    // Identified callers only: `reporter` must be there for the agencies allowed it.
    rows: (t) =>
      sql(
        t,
        twoRecords(`select id, summary, grid_code as "gridCode" from police.incident where reporter_id is not null and grid_code like $1 order by id limit 1`),
      ),
    query: (s) => `query ($key: ID!) { incident(id: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.incident as Record<string, unknown> | null,
  },
  PoliceCase: {
    entry: 'policeCase',
    rows: (t) =>
      sql(
        t,
        twoRecords(`select case_no as id, charge, officer_id as "investigatingOfficer", officer_id as "officerId", grid_code as "gridCode", sealed
      from police.police_case where grid_code like $1 order by case_no limit 1`),
      ),
    query: (s) => `query ($key: String!) { policeCase(caseNo: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.policeCase as Record<string, unknown> | null,
  },
  CaseParticipant: {
    entry: 'policeCase',
    rows: (t) => sql(t, twoRecords(`select case_no as id from police.police_case where grid_code like $1 order by case_no limit 1`)),
    query: (s) => `query ($key: String!) { policeCase(caseNo: $key) { participants { ${s} } } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => (data.policeCase as { participants: Array<Record<string, unknown>> | null } | null)?.participants?.[0],
  },
  AuxiliaryOfficer: {
    entry: 'auxiliaryOfficers',
    rows: (t) =>
      sql(t, twoRecords(`select id, name, phone, township_code as "townshipCode" from police.auxiliary_officer where grid_code like $1 order by id limit 1`)),
    query: (s) => `query ($key: String!) { auxiliaryOfficers(divisionCode: $key, first: 100) { edges { node { id ${s} } } } }`,
    variables: (row) => ({ key: row.townshipCode }),
    pick: (data, row) =>
      (data.auxiliaryOfficers as { edges: Array<{ node: Record<string, unknown> }> } | null)?.edges.find((e) => e.node.id === row.id)?.node ?? null,
  },
  ProsecutionCase: {
    entry: 'prosecutionCase',
    rows: (t) =>
      sql(
        t,
        twoRecords(`select case_no as id, charges, decision::text as decision, prosecutor_id as prosecutor, prosecutor_id as "prosecutorId",
      township_code as "townshipCode", sealed from procuratorate.prosecution_case where township_code like $1 order by case_no limit 1`),
      ),
    query: (s) => `query ($key: String!) { prosecutionCase(caseNo: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.prosecutionCase as Record<string, unknown> | null,
  },
  ArrestReview: {
    entry: 'arrestReview',
    rows: (t) =>
      sql(
        t,
        twoRecords(
          `select case_no as id, decision::text as decision, township_code as "townshipCode", sealed from procuratorate.arrest_review where township_code like $1 order by case_no limit 1`,
        ),
      ),
    query: (s) => `query ($key: String!) { arrestReview(caseNo: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.arrestReview as Record<string, unknown> | null,
  },
  CourtCase: {
    entry: 'courtCase',
    // Judged criminal cases: each has a judgment, a cause and hearings; no amount (enforcement only).
    rows: (t) =>
      sql(
        t,
        twoRecords(`select case_no as id, cause, amount_yuan::float8 as "amountYuan", sealed, judge_id as "judgeId", township_code as "townshipCode"
      from court.court_case where kind = 'CRIMINAL' and verdict is not null and township_code like $1 order by case_no limit 1`),
      ),
    query: (s) => `query ($key: String!) { courtCase(caseNo: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.courtCase as Record<string, unknown> | null,
  },
  Mediator: {
    entry: 'mediationPoints',
    rows: (t) =>
      sql(
        t,
        twoRecords(`select m.id, m.name, m.phone, p.township_code as "townshipCode" from justice.mediator m join justice.mediation_point p on p.id = m.point_id
      where p.township_code like $1 order by m.id limit 1`),
      ),
    query: (s) => `query ($key: String!) { mediationPoints(divisionCode: $key, first: 100) { edges { node { mediators { id ${s} } } } } }`,
    variables: (row) => ({ key: row.townshipCode }),
    pick: (data, row) =>
      (data.mediationPoints as { edges: Array<{ node: { mediators: Array<Record<string, unknown>> | null } }> } | null)?.edges
        .flatMap((e) => e.node.mediators ?? [])
        .find((m) => m.id === row.id) ?? null,
  },
  MediationCase: {
    entry: 'mediationCase',
    // Succeeded mediations: they have an agreement.
    rows: (t) =>
      sql(
        t,
        twoRecords(`select id, agreement, outcome::text as outcome, township_code as "townshipCode" from justice.mediation_case
      where outcome = 'SUCCEEDED' and township_code like $1 order by id limit 1`),
      ),
    query: (s) => `query ($key: ID!) { mediationCase(id: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.mediationCase as Record<string, unknown> | null,
  },
  PreLitigationMediationCase: {
    entry: 'preLitigationMediationCase',
    // Settled delegations: they have an agreement.
    rows: (t) =>
      sql(
        t,
        twoRecords(`select case_no as id, cause, agreement, status::text as status, judge_id as "judgeId", township_code as "townshipCode"
      from court.pre_litigation_mediation where status = 'SETTLED' and township_code like $1 order by case_no limit 1`),
      ),
    query: (s) => `query ($key: String!) { preLitigationMediationCase(caseNo: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.preLitigationMediationCase as Record<string, unknown> | null,
  },
  CommunityCorrection: {
    entry: 'communityCorrection',
    rows: (t) =>
      sql(
        t,
        `(select id, status::text as status, officer_id as "correctionOfficer", officer_id as "officerId", district_code as "districtCode", sealed
        from justice.community_correction where district_code = '211402' order by id limit 1)
      union all (select id, status::text, officer_id, officer_id, district_code, sealed from justice.community_correction where district_code <> '211402' order by id limit 1)`,
      ),
    query: (s) => `query ($key: ID!) { communityCorrection(id: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.communityCorrection as Record<string, unknown> | null,
  },
  // A correction's file entries and group members, through their correction: both of 连山区, so that the
  // file opens to the agencies the policy gives it (outside, the correction's own rule keeps it).
  CorrectionEvent: correctionPartProbe(
    'events',
    `select e.id, (e.reason is null)::int as rank, e.kind::text as kind, to_char(e.occurred_on, 'YYYY-MM-DD') as "occurredOn", e.reason, e.correction_id as "correctionId" from justice.correction_event e`,
    (n, row) => n.kind === row.kind && n.occurredOn === row.occurredOn,
    'kind occurredOn',
  ),
  CorrectionGroupMember: correctionPartProbe(
    'group',
    `select m.id, 0 as rank, m.role::text as role, m.name, m.correction_id as "correctionId" from justice.correction_group_member m`,
    (n, row) => n.role === row.role,
    'role',
  ),
  PreSentenceAssessment: {
    entry: 'courtCase',
    rows: (t) =>
      sql(
        t,
        `(select id, suitable, opinion, district_code as "districtCode", officer_id as "officerId", court_case_no as "courtCaseNo"
        from justice.pre_sentence_assessment where district_code = '211402' order by id limit 1)
      union all (select id, suitable, opinion, district_code, officer_id, court_case_no from justice.pre_sentence_assessment where district_code <> '211402' order by id limit 1)`,
      ),
    query: (s) => `query ($key: String!) { courtCase(caseNo: $key) { preSentenceAssessment { ${s} } } }`,
    variables: (row) => ({ key: row.courtCaseNo }),
    pick: (data) => (data.courtCase as { preSentenceAssessment: Record<string, unknown> | null } | null)?.preSentenceAssessment,
  },
  LegalAidCase: {
    entry: 'legalAidCases',
    // The list is row-scoped for justice: both records are in 连山区 so that every agency's list holds them.
    rows: (t) =>
      sql(
        t,
        `select id, matter, district_code as "districtCode", sealed, police_case_no as "policeCaseNo" from justice.legal_aid_case where district_code = '211402' order by id limit 2`,
      ),
    query: (s) => `query ($key: String!) { legalAidCases(filter: { divisionCode: $key }, first: 100) { edges { node { id ${s} } } } }`,
    variables: (row) => ({ key: row.districtCode }),
    pick: (data, row) =>
      (data.legalAidCases as { edges: Array<{ node: Record<string, unknown> }> } | null)?.edges.find((e) => e.node.id === row.id)?.node ?? null,
  },
  HotlineTicket: {
    entry: 'hotlineTicket',
    // Behind the hotline's API (its dev stand-in here): one work order of 连山区 and one of 兴城, as the API answers them.
    rows: async () => {
      const all = (await (await fetch(`${hotlineApi.baseUrl}/tickets?limit=200`)).json()) as Array<Record<string, unknown>>;
      return ['211402', otherDistrict].map((code) => all.find((r) => r.cbqx === code)!).map((r) => ({ ...r, id: r.gdbh }));
    },
    query: (s) => `query ($key: ID!) { hotlineTicket(gdbh: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.hotlineTicket as Record<string, unknown> | null,
  },
  Handoff: {
    entry: 'handoff',
    // Demo handoffs reported back on (note, result and feedback all written): one in 连山区, one in 兴城.
    rows: (t) =>
      sql(
        t,
        twoRecords(`select id, note, result, feedback, scope_code as "scopeCode", from_agency as "fromAgency", to_agency as "toAgency",
      feedback_agency as "feedbackAgency" from workflow.handoff where feedback is not null and scope_code like $1 order by id limit 1`),
      ),
    query: (s) => `query ($key: ID!) { handoff(id: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data.handoff as Record<string, unknown> | null,
  },
  HandoffStep: {
    entry: 'handoff',
    // The dispatch steps (with the note as their text) of the two handoffs of the dev grid worker's grid, with their handoff's sides.
    rows: (t) =>
      sql(
        t,
        `select s.handoff_id as id, s.text, h.from_agency as "fromAgency", h.to_agency as "toAgency", h.feedback_agency as "feedbackAgency"
      from workflow.handoff_step s join workflow.handoff h on h.id = s.handoff_id where s.step = 'dispatch' and s.handoff_id = any($1) order by s.handoff_id`,
        [gridHandoffs],
      ),
    query: (s) => `query ($key: ID!) { handoff(id: $key) { steps { step ${s} } } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => (data.handoff as { steps: Array<Record<string, unknown>> } | null)?.steps.find((s) => s.step === 'dispatch'),
  },
};

/**
 * The probe of a type that has none written above but is a database entity of one subgraph with
 * a `<type>(key)` query (a department added by `hub new-department`): with a `scope`, one record in
 * 连山区 and one in 兴城, else its first two; their raw values read through that subgraph's ORM.
 */
function derivedProbe(typeName: string): Probe | undefined {
  const entry = typeName[0].toLowerCase() + typeName.slice(1);
  const args = api.getQueryType()?.getFields()[entry]?.args ?? [];
  const scope = policy.file.types[typeName]?.scope;
  const orm = Object.values(t.hub.subgraphs)
    .map((s) => s.orm)
    .find((o) => o.getMetadata().find(typeName));
  if (args.length !== 1 || !orm) return undefined;
  const meta = orm.getMetadata().find(typeName)!;
  const key = meta.primaryKeys[0];
  const plain = (row: object) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
  return {
    entry,
    rows: async () => {
      const em = orm.em.fork();
      const first = (where: object, limit: number) => em.find(typeName, where, { orderBy: { [key]: 'asc' }, limit });
      const found = scope
        ? [...(await first({ [scope]: { $like: '211402%' } }, 1)), ...(await first({ [scope]: { $like: `${otherDistrict}%` } }, 1))]
        : await first({}, 2);
      return found.map((r) => ({ ...plain(r as object), id: (r as Record<string, unknown>)[key] }));
    },
    query: (s) => `query ($key: ${String(args[0].type)}) { ${entry}(${args[0].name}: $key) { ${s} } }`,
    variables: (row) => ({ key: row.id }),
    pick: (data) => data[entry] as Record<string, unknown> | null,
  };
}

const probeOf = (typeName: string): Probe | undefined => probes[typeName] ?? derivedProbe(typeName);

function selectionFor(typeName: string, fields: string[]): string {
  const type = api.getType(typeName) as { getFields(): Record<string, { type: Parameters<typeof getNamedType>[0] }> };
  return fields.map((f) => (isLeafType(getNamedType(type.getFields()[f].type)) ? f : `${f} { __typename }`)).join(' ');
}

// Types callers can reach (CaseLink is the gateway's own, @inaccessible).
const auditedTypes = Object.entries(policy.file.types).filter(([name, tp]) => !name.startsWith('*') && tp.fields && (tp.audit ?? true) && api.getType(name));

describe('policy matrix: every agency × every sensitive field returns exactly what the policy states', () => {
  it('has a probe for every type with sensitive fields in the policy file', () => {
    expect(auditedTypes.map(([name]) => name).filter((n) => !probeOf(n))).toEqual([]);
  });

  const identities = () => devIdentities(insideGrid());

  describe.each(auditedTypes.map(([name]) => name))('%s', (typeName) => {
    it.each([...AGENCIES])('as %s', async (agency: Agency) => {
      const probe = probeOf(typeName)!;
      const fields = Object.keys(policy.file.types[typeName].fields!);
      const rows = await probe.rows(t);
      expect(rows).toHaveLength(2);
      const who = identities().find((i) => i.agency === agency)!;
      const viewer: Viewer = { sub: who.sub, name: who.name, agency, roles: who.roles, jurisdiction: who.jurisdiction };
      const entryDenied = policy.decide('Query', probe.entry, null, { viewer, purpose: null }).outcome === 'deny';
      for (const row of rows) {
        for (const purpose of [null, 'case A211402202500001']) {
          const res = await t.query(agency, probe.query(selectionFor(typeName, fields)), probe.variables(row), purpose ? { 'x-purpose': purpose } : {});
          expect(res.status).toBe(200);
          const record = res.body.data ? probe.pick(res.body.data, row) : null;
          // Outside the jurisdiction, the agencies under `notFoundOutside` find nothing at all.
          const notFound =
            !entryDenied && policy.rowScope(typeName, viewer, true) !== null && !inJurisdiction(viewer, row[policy.typePolicy(typeName)!.scope!] as string);
          if (notFound) {
            expect({ typeName, agency, record: record ?? null }).toEqual({ typeName, agency, record: null });
            continue;
          }
          for (const field of fields) {
            const decision = entryDenied ? { outcome: 'deny' as const } : policy.decide(typeName, field, row, { viewer, purpose });
            const got = record?.[field];
            const raw = row[field];
            const label = `${typeName}.${field} as ${agency} (record ${String(row.id)}, purpose ${purpose ?? 'none'})`;
            if (decision.outcome === 'deny') {
              expect({ label, got: got ?? null }).toEqual({ label, got: null });
              expect(res.body.errors?.some((e) => e.extensions?.code === 'FORBIDDEN_FIELD')).toBe(true);
            } else if (decision.outcome === 'mask') {
              expect({ label, got }).toEqual({ label, got: applyMask(decision.mask!, raw) });
              expect({ label, differs: got !== raw }).toEqual({ label, differs: true });
            } else if (raw === undefined) {
              // An object field may be null for this record (a person without a correction): it must not be denied.
              // Only this record's denial counts: a list also holds other records (a sealed one is denied there).
              const holder = (path: Array<string | number>) =>
                path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown> | null)?.[k], res.body.data);
              const denied = res.body.errors?.some((e) => e.extensions?.field === `${typeName}.${field}` && (!e.path || holder(e.path) === record)) ?? false;
              expect({ label, denied }).toEqual({ label, denied: false });
            } else {
              expect({ label, got }).toEqual({ label, got: raw });
            }
          }
        }
      }
    });
  });
});

describe('jurisdiction and records mixed in one request', () => {
  const TWO = `query ($a: ID!, $b: ID!) { a: person(id: $a) { id name idNumber } b: person(id: $b) { id name idNumber } }`;

  it('gives two grid workers of different grids full data for their own residents and nothing for the other', async () => {
    const [g1, g2] = [t.city.grids[0].code, t.city.grids[1].code];
    const [p1] = await sql<{ id: string; name: string; idNumber: string }>(
      t,
      `select id, name, id_number as "idNumber" from grid.person where grid_code = $1 order by id limit 1`,
      [g1],
    );
    const [p2] = await sql<{ id: string; name: string; idNumber: string }>(
      t,
      `select id, name, id_number as "idNumber" from grid.person where grid_code = $1 order by id limit 1`,
      [g2],
    );
    const worker1 = { token: await t.token('grid', { sub: `gw-${g1}`, jurisdiction: [g1] }) };
    const worker2 = { token: await t.token('grid', { sub: `gw-${g2}`, jurisdiction: [g2] }) };
    const as1 = await t.query<Record<'a' | 'b', { name: string; idNumber: string } | null>>(worker1, TWO, { a: p1.id, b: p2.id });
    const as2 = await t.query<Record<'a' | 'b', { name: string; idNumber: string } | null>>(worker2, TWO, { a: p1.id, b: p2.id });
    expect(as1.body.data!.a).toMatchObject({ name: p1.name, idNumber: p1.idNumber });
    expect(as1.body.data!.b).toBeNull();
    expect(as2.body.data!.a).toBeNull();
    expect(as2.body.data!.b).toMatchObject({ name: p2.name, idNumber: p2.idNumber });
  });

  it("lists only the people of the grid worker's own grid (row scope in SQL)", async () => {
    const g = t.city.grids[0].code;
    const res = await t.query<{ persons: { edges: Array<{ node: { grid: { code: string } } }> } }>(
      'grid',
      `{ persons(first: 100) { edges { node { grid { code } } } } }`,
    );
    const codes = res.body.data!.persons.edges.map((e) => e.node.grid.code);
    expect(codes.length).toBe(t.city.persons.filter((p) => p.gridCode === g).length);
    expect(new Set(codes)).toEqual(new Set([g]));
  });

  it('cannot get around a rule by alias, fragment, or _entities through a union', async () => {
    const [p] = await sql<{ id: string; idNumber: string }>(
      t,
      `select id, id_number as "idNumber" from grid.person where grid_code like $1 order by id limit 1`,
      [`${otherDistrict}%`],
    );
    const masked = applyMask('idNumber', p.idNumber);
    const viaAlias = await t.query<{ x: { secret: string } }>('police', `query ($id: ID!) { x: person(id: $id) { secret: idNumber } }`, { id: p.id });
    expect(viaAlias.body.data!.x.secret).toBe(masked);
    const viaFragment = await t.query<{ person: { idNumber: string } }>(
      'police',
      `query ($id: ID!) { person(id: $id) { ...F } } fragment F on Person { idNumber }`,
      { id: p.id },
    );
    expect(viaFragment.body.data!.person.idNumber).toBe(masked);
    const viaEntities = await t.subgraphQuery<{ _entities: Array<{ idNumber: string; householdStatus: string | null }> }>(
      'grid',
      'police',
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber householdStatus } } }`,
      { r: [{ __typename: 'Person', id: p.id }] },
    );
    expect(viaEntities.body.data!._entities[0].idNumber).toBe(masked);
    expect(viaEntities.body.data!._entities[0].householdStatus).toBeNull();
    expect(viaEntities.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN_FIELD', field: 'Person.householdStatus' });
  });

  it('nulls a denied field with FORBIDDEN_FIELD naming the field and the reason, keeping siblings and parent', async () => {
    const [p] = await sql<{ id: string }>(t, `select id from grid.person where grid_code like '211402%' order by id limit 1`);
    const res = await t.query<{ person: { id: string; gender: string; householdStatus: string | null } }>(
      'zongzhi',
      `query ($id: ID!) { person(id: $id) { id gender householdStatus } }`,
      { id: p.id },
    );
    expect(res.body.data!.person).toMatchObject({ id: p.id, householdStatus: null });
    expect(res.body.data!.person.gender).toMatch(/MALE|FEMALE/);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].message).toBe('Person.householdStatus: access denied (not granted to zongzhi)');
    expect(res.body.errors![0].path).toEqual(['person', 'householdStatus']);
  });
});

describe('explain', () => {
  it('myPermissions tells the caller what it gets for each sensitive field and why', async () => {
    const res = await t.query<{ myPermissions: { visible: boolean; fields: Array<{ field: string; rule: string }> } }>(
      'grid',
      `{ myPermissions(type: "Person") { visible fields { field rule } } }`,
    );
    expect(res.body.data!.myPermissions.visible).toBe(true);
    expect(res.body.data!.myPermissions.fields).toContainEqual({ field: 'idNumber', rule: 'allow if inside your jurisdiction, else deny' });
    const analyst = await t.query<{ myPermissions: { visible: boolean; fields: Array<{ rule: string }> } }>(
      'analyst',
      `{ myPermissions(type: "Person") { visible fields { rule } } }`,
    );
    expect(analyst.body.data!.myPermissions.visible).toBe(false);
    expect(analyst.body.data!.myPermissions.fields.every((f) => f.rule.startsWith('deny'))).toBe(true);
  });
});
