import { existsSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { MultiBar, type Options as BarOptions, type Params as BarParams } from 'cli-progress';
import { Client } from 'pg';
import { seedDepartment, SeedConflictError, type SeedOutcome, type SeedProgress } from '../kit/seed';
import type { HubConfig } from '../shared/config';
import { DEFAULT_HISTORY_MONTHS, DemoCityPlan } from '../demo/city';
import { parseScale, withHistory } from '../demo/scale';
import { ensureDatabase, migrateDepartment, withDatabase } from '../shared/db';
import { withSubgraphOrm } from '../kit/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../shared/embeddedPostgres';
import { subgraphList } from '../subgraphs';
import { HUB_DATABASE, runningHub } from './runtime';

/** A seed that cannot go on, said plainly (no stack trace). */
export class SeedError extends Error {}

export interface SeedCommandOptions {
  scale: string;
  seed?: number;
  /** Months of history (default 23, the demo's own); the volumes scale with it. */
  historyMonths?: number;
  /** Else DATABASE_URL, else the embedded server of `npm start` (same data folder). */
  databaseUrl?: string;
  replace?: boolean;
  /** Progress bars (a terminal), a line per table, or nothing; default bars on a terminal, else lines. */
  progress?: 'bars' | 'lines' | 'none';
  /** Skip the free-disk check (the estimate is deliberately generous). */
  skipDiskCheck?: boolean;
}

export interface SeedReport {
  scale: string;
  seed: number;
  historyMonths: number;
  residents: number;
  database: string;
  outcomes: SeedOutcome[];
  seconds: number;
  databaseBytes: number;
  peakRssBytes: number;
}

/**
 * Bytes on disk a city takes per resident, measured on `--scale city` (docs/city-scale.md):
 * tables and indexes about 0.5 KB (1.1 GiB for 2.4 million); twice that is asked for, as the load writes
 * about as much WAL again and index builds sort on disk.
 */
const BYTES_PER_RESIDENT = 1_000;
const MIN_FREE_BYTES = 256 * 1024 ** 2;

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** PostgreSQL errors a seed can meet, in words that say what to do. */
export function explainDatabaseError(err: unknown, during: string): Error {
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  switch (e?.code) {
    case '53100':
      return new SeedError(
        `PostgreSQL ran out of disk space ${during}. That department's load was rolled back (nothing half-written); free space on the database server and run the seed again: departments already seeded are kept.`,
      );
    case '53200':
      return new SeedError(
        `PostgreSQL ran out of memory ${during} (${message}); the department's load was rolled back. Lower maintenance_work_mem or give the server more memory, then run again.`,
      );
    case '53300':
      return new SeedError(`PostgreSQL refuses more connections ${during}: ${message}.`);
    case '57P01':
    case '57P02':
    case '57P03':
      return new SeedError(
        `PostgreSQL shut down or is starting up ${during} (${message}); the department's load was rolled back. Run again once the server is up.`,
      );
    case '28P01':
    case '28000':
      return new SeedError(`PostgreSQL refused the login ${during}: ${message}. Check the user and password in the database URL.`);
    case '3D000':
      return new SeedError(`the database does not exist ${during}: ${message}.`);
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
      return new SeedError(`cannot reach PostgreSQL ${during} (${e.code}: ${message}). Is the server running, and is the database URL right?`);
    default:
      if (/connection terminated|server closed the connection|Connection terminated/i.test(message)) {
        return new SeedError(
          `the connection to PostgreSQL was lost ${during} (${message}); the department's load was rolled back. Run again when the server is back.`,
        );
      }
      return err instanceof Error ? err : new Error(message);
  }
}

/** Free bytes where the server keeps its data, when that folder is on this machine (null when it cannot be known). */
async function freeBytes(client: Client, embedded: EmbeddedDatabase | null): Promise<{ path: string; bytes: number } | null> {
  let path = embedded?.dir ?? null;
  if (!path) {
    try {
      path = (await client.query<{ setting: string }>(`select setting from pg_settings where name = 'data_directory'`)).rows[0]?.setting ?? null;
    } catch {
      path = null;
    }
  }
  if (!path || !existsSync(path)) return null;
  const fs = statfsSync(path);
  return { path, bytes: fs.bavail * fs.bsize };
}

/** Progress of each table: bars with rows/s and an ETA on a terminal, a line per table elsewhere. */
function progressReporter(mode: 'bars' | 'lines' | 'none'): SeedProgress & { note(message: string): void; stop(): void } {
  const started = new Map<string, number>();
  const rate = (label: string, rows: number) => Math.round(rows / Math.max(0.001, (Date.now() - (started.get(label) ?? Date.now())) / 1000));
  if (mode === 'none') return { table: () => ({ update: () => undefined, done: () => undefined }), note: () => undefined, stop: () => undefined };
  if (mode === 'lines') {
    return {
      table(department, table) {
        const label = `${department}.${table}`;
        started.set(label, Date.now());
        return {
          update: () => undefined,
          done: (rows) => process.stderr.write(`${label}: ${rows.toLocaleString('en')} rows (${rate(label, rows).toLocaleString('en')} rows/s)\n`),
        };
      },
      note: (message) => process.stderr.write(`${message}\n`),
      stop: () => undefined,
    };
  }
  const format = (_options: BarOptions, params: BarParams, payload: { label: string; speed: number; known: boolean }) => {
    const width = 30;
    const filled = payload.known && params.total > 0 ? Math.round((params.value / params.total) * width) : 0;
    const bar = payload.known ? '█'.repeat(filled) + '░'.repeat(width - filled) : '·'.repeat(width);
    const eta = payload.known && payload.speed > 0 && params.value < params.total ? `ETA ${Math.ceil((params.total - params.value) / payload.speed)} s` : '';
    const count = payload.known ? `${params.value.toLocaleString('en')}/${params.total.toLocaleString('en')}` : params.value.toLocaleString('en');
    return `${payload.label.padEnd(36)} ${bar} ${count} rows | ${payload.speed.toLocaleString('en')} rows/s ${eta}`;
  };
  const multi = new MultiBar({ format, hideCursor: true, clearOnComplete: false, fps: 5, stream: process.stderr });
  return {
    table(department, table, expected) {
      const label = `${department}.${table}`;
      started.set(label, Date.now());
      const known = expected !== undefined;
      const bar = multi.create(expected ?? 0, 0, { label, speed: 0, known });
      return {
        update: (sent) => bar.update(sent, { speed: rate(label, sent) }),
        done: (rows) => {
          if (!known) bar.setTotal(rows);
          bar.update(rows, { speed: rate(label, rows), known: true });
        },
      };
    },
    step: (department, message) => multi.log(`${department}.${message}\n`),
    note: (message) => multi.log(`${message}\n`),
    stop: () => multi.stop(),
  };
}

/**
 * `hub seed`: the demo city at a scale into every department's schema, each department in one
 * transaction, rows streamed with COPY. Departments already seeded at this scale are kept (a second
 * run adds nothing); the report tells the rows, the time, the database size and the peak RSS.
 */
export async function runSeed(config: HubConfig, opts: SeedCommandOptions): Promise<SeedReport> {
  const started = Date.now();
  const months = opts.historyMonths ?? DEFAULT_HISTORY_MONTHS;
  const parsed = parseScale(opts.scale);
  // The marker names the history when it is not the default, so a city of another length is not taken for this one.
  const scale = { name: months === DEFAULT_HISTORY_MONTHS ? parsed.name : `${parsed.name}, ${months} months`, size: withHistory(parsed.size, months) };
  const progress = progressReporter(opts.progress ?? (process.stderr.isTTY ? 'bars' : 'lines'));
  const plan = new DemoCityPlan(scale.size, opts.seed, (message) => progress.note(message));
  let embedded: EmbeddedDatabase | null = null;
  let url = opts.databaseUrl ?? config.databaseUrl;
  try {
    if (!url) {
      const running = runningHub(config.dataDir);
      // Its PostgreSQL holds the data folder; seeding under a serving hub is not what anyone wants either.
      if (running)
        throw new SeedError(`the hub is running (npm start, pid ${running.pid}) on ${config.dataDir}: stop it (Ctrl-C) and seed again, or give --database-url`);
      embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'));
      await ensureDatabase(embedded.url, HUB_DATABASE);
      url = withDatabase(embedded.url, HUB_DATABASE);
    }
    const client = new Client({ connectionString: url });
    await client.connect().catch((e: unknown) => {
      throw explainDatabaseError(e, 'while connecting');
    });
    try {
      if (!opts.skipDiskCheck) {
        const needed = Math.max(MIN_FREE_BYTES, plan.residentCount * BYTES_PER_RESIDENT);
        const free = await freeBytes(client, embedded);
        if (free && free.bytes < needed) {
          throw new SeedError(
            `not enough disk space for scale ${scale.name}: it needs about ${gib(needed)} and ${free.path} has ${gib(free.bytes)} free. Free some space, or pick a smaller --scale (or --skip-disk-check to try anyway).`,
          );
        }
        if (!free) process.stderr.write(`hub seed: cannot see the database server's disk; scale ${scale.name} needs about ${gib(needed)} there.\n`);
      }
      const outcomes: SeedOutcome[] = [];
      for (const def of subgraphList()) {
        // A department's own system is never written to; the hub has no demo data for it.
        if (def.existingDatabase) {
          outcomes.push({ department: def.name, status: 'kept', reason: 'its records stay in its own database', marker: null });
          continue;
        }
        const outcome = await withSubgraphOrm(
          def,
          config.departmentDatabaseUrls[def.name] ?? url,
          async (orm) => {
            try {
              await migrateDepartment(orm);
              const seeded = await seedDepartment(
                def,
                orm,
                plan,
                { personKeySecret: config.personKeySecret },
                { scale: scale.name, replace: opts.replace, progress },
              );
              // The analysts' release follows the records: the stale one goes, and the next start (or `hub stats refresh`) decides it
              // again — not here, where it would add minutes to every seed.
              if (def.refreshStatistics) await orm.em.fork().execute(`delete from "${def.name}".statistics_release`);
              return seeded;
            } catch (e) {
              if (e instanceof SeedConflictError) throw new SeedError(e.message);
              throw explainDatabaseError(e, `while seeding ${def.name}`);
            }
          },
          // COPY of millions of rows and the index builds after it take minutes, not seconds.
          { statementTimeoutMs: 0, poolMax: 2 },
        );
        outcomes.push(outcome);
      }
      const [{ bytes }] = (await client.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes')).rows;
      return {
        scale: scale.name,
        seed: plan.seed,
        historyMonths: months,
        residents: plan.residentCount,
        database: new URL(url).pathname.slice(1),
        outcomes,
        seconds: (Date.now() - started) / 1000,
        databaseBytes: Number(bytes),
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
      };
    } finally {
      await client.end();
    }
  } finally {
    progress.stop();
    await embedded?.stop();
  }
}

/** The report as the CLI prints it. */
export function formatSeedReport(r: SeedReport): string {
  const lines = [`demo city at scale ${r.scale} (seed ${r.seed}, ${r.residents.toLocaleString('en')} residents) in database ${r.database}:`];
  for (const o of r.outcomes) {
    if (o.status === 'kept') {
      lines.push(`  ${o.department.padEnd(14)} kept: ${o.reason}`);
      continue;
    }
    lines.push(`  ${o.department.padEnd(14)} seeded in ${(o.ms / 1000).toFixed(1)} s`);
    for (const [table, n] of Object.entries(o.rows)) lines.push(`    ${table.padEnd(24)} ${n.toLocaleString('en').padStart(12)} rows`);
  }
  lines.push(`took ${r.seconds.toFixed(1)} s; database size ${gib(r.databaseBytes)}; peak RSS of this process ${(r.peakRssBytes / 1024 ** 2).toFixed(0)} MiB`);
  return lines.join('\n');
}
