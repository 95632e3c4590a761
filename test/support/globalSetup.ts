import 'reflect-metadata';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDatabase } from '../../src/cli/runtime';
import { DEV_PERSON_KEY_SECRET } from '../../src/shared/config';
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/shared/db';
import { buildDemoCity, DEMO_SIZES } from '../../src/demo/city';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/shared/embeddedPostgres';

declare global {
  var __embeddedPostgres: EmbeddedDatabase | undefined;
}

/**
 * One PostgreSQL server per test run (embedded, or DATABASE_URL when set) and one template
 * database, migrated and seeded with the small demo city; each test file clones it.
 * `HUB_TEST_BASE_TEMPLATE` names a template to start from instead of an empty database.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'pingan-hub-test-pg-'));
    // initdb runs as the unprivileged `postgres` user when we are root: it must be able to enter the folder.
    chmodSync(dir, 0o755);
    globalThis.__embeddedPostgres = await startEmbeddedPostgres(join(dir, 'pg'), { durable: false });
    serverUrl = globalThis.__embeddedPostgres.url;
  }
  const template = `hub_template_${process.pid}`;
  await dropDatabase(serverUrl, template);
  // A run inside another (test/newDepartment.test.ts runs the tests of a scaffolded copy) starts from the
  // outer run's template: what is there already is kept (migrations applied, city seeded, statistics
  // released), and only what the copy adds (a new department's schema and demo rows) is prepared below.
  await ensureDatabase(serverUrl, template, process.env.HUB_TEST_BASE_TEMPLATE || undefined);
  await prepareDatabase(withDatabase(serverUrl, template), buildDemoCity(DEMO_SIZES.small), DEV_PERSON_KEY_SECRET);
  // MikroORM keeps entity metadata on globalThis; left here it leaks into a test file run in band
  // (one file, no workers) and breaks discovery there with cross-realm Maps.
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing MikroORM's globals is the point
  for (const k of Object.keys(globalThis)) if (k.startsWith('mikro-orm-')) delete (globalThis as Record<string, unknown>)[k];
  process.env.HUB_TEST_SERVER_URL = serverUrl;
  process.env.HUB_TEST_TEMPLATE = template;
}
