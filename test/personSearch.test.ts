import { maskPhone } from '../src/policy/masking';
import { namePinyin } from '../src/shared/pinyin';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/*
 * Person search (`searchPersons`): by name (characters or pinyin), phone and address fragments,
 * limited in SQL to the records on which the caller sees every searched field unmasked, and
 * audited as a search without the fragments.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

interface Resident {
  id: string;
  name: string;
  phone: string;
  address: string;
  gridCode: string;
}
const resident = async (where: string, params: unknown[] = []): Promise<Resident> =>
  (await sql<Resident>(t, `select id, name, phone, address, grid_code as "gridCode" from grid.person where ${where} order by id limit 1`, params))[0];

const SEARCH = `query ($name: String, $phone: String, $address: String, $first: Int) {
  searchPersons(name: $name, phone: $phone, address: $address, first: $first) { totalCount edges { node { id name phone } } }
}`;
interface Found {
  searchPersons: { totalCount: number; edges: Array<{ node: { id: string; name: string | null; phone: string | null } }> } | null;
}
const search = async (who: Parameters<TestHub['query']>[0], vars: Record<string, unknown>) => {
  const res = await t.query<Found>(who, SEARCH, { first: 100, ...vars });
  const nodes = res.body.data?.searchPersons?.edges.map((e) => e.node) ?? [];
  return { res, nodes, ids: nodes.map((n) => n.id) };
};
const asOf = async (agency: 'police' | 'procuratorate' | 'grid' | 'admin', jurisdiction?: string[]) =>
  ({ token: await t.token(agency, jurisdiction ? { jurisdiction } : {}) }) as const;

describe('person search', () => {
  it('finds a person by phone, name, pinyin and address inside the jurisdiction, and nobody outside it', async () => {
    const police = await asOf('police');
    const inside = await resident(`grid_code like '211402%'`);
    const outside = await resident(`grid_code like '211481%'`);
    const byPhone = await search(police, { phone: inside.phone.slice(3, 10) });
    expect(byPhone.ids).toContain(inside.id);
    expect(byPhone.nodes.find((n) => n.id === inside.id)).toEqual({ id: inside.id, name: inside.name, phone: inside.phone });
    expect(byPhone.res.body.data?.searchPersons?.totalCount).toBe(byPhone.ids.length);
    expect((await search(police, { name: inside.name })).ids).toContain(inside.id);
    const [full, initials] = namePinyin(inside.name).split(' ');
    expect((await search(police, { name: full.toUpperCase() })).ids).toContain(inside.id);
    expect((await search(police, { name: initials, phone: inside.phone })).ids).toEqual([inside.id]);
    expect((await search(police, { address: inside.address.slice(-8) })).ids).toContain(inside.id);
    // Another district's resident: the same search finds nothing, though the phone exists.
    const far = await search(police, { phone: outside.phone });
    expect(far.ids).toEqual([]);
    expect(far.res.body.data?.searchPersons?.totalCount).toBe(0);
  });

  it('costs the same SQL statements for one match as for a page of them', async () => {
    const police = await asOf('police');
    const inside = await resident(`grid_code like '211402%'`);
    const statements = async (vars: Record<string, unknown>) => {
      const before = t.sqlStatements();
      const { ids } = await search(police, vars);
      return { found: ids.length, statements: t.sqlStatements() - before };
    };
    const one = await statements({ phone: inside.phone });
    const many = await statements({ address: '连山区' });
    expect(one.found).toBe(1);
    expect(many.found).toBe(100);
    process.stdout.write(`person search: ${one.statements} SQL statements for 1 person, ${many.statements} for 100 (with totalCount)\n`);
    expect(many.statements).toBe(one.statements);
  });

  it('limits a grid worker to their own grid', async () => {
    const own = await resident(`grid_code = (select min(grid_code) from grid.person where grid_code like '211402%')`);
    const neighbour = await resident(`grid_code like '211402%' and grid_code <> $1`, [own.gridCode]);
    const worker = await asOf('grid', [own.gridCode]);
    expect((await search(worker, { phone: own.phone })).ids).toEqual([own.id]);
    expect((await search(worker, { phone: neighbour.phone })).ids).toEqual([]);
  });

  it('matches nobody on a field the caller sees masked, and masks what it returns', async () => {
    const inside = await resident(`grid_code like '211402%'`);
    // Prosecutors see phone numbers only for their case: a phone search would be an oracle.
    const prosecutor = await asOf('procuratorate');
    const byPhone = await search(prosecutor, { phone: inside.phone });
    expect(byPhone.res.body.errors).toBeUndefined();
    expect(byPhone.ids).toEqual([]);
    expect(byPhone.res.body.data?.searchPersons?.totalCount).toBe(0);
    // Their own district's names are theirs: found by name, the phone comes back masked.
    const byName = await search(prosecutor, { name: inside.name });
    expect(byName.nodes.find((n) => n.id === inside.id)).toEqual({ id: inside.id, name: inside.name, phone: maskPhone(inside.phone) });
    // The administrator sees every name masked: a name search finds nobody.
    expect((await search(await asOf('admin'), { name: inside.name })).ids).toEqual([]);
  });

  it('is audited as a search: what was searched by and what it returned, never the fragment', async () => {
    const inside = await resident(`grid_code like '211402%'`);
    const fragment = inside.phone.slice(2, 9);
    const { res, ids } = await search(await asOf('police'), { phone: fragment });
    expect(ids).toContain(inside.id);
    const rows = await sql<{ entity_id: string | null; field: string; reason: string; paths: string[]; fields: string[] | null }>(
      t,
      `select entity_id, field, reason, paths, fields from audit.access_log where request_id = $1 and field = '*' order by seq`,
      [res.headers.get('x-request-id')],
    );
    expect(rows.filter((r) => r.reason === 'searched')).toEqual([
      { entity_id: null, field: '*', reason: 'searched', paths: ['searchPersons'], fields: ['phone'] },
    ]);
    const looked = rows.filter((r) => r.reason === 'looked up');
    expect(looked.map((r) => r.entity_id).sort()).toEqual([...ids].sort());
    expect(looked.find((r) => r.entity_id === inside.id)?.paths[0]).toMatch(/^searchPersons\.edges\.\d+\.node$/);
    const leaked = await sql(t, `select 1 from audit.access_log where (to_jsonb(access_log.*))::text like $1`, [`%${fragment}%`]);
    expect(leaked).toEqual([]);
  });

  it('refuses short, malformed or missing fragments with BAD_USER_INPUT, without echoing them', async () => {
    const police = await asOf('police');
    for (const vars of [{ name: '张' }, { name: 'z' }, { phone: '138' }, { phone: '13a45678' }, { address: '\u0007路' }, {}]) {
      const { res } = await search(police, vars);
      const label = JSON.stringify(vars);
      expect({ label, codes: res.body.errors?.map((e) => e.extensions?.code) }).toEqual({ label, codes: ['BAD_USER_INPUT'] });
      for (const v of Object.values(vars)) expect(res.body.errors?.[0].message).not.toContain(v);
    }
    // LIKE's wildcards in a fragment match themselves: `%%` is not "everyone".
    expect((await search(police, { address: '%%' })).ids).toEqual([]);
  });
});
