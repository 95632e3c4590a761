import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { servingLogin, withDatabase } from '../src/shared/db';
import { freePort, startEmbeddedPostgres, superuserPasswordFile } from '../src/shared/embeddedPostgres';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Dev mode's database: the embedded server's superuser has a random password kept in a 0600 file,
 * and the hub serves as one login per subgraph without superuser rights, which may read and write
 * its own schema's rows and append to its own audit chain, and nothing else.
 */

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The SQLSTATE a statement fails with, or 'ok'. */
async function outcome(client: Client, sql: string): Promise<string> {
  try {
    await client.query(sql);
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('the embedded server', () => {
  const root = mkdtempSync(join(tmpdir(), 'pingan-hub-devdb-'));
  // initdb runs as the unprivileged `postgres` user when we are root: it must be able to enter the folder.
  chmodSync(root, 0o755);
  const dir = join(root, 'pg');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gets a random superuser password on first start, kept in a file only its owner reads, the same after a restart; "postgres" is refused', async () => {
    const first = await startEmbeddedPostgres(dir, { durable: false });
    const file = superuserPasswordFile(dir);
    let password: string;
    try {
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      password = readFileSync(file, 'utf8').trim();
      expect(password).toMatch(/^[\w-]{32}$/);
      expect(decodeURIComponent(new URL(first.url).password)).toBe(password);
      const legacy = new Client({ host: '127.0.0.1', port: first.port, user: 'postgres', password: 'postgres', database: 'postgres' });
      await expect(legacy.connect()).rejects.toMatchObject({ code: '28P01' });
    } finally {
      await first.stop();
    }
    const again = await startEmbeddedPostgres(dir, { durable: false });
    try {
      expect(readFileSync(file, 'utf8').trim()).toBe(password);
      const client = await connect(again.url);
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      // A cluster of before the password file: its "postgres" is replaced at the next start.
      await client.query(`alter role postgres password 'postgres'`);
      await client.end();
    } finally {
      await again.stop();
    }
    unlinkSync(file);
    const upgraded = await startEmbeddedPostgres(dir, { durable: false });
    try {
      const replaced = readFileSync(file, 'utf8').trim();
      expect(replaced).not.toBe('postgres');
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      await (await connect(upgraded.url)).end();
      const legacy = new Client({ host: '127.0.0.1', port: upgraded.port, user: 'postgres', password: 'postgres', database: 'postgres' });
      await expect(legacy.connect()).rejects.toMatchObject({ code: '28P01' });
    } finally {
      await upgraded.stop();
    }
  }, 60_000);
});

describe('a server that cannot start', () => {
  it('says what PostgreSQL said, instead of failing with nothing (here: its port is taken)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pingan-hub-busy-'));
    chmodSync(root, 0o755);
    const port = await freePort();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const started = startEmbeddedPostgres(join(root, 'pg'), { port, durable: false });
      await expect(started).rejects.toThrow(/exited before it was ready: [^]*could not bind IPv4 address "127\.0\.0\.1": Address already in use/);
    } finally {
      squatter.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a fresh clone', () => {
  it('starts the embedded server when its data folder does not exist yet (npm start makes .data/)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pingan-hub-fresh-'));
    chmodSync(root, 0o755);
    const dir = join(root, '.data', 'pg');
    try {
      const pg = await startEmbeddedPostgres(dir, { durable: false });
      try {
        expect((statSync(superuserPasswordFile(dir)).mode & 0o777).toString(8)).toBe('600');
        await (await connect(pg.url)).end();
      } finally {
        await pg.stop();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the logins the subgraphs serve as', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.stop();
  });
  const urlOf = (subgraph: string) => t.hub.subgraphs[subgraph].orm.config.get('clientUrl')!;

  it('are made by hubs starting at once on one server (test files in parallel) without "tuple concurrently updated"', async () => {
    // Roles are the server's: each hub brings the same login up to date at the same moment.
    const grants = { subgraph: 'police', schema: 'police', readOnly: false, readsAuditTrail: false };
    const urls = await Promise.all(Array.from({ length: 12 }, () => servingLogin(withDatabase(t.serverUrl, t.database), grants)));
    expect(new Set(urls).size).toBe(1);
    const client = await connect(urls[0]);
    try {
      expect((await client.query('select current_user as login')).rows).toEqual([{ login: 'pingan_hub_police' }]);
    } finally {
      await client.end();
    }
  });

  it('are their own, without superuser, role or database creation rights; the hub answers through them', async () => {
    for (const subgraph of Object.keys(t.hub.subgraphs)) {
      const client = await connect(urlOf(subgraph));
      try {
        const { rows } = await client.query(
          'select current_user as login, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls from pg_roles where rolname = current_user',
        );
        expect(rows).toEqual([{ login: `pingan_hub_${subgraph}`, rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false }]);
      } finally {
        await client.end();
      }
    }
    const res = await t.query('police', '{ persons(first: 2) { edges { node { id name } } } }');
    expect(res.body.errors).toBeUndefined();
  });

  it("police's login reads and writes its own rows, and cannot change the audit trail, drop or create schema objects, read another department or append as another chain", async () => {
    const police = await connect(urlOf('police'));
    try {
      expect(await outcome(police, 'select count(*) from police.mikro_orm_migrations')).toBe('ok');
      expect(await outcome(police, 'begin; update police.mikro_orm_migrations set name = name; rollback')).toBe('ok');
      await police.query('rollback');
      // 42501 insufficient privilege; the owner-only statements say "must be owner" with the same code.
      expect({
        updateAudit: await outcome(police, `update audit.access_log set reason = 'edited'`),
        deleteAudit: await outcome(police, 'delete from audit.access_log'),
        truncateAudit: await outcome(police, 'truncate audit.access_log'),
        dropSchema: await outcome(police, 'drop schema police cascade'),
        dropTable: await outcome(police, 'drop table police.mikro_orm_migrations'),
        createTable: await outcome(police, 'create table police.extra (i int)'),
        createInPublic: await outcome(police, 'create table public.extra (i int)'),
        otherDepartment: await outcome(police, 'select count(*) from grid.person'),
        otherChain: await outcome(police, 'set role pingan_audit_chain_grid'),
        superuser: await outcome(police, 'set role postgres'),
      }).toEqual({
        updateAudit: '42501',
        deleteAudit: '42501',
        truncateAudit: '42501',
        dropSchema: '42501',
        dropTable: '42501',
        createTable: '42501',
        createInPublic: '42501',
        otherDepartment: '42501',
        otherChain: '42501',
        superuser: '42501',
      });
      // Its own chain's role is how its audit writer appends: it may take that one.
      expect(await outcome(police, 'set role pingan_audit_chain_police')).toBe('ok');
    } finally {
      await police.end();
    }
  });

  it("the audit subgraph's login reads the trail and cannot rewrite it", async () => {
    const audit = await connect(urlOf('audit'));
    try {
      expect(await outcome(audit, 'select count(*) from audit.access_log')).toBe('ok');
      expect({
        update: await outcome(audit, `update audit.access_log set reason = 'edited'`),
        delete: await outcome(audit, 'delete from audit.access_log'),
        dropSchema: await outcome(audit, 'drop schema audit cascade'),
      }).toEqual({ update: '42501', delete: '42501', dropSchema: '42501' });
    } finally {
      await audit.end();
    }
  });
});
