import { Pool } from 'pg';
import { POOL_IDLE_MS } from '../shared/db';
import { logger } from '../shared/logger';
import { LOOKED_UP, type AccessEntry } from './chain';

/** The role every subgraph's audit connection belongs to: it may call `audit.append` and read the trail, nothing else (granted by the audit migrations). */
export const AUDIT_WRITER_ROLE = 'pingan_audit_writer';

/** The role a subgraph writes its own chain as (a member of the writer role; see `audit.register_chain`). */
export function chainRole(chain: string): string {
  return `pingan_audit_chain_${chain}`;
}

/** A readiness probe's entry: appended in a transaction that is rolled back, so it is never stored. */
const PROBE: AccessEntry = {
  requestId: 'readiness-probe',
  subject: 'readiness-probe',
  agency: 'admin',
  operation: null,
  documentHash: null,
  purpose: null,
  entityType: 'Readiness',
  entityId: null,
  field: LOOKED_UP,
  decision: 'allow',
  reason: 'readiness probe',
  paths: [],
  fields: [],
  breakGlass: false,
  sealed: false,
};

/** Entries waiting for the next append, and the callers waiting for them to be stored. */
interface Batch {
  entries: AccessEntry[];
  writes: Array<{ entries: AccessEntry[]; stored: () => void; failed: (err: unknown) => void }>;
}

/**
 * Appends a subgraph's access entries to its own hash chain in `audit.access_log`. `audit.append`
 * runs as the trail's owner, takes the row lock of this chain's head (other subgraphs' chains are
 * not held up), stamps the server's time and chains each row from the columns it stores.
 *
 * Group commit: appends to one chain run one at a time anyway (its head's lock), so while one is
 * running, the requests that arrive queue their entries and the next append stores them all in
 * one statement; each caller's `write` resolves only once its own entries are stored, as before.
 * Alone, a request's append goes out at once. Should a combined append fail, each caller's
 * entries are appended on their own, so one caller's bad entries cannot fail the others.
 */
export class AuditWriter {
  private readonly pool: Pool;
  private waiting: Batch | null = null;
  private appending = false;

  constructor(
    url: string,
    readonly chain: string,
    statementTimeoutMs = 5_000,
    connectTimeoutMs = 5_000,
    poolMax = 5,
  ) {
    // The application's own login may be a superuser (embedded mode); audit connections still take
    // this chain's role's rights only, from the first statement on (`role` set in the startup packet).
    this.pool = new Pool({
      connectionString: url,
      max: poolMax,
      idleTimeoutMillis: POOL_IDLE_MS,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 2_000,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: 'pingan-hub-audit',
      options: `-c role=${chainRole(chain)}`,
    });
    // An idle connection dropped by the server (e.g. PostgreSQL shutting down, code 57P01) is not a lost write; the pool reconnects.
    this.pool.on('error', (err: Error & { code?: string }) =>
      err.code === '57P01'
        ? logger.info('audit connection closed by the server')
        : logger.error({ err: { message: err.message, code: err.code } }, 'audit pool error'),
    );
  }

  /** Resolves once `entries` are stored in the chain (a request answers only after that). */
  write(entries: AccessEntry[]): Promise<void> {
    if (!entries.length) return Promise.resolve();
    return new Promise<void>((stored, failed) => {
      this.waiting ??= { entries: [], writes: [] };
      for (const e of entries) this.waiting.entries.push(e);
      this.waiting.writes.push({ entries, stored, failed });
      if (!this.appending) void this.appendWaiting();
    });
  }

  private async appendWaiting(): Promise<void> {
    this.appending = true;
    while (this.waiting) {
      const batch = this.waiting;
      this.waiting = null;
      try {
        await this.append(batch.entries);
        for (const w of batch.writes) w.stored();
      } catch (err) {
        if (batch.writes.length === 1) batch.writes[0].failed(err);
        else await Promise.all(batch.writes.map((w) => this.append(w.entries).then(w.stored, w.failed)));
      }
    }
    this.appending = false;
  }

  private async append(entries: AccessEntry[]): Promise<void> {
    await this.pool.query('select audit.append($1::jsonb)', [JSON.stringify(entries)]);
  }

  /**
   * Throws unless an append would succeed now: it appends a probe row the way requests do (role,
   * EXECUTE, the chain's lock, the partition) in a transaction that is rolled back (readiness).
   */
  async ping(): Promise<void> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('begin');
      await client.query('select audit.append($1::jsonb)', [JSON.stringify([PROBE])]);
    } finally {
      await client.query('rollback').catch(() => (broken = true));
      client.release(broken);
    }
  }

  /**
   * Holds back, from citizens' access reports, the lookups made under a case (their purpose names
   * it) while the case is open; the department handling it calls this when the case opens and
   * `releaseDisclosure` when it closes.
   */
  async holdDisclosure(caseNo: string): Promise<void> {
    await this.pool.query('select audit.hold_disclosure($1)', [caseNo]);
  }

  async releaseDisclosure(caseNo: string): Promise<void> {
    await this.pool.query('select audit.release_disclosure($1)', [caseNo]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
