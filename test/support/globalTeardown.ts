import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { dropDatabase } from '../../src/shared/db';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.HUB_TEST_SERVER_URL;
  const template = process.env.HUB_TEST_TEMPLATE;
  if (serverUrl && template) await dropDatabase(serverUrl, template);
  const pg = globalThis.__embeddedPostgres;
  if (pg) {
    await pg.stop();
    rmSync(dirname(pg.dir), { recursive: true, force: true });
  }
}
