import { applyMask } from '../src/policy/masking';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import { personKey } from '../src/shared/personKey';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/**
 * The petition (信访局) example beyond its generated test: the bureau's own tables (the fixture in
 * test/fixtures/petition) meet the grid's events, the justice bureau's mediations and the
 * registry's people in one request, under the policy written for them, in a constant number of
 * SQL statements.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

interface Petition {
  xfjbh: string;
  ryid: string;
  sfzh: string;
  wgdm: string;
  wgsjbh: string | null;
  nrzy: string;
}
/** Petitions about a grid event (访调对接), from the fixture, with the petitioner's ID number. */
const aboutEvents = () =>
  sql<Petition>(
    t,
    `select c.xfjbh, c.ryid, p.sfzh, c.wgdm, c.wgsjbh, c.nrzy from xf.xf_case c join xf.xf_person p using (ryid)
  where c.wgsjbh is not null order by c.xfjbh`,
  );

describe('petition example: across departments in one request', () => {
  it("gives a person's petitions, the grid events they are about and those events' mediations, with the person's own mediations", async () => {
    const [p] = await aboutEvents();
    const [mediation] = await sql<{ id: string }>(t, 'select id from justice.mediation_case where grid_event_id = $1', [p.wgsjbh]);
    const res = await t.query<{
      person: {
        id: string;
        petitionPersons: Array<{
          ryid: string;
          petitionCases: Array<{ xfjbh: string; gridEvent: { id: string; title: string; mediation: { id: string } | null } | null }>;
        }>;
        mediations: Array<{ id: string }>;
      };
    }>(
      'justice',
      `query ($id: ID!) { person(id: $id) { id
        petitionPersons { ryid petitionCases { xfjbh gridEvent { id title mediation { id } } } }
        mediations { id } } }`,
      { id: personKey(p.sfzh, DEV_PERSON_KEY_SECRET) },
    );
    expect(res.body.errors).toBeUndefined();
    const person = res.body.data!.person;
    const petition = person.petitionPersons.flatMap((r) => r.petitionCases).find((c) => c.xfjbh === p.xfjbh)!;
    expect(petition.gridEvent).toMatchObject({ id: p.wgsjbh, mediation: { id: mediation.id } });
    expect(petition.gridEvent!.title.length).toBeGreaterThan(0);
    expect(person.mediations.map((m) => m.id)).toContain(mediation.id);
  });

  it("gives a petition's grid event and its mediation, and the event's petitions", async () => {
    const [p] = await aboutEvents();
    const res = await t.query<{
      petitionCase: { gridEvent: { id: string; petitionCases: Array<{ xfjbh: string }>; mediation: { id: string; outcome: string } } };
    }>('justice', `query ($key: ID!) { petitionCase(xfjbh: $key) { gridEvent { id petitionCases { xfjbh } mediation { id outcome } } } }`, { key: p.xfjbh });
    expect(res.body.errors).toBeUndefined();
    const event = res.body.data!.petitionCase.gridEvent;
    expect(event.id).toBe(p.wgsjbh);
    expect(event.petitionCases.map((c) => c.xfjbh)).toContain(p.xfjbh);
    expect(event.mediation.outcome).toMatch(/SUCCEEDED|FAILED|IN_PROGRESS/);
  });

  it('links an old 15-digit ID number to nobody rather than failing', async () => {
    const res = await t.query<{ petitionPerson: { ryid: string; person: null } }>('admin', '{ petitionPerson(ryid: "XFR900001") { ryid person { id } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.petitionPerson).toEqual({ ryid: 'XFR900001', person: null });
  });
});

describe('petition example: the policy written for it', () => {
  it("lists a grid worker only the petitions of their grid, in full, and masks another grid's", async () => {
    const grid = t.city.grids[0].code;
    const own = await sql<Petition>(t, 'select xfjbh, nrzy from xf.xf_case where wgdm = $1 order by xfjbh', [grid]);
    const [other] = await sql<Petition>(t, "select xfjbh, nrzy from xf.xf_case where wgdm not like '211402%' order by xfjbh limit 1");
    const list = await t.query<{ petitionCases: { edges: Array<{ node: { xfjbh: string; wgdm: string; nrzy: string } }> } }>(
      'grid',
      '{ petitionCases(first: 100) { edges { node { xfjbh wgdm nrzy } } } }',
    );
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data!.petitionCases.edges.map((e) => e.node)).toEqual(own.map((p) => ({ xfjbh: p.xfjbh, wgdm: grid, nrzy: p.nrzy })));
    const elsewhere = await t.query<{ petitionCase: { nrzy: string } }>('grid', 'query ($key: ID!) { petitionCase(xfjbh: $key) { nrzy } }', {
      key: other.xfjbh,
    });
    expect(elsewhere.body.data!.petitionCase.nrzy).toBe(applyMask('text', other.nrzy));
  });

  it("keeps the bureau's register of petitioners from grid workers, and everything from police, procuratorate and court", async () => {
    const [p] = await aboutEvents();
    const grid = await t.query<{ petitionCase: { xfjbh: string; petitionPerson: null } }>(
      'grid',
      'query ($key: ID!) { petitionCase(xfjbh: $key) { xfjbh petitionPerson { xm } } }',
      { key: p.xfjbh },
    );
    expect(grid.body.data!.petitionCase).toEqual({ xfjbh: p.xfjbh, petitionPerson: null });
    expect(grid.body.errors?.map((e) => e.extensions?.field)).toEqual(['PetitionCase.petitionPerson']);
    for (const agency of ['police', 'procuratorate', 'court'] as const) {
      const res = await t.query(agency, 'query ($key: ID!) { petitionCase(xfjbh: $key) { xfjbh } }', { key: p.xfjbh });
      expect({ agency, data: res.body.data?.petitionCase ?? null, code: res.body.errors?.[0].extensions?.code }).toEqual({
        agency,
        data: null,
        code: 'FORBIDDEN_FIELD',
      });
    }
  });
});

describe('petition example: SQL statements per request do not grow with the records', () => {
  const LIST = `query ($first: Int) { petitionCases(first: $first) { edges { node { xfjbh petitionPerson { ryid xm person { id name } } gridEvent { id mediation { id } } } } } }`;

  it('lists 5 or 60 petitions with their petitioners, people, grid events and mediations in the same number of statements', async () => {
    const counts: number[] = [];
    for (const first of [5, 60]) {
      const before = t.sqlStatements();
      const res = await t.query<{ petitionCases: { edges: unknown[] } }>('admin', LIST, { first });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.petitionCases.edges).toHaveLength(first);
      counts.push(t.sqlStatements() - before);
    }
    process.stdout.write(`petition: SQL statements for 5 and 60 petitions with their links: ${counts.join(', ')}\n`);
    expect(counts[1]).toBe(counts[0]);
  });

  it("finds 1 or 20 people's petitions in the same number of statements", async () => {
    const people = await sql<{ sfzh: string }>(t, 'select sfzh from xf.xf_person where length(sfzh) = 18 order by ryid limit 20');
    const counts: number[] = [];
    for (const n of [1, 20]) {
      const reps = people.slice(0, n).map((p) => ({ __typename: 'Person', id: personKey(p.sfzh, DEV_PERSON_KEY_SECRET) }));
      const before = t.sqlStatements();
      const res = await t.subgraphQuery<{ _entities: Array<{ petitionPersons: Array<{ ryid: string }> }> }>(
        'petition',
        'admin',
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { petitionPersons { ryid petitionCases { xfjbh } } } } }',
        { r: reps },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!._entities.every((e) => e.petitionPersons.length > 0)).toBe(true);
      counts.push(t.sqlStatements() - before);
    }
    process.stdout.write(`petition: SQL statements for the petitions of 1 and 20 people: ${counts.join(', ')}\n`);
    expect(counts[1]).toBe(counts[0]);
  });
});
