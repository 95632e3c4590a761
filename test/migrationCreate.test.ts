import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { createMigration, MigrationRefused } from '../src/cli/migrationCreate';
import { departmentOrmOptions } from '../src/shared/db';
import { repoRoot } from '../src/shared/paths';
import { subgraphs } from '../src/subgraphs';
import { emptyDatabase, sqlAt } from './support/db';

/**
 * `hub migration create <department>` on an unchanged tree: the entities and the migrations agree,
 * hand-written indexes included (the prefix indexes are declared on the entities), so nothing is
 * written. The audit schema and the departments that keep their own systems are refused.
 */
const databases: Array<Awaited<ReturnType<typeof emptyDatabase>>> = [];
/** A database of its own per department, as the command has: a diff sees only that department's schema. */
async function freshDatabase(name: string): Promise<string> {
  const db = await emptyDatabase(`migration_create_${name}`);
  databases.push(db);
  return db.url;
}
afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()));
});

const migrationsDir = join(repoRoot, 'migrations');
/** Every file under migrations/ with its content: what a written migration would change. */
const migrationFiles = (): Record<string, string> =>
  Object.fromEntries(
    readdirSync(migrationsDir).flatMap((d) => readdirSync(join(migrationsDir, d)).map((f) => [`${d}/${f}`, readFileSync(join(migrationsDir, d, f), 'utf8')])),
  );
const native = Object.values(subgraphs).filter((def) => def.name !== 'audit' && !def.existingDatabase && !def.existingApi);

describe('hub migration create on an unchanged tree', () => {
  it('finds no changes in any department and writes nothing', async () => {
    const before = migrationFiles();
    expect(native.map((d) => d.name).sort()).toEqual(['court', 'grid', 'justice', 'police', 'procuratorate', 'workflow']);
    try {
      for (const def of native)
        expect({ department: def.name, file: await createMigration(def, await freshDatabase(def.name)) }).toEqual({ department: def.name, file: null });
      expect(migrationFiles()).toEqual(before);
    } finally {
      // A failing run must not leave a migration in the repository.
      const after = migrationFiles();
      for (const f of Object.keys(after)) if (!(f in before)) rmSync(join(migrationsDir, f));
      for (const [f, text] of Object.entries(before)) if (after[f] !== text) writeFileSync(join(migrationsDir, f), text);
    }
  });

  it('still sees a difference: a prefix index missing from the database is one', async () => {
    const grid = subgraphs.grid;
    const url = await freshDatabase('grid_control');
    const orm = await MikroORM.init(departmentOrmOptions({ schema: 'grid', clientUrl: url, entities: grid.entities, migrations: grid.migrations }));
    try {
      await orm.migrator.up();
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
      await sqlAt(url, 'drop index grid.person_grid_code_prefix_index');
      const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
      expect(diff).toContain('person_grid_code_prefix_index');
      expect(diff).toContain('varchar_pattern_ops');
    } finally {
      await orm.close();
    }
  });

  it('refuses the audit schema (written by hand) and the departments that keep their own systems', async () => {
    const url = await freshDatabase('refused');
    for (const name of ['audit', 'petition', 'hotline'] as const) await expect(createMigration(subgraphs[name], url)).rejects.toThrow(MigrationRefused);
  });
});
