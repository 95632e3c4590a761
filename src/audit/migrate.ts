import { migrations } from '../../migrations/audit';
import { migrateDepartment, openDepartmentOrm } from '../shared/db';

/** Creates or updates the audit schema on `url` (idempotent; every writer runs it at start). */
export async function migrateAudit(url: string): Promise<void> {
  const orm = await openDepartmentOrm({ schema: 'audit', clientUrl: url, entities: [], migrations });
  try {
    await migrateDepartment(orm);
  } finally {
    await orm.close();
  }
}

export { migrations as auditMigrations };
