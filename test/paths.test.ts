import { getNamedType } from 'graphql';
import { signInternalToken } from '../src/auth/internalToken';
import { AGENCIES, inJurisdiction, type Agency } from '../src/auth/viewer';
import { applyMask } from '../src/policy/masking';
import { loadPolicy } from '../src/policy/policy';
import { hotlineApi } from '../src/subgraphs/hotline/api';
import { sql } from './support/db';
import { api, fit as fitIn, identity as identityIn, MODES, pathsTo, type Mode } from './support/paths';
import { casePurpose } from './support/sealed';
import { startTestHub, type TestHub } from './support/hub';

/*
 * The path test: every way the graph reaches a Person — generated from the supergraph's API
 * schema — gives the same decision for the same record, caller and purpose as the look-up by id
 * (which the policy matrix test holds to the policy). A path with no recipe fails the test, so a
 * new field returning Person cannot ship without being walked here.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
  // The demo city's grid events involve their own grid's residents only: one also involves a
  // resident of another district here, so the path has a person outside its event's grid to walk to.
  await sql(
    t,
    `update grid.grid_event set involved_person_ids = involved_person_ids || array[(select id from grid.person where grid_code like '211481%' order by id limit 1)]
    where id = (select id from grid.grid_event where cardinality(involved_person_ids) > 0 order by id limit 1)`,
  );
});
afterAll(async () => {
  await t?.stop();
});

const policy = loadPolicy();
const TARGET = 'Person';
const FIELDS = Object.keys(policy.file.types[TARGET].fields!).filter((f) => {
  const type = getNamedType(
    (api.getType(TARGET) as unknown as { getFields(): Record<string, { type: Parameters<typeof getNamedType>[0] }> }).getFields()[f].type,
  )!;
  return type.name === 'String' || type.name === 'Boolean' || type.name === 'HouseholdStatus';
});
const SEL = `id ${FIELDS.join(' ')}`;

type Row = Record<string, unknown>;
interface Target {
  personId: string;
  key: string;
  code: string;
}
interface Recipe {
  /**
   * A person this path reaches, living inside or outside `code` — the division of the record the
   * path walks from (the caller is given that jurisdiction, so the parent is theirs) — and the key
   * to walk from.
   */
  target(inside: boolean): Promise<Target | undefined>;
  query: string;
  pick(data: Row, personId: string): Row | null | undefined;
  /** The key walked from is a case number: the path is also walked with `x-purpose: case:<key>`. */
  caseKey?: true;
}

const one = async (statement: string) => (await sql<Target>(t, `${statement} order by 1, 2 limit 1`))[0];
/** The person (`g`) lives under `code` — or not. */
const lives = (code: string, inside: boolean) => `(g.grid_code like ${code} || '%') = ${inside}`;
const find = (list: unknown, personId: string) => (Array.isArray(list) ? (list as Row[]).find((p) => p?.id === personId) : undefined);
const node = (conn: unknown) => ((conn as { edges?: Array<{ node: Row }> } | null)?.edges ?? []).map((e) => e.node);

const recipes: Record<string, Recipe> = {
  'Query.person': {
    target: (i) => one(`select g.id as "personId", g.id as key, '211402' as code from grid.person g where ${lives("'211402'", i)}`),
    query: `query ($k: ID!) { r: person(id: $k) { ${SEL} } }`,
    pick: (d) => d.r as Row | null,
  },
  'Query.personByIdNumber': {
    target: (i) => one(`select g.id as "personId", g.id_number as key, '211402' as code from grid.person g where ${lives("'211402'", i)}`),
    query: `query ($k: String!) { r: personByIdNumber(idNumber: $k) { ${SEL} } }`,
    pick: (d) => d.r as Row | null,
  },
  'Query.persons': {
    target: (i) => one(`select g.id as "personId", g.grid_code as key, '211402' as code from grid.person g where ${lives("'211402'", i)}`),
    query: `query ($k: String!) { r: persons(filter: { gridCode: $k }, first: 100) { edges { node { ${SEL} } } } }`,
    pick: (d, id) => find(node(d.r), id),
  },
  // A search matches by the phone number itself: listed only where the caller sees the phone unmasked (see SEARCHED_BY).
  'Query.searchPersons': {
    target: (i) => one(`select g.id as "personId", g.phone as key, '211402' as code from grid.person g where ${lives("'211402'", i)}`),
    query: `query ($k: String!) { r: searchPersons(phone: $k, first: 100) { edges { node { ${SEL} } } } }`,
    pick: (d, id) => find(node(d.r), id),
  },
  _entities: {
    target: (i) => one(`select g.id as "personId", g.id as key, '211402' as code from grid.person g where ${lives("'211402'", i)}`),
    query: `query ($k: _Any!) { _entities(representations: [$k]) { ... on Person { ${SEL} } } }`,
    pick: (d) => (d._entities as Row[] | null)?.[0],
  },
  'CaseParticipant.person': {
    caseKey: true,
    target: (i) =>
      one(`select p.person_id as "personId", p.case_no as key, c.grid_code as code from police.case_participant p join police.police_case c on c.case_no = p.case_no
      join grid.person g on g.id = p.person_id where ${lives('c.grid_code', i)}`),
    query: `query ($k: String!) { r: policeCase(caseNo: $k) { participants { person { ${SEL} } } } }`,
    pick: (d, id) =>
      find(
        ((d.r as { participants?: Array<{ person: Row }> } | null)?.participants ?? []).map((p) => p.person),
        id,
      ),
  },
  'ProsecutionCase.defendants': {
    caseKey: true,
    target: (i) =>
      one(`select p.person_id as "personId", p.case_no as key, c.township_code as code from procuratorate.prosecution_defendant p
      join procuratorate.prosecution_case c on c.case_no = p.case_no join grid.person g on g.id = p.person_id where ${lives('c.township_code', i)}`),
    query: `query ($k: String!) { r: prosecutionCase(caseNo: $k) { defendants { ${SEL} } } }`,
    pick: (d, id) => find((d.r as { defendants?: Row[] } | null)?.defendants, id),
  },
  'CourtParty.person': {
    caseKey: true,
    target: (i) =>
      one(`select p.person_id as "personId", p.case_no as key, c.township_code as code from court.court_party p join court.court_case c on c.case_no = p.case_no
      join grid.person g on g.id = p.person_id where ${lives('c.township_code', i)}`),
    query: `query ($k: String!) { r: courtCase(caseNo: $k) { parties { person { ${SEL} } } } }`,
    pick: (d, id) =>
      find(
        ((d.r as { parties?: Array<{ person: Row }> } | null)?.parties ?? []).map((p) => p.person),
        id,
      ),
  },
  'CommunityCorrection.person': {
    caseKey: true,
    target: (i) =>
      one(`select c.person_id as "personId", c.id as key, c.district_code as code from justice.community_correction c join grid.person g on g.id = c.person_id
      where ${lives('c.district_code', i)}`),
    query: `query ($k: ID!) { r: communityCorrection(id: $k) { person { ${SEL} } } }`,
    pick: (d) => (d.r as { person?: Row } | null)?.person,
  },
  // The petition bureau's own register (xf.xf_person), linked to Person by the ID number in `sfzh`.
  'PetitionPerson.person': {
    target: (i) =>
      one(`select g.id as "personId", x.ryid::text as key, '211402' as code from xf.xf_person x join grid.person g on g.id_number = x.sfzh
      where ${lives("'211402'", i)}`),
    query: `query ($k: ID!) { r: petitionPerson(ryid: $k) { person { ${SEL} } } }`,
    pick: (d) => (d.r as { person?: Row } | null)?.person,
  },
  // A 12345 work order behind the hotline's API (its dev stand-in), linked to Person by the caller's ID number.
  'HotlineTicket.person': {
    target: async (i) => {
      const tickets = (await (await fetch(`${hotlineApi.baseUrl}/tickets?limit=200`)).json()) as Array<{ gdbh: string; ldrsfzh: string | null; cbqx: string }>;
      const byNumber = new Map(tickets.filter((k) => k.ldrsfzh && k.cbqx === '211402').map((k) => [k.ldrsfzh!, k]));
      const [g] = await sql<{ personId: string; idNumber: string }>(
        t,
        `select g.id as "personId", g.id_number as "idNumber" from grid.person g
        where g.id_number = any($1) and ${lives("'211402'", i)} order by 1 limit 1`,
        [[...byNumber.keys()]],
      );
      return g && { personId: g.personId, key: byNumber.get(g.idNumber)!.gdbh, code: '211402' };
    },
    query: `query ($k: ID!) { r: hotlineTicket(gdbh: $k) { person { ${SEL} } } }`,
    pick: (d) => (d.r as { person?: Row } | null)?.person,
  },
  'GridEvent.involvedPersons': {
    target: (i) =>
      one(
        `select g.id as "personId", e.id as key, e.grid_code as code from grid.grid_event e join grid.person g on g.id = any(e.involved_person_ids) where ${lives('e.grid_code', i)}`,
      ),
    query: `query ($k: ID!) { r: gridEvent(id: $k) { involvedPersons { ${SEL} } } }`,
    pick: (d, id) => find((d.r as { involvedPersons?: Row[] } | null)?.involvedPersons, id),
  },
  // The grid's own objects, reached from their grid (a grid worker's or officer's jurisdiction is the grid's).
  'House.owner': {
    target: (i) =>
      one(
        `select g.id as "personId", h.grid_code as key, h.grid_code as code from grid.house h join grid.person g on g.id = h.owner_id where ${lives('h.grid_code', i)}`,
      ),
    query: `query ($k: String!) { r: grid(code: $k) { houses(first: 100) { edges { node { owner { ${SEL} } } } } } }`,
    pick: (d, id) =>
      find(
        node((d.r as { houses?: unknown } | null)?.houses).map((h) => h.owner as Row),
        id,
      ),
  },
  'House.residents': {
    target: (i) =>
      one(
        `select g.id as "personId", h.grid_code as key, h.grid_code as code from grid.house h join grid.person g on g.house_id = h.id where ${lives('h.grid_code', i)}`,
      ),
    query: `query ($k: String!) { r: grid(code: $k) { houses(first: 100) { edges { node { residents { ${SEL} } } } } } }`,
    pick: (d, id) =>
      find(
        node((d.r as { houses?: unknown } | null)?.houses).flatMap((h) => (h.residents as Row[] | null) ?? []),
        id,
      ),
  },
  'SpecialPopulation.person': {
    target: (i) =>
      one(
        `select g.id as "personId", s.grid_code as key, s.grid_code as code from grid.special_population s join grid.person g on g.id = s.person_id where ${lives('s.grid_code', i)}`,
      ),
    query: `query ($k: String!) { r: grid(code: $k) { specialPopulations { person { ${SEL} } } } }`,
    pick: (d, id) =>
      find(
        ((d.r as { specialPopulations?: Array<{ person: Row }> | null } | null)?.specialPopulations ?? []).map((s) => s?.person),
        id,
      ),
  },
  'Visit.person': {
    target: (i) =>
      one(
        `select g.id as "personId", v.grid_code as key, v.grid_code as code from grid.visit v join grid.person g on g.id = v.person_id where ${lives('v.grid_code', i)}`,
      ),
    query: `query ($k: String!) { r: grid(code: $k) { visits(first: 100) { edges { node { person { ${SEL} } } } } } }`,
    pick: (d, id) =>
      find(
        node((d.r as { visits?: unknown } | null)?.visits).map((v) => v.person as Row),
        id,
      ),
  },
  'Incident.reporter': {
    target: (i) =>
      one(
        `select g.id as "personId", n.id as key, n.grid_code as code from police.incident n join grid.person g on g.id = n.reporter_id where ${lives('n.grid_code', i)}`,
      ),
    query: `query ($k: ID!) { r: incident(id: $k) { reporter { ${SEL} } } }`,
    pick: (d) => (d.r as { reporter?: Row } | null)?.reporter,
  },
  'MediationCase.parties': {
    target: (i) =>
      one(`select g.id as "personId", p.mediation_id as key, m.township_code as code from justice.mediation_party p join justice.mediation_case m on m.id = p.mediation_id
      join grid.person g on g.id = p.person_id where ${lives('m.township_code', i)}`),
    query: `query ($k: ID!) { r: mediationCase(id: $k) { parties { ${SEL} } } }`,
    pick: (d, id) => find((d.r as { parties?: Row[] } | null)?.parties, id),
  },
  ...Object.fromEntries(
    (['applicant', 'respondent'] as const).map((field) => [
      `PreLitigationMediationCase.${field}`,
      {
        target: (i: boolean) =>
          one(`select g.id as "personId", p.case_no as key, p.township_code as code from court.pre_litigation_mediation p join grid.person g on g.id = p.${field}_id
      where ${lives('p.township_code', i)}`),
        query: `query ($k: String!) { r: preLitigationMediationCase(caseNo: $k) { ${field} { ${SEL} } } }`,
        pick: (d: Row) => (d.r as Record<string, Row> | null)?.[field],
      },
    ]),
  ),
  'LegalAidCase.applicant': {
    target: (i) =>
      one(`select g.id as "personId", a.district_code as key, a.district_code as code from justice.legal_aid_case a join grid.person g on g.id = a.applicant_id
      where ${lives('a.district_code', i)}`),
    query: `query ($k: String!) { r: legalAidCases(filter: { divisionCode: $k }, first: 100) { edges { node { applicant { ${SEL} } } } } }`,
    pick: (d, id) =>
      find(
        node(d.r).map((n) => n.applicant as Row),
        id,
      ),
  },
};

const fit = (agency: Agency, code: string) => fitIn(t, agency, code);
const identity = (agency: Agency, code: string) => identityIn(t, agency, code);

async function reach(agency: Agency, code: string, path: string, key: string, personId: string, mode: Mode): Promise<{ reached: boolean; value: Row | null }> {
  const recipe = recipes[path];
  if (path === '_entities') {
    // The gateway only plans a reference for a caller the entry field admits.
    if (policy.decide('Query', 'person', null, { viewer: { sub: '', name: '', agency, roles: [], jurisdiction: [] }, purpose: null }).outcome === 'deny')
      return { reached: false, value: null };
    // (For the others, the reference is planned; what it resolves to is compared below.)
    const viewer = identity(agency, code);
    const token = await signInternalToken(
      t.hub.keys.internalSigningKey!,
      {
        viewer,
        purpose: mode === 'freeText' ? MODES.freeText['x-purpose'] : null,
        breakGlass: mode === 'breakGlass' ? MODES.breakGlass['x-break-glass'] : null,
      },
      Date.now() + 10_000,
    );
    const { body } = await t.subgraphQuery<Row>('grid', { internalToken: token }, recipe.query, { k: { __typename: 'Person', id: key } });
    const value = body.data ? (recipe.pick(body.data, personId) ?? null) : null;
    return { reached: true, value };
  }
  const headers = mode === 'caseStated' ? casePurpose(key) : MODES[mode];
  const res = await t.query({ token: await t.token(agency, { jurisdiction: fit(agency, code) }) }, recipe.query, { k: key }, headers);
  if (mode === 'caseStated' && res.status === 403) {
    expect(res.body.errors?.[0].extensions?.code).toBe('PURPOSE_NOT_ESTABLISHED');
    return { reached: false, value: null };
  }
  const value = res.body.data ? (recipe.pick(res.body.data, personId) ?? null) : null;
  return { reached: value !== null, value };
}

interface PersonRow extends Row {
  id: string;
  gridCode: string;
}
const rawPerson = async (id: string): Promise<PersonRow> =>
  (
    await sql<PersonRow>(
      t,
      `select id, name, id_number as "idNumber", to_char(birth_date, 'YYYY-MM-DD') as "birthDate", phone, address,
  household_status::text as "householdStatus", rental_housing as "rentalHousing", grid_code as "gridCode" from grid.person where id = $1`,
      [id],
    )
  )[0];

/** What the policy says the caller gets for the person, independent of any path: null when not found. */
function expected(agency: Agency, code: string, row: PersonRow, mode: Mode): Row | null {
  const viewer = identity(agency, code);
  // A stated case that was established binds the persons of its journey, this one included.
  const facts = {
    viewer,
    purpose: mode === 'freeText' ? MODES.freeText['x-purpose'] : null,
    breakGlass: mode === 'breakGlass' ? MODES.breakGlass['x-break-glass'] : null,
    established: mode === 'caseStated' ? new Set([row.id]) : undefined,
  };
  if (policy.decide('Query', 'person', null, facts).outcome === 'deny') return null;
  if (policy.rowScope(TARGET, viewer, true) && !inJurisdiction(viewer, row.gridCode)) return null;
  const value: Row = { id: policy.decide(TARGET, 'id', row, facts).outcome === 'deny' ? null : row.id };
  for (const f of FIELDS) {
    const d = policy.decide(TARGET, f, row, facts);
    value[f] = d.outcome === 'deny' ? null : d.outcome === 'mask' ? applyMask(d.mask!, row[f]) : row[f];
  }
  return value;
}

/** Lists are row-scoped for every agency: a person is listed only inside the caller's jurisdiction. */
const LISTS = new Set(['Query.persons', 'Query.searchPersons']);
/** A search lists a person only where the caller also sees the searched field unmasked (no oracle on masked values). */
const SEARCHED_BY: Record<string, string> = { 'Query.searchPersons': 'phone' };

describe('path test: every path to a Person gives the decision of the policy', () => {
  it('has a recipe for every path the graph offers to a Person', () => {
    expect(pathsTo(TARGET, true).filter((p) => !recipes[p])).toEqual([]);
  });

  let combinations = 0;
  const skipped: string[] = [];
  afterAll(() => {
    process.stdout.write(`path test: ${combinations} path × agency × record × purpose combinations compared; no record for ${skipped.join(', ') || 'none'}\n`);
  });

  describe.each(Object.keys(recipes))('%s', (path) => {
    it.each([true, false])('inside 连山区: %s', async (inside) => {
      const target = await recipes[path].target(inside);
      if (!target) {
        skipped.push(`${path} (${inside ? 'inside' : 'outside'})`);
        return; // The demo city has no such record on this side; the other side is walked.
      }
      const row = await rawPerson(target.personId);
      for (const agency of AGENCIES) {
        for (const mode of Object.keys(MODES) as Mode[]) {
          if (mode === 'caseStated' && !recipes[path].caseKey) continue;
          const via = await reach(agency, target.code, path, target.key, target.personId, mode);
          const want = expected(agency, target.code, row, mode);
          const label = `${path} as ${agency}, purpose ${mode}, person ${inside ? 'inside' : 'outside'}`;
          if (LISTS.has(path)) {
            const viewer = identity(agency, target.code);
            const searched = SEARCHED_BY[path];
            const facts = { viewer, purpose: null, breakGlass: mode === 'breakGlass' ? MODES.breakGlass['x-break-glass'] : null };
            const listed =
              want !== null && inJurisdiction(viewer, row.gridCode) && (!searched || policy.decide(TARGET, searched, row, facts).outcome === 'allow');
            expect({ label, listed: via.reached }).toEqual({ label, listed });
          }
          // A path that reaches the person gives what the policy gives; one that skips the scope
          // reaches a person the policy does not find, and fails here.
          if (via.reached || path === '_entities') {
            expect({ label, value: via.value }).toEqual({ label, value: want });
            combinations++;
          }
        }
      }
    });
  });
});
