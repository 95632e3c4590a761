import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Client } from 'pg';
import type { HeadExporter } from '../audit/heads';
import type { AuditWriter } from '../audit/writer';
import { databaseFailure } from '../shared/dbErrors';
import { ErrorCode } from '../shared/errors';
import { logger } from '../shared/logger';
import { databaseUp } from './metrics';

/** A readiness check gives up after this long: a probe must answer even when the database hangs. */
const CHECK_TIMEOUT_MS = 3_000;

export interface Readiness {
  ready: boolean;
  /** Ready, but something that does not stop serving is wrong (e.g. audit heads not exported). */
  degraded: boolean;
  /** Each check: `ok`, or what is wrong. */
  checks: Record<string, string>;
}

async function within<T>(ms: number, what: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([what, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function check(what: () => Promise<string | null>): Promise<string> {
  try {
    return (await within(CHECK_TIMEOUT_MS, what())) ?? 'ok';
  } catch (err) {
    const failure = databaseFailure(err);
    return `${failure ?? 'failed'}: ${(err as Error).message.split('\n')[0]}`;
  }
}

/** What a readiness check needs to know about the department's database. */
export interface DepartmentDatabase {
  url: string;
  /** The PostgreSQL schema holding the department's tables and its `mikro_orm_migrations`. */
  schema: string;
  /** Names of the migrations the code ships; all must be applied. */
  migrations: string[];
}

/**
 * Whether a department subgraph can answer: its database reachable with every migration applied,
 * and its audit trail writable (sensitive fields are withheld without it). Also tracks the
 * database's state between checks, from what requests run into, and logs each change once.
 * Checks open a connection of their own: they test that a new connection can be made (what a
 * recovering pool needs), and their SQL is not counted as the requests' (`stats.sqlStatements`).
 */
export class DepartmentHealth {
  private databaseReachable: boolean | null = null;

  constructor(
    private readonly department: string,
    private readonly database: DepartmentDatabase,
    private readonly auditWriter: Pick<AuditWriter, 'ping'> | null,
    private readonly auditHeads: Pick<HeadExporter, 'problem'> | null = null,
  ) {}

  /** A request ran into a database outage: mark it now, not at the next probe. */
  databaseFailed(reason: string): void {
    this.setDatabase(false, reason);
  }

  /**
   * While the database is marked down, a request that ran into no outage triggers a check, so the
   * state (and `hub_database_up`) turns green with the first good answer, probes or not.
   */
  plugin<C extends BaseContext>(): ApolloServerPlugin<C> {
    return {
      requestDidStart: async () => ({
        willSendResponse: async ({ response }) => {
          if (this.databaseReachable !== false) return;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (errors?.some((e) => e.extensions?.code === ErrorCode.DepartmentUnavailable)) return;
          void this.readiness();
        },
      }),
    };
  }

  async readiness(): Promise<Readiness> {
    const checks: Record<string, string> = {};
    const client = new Client({
      connectionString: this.database.url,
      connectionTimeoutMillis: CHECK_TIMEOUT_MS,
      statement_timeout: CHECK_TIMEOUT_MS,
      application_name: `pingan-hub-${this.department}-readyz`,
    });
    // A failed connect leaves an error event behind; the check reports it, nothing else should.
    client.on('error', () => undefined);
    checks.database = await check(async () => {
      await client.connect();
      return null;
    });
    this.setDatabase(checks.database === 'ok', checks.database);
    // A department's own system (no migrations of the hub's) has none pending, and no table to ask.
    if (checks.database === 'ok' && !this.database.migrations.length) checks.migrations = 'ok';
    else if (checks.database === 'ok') {
      checks.migrations = await check(async () => {
        const { rows } = await client.query<{ name: string }>(`select name from "${this.database.schema}".mikro_orm_migrations`);
        const applied = new Set(rows.map((r) => r.name));
        const pending = this.database.migrations.filter((m) => !applied.has(m));
        return pending.length ? `${pending.length} pending: ${pending.join(', ')}` : null;
      });
    }
    await client.end().catch(() => undefined);
    if (this.auditWriter) {
      const writer = this.auditWriter;
      checks.audit = await check(async () => {
        await writer.ping();
        return null;
      });
    }
    const ready = Object.values(checks).every((c) => c === 'ok');
    // The hub keeps serving when heads cannot be exported; readiness says so.
    if (this.auditHeads) checks.auditHeads = this.auditHeads.problem ? `degraded: ${this.auditHeads.problem}` : 'ok';
    return { ready, degraded: ready && checks.auditHeads !== undefined && checks.auditHeads !== 'ok', checks };
  }

  private setDatabase(reachable: boolean, detail: string): void {
    databaseUp.set({ department: this.department }, reachable ? 1 : 0);
    if (reachable === this.databaseReachable) return;
    const before = this.databaseReachable;
    this.databaseReachable = reachable;
    if (!reachable) logger.warn({ department: this.department, detail }, 'department database unavailable: answering DEPARTMENT_UNAVAILABLE');
    else if (before === false) logger.info({ department: this.department }, 'department database back');
  }
}
