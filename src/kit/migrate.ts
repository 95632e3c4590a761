import type { MikroORM } from '@mikro-orm/postgresql';
import { migrateAudit, registerChain } from '../audit/migrate';
import { migrateDepartment } from '../shared/db';
import type { SubgraphDefinition } from './department';

/**
 * What a subgraph does to its databases before it serves: migrate its own schema (a department's
 * own system is read as it is), then, by `auditSetup`, migrate the audit schema and register its
 * chain. Run at start (`hub serve`) or on its own beforehand (`hub migration apply`, the
 * Kubernetes init container), so a new version never serves on an old schema.
 */
export async function prepareSubgraphSchemas(
  def: SubgraphDefinition,
  orm: MikroORM,
  audit: { databaseUrl: string | null; setup: 'migrate' | 'register' | 'none' },
): Promise<{ applied: string[] }> {
  const applied = def.existingDatabase ? [] : await migrateDepartment(orm);
  if (audit.databaseUrl && audit.setup === 'migrate') await migrateAudit(audit.databaseUrl);
  if (audit.databaseUrl && audit.setup !== 'none') await registerChain(audit.databaseUrl, def.name);
  return { applied };
}
