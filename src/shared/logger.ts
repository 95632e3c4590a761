import pino, { type Logger } from 'pino';

/** Properties drivers hang on errors that can hold statement text or values (knex, pg, MikroORM). */
const STATEMENT_PROPERTIES = new Set([
  'sql',
  'bindings',
  'parameters',
  'params',
  'query',
  'where',
  'detail',
  'hint',
  'internalQuery',
  'position',
  'internalPosition',
  'sqlMessage',
  'errmsg',
  'entity',
]);

type ErrorLike = Record<string, unknown> & { message?: unknown; stack?: unknown; name?: unknown; code?: unknown };

/** The errors an error wraps (MikroORM `previous`, `cause`, GraphQL `originalError`). */
function chain(err: unknown): ErrorLike[] {
  const seen: ErrorLike[] = [];
  let e = err;
  while (e && typeof e === 'object' && !seen.includes(e as ErrorLike)) {
    seen.push(e as ErrorLike);
    const next = e as { previous?: unknown; cause?: unknown; originalError?: unknown };
    e = next.originalError ?? next.previous ?? next.cause;
  }
  return seen;
}

/**
 * An error from the database layer: its message (knex writes the statement into it, MikroORM
 * inlines the parameters there) and several properties carry the values of the statement.
 */
function isDatabaseError(e: ErrorLike): boolean {
  const code = typeof e.code === 'string' ? e.code : '';
  return 'sql' in e || 'sqlState' in e || (/^[0-9A-Z]{5}$/.test(code) && ('severity' in e || 'routine' in e)) || e.name === 'KnexTimeoutError';
}

/** Only the `at …` lines of a stack: its first line repeats the message. */
function frames(stack: unknown): string | undefined {
  return typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((l) => l.trim().startsWith('at '))
        .join('\n')
    : undefined;
}

/**
 * The `err` serializer of every log line. A database error is logged by its kind, SQLSTATE and
 * the names of the table, column and constraint — never its message, statement, parameters or
 * `detail` (they carry the values: ID numbers, names, phones). Other errors as pino logs them,
 * minus any property that can hold a statement.
 */
export function safeError(err: unknown): unknown {
  if (!err || typeof err !== 'object') return err;
  const db = chain(err).find(isDatabaseError);
  if (db) {
    const { name } = err as ErrorLike;
    const pick = (k: string) => (typeof db[k] === 'string' ? db[k] : undefined);
    const sqlState = pick('sqlState') ?? (typeof db.code === 'string' && /^[0-9A-Z]{5}$/.test(db.code) ? db.code : undefined);
    return {
      type: typeof name === 'string' ? name : 'Error',
      message:
        db.name === 'KnexTimeoutError'
          ? 'statement cancelled: the request ran out of time'
          : `database error${sqlState ? ` ${sqlState}` : ''} (statement and values not logged)`,
      sqlState,
      routine: pick('routine'),
      table: pick('table'),
      column: pick('column'),
      constraint: pick('constraint'),
      stack: frames((err as ErrorLike).stack),
    };
  }
  const serialized = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing the statement-bearing properties is the point
  for (const key of Object.keys(serialized)) if (STATEMENT_PROPERTIES.has(key)) delete serialized[key];
  return serialized;
}

const taps = new Map<(line: string) => void, { instead: boolean }>();
const stdout = pino.destination(1);

/**
 * Calls `listener` with every log line written from now on, until the returned function is
 * called; with `instead`, the lines go only to the listener, not to stdout. The log-leak tests
 * read what the hub logs this way.
 */
export function tapLogs(listener: (line: string) => void, opts: { instead?: boolean } = {}): () => void {
  taps.set(listener, { instead: opts.instead ?? false });
  return () => taps.delete(listener);
}

/** Structured JSON logs (pino). `LOG_LEVEL` sets the level; tests default to `warn` to keep output readable. */
export const logger: Logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    base: { service: 'pingan-hub' },
    serializers: { err: safeError },
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.idNumber', 'idNumber'], censor: '[redacted]' },
  },
  {
    write(line: string) {
      let toStdout = true;
      for (const [tap, { instead }] of taps) {
        tap(line);
        toStdout &&= !instead;
      }
      if (toStdout) stdout.write(line);
    },
  },
);

export type { Logger };
