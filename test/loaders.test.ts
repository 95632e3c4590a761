import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Loaders } from '../src/kit/loaders';
import { dropDatabase, ensureDatabase, openDepartmentOrm, withDatabase } from '../src/shared/db';
import { courtDepartment } from '../src/subgraphs/court';
import { CourtCase, CourtParty, Hearing } from '../src/subgraphs/court/entities';
import { gridDepartment } from '../src/subgraphs/grid';
import { GridEvent } from '../src/subgraphs/grid/entities';

/**
 * The hot loaders run one named prepared statement per batch and hydrate through the request's
 * identity map: the same entities `em.find` gives, the same object for a record however it was
 * reached (the policy decides once per record object), one statement per batch, counted.
 */
describe('loaders on prepared statements', () => {
  const serverUrl = process.env.HUB_TEST_SERVER_URL!;
  const database = `loaders_${randomBytes(5).toString('hex')}`;
  let court: MikroORM;
  let grid: MikroORM;
  const statements: string[] = [];

  beforeAll(async () => {
    await ensureDatabase(serverUrl, database, process.env.HUB_TEST_TEMPLATE);
    const clientUrl = withDatabase(serverUrl, database);
    // One connection: the prepared statements of the session are then the pool's.
    court = await openDepartmentOrm({ ...courtDepartment, schema: 'court', clientUrl, poolMax: 1, onQuery: (sql) => statements.push(sql) });
    grid = await openDepartmentOrm({ ...gridDepartment, schema: 'grid', clientUrl, poolMax: 1 });
  });
  afterAll(async () => {
    await court?.close();
    await grid?.close();
    await dropDatabase(serverUrl, database);
  });

  it('loads what em.find loads, as entities, in one counted statement per batch', async () => {
    const reference = court.em.fork();
    const cases = await reference.find(CourtCase, {}, { orderBy: { caseNo: 'asc' }, limit: 12 });
    const keys = [...cases.map((c) => c.caseNo), 'no-such-case'];
    const loaders = new Loaders(court.em.fork());
    statements.length = 0;
    const loaded = await Promise.all(keys.map((k) => loaders.one(CourtCase, 'caseNo').load(k)));
    expect(statements).toHaveLength(1);
    expect(loaders.batches).toBe(1);
    expect(loaded.at(-1)).toBeNull();
    // Entities keep their values as own properties: the comparisons below compare every column.
    expect(Object.keys({ ...cases[0] })).toEqual(expect.arrayContaining(['caseNo', 'kind', 'status', 'filedOn']));
    for (const [i, c] of cases.entries()) {
      expect(loaded[i]).toBeInstanceOf(CourtCase);
      expect({ ...loaded[i]! }).toEqual({ ...c });
    }

    // One-to-many with the order em.find gives, grouped by key; a numeric key column too.
    const expected = await reference.find(Hearing, { caseNo: { $in: keys } }, { orderBy: { heldOn: 'asc', id: 'asc' } });
    const hearings = await Promise.all(keys.map((k) => loaders.many(Hearing, 'caseNo', { heldOn: 'asc', id: 'asc' }).load(k)));
    expect(hearings.flat().map((h) => ({ ...h }))).toEqual(keys.flatMap((k) => expected.filter((h) => h.caseNo === k).map((h) => ({ ...h }))));
    expect(expected.length).toBeGreaterThan(0);
    const parties = await reference.find(CourtParty, { caseNo: { $in: keys } });
    const byId = await loaders.one(CourtParty, 'id').loadMany(parties.map((p) => String(p.id)));
    expect(byId.map((p) => ({ ...(p as CourtParty) }))).toEqual(parties.map((p) => ({ ...p })));
    const counts = await loaders.count(CourtParty, 'caseNo').loadMany(keys);
    expect(counts).toEqual(keys.map((k) => parties.filter((p) => p.caseNo === k).length));
  });

  it('hands back the one object per record that em.find and the other loaders hand back', async () => {
    const em = court.em.fork();
    const loaders = new Loaders(em);
    const party = (await em.find(CourtParty, {}, { limit: 1 }))[0];
    const [viaCase] = (await loaders.many(CourtParty, 'caseNo').load(party.caseNo)).filter((p) => p.id === party.id);
    const [viaPerson] = (await loaders.many(CourtParty, 'personId').load(party.personId)).filter((p) => p.id === party.id);
    expect(viaCase).toBe(party);
    expect(viaPerson).toBe(party);
    const courtCase = await loaders.one(CourtCase, 'caseNo').load(party.caseNo);
    expect(await em.findOne(CourtCase, { caseNo: party.caseNo })).toBe(courtCase);
  });

  it('runs as a named prepared statement selecting the mapped columns', async () => {
    const em = court.em.fork();
    await new Loaders(em).one(CourtCase, 'caseNo').load('any');
    const prepared = await em
      .getConnection()
      .execute<Array<{ name: string; statement: string }>>(
        `select name, statement from pg_prepared_statements where name like 'loader_%' and statement like '%"court_case"%'`,
      );
    expect(prepared.length).toBeGreaterThan(0);
    const columns = court.em
      .getMetadata()
      .get(CourtCase.name)
      .props.flatMap((p) => p.fieldNames);
    for (const p of prepared) {
      expect(p.statement).not.toContain('*');
      for (const c of columns) expect(p.statement).toContain(`"${c}"`);
    }
  });

  it('finds array members (containing) and keeps a scoped type on em.find', async () => {
    const em = grid.em.fork();
    const event = (await em.find(GridEvent, {}, { orderBy: { id: 'asc' } })).find((e) => e.involvedPersonIds.length > 0)!;
    const person = event.involvedPersonIds[0];
    const loaded = await new Loaders(em).containing(GridEvent, 'involvedPersonIds').load(person);
    expect(loaded).toContain(event);
    expect(loaded.every((e) => e.involvedPersonIds.includes(person))).toBe(true);

    // A scope (the policy's notFoundOutside) that excludes the event: the batch finds nothing.
    const scoped = new Loaders(grid.em.fork(), (type) => (type === 'GridEvent' ? { gridCode: { $ne: event.gridCode } } : null));
    expect((await scoped.containing(GridEvent, 'involvedPersonIds').load(person)).map((e) => e.id)).not.toContain(event.id);
  });
});
