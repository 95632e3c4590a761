import 'reflect-metadata';
import { join } from 'node:path';
import { Client } from 'pg';
import { prepareDatabase } from '../src/cli/runtime';
import { runSeed } from '../src/cli/seed';
import { DEFAULT_DB_POOL_MAX, type HubConfig } from '../src/shared/config';
import { ensureDatabase, withDatabase } from '../src/shared/db';
import { buildDemoCity, DEFAULT_HISTORY_MONTHS, DEMO_SEED, DEMO_SIZES } from '../src/demo/city';
import { parseScale } from '../src/demo/scale';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/shared/embeddedPostgres';
import { subgraphList } from '../src/subgraphs';
import { refreshReleases, type RefreshTiming } from './statistics';

/** The city a bench run reads when it sets up its own database: a scale of `hub seed` and a history length. */
export interface BenchCity {
  scale: string;
  historyMonths: number;
}

/** How the city database the bench keeps was seeded (the seed's own report), recorded in it. */
export interface CitySeed {
  scale: string;
  historyMonths: number;
  seed: number;
  seededAt: string;
  seconds: number;
  databaseBytes: number;
  peakRssMiB: number;
  /** Whether this run seeded it (else a previous run did, with the same parameters). */
  seededNow: boolean;
}

export interface BenchDatabase {
  url: string;
  /** What the runs read: "embedded, demo city (small)" or the external server's host/database. */
  description: string;
  /** Rows loaded per department when a department was empty (null: it had data already). */
  seeded: Record<string, Record<string, number> | null>;
  /** Row counts of the main tables, for the report. */
  counts: Record<string, number>;
  /** The statistics releases refreshed as `hub stats refresh` does, each department timed, then 民转刑. */
  refresh: RefreshTiming[];
  /** The city database the bench keeps, when it reads one. */
  city: CitySeed | null;
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
 * The database the hub, the SQL floor and the sampling all read, its statistics releases refreshed
 * (timed) before any hub starts. With a URL (a city-scale database another run filled), it is only
 * migrated, and seeded with the small city only where a department is empty. With a `city` other
 * than the small one of 23 months, the bench keeps its own embedded PostgreSQL for it under the
 * data folder, seeds it once and reuses it while the parameters stay the same. Otherwise a
 * throwaway embedded PostgreSQL gets the small demo city.
 */
export async function openBenchDatabase(
  config: HubConfig,
  opts: { databaseUrl?: string; city: BenchCity },
  log: (line: string) => void,
): Promise<BenchDatabase> {
  let url = opts.databaseUrl;
  let stop = async () => {};
  let description: string;
  let city: CitySeed | null = null;
  const own = !url && (opts.city.scale !== 'small' || opts.city.historyMonths !== DEFAULT_HISTORY_MONTHS);
  if (url) {
    const u = new URL(url);
    description = `external PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } else if (own) {
    const kept = await openCityDatabase(config, opts.city, log);
    ({ url, city } = kept);
    stop = () => kept.pg.stop();
    description = `embedded PostgreSQL kept in ${kept.pg.dir}, demo city at scale ${city.scale}, ${city.historyMonths} months (seed ${city.seed})`;
  } else {
    const pg = await startEmbeddedPostgres(join(config.dataDir, 'bench-pg'), { fresh: true, durable: false });
    await ensureDatabase(pg.url, 'pingan_bench');
    url = withDatabase(pg.url, 'pingan_bench');
    stop = () => pg.stop();
    description = 'embedded PostgreSQL, demo city (small)';
  }
  try {
    const refresh = async () => {
      log('  refreshing the statistics releases (as `hub stats refresh` does)…');
      return refreshReleases(config, url, (r) => log(`    ${r.department}: ${r.cells} cells (${r.withheld} withheld) in ${r.seconds.toFixed(1)} s`));
    };
    // The kept city is seeded without releases: refreshed first, so that the preparation below finds them stored
    // instead of deciding them once more, untimed. Elsewhere the preparation loads the city the refresh needs.
    const refreshed = own ? await refresh() : [];
    const seeded = await prepareDatabase(url, buildDemoCity(DEMO_SIZES.small), config.personKeySecret);
    const counts = await countRows(url);
    return { url, description, seeded, counts, refresh: own ? refreshed : await refresh(), city, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Where the bench records how its city database was seeded. */
const CITY_SEED_TABLE = 'public.bench_city_seed';

/**
 * The embedded server the bench keeps for a city in `<dataDir>/bench-<scale>-pg`, seeded with it;
 * the parameters of the seed are recorded in it, and another city replaces it (said on the log).
 */
async function openCityDatabase(
  config: HubConfig,
  wanted: BenchCity,
  log: (line: string) => void,
): Promise<{ pg: EmbeddedDatabase; url: string; city: CitySeed }> {
  const scale = parseScale(wanted.scale);
  const dir = join(config.dataDir, `bench-${scale.name}-pg`);
  let pg = await startEmbeddedPostgres(dir);
  try {
    await ensureDatabase(pg.url, 'pingan_bench');
    let url = withDatabase(pg.url, 'pingan_bench');
    const stored = await withClient(url, async (c) => {
      if (!(await c.query<{ t: string | null }>('select to_regclass($1) as t', [CITY_SEED_TABLE])).rows[0].t) return null;
      return (await c.query<{ seed: CitySeed }>(`select seed from ${CITY_SEED_TABLE}`)).rows[0]?.seed ?? null;
    });
    const same = stored && stored.scale === scale.name && stored.historyMonths === wanted.historyMonths && stored.seed === DEMO_SEED;
    if (stored && same) {
      log(`  reusing the city in ${dir}: scale ${stored.scale}, ${stored.historyMonths} months, seeded ${stored.seededAt} in ${stored.seconds.toFixed(0)} s`);
      return { pg, url, city: { ...stored, seededNow: false } };
    }
    log(
      stored
        ? `  ${dir} holds scale ${stored.scale}, ${stored.historyMonths} months (seed ${stored.seed}); this run asks for ${scale.name}, ${wanted.historyMonths} months: seeding it again`
        : `  no complete city in ${dir}: seeding scale ${scale.name}, ${wanted.historyMonths} months (minutes at city scale; progress on stderr)`,
    );
    await pg.stop();
    pg = await startEmbeddedPostgres(dir, { fresh: true });
    await ensureDatabase(pg.url, 'pingan_bench');
    url = withDatabase(pg.url, 'pingan_bench');
    const report = await runSeed(config, { scale: scale.name, historyMonths: wanted.historyMonths, databaseUrl: url });
    const city: CitySeed = {
      scale: scale.name,
      historyMonths: wanted.historyMonths,
      seed: report.seed,
      seededAt: new Date().toISOString(),
      seconds: report.seconds,
      databaseBytes: report.databaseBytes,
      peakRssMiB: report.peakRssBytes / 2 ** 20,
      seededNow: true,
    };
    // Written last: a seed that failed half-way leaves no record, and the next run seeds afresh.
    await withClient(url, async (c) => {
      await c.query(`create table ${CITY_SEED_TABLE} (seed jsonb not null)`);
      await c.query(`insert into ${CITY_SEED_TABLE} (seed) values ($1)`, [JSON.stringify({ ...city, seededNow: undefined })]);
    });
    log(
      `  seeded in ${city.seconds.toFixed(0)} s: ${(city.databaseBytes / 2 ** 30).toFixed(2)} GiB, peak RSS of the seed ${city.peakRssMiB.toFixed(0)} MiB (this process)`,
    );
    return { pg, url, city };
  } catch (e) {
    await pg.stop();
    throw e;
  }
}

/** The floor's connections per department when the server has room (its answers need no more). */
export const FLOOR_POOL_MAX = 10;
/** The fewest a subgraph works with (department pool, audit writer, readiness: `connectionBudget`). */
const MIN_HUB_POOL_MAX = 3;
/** Connections of a hub beside its subgraphs' pools: the workflow's job queue (2) and the petition bureau's release store (1), and one spare. */
const HUB_EXTRA_CONNECTIONS = 4;
/** The departments the floor queries (its pools connect lazily: the others never open one). */
const FLOOR_DEPARTMENTS = 5;
/** The runner's own: sampling, counting, the statistics it reads. */
const RUNNER_CONNECTIONS = 3;

/** Pools sized to the server, and the arithmetic behind them (for the log and the report). */
export interface PoolFit {
  /** DB_POOL_MAX of each hub's subgraphs. */
  hubPoolMax: number;
  /** The floor's connections per department. */
  floorPoolMax: number;
  needed: number;
  available: number;
  maxConnections: number;
  explanation: string;
}

/**
 * Sizes the hubs' and the floor's pools to the connections the server has free (`max_connections`
 * less the reserved ones and those in use): the hub's default DB_POOL_MAX and the floor's 10 when
 * they fit, else the floor's down to the hub's, then both down to the least a subgraph works with;
 * an error saying what to change when even that does not fit.
 */
export async function fitPools(url: string, hubs: number): Promise<PoolFit> {
  const server = await withClient(url, async (c) => {
    const setting = async (name: string) => Number((await c.query<{ v: string }>('select current_setting($1, true) as v', [name])).rows[0].v ?? 0);
    const inUse = Number((await c.query<{ n: string }>("select count(*) as n from pg_stat_activity where backend_type = 'client backend'")).rows[0].n);
    const maxConnections = await setting('max_connections');
    return { maxConnections, available: maxConnections - (await setting('superuser_reserved_connections')) - (await setting('reserved_connections')) - inUse };
  });
  const subgraphs = subgraphList().length;
  const need = (hub: number, floor: number) => hubs * (subgraphs * hub + HUB_EXTRA_CONNECTIONS) + FLOOR_DEPARTMENTS * floor + RUNNER_CONNECTIONS;
  const formula = (hub: number, floor: number) =>
    `${hubs} hubs × (${subgraphs} subgraphs × DB_POOL_MAX ${hub} + ${HUB_EXTRA_CONNECTIONS}) + floor ${FLOOR_DEPARTMENTS} departments × ${floor} + runner ${RUNNER_CONNECTIONS} = ${need(hub, floor)}`;
  const room = `${server.available} free of max_connections ${server.maxConnections}`;
  for (const [hub, floor] of [
    [DEFAULT_DB_POOL_MAX, FLOOR_POOL_MAX],
    [DEFAULT_DB_POOL_MAX, DEFAULT_DB_POOL_MAX],
    [MIN_HUB_POOL_MAX, MIN_HUB_POOL_MAX],
  ]) {
    if (need(hub, floor) <= server.available)
      return { hubPoolMax: hub, floorPoolMax: floor, needed: need(hub, floor), ...server, explanation: `${formula(hub, floor)} connections, ${room}` };
  }
  throw new Error(
    `the database server has too few free connections for the bench: it needs at least ${formula(MIN_HUB_POOL_MAX, MIN_HUB_POOL_MAX)}, and has ${room} ` +
      `(some are other clients'). Raise max_connections to ${server.maxConnections + need(MIN_HUB_POOL_MAX, MIN_HUB_POOL_MAX) - server.available} or more, ` +
      `run with AUDIT=off (one hub fewer), or leave out --database-url: the bench's own embedded server allows 300.`,
  );
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
