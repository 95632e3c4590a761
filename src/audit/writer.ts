import { Pool } from 'pg';
import { POOL_IDLE_MS } from '../shared/db';
import { logger } from '../shared/logger';
import { canonicalEntry, type AccessEntry } from './chain';

/** The role audit writes run as: INSERT and SELECT on the trail, nothing else (granted by the audit migration). */
export const AUDIT_WRITER_ROLE = 'pingan_audit_writer';

/**
 * Appends access entries to the hash-chained trail in `audit.access_log`: one statement per call
 * (per subgraph per request). `audit.append` serialises appends under an advisory lock, so
 * concurrent writers in any number of processes never fork the chain, and chains each row as
 * `sha256(prev || '\n' || canonical)` — the same function `chainHash` computes when verifying.
 */
export class AuditWriter {
  private readonly pool: Pool;

  constructor(url: string, statementTimeoutMs = 5_000, connectTimeoutMs = 5_000, poolMax = 5) {
    // The application's own login may be a superuser (embedded mode); audit connections still take
    // the writer role's rights only, from the first statement on (`role` set in the startup packet).
    this.pool = new Pool({
      connectionString: url,
      max: poolMax,
      idleTimeoutMillis: POOL_IDLE_MS,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 2_000,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: 'pingan-hub-audit',
      options: `-c role=${AUDIT_WRITER_ROLE}`,
    });
    // An idle connection dropped by the server (e.g. PostgreSQL shutting down, code 57P01) is not a lost write; the pool reconnects.
    this.pool.on('error', (err: Error & { code?: string }) =>
      err.code === '57P01' ? logger.info('audit connection closed by the server') : logger.error({ err }, 'audit pool error'));
  }

  async write(entries: AccessEntry[]): Promise<void> {
    if (!entries.length) return;
    const payload = entries.map((e) => ({ ...e, at: e.at.toISOString(), canonical: canonicalEntry(e) }));
    await this.pool.query('select audit.append($1::jsonb)', [JSON.stringify(payload)]);
  }

  /** Throws unless the trail can be written now: server reachable, schema there, writer role in effect (readiness). */
  async ping(): Promise<void> {
    await this.pool.query('select 1 from audit.access_log limit 0');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
