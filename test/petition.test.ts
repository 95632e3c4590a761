import type { EntityClass } from '@mikro-orm/core';
import { PetitionPerson, PetitionCase } from '../src/subgraphs/petition/entities';
import { startTestHub, type TestHub } from './support/hub';
import { asAdmin, deniedAgency, personOf, unexpected } from './support/scaffolded';

/**
 * The petition department (scaffolded from its own database) through the gateway, compared with what
 * its tables hold. Its database: DATABASE_URL_PETITION when set, else the hub's (with the dev stand-in, if any).
 */
let t: TestHub;
beforeAll(async () => {
  const own = process.env.DATABASE_URL_PETITION;
  t = await startTestHub(own ? { DATABASE_URL_PETITION: own } : {});
});
afterAll(async () => {
  await t?.stop();
});

/** The first records of a table in key order, read through the subgraph's own (read-only) connection. */
function firstRows<T extends object>(entity: EntityClass<T>, key: keyof T & string): Promise<T[]> {
  return t.hub.subgraphs.petition.orm.em.fork().find(entity, {}, { orderBy: { [key]: 'asc' } as never, limit: 5 });
}

it("reads the department's database read-only", async () => {
  const em = t.hub.subgraphs.petition.orm.em.fork();
  await expect(em.getConnection().execute('create table "xf".hub_must_not_write (x int)')).rejects.toThrow(/read-only transaction/);
});

describe('PetitionPerson (xf.xf_person)', () => {
  const SELECTION = 'ryid xm xb lxdh zz djsj person { id }';
  const answered = (r: PetitionPerson) => ({
    ryid: r.ryid,
    xm: asAdmin('PetitionPerson', 'xm', r, r.xm),
    xb: asAdmin('PetitionPerson', 'xb', r, r.xb ?? null),
    lxdh: asAdmin('PetitionPerson', 'lxdh', r, r.lxdh ?? null),
    zz: asAdmin('PetitionPerson', 'zz', r, r.zz ?? null),
    djsj: asAdmin('PetitionPerson', 'djsj', r, r.djsj.toISOString()),
    person: personOf(r.sfzh),
  });

  it('lists the first records in key order and reads one by key, as admin: what the table holds, as the policy shows it', async () => {
    const rows = await firstRows(PetitionPerson, 'ryid');
    expect(rows.length).toBeGreaterThan(0);
    const list = await t.query<{ petitionPersons: { edges: Array<{ node: unknown }> } }>(
      'admin',
      `{ petitionPersons(first: ${rows.length}) { edges { node { ${SELECTION} } } } }`,
    );
    expect(unexpected(list.body.errors)).toEqual([]);
    expect(list.body.data!.petitionPersons.edges.map((e) => e.node)).toEqual(rows.map(answered));
    const one = await t.query<{ petitionPerson: unknown }>('admin', `query ($key: ID!) { petitionPerson(ryid: $key) { ${SELECTION} } }`, { key: rows[0].ryid });
    expect(unexpected(one.body.errors)).toEqual([]);
    expect(one.body.data!.petitionPerson).toEqual(answered(rows[0]));
  });

  it('denies the agencies the policy does not grant (deny by default)', async () => {
    const res = await t.query(deniedAgency('petitionPersons'), '{ petitionPersons(first: 1) { edges { node { ryid } } } }');
    expect(res.body.data?.petitionPersons ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
  });

  it("finds a person's records by the key computed from sfzh (several people, one request)", async () => {
    const rows = (await firstRows(PetitionPerson, 'ryid')).filter((r) => personOf(r.sfzh) !== null);
    expect(rows.length).toBeGreaterThan(0);
    const people = rows.slice(0, 3).map((r) => personOf(r.sfzh)!.id);
    const res = await t.subgraphQuery<{ _entities: Array<{ petitionPersons: Array<{ ryid: string }> }> }>(
      'petition',
      'admin',
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { petitionPersons { ryid } } } }',
      { r: people.map((id) => ({ __typename: 'Person', id })) },
    );
    expect(res.body.errors).toBeUndefined();
    rows.slice(0, 3).forEach((r, i) => expect(res.body.data!._entities[i].petitionPersons.map((x) => x.ryid)).toContain(r.ryid));
  });
});

describe('PetitionCase (xf.xf_case)', () => {
  const SELECTION = 'xfjbh ryid xfxs xfrq nrzy blzt wgdm wgsjbh rs gxsj petitionPerson { ryid }';
  const answered = (r: PetitionCase) => ({
    xfjbh: r.xfjbh,
    ryid: asAdmin('PetitionCase', 'ryid', r, r.ryid),
    xfxs: asAdmin('PetitionCase', 'xfxs', r, r.xfxs),
    xfrq: asAdmin('PetitionCase', 'xfrq', r, r.xfrq),
    nrzy: asAdmin('PetitionCase', 'nrzy', r, r.nrzy ?? null),
    blzt: asAdmin('PetitionCase', 'blzt', r, r.blzt),
    wgdm: asAdmin('PetitionCase', 'wgdm', r, r.wgdm),
    wgsjbh: asAdmin('PetitionCase', 'wgsjbh', r, r.wgsjbh ?? null),
    rs: asAdmin('PetitionCase', 'rs', r, r.rs),
    gxsj: asAdmin('PetitionCase', 'gxsj', r, r.gxsj.toISOString()),
    petitionPerson: { ryid: r.ryid },
  });

  it('lists the first records in key order and reads one by key, as admin: what the table holds, as the policy shows it', async () => {
    const rows = await firstRows(PetitionCase, 'xfjbh');
    expect(rows.length).toBeGreaterThan(0);
    const list = await t.query<{ petitionCases: { edges: Array<{ node: unknown }> } }>(
      'admin',
      `{ petitionCases(first: ${rows.length}) { edges { node { ${SELECTION} } } } }`,
    );
    expect(unexpected(list.body.errors)).toEqual([]);
    expect(list.body.data!.petitionCases.edges.map((e) => e.node)).toEqual(rows.map(answered));
    const one = await t.query<{ petitionCase: unknown }>('admin', `query ($key: ID!) { petitionCase(xfjbh: $key) { ${SELECTION} } }`, { key: rows[0].xfjbh });
    expect(unexpected(one.body.errors)).toEqual([]);
    expect(one.body.data!.petitionCase).toEqual(answered(rows[0]));
  });

  it('denies the agencies the policy does not grant (deny by default)', async () => {
    const res = await t.query(deniedAgency('petitionCases'), '{ petitionCases(first: 1) { edges { node { xfjbh } } } }');
    expect(res.body.data?.petitionCases ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
  });
});
