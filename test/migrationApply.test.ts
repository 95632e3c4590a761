import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateRole, serve } from '../src/cli/serve';
import { ConfigError } from '../src/shared/errors';
import { subgraphs } from '../src/subgraphs';
import { hub } from './support/cli';
import { emptyDatabase, sqlAt } from './support/db';

/**
 * `hub migration apply <subgraph>` prepares a subgraph's databases before a new version serves (the
 * Kubernetes init container); that version then starts with `SCHEMA_MIGRATE=off` and changes no schema.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-migrate-'));
let db: Awaited<ReturnType<typeof emptyDatabase>>;
beforeAll(async () => {
  db = await emptyDatabase('migration_apply');
});
afterAll(async () => {
  await db.drop();
  rmSync(dataDir, { recursive: true, force: true });
});
const env = () => ({ DATABASE_URL: db.url, HUB_DATA_DIR: dataDir, AUDIT_DATABASE_URL: '' });
const appliedIn = (schema: string) =>
  sqlAt<{ name: string }>(db.url, `select name from ${schema}.mikro_orm_migrations order by id`).then((rows) => rows.map((r) => r.name));

test('a subgraph started with SCHEMA_MIGRATE=off on an unmigrated database changes nothing and is not ready', async () => {
  const served = await serve('police', { ...env(), PORT: '0', OPS_PORT: '0', SCHEMA_MIGRATE: 'off', AUDIT_MIGRATE: 'off', LOG_LEVEL: 'silent' });
  try {
    const ready = await fetch(`${served.opsUrl}/readyz`);
    expect(ready.status).toBe(503);
    const { checks } = (await ready.json()) as { checks: Record<string, string> };
    expect(checks.migrations).not.toBe('ok');
  } finally {
    await served.stop();
  }
  expect(await sqlAt(db.url, `select 1 from information_schema.tables where table_schema in ('police', 'audit')`)).toEqual([]);
});

test('`hub migration apply` migrates the subgraph and the audit trail, registers its chain, and is idempotent; the server then is ready without migrating', async () => {
  const first = hub(['migration', 'apply', 'police'], env());
  expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
  expect(first.stdout.trim()).toBe(`police: applied ${subgraphs.police.migrations.map((m) => m.name).join(', ')}`);
  expect(await appliedIn('police')).toEqual(subgraphs.police.migrations.map((m) => m.name));
  expect(await sqlAt(db.url, `select name, writer_role from audit.chain where name = 'police'`)).toEqual([
    { name: 'police', writer_role: 'pingan_audit_chain_police' },
  ]);

  const again = hub(['migration', 'apply', 'police'], env());
  expect({ status: again.status, stdout: again.stdout.trim() }).toEqual({ status: 0, stdout: 'police: schema up to date' });

  const served = await serve('police', { ...env(), PORT: '0', OPS_PORT: '0', SCHEMA_MIGRATE: 'off', AUDIT_MIGRATE: 'off', LOG_LEVEL: 'silent' });
  try {
    expect((await fetch(`${served.opsUrl}/readyz`)).status).toBe(200);
  } finally {
    await served.stop();
  }
});

test('refuses an unknown subgraph plainly with exit code 2, and a missing database URL before it connects anywhere', async () => {
  const res = hub(['migration', 'apply', 'library'], { HUB_DATA_DIR: dataDir });
  expect(res.status).toBe(2);
  expect(res.stderr).toContain('unknown subgraph "library"');
  expect(res.stderr).not.toMatch(/\n\s+at /);
  // A configuration error: the CLI prints it in one block with exit code 2, as for every command.
  await expect(migrateRole('police', { HUB_DATA_DIR: dataDir })).rejects.toThrow(
    new ConfigError(['DATABASE_URL_POLICE or DATABASE_URL: required by `hub migration apply police` (only `hub start` runs an embedded PostgreSQL)']),
  );
});
