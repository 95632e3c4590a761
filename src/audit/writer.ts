import { Pool } from 'pg';
import { logger } from '../shared/logger';
import { chainHash, GENESIS_HASH, type AccessEntry } from './chain';

/** The role audit writes run as: INSERT and SELECT on the trail, nothing else (granted by the audit migration). */
export const AUDIT_WRITER_ROLE = 'pingan_audit_writer';
/** Serialises chain appends across processes so concurrent writers never fork the chain. */
const CHAIN_LOCK = 7_220_114; // arbitrary constant, the same in every process

const MAX_ROWS_PER_INSERT = 4000;
const COLUMNS = ['at', 'request_id', 'subject', 'agency', 'operation', 'document_hash', 'purpose', 'subgraph', 'entity_type', 'entity_id', 'field', 'decision', 'reason', 'prev_hash', 'hash'];

/**
 * Appends access entries to the hash-chained trail in `audit.access_log`: one transaction and
 * one INSERT per call (per subgraph per request), under an advisory lock.
 */
export class AuditWriter {
  private readonly pool: Pool;

  constructor(url: string, statementTimeoutMs = 5_000, connectTimeoutMs = 5_000) {
    this.pool = new Pool({
      connectionString: url,
      max: 5,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 2_000,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: 'pingan-hub-audit',
      // The application's own login may be a superuser (embedded mode); audit writes still run with the writer role's rights
      // only. Set at connection start-up: a connection that cannot take the role fails instead of writing with more rights.
      options: `-c role=${AUDIT_WRITER_ROLE}`,
    });
    // An idle connection dropped by the server (e.g. PostgreSQL shutting down, code 57P01) is not a lost write; the pool reconnects.
    this.pool.on('error', (err: Error & { code?: string }) =>
      err.code === '57P01' ? logger.info('audit connection closed by the server') : logger.error({ err }, 'audit pool error'));
  }

  async write(entries: AccessEntry[]): Promise<void> {
    if (!entries.length) return;
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const last = await client.query<{ hash: string }>('select hash from audit.access_log order by seq desc limit 1');
      let prev = last.rows[0]?.hash ?? GENESIS_HASH;
      // One INSERT per batch; only huge batches are split to stay under PostgreSQL's 65,535 parameters.
      for (let start = 0; start < entries.length; start += MAX_ROWS_PER_INSERT) {
        const values: unknown[] = [];
        const rows: string[] = [];
        for (const e of entries.slice(start, start + MAX_ROWS_PER_INSERT)) {
          const hash = chainHash(prev, e);
          const row = [e.at, e.requestId, e.subject, e.agency, e.operation, e.documentHash, e.purpose, e.subgraph, e.entityType, e.entityId, e.field, e.decision, e.reason, prev, hash];
          rows.push(`(${row.map((_, i) => `$${values.length + i + 1}`).join(', ')})`);
          values.push(...row);
          prev = hash;
        }
        await client.query(`insert into audit.access_log (${COLUMNS.join(', ')}) values ${rows.join(', ')}`, values);
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Throws unless the trail can be written now: server reachable, schema there, writer role in effect (readiness). */
  async ping(): Promise<void> {
    await this.pool.query('select 1 from audit.access_log limit 0');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
