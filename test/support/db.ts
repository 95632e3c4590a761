import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/shared/db';
import type { TestHub } from './hub';

/** Runs SQL directly on a test hub's database (to read raw values, or to break things on purpose). */
export async function sql<T = Record<string, unknown>>(t: TestHub, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: withDatabase(t.serverUrl, t.database) });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server (no template), with its URL; `drop()` removes it. */
export async function emptyDatabase(prefix: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const serverUrl = process.env.HUB_TEST_SERVER_URL!;
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(serverUrl, name);
  return { url: withDatabase(serverUrl, name), name, drop: () => dropDatabase(serverUrl, name) };
}

/** Runs SQL on the database at `url`. */
export async function sqlAt<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
