import { Supergraph } from '@apollo/federation-internals';
import { getNamedType, isLeafType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { AGENCIES, type Agency, type Viewer } from '../src/auth/viewer';
import { devIdentities } from '../src/auth/devTokens';
import { readSupergraph } from '../src/cli/compose';
import { applyMask } from '../src/policy/masking';
import { loadPolicy } from '../src/policy/policy';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const policy = loadPolicy();
const api: GraphQLSchema = Supergraph.build(readSupergraph()).apiSchema().toGraphQLJSSchema();

type Row = Record<string, unknown>;

const identities = () => devIdentities(t.city.grids[0].code);
const identity = (agency: Agency) => identities().find((i) => i.agency === agency)!;
/** The dev grid worker's grid, and the district of the dev officers (police, procuratorate, court, justice). */
const insideGrid = () => t.city.grids[0].code;
const officersDistrict = () => identity('police').jurisdiction[0];
const PURPOSE = 'case A211402202500001';

/**
 * One way to a record through the gateway. `gates` are the fields the query passes on the way, each
 * with its own rule (the Query entry first); `$key` gets the row's `key` column (or `keyColumn`).
 * `list`: the record is found in a list query, which the policy's `rowScope` limits in SQL.
 */
interface Route {
  gates: Array<[typeName: string, field: string]>;
  query(selection: string): string;
  pick(data: Row, row: Row): Row | null | undefined;
  keyColumn?: string;
  list?: boolean;
}

/**
 * How to check one type: its two records read with SQL (`key` names each), under the entity's
 * property names, carrying the facts the policy's `scope`, `sealed` and `handler` name; and the
 * routes to them (per request, the first whose gates let the agency in). Scalars are compared with
 * the raw value; for an object or list field the row may say what an allowed answer is: a number
 * (the list's length) or a boolean (present or null); without it the field must be present.
 */
interface Probe {
  rows(): Promise<Row[]>;
  routes: Route[];
}

/** The first row of `query` (which holds `{where}`) for each condition, in one statement. */
function firstOfEach(query: string, conditions: string[], params: unknown[] = []): Promise<Row[]> {
  return sql(t, conditions.map((c) => `(${query.replace('{where}', c)} limit 1)`).join(' union all '), params);
}

/** One record inside the dev officers' district and one outside, by `column`; `$2` is `extra`, if given. */
function insideAndOutside(query: string, column: string, ...extra: unknown[]): Promise<Row[]> {
  return firstOfEach(query, [`${column} like $1`, `${column} not like $1`], [`${officersDistrict()}%`, ...extra]);
}

/** `field(arg: $key) { … }`: one record by its key. */
function byKey(field: string, arg: string, keyType = 'String!'): Route {
  return { gates: [['Query', field]], query: (s) => `query ($key: ${keyType}) { ${field}(${arg}: $key) { ${s} } }`, pick: (data) => data[field] as Row | null };
}

/** `field(args, first: 100)`, `$key` among the args: the record found by its `id` in a list. */
function inList(field: string, args: string): Route {
  return {
    gates: [['Query', field]],
    list: true,
    query: (s) => `query ($key: String!) { ${field}(${args}, first: 100) { edges { node { id ${s} } } } }`,
    pick: (data, row) => (data[field] as { edges: Array<{ node: Row }> } | null)?.edges.find((e) => e.node.id === row.id)?.node,
  };
}

const probes: Record<string, Probe> = {
  // ---- grid: inside the dev grid worker's grid, and outside the officers' district
  Person: {
    rows: () => firstOfEach(`select p.id as key, p.name, p.gender::text as gender, to_char(p.birth_date, 'YYYY-MM-DD') as "birthDate", p.id_number as "idNumber",
        p.phone, p.address, p.household_status::text as "householdStatus", p.rental_housing as "rentalHousing", p.grid_code as "gridCode",
        (select count(*)::int from police.case_participant x where x.person_id = p.id) as "policeRecords",
        (select count(*)::int from police.incident x where x.reporter_id = p.id) as incidents,
        (select count(*)::int from procuratorate.prosecution_defendant x where x.person_id = p.id) as prosecutions,
        (select count(distinct x.case_no)::int from court.court_party x where x.person_id = p.id) as "courtCases",
        (select count(*)::int from justice.mediation_party x where x.person_id = p.id) as mediations,
        exists (select from justice.community_correction x where x.person_id = p.id) as "communityCorrection",
        (select count(*)::int from justice.legal_aid_case x where x.applicant_id = p.id) as "legalAid"
      from grid.person p where {where} order by "communityCorrection" desc, "policeRecords" desc, p.id`, ['p.grid_code = $1', 'p.grid_code not like $2'], [insideGrid(), `${officersDistrict()}%`]),
    routes: [byKey('person', 'id', 'ID!')],
  },
  GridEvent: {
    rows: () => firstOfEach(`select e.id as key, e.description, e.grid_code as "gridCode",
        (select count(*)::int from grid.person p where p.id = any(e.involved_person_ids)) as "involvedPersons"
      from grid.grid_event e where {where} order by "involvedPersons" desc, e.id`, ['e.grid_code = $1', 'e.grid_code not like $2'], [insideGrid(), `${officersDistrict()}%`]),
    routes: [byKey('gridEvent', 'id', 'ID!')],
  },
  GridWorker: {
    rows: () => firstOfEach(`select w.grid_code as key, w.id, w.name, w.phone, w.grid_code as "gridCode" from grid.grid_worker w where {where} order by w.id`,
      ['w.grid_code = $1', 'w.grid_code not like $2'], [insideGrid(), `${officersDistrict()}%`]),
    routes: [{ gates: [['Query', 'grid'], ['Grid', 'worker']], query: (s) => `query ($key: String!) { grid(code: $key) { worker { ${s} } } }`, pick: (data) => (data.grid as Row | null)?.worker as Row | null }],
  },
  Volunteer: {
    rows: () => insideAndOutside(`select v.district_code as key, v.id, v.name, v.phone, v.district_code as "districtCode" from grid.volunteer v where {where} order by v.id`, 'v.district_code'),
    routes: [inList('volunteers', 'districtCode: $key')],
  },

  // ---- police: the handled-by-the-dev-officer case first, when there is one
  Incident: {
    rows: () => insideAndOutside(`select i.id as key, i.summary, i.grid_code as "gridCode", i.reporter_id is not null as reporter
      from police.incident i where {where} order by i.reporter_id is null, i.id`, 'i.grid_code'),
    routes: [byKey('incident', 'id', 'ID!')],
  },
  PoliceCase: {
    rows: () => insideAndOutside(`select c.case_no as key, c.grid_code as "gridCode", c.officer_id as "officerId", c.charge, c.officer_id as "investigatingOfficer",
        (select count(*)::int from police.case_participant p where p.case_no = c.case_no) as participants
      from police.police_case c where {where} order by c.officer_id = $2 desc, c.case_no`, 'c.grid_code', identity('police').sub),
    routes: [byKey('policeCase', 'caseNo')],
  },
  CaseParticipant: {
    // The case's first participant, in the resolver's order (role, then person key).
    rows: () => insideAndOutside(`select c.case_no as key, p.case_no as "caseNo", p.person_id as "personId", p.role::text as role
      from police.case_participant p join police.police_case c on c.case_no = p.case_no where {where} order by c.officer_id = $2 desc, c.case_no, p.role, p.person_id`,
      'c.grid_code', identity('police').sub),
    routes: [{
      gates: [['Query', 'policeCase'], ['PoliceCase', 'participants']],
      query: (s) => `query ($key: String!) { policeCase(caseNo: $key) { participants { ${s} } } }`,
      pick: (data) => ((data.policeCase as Row | null)?.participants as Row[] | null)?.[0],
    }],
  },
  AuxiliaryOfficer: {
    rows: () => insideAndOutside(`select a.township_code as key, a.id, a.name, a.phone, a.grid_code as "gridCode" from police.auxiliary_officer a where {where} order by a.id`, 'a.grid_code'),
    routes: [inList('auxiliaryOfficers', 'divisionCode: $key')],
  },

  // ---- procuratorate (the dev prosecutor handles no case in the demo data)
  ProsecutionCase: {
    rows: () => insideAndOutside(`select c.case_no as key, c.township_code as "townshipCode", c.prosecutor_id as "prosecutorId", c.charges, c.decision::text as decision,
        c.prosecutor_id as prosecutor, (select count(*)::int from procuratorate.prosecution_defendant d where d.case_no = c.case_no) as defendants
      from procuratorate.prosecution_case c where {where} order by c.prosecutor_id = $2 desc, c.case_no`, 'c.township_code', identity('procuratorate').sub),
    routes: [byKey('prosecutionCase', 'caseNo')],
  },
  ArrestReview: {
    rows: () => insideAndOutside(`select r.case_no as key, r.decision::text as decision, r.township_code as "townshipCode" from procuratorate.arrest_review r where {where} order by r.case_no`, 'r.township_code'),
    routes: [byKey('arrestReview', 'caseNo')],
  },

  // ---- court: an open case inside the district, and a sealed juvenile case outside it (the dev judge handles none)
  CourtCase: {
    rows: () => firstOfEach(`select c.case_no as key, c.township_code as "townshipCode", c.sealed, c.judge_id as "judgeId", c.cause, c.amount_yuan::float8 as "amountYuan",
        (select count(*)::int from court.court_party p where p.case_no = c.case_no) as parties,
        (select count(*)::int from court.hearing h where h.case_no = c.case_no) as hearings,
        c.verdict is not null as judgment
      from court.court_case c where {where} order by c.judge_id = $2 desc, c.verdict is null, c.case_no`,
      ['not c.sealed and c.township_code like $1', 'c.sealed and c.township_code not like $1'], [`${officersDistrict()}%`, identity('court').sub]),
    routes: [byKey('courtCase', 'caseNo')],
  },

  // ---- justice
  Mediator: {
    rows: () => insideAndOutside(`select pt.township_code as key, m.id, m.point_id as "pointId", m.name, m.phone
      from justice.mediator m join justice.mediation_point pt on pt.id = m.point_id where {where} order by m.id`, 'pt.township_code'),
    routes: [{
      gates: [['Query', 'mediationPoints'], ['MediationPoint', 'mediators']],
      query: (s) => `query ($key: String!) { mediationPoints(divisionCode: $key, first: 100) { edges { node { id mediators { id ${s} } } } } }`,
      pick: (data, row) => ((data.mediationPoints as { edges: Array<{ node: Row }> } | null)?.edges.find((e) => e.node.id === row.pointId)?.node.mediators as Row[] | null)?.find((m) => m.id === row.id),
    }],
  },
  MediationCase: {
    rows: () => insideAndOutside(`select c.id as key, c.grid_event_id as "gridEventId", c.township_code as "townshipCode", c.agreement, c.outcome::text as outcome,
        (select count(*)::int from justice.mediation_party p where p.mediation_id = c.id) as parties
      from justice.mediation_case c where {where} and c.grid_event_id is not null order by c.agreement is null, c.id`, 'c.township_code'),
    // Grid workers have no mediationCase query: they reach a mediation from the dispute they reported.
    routes: [byKey('mediationCase', 'id', 'ID!'), {
      gates: [['Query', 'gridEvent'], ['GridEvent', 'mediation']],
      keyColumn: 'gridEventId',
      query: (s) => `query ($key: ID!) { gridEvent(id: $key) { mediation { ${s} } } }`,
      pick: (data) => (data.gridEvent as Row | null)?.mediation as Row | null,
    }],
  },
  CommunityCorrection: {
    rows: () => insideAndOutside(`select c.id as key, c.district_code as "districtCode", c.officer_id as "officerId", c.status::text as status, c.officer_id as "correctionOfficer"
      from justice.community_correction c where {where} order by c.officer_id = $2 desc, c.id`, 'c.district_code', identity('justice').sub),
    routes: [byKey('communityCorrection', 'id', 'ID!')],
  },
  LegalAidCase: {
    rows: () => insideAndOutside(`select c.district_code as key, c.id, c.district_code as "districtCode", c.matter from justice.legal_aid_case c where {where} order by c.id`, 'c.district_code'),
    routes: [inList('legalAidCases', 'filter: { divisionCode: $key }')],
  },
};

function fieldType(typeName: string, field: string) {
  return getNamedType((api.getType(typeName) as GraphQLObjectType).getFields()[field].type);
}

function selectionFor(typeName: string, fields: string[]): string {
  return fields.map((f) => (isLeafType(fieldType(typeName, f)) ? f : `${f} { __typename }`)).join(' ');
}

/** What an allowed object or list field came back as, in the terms of the probe's row (see Probe). */
function observed(got: unknown, raw: unknown): unknown {
  return typeof raw === 'number' && Array.isArray(got) ? got.length : got !== null;
}

const auditedTypes = Object.entries(policy.file.types).filter(([name, tp]) => !name.startsWith('*') && tp.fields && (tp.audit ?? true));

describe('policy matrix: every agency × every sensitive field returns exactly what the policy states', () => {
  it('has a probe for every type with sensitive fields in the policy file', () => {
    expect(auditedTypes.map(([name]) => name).filter((n) => !probes[n])).toEqual([]);
  });

  describe.each(auditedTypes.map(([name]) => name))('%s', (typeName) => {
    it.each([...AGENCIES])('as %s', async (agency: Agency) => {
      const probe = probes[typeName];
      const fields = Object.keys(policy.file.types[typeName].fields!);
      const rows = await probe.rows();
      expect(rows).toHaveLength(2);
      const { sub, name, roles, jurisdiction } = identity(agency);
      const viewer: Viewer = { sub, name, agency, roles, jurisdiction };
      for (const row of rows) {
        for (const purpose of [null, PURPOSE]) {
          const facts = { viewer, purpose };
          const deniedGate = (r: Route) => r.gates.find(([type, field]) => policy.decide(type, field, row, facts).outcome === 'deny');
          const route = probe.routes.find((r) => !deniedGate(r)) ?? probe.routes[0];
          const gate = deniedGate(route);
          const res = await t.query(agency, route.query(selectionFor(typeName, fields)), { key: row[route.keyColumn ?? 'key'] }, purpose ? { 'x-purpose': purpose } : {});
          expect(res.status).toBe(200);
          const record = (res.body.data && route.pick(res.body.data, row)) ?? null;
          const forbidden = (field: string) => !!res.body.errors?.some((e) => e.extensions?.code === 'FORBIDDEN_FIELD' && e.extensions.field === field);
          const label = `record ${String(row.key)} as ${agency}, purpose ${purpose ?? 'none'}`;
          const scope = route.list && !gate ? policy.rowScope(typeName, viewer) : null;
          if (scope && !scope.prefixes.some((p) => String(row[scope.property]).startsWith(p))) {
            expect({ label, outsideRowScope: record }).toEqual({ label, outsideRowScope: null });
            continue;
          }
          for (const field of fields) {
            const decision = gate ? { outcome: 'deny' as const } : policy.decide(typeName, field, row, facts);
            const got = record?.[field] ?? null;
            const raw = row[field];
            const where = `${typeName}.${field} (${label})`;
            if (decision.outcome === 'deny') {
              const deniedAt = gate ? gate.join('.') : `${typeName}.${field}`;
              expect({ where, got, forbidden: forbidden(deniedAt) }).toEqual({ where, got: null, forbidden: true });
            } else if (decision.outcome === 'mask') {
              expect({ where, got, differs: got !== raw, forbidden: forbidden(`${typeName}.${field}`) }).toEqual({ where, got: applyMask(decision.mask!, raw), differs: true, forbidden: false });
            } else if (isLeafType(fieldType(typeName, field))) {
              expect({ where, got, forbidden: forbidden(`${typeName}.${field}`) }).toEqual({ where, got: raw, forbidden: false });
            } else {
              expect({ where, got: observed(got, raw), forbidden: forbidden(`${typeName}.${field}`) }).toEqual({ where, got: raw ?? true, forbidden: false });
            }
          }
        }
      }
    });
  });
});

describe('jurisdiction and records mixed in one request', () => {
  const TWO = `query ($a: ID!, $b: ID!) { a: person(id: $a) { id name idNumber } b: person(id: $b) { id name idNumber } }`;

  it('gives two grid workers of different grids full data for their own residents and masked for the other', async () => {
    const [g1, g2] = [t.city.grids[0].code, t.city.grids[1].code];
    const [p1] = await sql<{ id: string; name: string; idNumber: string }>(t, `select id, name, id_number as "idNumber" from grid.person where grid_code = $1 order by id limit 1`, [g1]);
    const [p2] = await sql<{ id: string; name: string; idNumber: string }>(t, `select id, name, id_number as "idNumber" from grid.person where grid_code = $1 order by id limit 1`, [g2]);
    const worker1 = { token: await t.token('grid', { sub: `gw-${g1}`, jurisdiction: [g1] }) };
    const worker2 = { token: await t.token('grid', { sub: `gw-${g2}`, jurisdiction: [g2] }) };
    const as1 = await t.query<Record<'a' | 'b', { name: string; idNumber: string }>>(worker1, TWO, { a: p1.id, b: p2.id });
    const as2 = await t.query<Record<'a' | 'b', { name: string; idNumber: string }>>(worker2, TWO, { a: p1.id, b: p2.id });
    expect(as1.body.data!.a).toMatchObject({ name: p1.name, idNumber: p1.idNumber });
    expect(as1.body.data!.b).toMatchObject({ name: applyMask('name', p2.name), idNumber: applyMask('idNumber', p2.idNumber) });
    expect(as2.body.data!.a).toMatchObject({ name: applyMask('name', p1.name), idNumber: applyMask('idNumber', p1.idNumber) });
    expect(as2.body.data!.b).toMatchObject({ name: p2.name, idNumber: p2.idNumber });
  });

  it('lists only the people of the grid worker\'s own grid (row scope in SQL)', async () => {
    const g = t.city.grids[0].code;
    const res = await t.query<{ persons: { edges: Array<{ node: { grid: { code: string } } }> } }>('grid', `{ persons(first: 100) { edges { node { grid { code } } } } }`);
    const codes = res.body.data!.persons.edges.map((e) => e.node.grid.code);
    expect(codes.length).toBe(t.city.persons.filter((p) => p.gridCode === g).length);
    expect(new Set(codes)).toEqual(new Set([g]));
  });

  it('cannot get around a rule by alias, fragment, or _entities through a union', async () => {
    const g2 = t.city.grids[1].code;
    const [p] = await sql<{ id: string; idNumber: string }>(t, `select id, id_number as "idNumber" from grid.person where grid_code = $1 order by id limit 1`, [g2]);
    const masked = applyMask('idNumber', p.idNumber);
    const viaAlias = await t.query<{ x: { secret: string } }>('grid', `query ($id: ID!) { x: person(id: $id) { secret: idNumber } }`, { id: p.id });
    expect(viaAlias.body.data!.x.secret).toBe(masked);
    const viaFragment = await t.query<{ person: { idNumber: string } }>('grid', `query ($id: ID!) { person(id: $id) { ...F } } fragment F on Person { idNumber }`, { id: p.id });
    expect(viaFragment.body.data!.person.idNumber).toBe(masked);
    const viaEntities = await t.subgraphQuery<{ _entities: Array<{ idNumber: string; householdStatus: string | null }> }>('grid', 'grid',
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber householdStatus } } }`, { r: [{ __typename: 'Person', id: p.id }] });
    expect(viaEntities.body.data!._entities[0].idNumber).toBe(masked);
    expect(viaEntities.body.data!._entities[0].householdStatus).toBeNull();
    expect(viaEntities.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN_FIELD', field: 'Person.householdStatus' });
  });

  it('nulls a denied field with FORBIDDEN_FIELD naming the field and the reason, keeping siblings and parent', async () => {
    const g2 = t.city.grids[1].code;
    const [p] = await sql<{ id: string }>(t, `select id from grid.person where grid_code = $1 order by id limit 1`, [g2]);
    const res = await t.query<{ person: { id: string; gender: string; householdStatus: string | null } }>('grid', `query ($id: ID!) { person(id: $id) { id gender householdStatus } }`, { id: p.id });
    expect(res.body.data!.person).toMatchObject({ id: p.id, householdStatus: null });
    expect(res.body.data!.person.gender).toMatch(/MALE|FEMALE/);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].message).toBe('Person.householdStatus: access denied (outside your jurisdiction)');
    expect(res.body.errors![0].path).toEqual(['person', 'householdStatus']);
  });
});

describe('federation entry points behind the shield', () => {
  const ENTITIES = (types: Array<[string, string]>) =>
    `query ($r: [_Any!]!) { _entities(representations: $r) { ${types.map(([type, selection]) => `... on ${type} { ${selection} }`).join(' ')} } }`;

  /**
   * Per department, an entity it owns and one it extends (grid extends none: two of its own), as
   * an agency the policy lets see the selection; `sql` reads the expected object, key field first.
   */
  const references: Array<[department: string, agency: Agency, refs: Array<{ type: string; selection: string; sql: string; params?: () => unknown[] }>]> = [
    ['grid', 'grid', [
      { type: 'Person', selection: 'id name idNumber householdStatus', sql: `select id, name, id_number as "idNumber", household_status::text as "householdStatus" from grid.person where grid_code = $1 order by id limit 1`, params: () => [insideGrid()] },
      { type: 'GridEvent', selection: 'id description status', sql: `select id, description, status::text as status from grid.grid_event where grid_code = $1 order by id limit 1`, params: () => [insideGrid()] },
    ]],
    ['police', 'police', [
      { type: 'PoliceCase', selection: 'caseNo charge stage investigatingOfficer', sql: `select case_no as "caseNo", charge, stage::text as stage, officer_id as "investigatingOfficer" from police.police_case order by case_no limit 1` },
      { type: 'Person', selection: 'id policeRecords { role }', sql: `select person_id as id, json_agg(json_build_object('role', role) order by case_no desc) as "policeRecords" from police.case_participant group by person_id order by count(*) desc, person_id limit 1` },
    ]],
    ['procuratorate', 'procuratorate', [
      { type: 'ProsecutionCase', selection: 'caseNo charges decision prosecutor', sql: `select case_no as "caseNo", charges, decision::text as decision, prosecutor_id as prosecutor from procuratorate.prosecution_case order by case_no limit 1` },
      { type: 'PoliceCase', selection: 'caseNo prosecution { caseNo } arrestReview { caseNo decision }', sql: `select p.police_case_no as "caseNo", json_build_object('caseNo', p.case_no) as prosecution,
          json_build_object('caseNo', r.case_no, 'decision', r.decision) as "arrestReview" from procuratorate.prosecution_case p join procuratorate.arrest_review r on r.police_case_no = p.police_case_no order by p.case_no limit 1` },
    ]],
    ['court', 'court', [
      { type: 'CourtCase', selection: 'caseNo kind cause sealed', sql: `select case_no as "caseNo", kind::text as kind, cause, sealed from court.court_case where not sealed and cause is not null order by case_no limit 1` },
      { type: 'ProsecutionCase', selection: 'caseNo courtCase { caseNo cause }', sql: `select prosecution_case_no as "caseNo", json_build_object('caseNo', case_no, 'cause', cause) as "courtCase" from court.court_case where prosecution_case_no is not null and not sealed order by case_no limit 1` },
    ]],
    ['justice', 'justice', [
      { type: 'MediationCase', selection: 'id outcome agreement', sql: `select id, outcome::text as outcome, agreement from justice.mediation_case where agreement is not null order by id limit 1` },
      { type: 'CourtCase', selection: 'caseNo communityCorrection { id status }', sql: `select court_case_no as "caseNo", json_build_object('id', id, 'status', status) as "communityCorrection" from justice.community_correction order by id limit 1` },
    ]],
  ];

  describe('__resolveReference still runs behind the shield, in every subgraph', () => {
    it.each(references)('%s', async (department, agency, refs) => {
      const expected = await Promise.all(refs.map(async (r) => (await sql(t, r.sql, r.params?.() ?? []))[0]));
      const key = (row: Row) => Object.keys(row)[0];
      const query = ENTITIES(refs.map((r) => [r.type, r.selection]));
      const res = await t.subgraphQuery<{ _entities: Row[] }>(department, agency, query, { r: refs.map((r, i) => ({ __typename: r.type, [key(expected[i])]: expected[i][key(expected[i])] })) });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!._entities).toEqual(expected);
      // Only a reference resolver refuses an empty key: without one, the representation itself would
      // be the entity and an extended type's fields would still resolve from its key.
      for (const [i, r] of refs.entries()) {
        const bad = await t.subgraphQuery(department, agency, query, { r: [{ __typename: r.type, [key(expected[i])]: '' }] });
        expect({ type: r.type, code: bad.body.errors?.[0].extensions?.code }).toEqual({ type: r.type, code: 'BAD_REPRESENTATION' });
      }
    });
  });

  /** The FORBIDDEN_FIELD errors of a response as `index.field` in the `_entities` list, sorted. */
  const forbiddenAt = (errors: Array<{ path?: Array<string | number>; extensions?: Record<string, unknown> }> | undefined) =>
    (errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN_FIELD').map((e) => e.path!.slice(1).join('.')).sort();

  it('decides each record on its own when allowed and forbidden records share one _entities request', async () => {
    // Interleaved (forbidden, allowed, forbidden, allowed…) so that no one decision can stand for the others.
    const cases = await sql<{ caseNo: string; cause: string; sealed: boolean }>(t, `select "caseNo", cause, sealed from (
        select case_no as "caseNo", cause, sealed, row_number() over (partition by sealed order by case_no) as n from court.court_case where cause is not null) c
      where n <= 2 order by n, sealed desc`);
    expect(cases.map((c) => c.sealed)).toEqual([true, false, true, false]);
    const courts = await t.subgraphQuery<{ _entities: Row[] }>('court', 'court', ENTITIES([['CourtCase', 'caseNo cause']]), { r: cases.map((c) => ({ __typename: 'CourtCase', caseNo: c.caseNo })) });
    expect(courts.body.data!._entities).toEqual(cases.map((c) => ({ caseNo: c.caseNo, cause: c.sealed ? null : c.cause })));
    expect(forbiddenAt(courts.body.errors)).toEqual(['0.cause', '2.cause']);

    const people = await sql<{ id: string; name: string; householdStatus: string; inside: boolean }>(t, `select id, name, "householdStatus", inside from (
        select id, name, household_status::text as "householdStatus", grid_code = $1 as inside, row_number() over (partition by grid_code = $1 order by id) as n
        from grid.person where grid_code = $1 or grid_code not like $2) p
      where n <= 2 order by n, inside`, [insideGrid(), `${officersDistrict()}%`]);
    expect(people.map((p) => p.inside)).toEqual([false, true, false, true]);
    const grid = await t.subgraphQuery<{ _entities: Row[] }>('grid', 'grid', ENTITIES([['Person', 'id name householdStatus']]), { r: people.map((p) => ({ __typename: 'Person', id: p.id })) });
    expect(grid.body.data!._entities).toEqual(people.map((p) => (p.inside ? { id: p.id, name: p.name, householdStatus: p.householdStatus } : { id: p.id, name: applyMask('name', p.name), householdStatus: null })));
    expect(forbiddenAt(grid.body.errors)).toEqual(['0.householdStatus', '2.householdStatus']);
  });
});

describe('explain', () => {
  it('myPermissions tells the caller what it gets for each sensitive field and why', async () => {
    const res = await t.query<{ myPermissions: { visible: boolean; fields: Array<{ field: string; rule: string }> } }>('grid', `{ myPermissions(type: "Person") { visible fields { field rule } } }`);
    expect(res.body.data!.myPermissions.visible).toBe(true);
    expect(res.body.data!.myPermissions.fields).toContainEqual({ field: 'idNumber', rule: 'allow if inside your jurisdiction, else mask (idNumber)' });
    const analyst = await t.query<{ myPermissions: { visible: boolean; fields: Array<{ rule: string }> } }>('analyst', `{ myPermissions(type: "Person") { visible fields { rule } } }`);
    expect(analyst.body.data!.myPermissions.visible).toBe(false);
    expect(analyst.body.data!.myPermissions.fields.every((f) => f.rule.startsWith('deny'))).toBe(true);
  });
});
