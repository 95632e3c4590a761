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

/**
 * Appends a subgraph's access entries to its own hash chain in `audit.access_log`: one statement
 * per call (per subgraph per request). `audit.append` runs as the trail's owner, takes the row
 * lock of this chain's head (other subgraphs' chains are not held up), stamps the server's time
 * and chains each row from the columns it stores.
 */
export class AuditWriter {
  private readonly pool: Pool;

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

  async write(entries: AccessEntry[]): Promise<void> {
    if (!entries.length) return;
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
