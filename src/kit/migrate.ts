import type { MikroORM } from '@mikro-orm/postgresql';
import { migrateAudit, registerChain } from '../audit/migrate';
import { migrateDepartment, openDepartmentOrm, type DepartmentDbOptions } from '../shared/db';
import { SUBGRAPH_REGISTRY, SUBGRAPHS } from '../shared/registry';
import type { SubgraphDefinition } from './department';

/**
 * What a subgraph does to its databases before it serves: migrate its own schema (a department's
 * own system is read as it is), then, by `auditSetup`, migrate the audit schema and register its
 * chain (the audit subgraph: every subgraph's). Run at start (`hub serve`) or on its own beforehand (`hub migration apply`, the
 * Kubernetes init container), so a new version never serves on an old schema.
 */
export async function prepareSubgraphSchemas(
  def: SubgraphDefinition,
  orm: MikroORM,
  audit: { databaseUrl: string | null; setup: 'migrate' | 'register' | 'none' },
  hubUrl: string | null = null,
): Promise<{ applied: string[] }> {
  const applied = !def.existingDatabase
    ? await migrateDepartment(orm)
    : hasHubSchema(def) && hubUrl
      ? await withHubSchema(def, hubUrl, async (_, done) => done)
      : [];
  await def.jobQueue?.migrate(orm.config.getClientUrl());
  if (audit.databaseUrl && audit.setup === 'migrate') await migrateAudit(audit.databaseUrl);
  // The audit subgraph, the audit database's owner, registers every subgraph's chain: a department that
  // appends with a login of its own (AUDIT_MIGRATE=off: docker/compose.yaml) may not register one.
  const chains = SUBGRAPH_REGISTRY[def.name].kind === 'audit' ? SUBGRAPHS : [def.name];
  if (audit.databaseUrl && audit.setup !== 'none') for (const chain of chains) await registerChain(audit.databaseUrl, chain);
  return { applied };
}

/**
 * Opens a subgraph's ORM on `url` for one piece of work and closes it after: its own schema, or a
 * department's own system read-only. For the command line's one-off work (migrate, seed, refresh a
 * release); a running subgraph keeps its ORM for its life (`startSubgraph`).
 */
export async function withSubgraphOrm<T>(
  def: SubgraphDefinition,
  url: string,
  work: (orm: MikroORM) => Promise<T>,
  options: Pick<DepartmentDbOptions, 'statementTimeoutMs' | 'connectTimeoutMs' | 'poolMax'> = {},
): Promise<T> {
  const orm = await openDepartmentOrm({
    schema: def.existingDatabase?.schema ?? def.name,
    readOnly: def.existingDatabase !== undefined,
    clientUrl: url,
    entities: def.entities,
    migrations: def.migrations,
    ...options,
  });
  try {
    return await work(orm);
  } finally {
    await orm.close();
  }
}

/**
 * A department whose records stay in its own, read-only system and which publishes statistics:
 * the hub keeps its release in a schema of its own for it, in the hub's database, named after the
 * department and made by its `migrations`.
 */
export function hasHubSchema(def: SubgraphDefinition): boolean {
  return def.existingDatabase !== undefined && def.migrations.length > 0;
}

/** Opens the hub's own schema of such a department on `url` (the hub's database, as its owner), migrates it, and runs `work` with it and the migrations applied. */
export async function withHubSchema<T>(def: SubgraphDefinition, url: string, work: (orm: MikroORM, applied: string[]) => Promise<T>): Promise<T> {
  const orm = await openDepartmentOrm({ schema: def.name, clientUrl: url, entities: [], migrations: def.migrations, statementTimeoutMs: 0, poolMax: 2 });
  try {
    return await work(orm, await migrateDepartment(orm));
  } finally {
    await orm.close();
  }
}
