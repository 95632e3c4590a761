import { MikroORM, type Options } from '@mikro-orm/postgresql';
import type { Constructor, MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { logger } from './logger';
import { traceSqlStatements } from './tracing';

export interface DepartmentDbOptions {
  /** Also the PostgreSQL schema that holds the department's tables. */
  schema: string;
  clientUrl: string;
  entities: Constructor<object>[];
  migrations: MigrationObject[];
  statementTimeoutMs?: number;
  /** How long opening a connection may take before the query fails (a database that does not answer at all). */
  connectTimeoutMs?: number;
  poolMax?: number;
  /** Called for every SQL statement the ORM sends (statement counting, metrics). */
  onQuery?: (sql: string) => void;
  /** Every transaction read-only (a department's own system that the hub may read but not change). */
  readOnly?: boolean;
}

/** How long an unused pooled connection stays open before it is closed (every pool: the budget is given back after a burst). */
export const POOL_IDLE_MS = 10_000;

/** Where one subgraph's `DB_POOL_MAX` connections go. */
export interface ConnectionBudget {
  /** The department's ORM pool. */
  department: number;
  /** The audit writer's pool (appends serialise on one lock anyway, so few connections do). */
  audit: number;
  /** One for a readiness check (its own short-lived connection: it tests that a new one can be made). */
  readiness: number;
}

/**
 * Splits one subgraph's connection budget (`DB_POOL_MAX`, at least 3) between its pools, so that
 * the whole process never holds more than `max` connections: one for readiness, a quarter (at
 * least one) for the audit writer, the rest for the department's queries.
 */
export function connectionBudget(max: number): ConnectionBudget {
  if (!Number.isInteger(max) || max < 3) throw new Error(`a connection budget needs at least 3 connections, got ${max}`);
  const audit = Math.max(1, Math.floor(max / 4));
  return { department: max - audit - 1, audit, readiness: 1 };
}

/** MikroORM options for one department: its own schema, its own migrations, no schema sync at boot. */
export function departmentOrmOptions(opts: DepartmentDbOptions): Options {
  const statementTimeout = opts.statementTimeoutMs ?? 10_000;
  return {
    clientUrl: opts.clientUrl,
    schema: opts.schema,
    entities: opts.entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    debug: false,
    pool: { min: 0, max: opts.poolMax ?? 10, idleTimeoutMillis: POOL_IDLE_MS },
    driverOptions: {
      // Every wait is bounded: for a free pooled connection, for a new one, for the server (statement_timeout),
      // and for an answer at all (query_timeout, client-side: a server that vanished mid-query).
      // 0 means no statement limit (bulk loads); a free connection is still awaited for a bounded time.
      acquireConnectionTimeout: statementTimeout || 60_000,
      connection: {
        statement_timeout: statementTimeout,
        query_timeout: statementTimeout ? statementTimeout + 2_000 : undefined,
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
        application_name: `pingan-hub-${opts.schema}`,
        ...(opts.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
      },
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: opts.migrations,
      path: join(repoRoot, 'migrations', opts.schema),
      pathTs: join(repoRoot, 'migrations', opts.schema),
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      emit: 'ts',
    },
  };
}

/** The deadline (epoch ms) of the request a statement runs for, when one was given. */
const requestDeadline = new AsyncLocalStorage<number>();

/**
 * Runs `work` with a deadline: every statement it sends gets at most the time left until then
 * (cancelled on the server when it runs out), so a request the gateway gave up on stops using the
 * database, and a heavy request cannot hold connections past its budget.
 */
export function withDeadline<T>(deadline: number, work: () => Promise<T>): Promise<T> {
  return requestDeadline.run(deadline, work);
}

/** Shorter than the connection's statement_timeout when the request's deadline is nearer. */
function boundByDeadline(statementTimeoutMs: number) {
  return (builder: { timeout(ms: number, options: { cancel: boolean }): void }): void => {
    const deadline = requestDeadline.getStore();
    if (deadline === undefined) return;
    const left = Math.max(1, deadline - Date.now());
    if (!statementTimeoutMs || left < statementTimeoutMs) builder.timeout(left, { cancel: true });
  };
}

export async function openDepartmentOrm(opts: DepartmentDbOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(departmentOrmOptions(opts));
  traceSqlStatements(orm.em.getConnection().getKnex(), opts.schema);
  orm.em
    .getConnection()
    .getKnex()
    .on('start', boundByDeadline(opts.statementTimeoutMs ?? 10_000));
  if (opts.onQuery) {
    const onQuery = opts.onQuery;
    orm.em
      .getConnection()
      .getKnex()
      .on('query', (q: { sql: string }) => onQuery(q.sql));
  }
  return orm;
}

const MIGRATION_LOCK = 7_220_113; // arbitrary constant, the same in every process

/**
 * Applies pending migrations of the department (never `updateSchema`); returns the names applied.
 * An advisory lock serialises processes migrating the same database at once (distributed start).
 */
export async function migrateDepartment(orm: MikroORM): Promise<string[]> {
  const lock = new Client({ connectionString: orm.config.get('clientUrl') });
  await lock.connect();
  let applied;
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    applied = await orm.migrator.up();
  } finally {
    await lock.end();
  }
  if (applied.length) logger.info({ schema: orm.config.get('schema'), migrations: applied.map((m) => m.name) }, 'migrations applied');
  return applied.map((m) => m.name);
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates `database` on the server of `serverUrl` unless it exists (optionally from a template). */
export async function ensureDatabase(serverUrl: string, database: string, template?: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unsafe database name ${database}`);
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database}"${template ? ` template "${template}"` : ''}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database}" with (force)`);
  } finally {
    await client.end();
  }
}

/**
 * Runs a change to a catalog row (a role, or a schema's grants) that another hub may be making at
 * the same moment: PostgreSQL refuses the second writer with "tuple concurrently updated" (XX000)
 * rather than waiting, and an advisory lock would not help for roles (those locks are per database). The values
 * written are the same on both sides, so trying again is enough.
 */
async function retryConcurrentCatalogUpdate<T>(update: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await update();
    } catch (e) {
      const concurrent = (e as { code?: unknown }).code === 'XX000' && /tuple concurrently updated/.test((e as Error).message);
      if (!concurrent || attempt >= 8) throw e;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
    }
  }
}

/** What one subgraph's serving login may touch in a database it does not own. */
export interface ServingGrants {
  /** The subgraph: the login is `pingan_hub_<subgraph>` and appends to the audit chain of that name. */
  subgraph: string;
  /** The schema of its tables. */
  schema: string;
  /** Reads only (a department's own system); otherwise reads and writes rows, never the schema. */
  readOnly: boolean;
  /** Reads the whole audit trail (the audit subgraph), as the writer role does in production. */
  readsAuditTrail: boolean;
  /**
   * The schema of its job queue (graphile-worker), migrated by the owner: its rows, sequences and
   * functions, and a row-level-security policy on the queue's tables (they enable RLS) that lets this login use them.
   */
  queueSchema?: string;
}

/**
 * Embedded mode: the login a subgraph serves as, made (or brought up to date) by the database's
 * owner after the migrations, with only what serving needs — its own schema's rows (not its
 * tables' definitions, not another department's schema), and the audit trail only through its
 * chain's role, as each department's login in production (docker/postgres/init-databases.sh).
 * Its password is derived from the owner's login and server, so every hub on the same server (test
 * files running at once, each on its own database) sets the same one and nothing needs storing.
 * Returns its URL.
 */
export async function servingLogin(ownerUrl: string, grants: ServingGrants): Promise<string> {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(grants.subgraph) || !/^[a-z][a-z0-9_]{0,40}$/.test(grants.schema))
    throw new Error(`unsafe name ${grants.subgraph}/${grants.schema}`);
  if (grants.queueSchema !== undefined && !/^[a-z][a-z0-9_]{0,40}$/.test(grants.queueSchema)) throw new Error(`unsafe name ${grants.queueSchema}`);
  const login = `pingan_hub_${grants.subgraph}`;
  // Keyed by the owner's login on this server, not the database: the role is the server's, whichever database asks.
  const owner = new URL(ownerUrl);
  const password = createHmac('sha256', `${owner.username}:${owner.password}@${owner.host}`).update(login).digest('base64url');
  const client = new Client({ connectionString: ownerUrl, application_name: 'pingan-hub-grants' });
  await client.connect();
  try {
    // Roles are cluster-wide: another database's hub may create the same one at the same moment.
    await client.query(`do $$ begin
        if not exists (select from pg_roles where rolname = '${login}') then create role "${login}" login; end if;
      exception when duplicate_object or unique_violation then null; end $$`);
    await retryConcurrentCatalogUpdate(() =>
      client.query(`alter role "${login}" login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${client.escapeLiteral(password)}`),
    );
    const rows = grants.readOnly ? 'select' : 'select, insert, update, delete';
    await retryConcurrentCatalogUpdate(() =>
      client.query(`grant usage on schema "${grants.schema}" to "${login}";
      grant ${rows} on all tables in schema "${grants.schema}" to "${login}";
      ${grants.readOnly ? '' : `grant usage, select on all sequences in schema "${grants.schema}" to "${login}";`}`),
    );
    const queue = grants.queueSchema;
    if (queue) {
      await retryConcurrentCatalogUpdate(() =>
        client.query(`grant usage on schema "${queue}" to "${login}";
        grant select, insert, update, delete on all tables in schema "${queue}" to "${login}";
        grant usage, select on all sequences in schema "${queue}" to "${login}";
        grant execute on all functions in schema "${queue}" to "${login}";
        do $$ declare t record; begin
          for t in select c.relname from pg_class c where c.relnamespace = '"${queue}"'::regnamespace and c.relkind = 'r' and c.relrowsecurity
              and not exists (select from pg_policy p where p.polrelid = c.oid and p.polname = '${login}') loop
            execute format('create policy %I on %I.%I to %I using (true) with check (true)', '${login}', '${queue}', t.relname, '${login}');
          end loop;
        end $$;`),
      );
    }
    for (const role of [`pingan_audit_chain_${grants.subgraph}`, ...(grants.readsAuditTrail ? ['pingan_audit_writer'] : [])]) {
      await client.query(`do $$ begin
          if not pg_has_role('${login}', '${role}', 'member') then grant "${role}" to "${login}"; end if;
        exception when others then if not pg_has_role('${login}', '${role}', 'member') then raise; end if; end $$`);
    }
  } finally {
    await client.end();
  }
  owner.username = login;
  owner.password = password;
  return owner.toString();
}
