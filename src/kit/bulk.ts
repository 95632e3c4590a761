import { once } from 'node:events';
import { ReferenceKind, type EntityClass, type EntityMetadata, type EntityProperty, type RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A row as a seed writes it: the entity's properties by name, as `em.insertMany` would take them. */
export type SeedRow<T> = RequiredEntityData<T>;

/** Rows made on demand; `expected` (when the source knows it) feeds progress bars. */
export interface RowStream<R> extends Iterable<R> {
  readonly expected?: number;
}

/** One row per item of a list or stream, made only as the loader reads them. */
export function each<S, R>(source: Iterable<S> & { readonly length?: number }, row: (item: S) => R): RowStream<R> {
  return {
    expected: source.length,
    *[Symbol.iterator]() {
      for (const item of source) yield row(item);
    },
  };
}

/** Any number of rows per item (case participants per case, …); the total is not known up front. */
export function eachMany<S, R>(source: Iterable<S>, rows: (item: S) => Iterable<R>): RowStream<R> {
  return {
    *[Symbol.iterator]() {
      for (const item of source) yield* rows(item);
    },
  };
}

/** What of knex's (untyped) client this file uses, on PostgreSQL. */
interface KnexClient {
  acquireConnection(): Promise<ClientBase>;
  releaseConnection(client: ClientBase): Promise<void>;
}

/** The pg client the entity manager works on: its transaction's, or one from the pool for the call. */
async function withClient<R>(em: EntityManager, fn: (client: ClientBase) => Promise<R>): Promise<R> {
  const trx = em.getTransactionContext<Knex.Transaction>();
  // Knex's transaction client hands out the transaction's own connection and never releases it.
  const pool = (trx ?? em.getConnection().getKnex()).client as KnexClient;
  const client = await pool.acquireConnection();
  try {
    return await fn(client);
  } finally {
    if (!trx) await pool.releaseConnection(client);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"` of an entity in the entity manager's (department's) schema. */
export function qualifiedTable(em: EntityManager, meta: EntityMetadata): string {
  const schema = meta.schema && meta.schema !== '*' ? meta.schema : em.config.get('schema');
  return schema ? `${quoteIdent(schema)}.${quoteIdent(meta.tableName)}` : quoteIdent(meta.tableName);
}

/** Columns a seed fills: every stored scalar property, less generated keys (serial ids). */
function copyColumns(meta: EntityMetadata): EntityProperty[] {
  return meta.props.filter((p) => p.kind === ReferenceKind.SCALAR && p.persist !== false && !p.formula && !(p.primary && p.autoincrement));
}

function isArrayColumn(prop: EntityProperty): boolean {
  return (prop.columnTypes?.[0] ?? '').endsWith('[]') || prop.type === 'ArrayType' || prop.customType?.constructor.name === 'ArrayType';
}

/** COPY text format: backslash, tab, newline and carriage return escaped; everything else as is. */
function escapeText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;
}

/** An array literal `{"a","b"}`: every element quoted, `"` and `\` backslash-escaped, null as NULL. */
function arrayLiteral(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : `"${scalarText(v).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}

function scalarText(value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('invalid Date');
    return value.toISOString();
  }
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      return JSON.stringify(value);
    default:
      throw new TypeError(`cannot store a ${typeof value}`);
  }
}

/** One value as a field of COPY's text format. */
export function copyField(value: unknown, array = false): string {
  if (value === null || value === undefined) return '\\N';
  if (array) {
    if (!Array.isArray(value)) throw new TypeError('expected an array');
    return escapeText(arrayLiteral(value));
  }
  return escapeText(scalarText(value));
}

export interface CopyOptions {
  /** Called as rows are sent, with the running count (throttled by the caller). */
  onRows?: (sent: number) => void;
  /** COPY … FREEZE: only for a table created or truncated in the current transaction. */
  freeze?: boolean;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * Streams rows into an entity's table with COPY FROM STDIN (text format), mapping properties to
 * columns from the entity's metadata: text escaped, arrays as array literals, dates as given
 * (`YYYY-MM-DD`), timestamps as ISO instants, booleans as t/f, null and undefined as NULL. Runs on
 * the entity manager's transaction when it is in one, so a failure rolls the whole load back.
 * Memory stays bounded: rows are read as the server takes them (backpressure), in 256 KB chunks.
 * Returns the number of rows the server stored.
 */
export async function copyRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  rows: Iterable<SeedRow<T>> | AsyncIterable<SeedRow<T>>,
  opts: CopyOptions = {},
): Promise<number> {
  const meta = em.getMetadata().get<T>(entity.name);
  const columns = copyColumns(meta);
  const known = new Set<string>(meta.props.map((p) => p.name));
  const arrays = columns.map(isArrayColumn);
  const names = columns.map((p) => p.name);
  const sql = `COPY ${qualifiedTable(em, meta)} (${columns.map((p) => quoteIdent(p.fieldNames[0])).join(', ')}) FROM STDIN${opts.freeze ? ' WITH (FREEZE)' : ''}`;
  return withClient(em, async (client) => {
    const stream = client.query(copyFrom(sql));
    const failed = new Promise<never>((_, reject) => stream.once('error', reject));
    failed.catch(() => undefined);
    let sent = 0;
    let chunk = '';
    const flush = async () => {
      const ok = stream.write(chunk);
      chunk = '';
      if (!ok) await Promise.race([once(stream, 'drain'), failed]);
    };
    /** Appends one row to the chunk; true when the chunk is full. */
    const encode = (row: SeedRow<T>): boolean => {
      const record = row as Record<string, unknown>;
      if (sent === 0) {
        const unknown = Object.keys(record).filter((k) => !known.has(k));
        if (unknown.length) throw new Error(`${entity.name} has no propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}`);
      }
      let line = '';
      for (let c = 0; c < names.length; c++) {
        if (c > 0) line += '\t';
        try {
          line += copyField(record[names[c]], arrays[c]);
        } catch (e) {
          throw new Error(`${entity.name}.${names[c]} of row ${sent + 1}: ${(e as Error).message}`, { cause: e });
        }
      }
      chunk += `${line}\n`;
      sent++;
      return chunk.length >= CHUNK_BYTES;
    };
    const sendChunk = async () => {
      await flush();
      opts.onRows?.(sent);
    };
    try {
      // A synchronous source is read without an await per row: only full chunks wait for the server.
      if (Symbol.iterator in rows) {
        for (const row of rows) if (encode(row)) await sendChunk();
      } else {
        for await (const row of rows) if (encode(row)) await sendChunk();
      }
      if (chunk) await flush();
      stream.end();
      await Promise.race([once(stream, 'finish'), failed]);
    } catch (e) {
      // Abandon the COPY: the server answers with an error and the transaction is rolled back by the caller.
      if (!stream.destroyed) stream.destroy(e as Error);
      await failed.catch(() => undefined);
      throw e;
    }
    opts.onRows?.(sent);
    return stream.rowCount ?? sent;
  });
}

/** How a table's indexes and key/unique constraints are put back after a bulk load. */
export interface DroppedIndexes {
  restore: string[];
}

/**
 * Drops a table's secondary indexes and its primary-key and unique constraints (with their
 * indexes), returning the statements that rebuild them: building an index once over loaded rows
 * (a sort) is far faster than maintaining it row by row. Call inside a transaction, so a failed
 * load rolls the drop back too.
 */
export async function dropIndexes(em: EntityManager, entity: EntityClass<object>): Promise<DroppedIndexes> {
  const table = qualifiedTable(em, em.getMetadata().get(entity.name));
  const rows = await em.execute<Array<{ index_name: string; index_def: string; constraint_name: string | null; constraint_def: string | null }>>(
    `select i.indexrelid::regclass::text as index_name, pg_get_indexdef(i.indexrelid) as index_def,
            c.conname as constraint_name, pg_get_constraintdef(c.oid) as constraint_def
     from pg_index i left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u')
     where i.indrelid = ?::regclass
     order by c.contype nulls last, i.indexrelid`,
    [table],
  );
  const restore: string[] = [];
  for (const r of rows) {
    if (r.constraint_name && r.constraint_def) {
      await em.execute(`alter table ${table} drop constraint ${quoteIdent(r.constraint_name)}`);
      restore.push(`alter table ${table} add constraint ${quoteIdent(r.constraint_name)} ${r.constraint_def}`);
    } else {
      await em.execute(`drop index ${r.index_name}`);
      restore.push(r.index_def);
    }
  }
  return { restore };
}

/** Rebuilds what `dropIndexes` dropped, then refreshes the planner's statistics of the table. */
export async function restoreIndexes(em: EntityManager, entity: EntityClass<object>, dropped: DroppedIndexes): Promise<void> {
  for (const sql of dropped.restore) await em.execute(sql);
  await em.execute(`analyze ${qualifiedTable(em, em.getMetadata().get(entity.name))}`);
}
