/** Why a database could not answer: it could not be reached, or a query ran out of time. */
export type DatabaseFailure = 'database unreachable' | 'database timeout';

/** SQLSTATEs that mean the server or the connection is gone, not that the query was wrong. */
const UNREACHABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the backend was terminated (pg_terminate_backend, server stopping)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting or stopping
  '3D000', // invalid_catalog_name: the database does not exist (dropped, wrong URL)
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
  '53300', // too_many_connections
]);
const QUERY_TIMEOUT_SQLSTATES = new Set(['57014']); // query_canceled: statement_timeout
const UNREACHABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const UNREACHABLE_MESSAGES = [
  /connection terminated/i,
  /not currently accepting connections/i, // ALTER DATABASE … ALLOW_CONNECTIONS false
  /permission denied for database/i, // CONNECT revoked
  /timeout acquiring a connection/i, // knex pool: no connection came within the limit
  /connection timeout/i,
  /client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/**
 * Tells a database outage from an ordinary query error, looking through the wrappers the ORM and
 * the pool put around the driver's error. Null: not an availability problem.
 */
export function databaseFailure(err: unknown): DatabaseFailure | null {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string') {
      if (QUERY_TIMEOUT_SQLSTATES.has(code)) return 'database timeout';
      if (UNREACHABLE_SQLSTATES.has(code) || UNREACHABLE_NODE_CODES.has(code) || code.startsWith('08')) return 'database unreachable';
    }
    if (name === 'KnexTimeoutError') return 'database unreachable';
    if (typeof message === 'string' && /query read timeout/i.test(message)) return 'database timeout'; // pg's client-side query_timeout
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((m) => m.test(message))) return 'database unreachable';
    const next = e as { cause?: unknown; previous?: unknown; originalError?: unknown };
    e = next.originalError ?? next.previous ?? next.cause;
  }
  return null;
}
