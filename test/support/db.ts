import { Client } from 'pg';
import { withDatabase } from '../../src/shared/db';
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
