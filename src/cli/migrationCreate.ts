import { writeFileSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { departmentOrmOptions } from '../shared/db';
import { MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphDefinition } from '../kit/department';
import { repoRoot } from '../shared/paths';
import { SUBGRAPH_REGISTRY } from '../shared/registry';

export class MigrationRefused extends Error {}

/**
 * Writes a migration for the difference between a department's entities and its migrated schema,
 * and registers it in `migrations/<department>/index.ts`. Needs a database (`url`) to diff against.
 */
export async function createMigration(def: SubgraphDefinition, url: string): Promise<string | null> {
  // The audit schema is SQL written by hand (append-only functions, partitions, roles); its entity only reads it.
  if (SUBGRAPH_REGISTRY[def.name].kind === 'audit')
    throw new MigrationRefused(`${def.name}: its schema is written by hand in migrations/${def.name}/, not derived from its entities`);
  if (def.existingDatabase || def.existingApi) throw new MigrationRefused(`${def.name}: its records stay in its own system; the hub migrates nothing there`);
  const orm = await MikroORM.init(departmentOrmOptions({ schema: def.name, clientUrl: url, entities: def.entities, migrations: def.migrations }));
  try {
    await orm.migrator.up();
    const result = await orm.migrator.createMigration(undefined, false, def.migrations.length === 0);
    if (!result.fileName) return null;
    const className = basename(result.fileName).replace(/\.ts$/, '');
    const indexFile = join(repoRoot, 'migrations', def.name, 'index.ts');
    const index = readFileSync(indexFile, 'utf8')
      .replace(/(import type \{ MigrationObject \} from '@mikro-orm\/core';\n)/, `$1import { ${className} } from './${className}';\n`)
      .replace(
        /= \[(.*)\];/s,
        (_m, list: string) => `= [${list.trim() ? `${list.trim().replace(/,$/, '')},` : ''}\n  { name: '${className}', class: ${className} },\n];`,
      );
    writeFileSync(indexFile, index);
    return result.fileName;
  } finally {
    await orm.close();
  }
}
