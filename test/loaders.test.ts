import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Loaders, plainColumns, rowMapper } from '../src/kit/loaders';
import { dropDatabase, ensureDatabase, openDepartmentOrm, withDatabase } from '../src/shared/db';
import { subgraphList } from '../src/subgraphs';
import { courtDepartment } from '../src/subgraphs/court';
import { CourtCase, CourtParty, Hearing } from '../src/subgraphs/court/entities';
import { gridDepartment } from '../src/subgraphs/grid';
import { GridEvent } from '../src/subgraphs/grid/entities';

/**
 * The hot loaders run one named prepared statement per batch and map its rows to plain objects of
 * the entity's class: the values `em.find` gives, one object per record for the request's
 * loaders (an `em.find` may give another: the policy and audit key records by type and id,
 * test/paths.test.ts), never managed by the ORM, one statement per batch, counted.
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

  it('hands back one object per record across loaders, never one the ORM manages or flushes', async () => {
    const em = court.em.fork();
    const loaders = new Loaders(em);
    const party = (await court.em.fork().find(CourtParty, {}, { limit: 1 }))[0];
    const [viaCase] = (await loaders.many(CourtParty, 'caseNo').load(party.caseNo)).filter((p) => p.id === party.id);
    const [viaPerson] = (await loaders.many(CourtParty, 'personId').load(party.personId)).filter((p) => p.id === party.id);
    const [viaId] = await loaders.one(CourtParty, 'id').loadMany([String(party.id)]);
    expect(viaCase).toBe(viaPerson);
    expect(viaId).toBe(viaCase);
    expect({ ...viaCase }).toEqual({ ...party });

    // Not in the unit of work: a change to it is never written, and em.find reads the row afresh.
    expect(em.getUnitOfWork().getById(CourtParty.name, party.id)).toBeUndefined();
    const role = viaCase.role;
    (viaCase as { role: string }).role = 'changed in memory';
    await em.flush();
    expect((await court.em.fork().findOneOrFail(CourtParty, { id: party.id })).role).toBe(role);
  });

  it('maps rows as em.find hydrates them, for every entity of every subgraph the loaders accept', async () => {
    const clientUrl = withDatabase(serverUrl, database);
    const covered = new Set<string>();
    let entities = 0;
    for (const subgraph of subgraphList()) {
      // A department's own existing database (petition) is another database; its loaders map the same way.
      if (!subgraph.entities.length || subgraph.existingDatabase) continue;
      const orm = await openDepartmentOrm({ ...subgraph, schema: subgraph.name, clientUrl, poolMax: 1 });
      try {
        for (const meta of Object.values(orm.getMetadata().getAll())) {
          const columns = plainColumns(meta);
          if (!columns || !meta.class || !subgraph.entities.includes(meta.class as never)) continue;
          entities++;
          const em = orm.em.fork();
          const order = meta.props
            .filter((p) => p.primary)
            .map((p) => `"${p.fieldNames[0]}"`)
            .join(', ');
          // Rows with as many non-null values as the table has, first: every column's conversion is exercised where the demo city fills it.
          const rows = await em
            .getConnection()
            .execute<Array<Record<string, unknown>>>(
              `select ${columns.map((c) => `"${c}"`).join(', ')} from "${subgraph.name}"."${meta.tableName}" order by ${columns.map((c) => `("${c}" is null)::int`).join(' + ')}, ${order} limit 20`,
              [],
              'all',
            );
          const map = rowMapper<Record<string, unknown>>(meta, orm.em.getPlatform());
          for (const row of rows) {
            const mapped = map(row);
            const where = Object.fromEntries(meta.props.filter((p) => p.primary).map((p) => [p.name, mapped[p.name]]));
            const found = await orm.em.fork().findOneOrFail(meta.class, where);
            expect(mapped).toBeInstanceOf(meta.class);
            expect({ ...mapped }).toStrictEqual({ ...found });
            for (const p of meta.props) if (row[p.fieldNames?.[0]] != null) covered.add(p.columnTypes[0].replace(/\(.*\)/, ''));
          }
        }
      } finally {
        await orm.close();
      }
    }
    expect(entities).toBeGreaterThan(40);
    // The column types the entities use (no json column: none has one), each met with a value, not only null; enums too.
    const types = ['bigserial', 'boolean', 'date', 'int', 'numeric', 'serial', 'smallint', 'text', 'text[]', 'timestamptz', 'varchar', 'verdict'];
    expect([...covered]).toEqual(expect.arrayContaining(types));
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
    expect(loaded.map((e) => ({ ...e }))).toContainEqual({ ...event });
    expect(loaded.every((e) => e.involvedPersonIds.includes(person))).toBe(true);

    // A scope (the policy's notFoundOutside) that excludes the event: the batch finds nothing.
    const scoped = new Loaders(grid.em.fork(), (type) => (type === 'GridEvent' ? { gridCode: { $ne: event.gridCode } } : null));
    expect((await scoped.containing(GridEvent, 'involvedPersonIds').load(person)).map((e) => e.id)).not.toContain(event.id);
  });
});
