import { Client } from 'pg';
import { migrations } from '../../migrations/audit';
import { migrateDepartment, openDepartmentOrm } from '../shared/db';

/** Serialises chain registrations of subgraphs starting at once (roles are cluster-wide; only at start). */
const REGISTER_LOCK = 7220115;

/**
 * Creates or updates the audit schema on `url` (idempotent). Run once per audit database before
 * the subgraphs that write to it start (`hub start`), or by a subgraph started on its own (`hub
 * serve`). Runs as the migrating login, which must be able to create roles and own the trail's objects.
 */
export async function migrateAudit(url: string): Promise<void> {
  const orm = await openDepartmentOrm({ schema: 'audit', clientUrl: url, entities: [], migrations });
  try {
    await migrateDepartment(orm);
  } finally {
    await orm.close();
  }
}

/** Registers a subgraph's chain with the role its writer appends as (`audit.register_chain`); the schema must exist. */
export async function registerChain(url: string, chain: string): Promise<void> {
  const client = new Client({ connectionString: url, application_name: 'pingan-hub-audit-migrate' });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [REGISTER_LOCK]);
    // The function and the chains are the trail owner's. A superuser (embedded mode) calls it as itself and may
    // create the chain's role; a migrating login that is not one (compose's hub_audit, whose roles were made
    // beforehand) calls it as the owner, which it may SET ROLE to without holding its rights.
    const { rows } = await client.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user');
    if (!rows[0]?.rolsuper) await client.query('set local role pingan_audit_owner');
    await client.query('select audit.register_chain($1)', [chain]);
    await client.query('commit');
  } finally {
    await client.end();
  }
}

export { migrations as auditMigrations };
