import 'reflect-metadata';
import { join } from 'node:path';
import { Client } from 'pg';
import { prepareDatabase } from '../src/cli/runtime';
import type { HubConfig } from '../src/shared/config';
import { ensureDatabase, withDatabase } from '../src/shared/db';
import { buildDemoCity, DEMO_SIZES } from '../src/demo/city';
import { startEmbeddedPostgres } from '../src/shared/embeddedPostgres';

export interface BenchDatabase {
  url: string;
  /** What the runs read: "embedded, demo city (small)" or the external server's host/database. */
  description: string;
  /** Rows loaded per department when a department was empty (null: it had data already). */
  seeded: Record<string, Record<string, number> | null>;
  /** Row counts of the main tables, for the report. */
  counts: Record<string, number>;
  stop(): Promise<void>;
}

const COUNTED_TABLES = [
  'grid.person',
  'grid.grid',
  'police.police_case',
  'police.case_participant',
  'procuratorate.prosecution_case',
  'court.court_case',
  'court.court_party',
  'justice.mediation_case',
  'justice.community_correction',
];

/**
 * The database the hub, the SQL floor and the sampling all read. With a URL (a city-scale
 * database another run filled), it is only migrated, and seeded only where a department is empty;
 * without one, a throwaway embedded PostgreSQL gets the small demo city.
 */
export async function openBenchDatabase(config: HubConfig, databaseUrl: string | undefined): Promise<BenchDatabase> {
  let url = databaseUrl;
  let stop = async () => {};
  let description: string;
  if (url) {
    const u = new URL(url);
    description = `external PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } else {
    const pg = await startEmbeddedPostgres(join(config.dataDir, 'bench-pg'), { fresh: true, durable: false });
    await ensureDatabase(pg.url, 'pingan_bench');
    url = withDatabase(pg.url, 'pingan_bench');
    stop = () => pg.stop();
    description = 'embedded PostgreSQL, demo city (small)';
  }
  try {
    const seeded = await prepareDatabase(url, buildDemoCity(DEMO_SIZES.small), config.personKeySecret);
    const counts = await countRows(url);
    return { url, description, seeded, counts, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function countRows(url: string): Promise<Record<string, number>> {
  return withClient(url, async (c) => {
    const counts: Record<string, number> = {};
    for (const t of COUNTED_TABLES) counts[t] = Number((await c.query<{ n: string }>(`select count(*) as n from ${t}`)).rows[0].n);
    return counts;
  });
}

export async function withClient<T>(url: string, f: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.end();
  }
}
