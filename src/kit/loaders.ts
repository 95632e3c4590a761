import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ReferenceKind,
  type EntityClass,
  type EntityMetadata,
  type EntityProperty,
  type FilterQuery,
  type Platform,
  type QueryOrderMap,
} from '@mikro-orm/core';

type Key = string;

/** A key column's value as a loader key: text as is, numeric ids in decimal. */
function keyText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

/** A loader's SQL: named, so each pooled connection parses and plans it once (a prepared statement). */
interface Statement {
  name: string;
  text: string;
}

/**
 * The statements built so far, per entity and loader (built once per process, not per request);
 * null for an entity the plain statement cannot load (see `plainColumns`).
 */
const statements = new WeakMap<EntityMetadata, Map<string, Statement | null>>();

/** Each plain entity's row mapper and the text of its primary key in a row, built once per process. */
const mappers = new WeakMap<EntityMetadata, { map: (row: Row) => object; key: (row: Row) => string }>();

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * The columns `em.find` would hydrate, when the entity is plain: scalar properties only, none
 * lazy, computed (formula), wrapped in a reference or read through SQL of a custom type, one
 * column each, no inheritance, no load hooks and no constructor to run. Anything else (null)
 * keeps going through `em.find`.
 */
export function plainColumns(meta: EntityMetadata): string[] | null {
  if (meta.virtual || meta.discriminatorColumn || meta.embeddable || meta.forceConstructor || meta.hooks.onLoad?.length) return null;
  const columns: string[] = [];
  for (const prop of meta.props) {
    if (prop.persist === false) continue;
    if (prop.kind !== ReferenceKind.SCALAR || prop.lazy || prop.formula || prop.ref || prop.customType?.convertToJSValueSQL || prop.fieldNames?.length !== 1)
      return null;
    columns.push(prop.fieldNames[0]);
  }
  return columns;
}

type Row = Record<string, unknown>;
type Convert = (value: unknown) => unknown;

/** MikroORM's parsing of a date or timestamp as pg returns it (text), in the configured time zone (its result mapping). */
function dateParser(platform: Platform): Convert {
  const tz = platform.getTimezone();
  const local = !tz || tz === 'local';
  return (v) => {
    if (v instanceof Date) return v;
    if (typeof v === 'bigint') return platform.parseDate(Number(v));
    const text = v as string;
    if (local || typeof v === 'number' || text.includes('+') || text.lastIndexOf('-') > 10 || text.endsWith('Z')) return platform.parseDate(text);
    return platform.parseDate(text + tz);
  };
}

/**
 * A property's conversion from what pg returns to what the entity holds, as MikroORM does it in
 * two steps: its result mapping (booleans; dates parsed in the configured time zone), then its
 * hydration — a custom type's `convertToJSValue` (dates as text, numeric, bigint, arrays, json);
 * without one, hydration repeats the mapping's booleans and dates, which changes nothing. Null
 * stays null; null (no function) when the value is kept as pg returns it.
 */
function conversion(prop: EntityProperty, platform: Platform): Convert | null {
  const date = prop.runtimeType === 'Date' && !platform.isNumericProperty(prop);
  const boolean = prop.runtimeType === 'boolean';
  const mapped: Convert | null = boolean ? (v) => !!v : date ? dateParser(platform) : null;
  const custom = prop.customType;
  const hydrated: Convert | null = custom ? (v): unknown => custom.convertToJSValue(v, platform) as unknown : null;
  if (mapped && hydrated) return (v) => (v == null ? v : hydrated(mapped(v)));
  const only = mapped ?? hydrated;
  return only && ((v) => (v == null ? v : only(v)));
}

/**
 * Turns a row of the loader's statement (the columns of `plainColumns`) into an object of the
 * entity's class, its values as own data properties converted as `em.find` converts them
 * (test/loaders.test.ts compares the two over every entity the loaders accept). The object is
 * not managed: no flush can write it, and the loaders keep one per record and request.
 */
export function rowMapper<T extends object>(meta: EntityMetadata<T>, platform: Platform): (row: Row) => T {
  const props = meta.props.filter((p) => p.persist !== false).map((p) => ({ column: p.fieldNames[0], property: p.name, convert: conversion(p, platform) }));
  const prototype = meta.prototype as object;
  return (row) => {
    const entity = Object.create(prototype) as Row;
    for (const { column, property, convert } of props) entity[property] = convert ? convert(row[column]) : row[column];
    return entity as T;
  };
}

/**
 * Per-request DataLoaders over a department's entities, created on first use and named by
 * entity and property, so every resolver asking for the same thing shares one batch: one SQL
 * statement per entity type per query-plan step, whatever the number of rows.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<unknown, unknown>>();
  /** Number of batches dispatched by this request's loaders (exposed as a metric). */
  batches = 0;
  readonly batchSizes: number[] = [];
  /** The records the prepared statements loaded in this request: one object per entity and primary key. */
  private readonly records = new Map<EntityMetadata, Map<string, object>>();

  /**
   * `scope` limits the records of a type for this request (the policy's `notFoundOutside`): a
   * lookup, an entity reference or a nested field then finds nothing outside it, in SQL.
   */
  constructor(
    private readonly em: EntityManager,
    private readonly scope: (typeName: string) => FilterQuery<object> | null = () => null,
  ) {}

  private where<T extends object>(entity: EntityClass<T>, condition: FilterQuery<T>): FilterQuery<T> {
    const scope = this.scope(entity.name);
    return scope ? ({ $and: [condition, scope] } as FilterQuery<T>) : condition;
  }

  private loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let l = this.cache.get(name) as DataLoader<K, V> | undefined;
    if (!l) {
      l = new DataLoader<K, V>(
        async (keys) => {
          this.batches++;
          this.batchSizes.push(keys.length);
          return batch(keys);
        },
        { maxBatchSize: 1000 },
      );
      this.cache.set(name, l);
    }
    return l;
  }

  /**
   * The statement of one loader over `entity`: `select <the mapped columns> from <table> where
   * <condition>`, `condition` given the key column; null when `em.find` must load it instead.
   */
  private statement<T extends object>(
    entity: EntityClass<T>,
    loader: string,
    build: (table: string, columns: string[], column: (prop: string) => string) => string,
  ): Statement | null {
    const meta: EntityMetadata = this.em.getMetadata().get(entity.name);
    let perEntity = statements.get(meta);
    if (!perEntity) statements.set(meta, (perEntity = new Map<string, Statement | null>()));
    let statement = perEntity.get(loader);
    if (statement === undefined) {
      const columns = plainColumns(meta);
      const schema = meta.schema && meta.schema !== '*' ? meta.schema : this.em.config.get('schema');
      const table = schema ? `${quote(schema)}.${quote(meta.tableName)}` : quote(meta.tableName);
      const column = (prop: string) => quote(meta.props.find((p) => p.name === prop)!.fieldNames[0]);
      const text = columns ? build(table, columns.map(quote), column) : null;
      statement = text ? { name: `loader_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text } : null;
      perEntity.set(loader, statement);
    }
    return statement;
  }

  /**
   * Runs a loader's statement with the batch's keys as one array parameter, through the ORM's
   * knex (so statement counting, tracing and the request's deadline apply as to every statement),
   * and maps the rows to plain objects of the entity (`rowMapper`), one per record for the whole
   * request whichever loader reached it first. MikroORM's hydration (identity map, change
   * tracking, a wrapper per object) was the largest cost left of the person view's own work
   * (docs/performance.md); the policy and the audit tell records apart
   * by type and id, so an `em.find` elsewhere in the request may hand back a second object of the
   * same record without a second decision or "looked up" row.
   */
  private async run<T extends object>(entity: EntityClass<T>, statement: Statement, keys: readonly Key[]): Promise<T[]> {
    const rows = await this.rows<Row>(statement, keys);
    const meta = this.em.getMetadata().get<T>(entity.name);
    let plain = mappers.get(meta);
    if (!plain) {
      const pk = meta.props.filter((p) => p.primary).map((p) => p.fieldNames[0]);
      const key = pk.length === 1 ? (row: Row) => keyText(row[pk[0]]) : (row: Row) => pk.map((c) => keyText(row[c])).join('\u0000');
      mappers.set(meta, (plain = { map: rowMapper(meta, this.em.getPlatform()), key }));
    }
    let records = this.records.get(meta);
    if (!records) this.records.set(meta, (records = new Map<string, object>()));
    return rows.map((row) => {
      const id = plain.key(row);
      let record = records.get(id);
      if (!record) records.set(id, (record = plain.map(row)));
      return record as T;
    });
  }

  private async rows<R>(statement: Statement, keys: readonly Key[]): Promise<R[]> {
    const knex = this.em.getConnection().getKnex();
    return ((await knex.raw(statement.text, [keys as Key[]]).options({ name: statement.name })) as { rows: R[] }).rows;
  }

  /**
   * The prepared path applies to a request outside a transaction (a mutation's reads stay on its
   * transaction's connection through `em.find`) and without a scope on the type (a policy
   * condition, rendered by the ORM).
   */
  private prepared<T extends object>(entity: EntityClass<T>): boolean {
    return !this.em.isInTransaction() && !this.scope(entity.name);
  }

  private orderSql<T extends object>(orderBy: QueryOrderMap<T> | undefined, column: (prop: string) => string): string {
    if (!orderBy) return '';
    const terms = Object.entries(orderBy).map(([prop, direction]) => {
      const d = String(direction).toLowerCase();
      if (!/^(asc|desc)( nulls (first|last))?$/.test(d)) throw new Error(`loader order: unsupported direction ${String(direction)} for ${prop}`);
      return `${column(prop)} ${d}`;
    });
    return terms.length ? ` order by ${terms.join(', ')}` : '';
  }

  /** Loads one entity by a unique property (its key, usually); null when there is none. */
  one<T extends object>(entity: EntityClass<T>, prop: keyof T & string): DataLoader<Key, T | null> {
    return this.loader(`one:${entity.name}.${prop}`, async (keys) => {
      const statement = this.prepared(entity)
        ? this.statement(entity, `one:${prop}`, (table, columns, column) => `select ${columns.join(', ')} from ${table} where ${column(prop)} = any(?)`)
        : null;
      const rows = statement
        ? await this.run(entity, statement, keys)
        : await this.em.find(entity, this.where(entity, { [prop]: { $in: keys } } as FilterQuery<T>));
      const byKey = new Map(rows.map((r) => [keyText(r[prop]), r]));
      return keys.map((k) => byKey.get(k) ?? null);
    });
  }

  /** Loads the entities whose `prop` equals each key (one-to-many). */
  many<T extends object>(entity: EntityClass<T>, prop: keyof T & string, orderBy?: QueryOrderMap<T>): DataLoader<Key, T[]> {
    return this.loader(`many:${entity.name}.${prop}`, async (keys) => {
      const statement = this.prepared(entity)
        ? this.statement(
            entity,
            `many:${prop}:${JSON.stringify(orderBy ?? {})}`,
            (table, columns, column) => `select ${columns.join(', ')} from ${table} where ${column(prop)} = any(?)${this.orderSql(orderBy, column)}`,
          )
        : null;
      const rows = statement
        ? await this.run(entity, statement, keys)
        : await this.em.find(entity, this.where(entity, { [prop]: { $in: keys } } as FilterQuery<T>), { orderBy: orderBy as never });
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const r of rows) groups.get(keyText(r[prop]))?.push(r);
      return keys.map((k) => groups.get(k)!);
    });
  }

  /** Loads the entities whose array property `prop` contains each key (e.g. persons involved). */
  containing<T extends object>(entity: EntityClass<T>, prop: keyof T & string, orderBy?: QueryOrderMap<T>): DataLoader<Key, T[]> {
    return this.loader(`containing:${entity.name}.${prop}`, async (keys) => {
      const statement = this.prepared(entity)
        ? this.statement(
            entity,
            `containing:${prop}:${JSON.stringify(orderBy ?? {})}`,
            (table, columns, column) => `select ${columns.join(', ')} from ${table} where ${column(prop)} && ?${this.orderSql(orderBy, column)}`,
          )
        : null;
      const rows = statement
        ? await this.run(entity, statement, keys)
        : await this.em.find(entity, this.where(entity, { [prop]: { $overlap: keys } } as FilterQuery<T>), { orderBy: orderBy as never });
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const r of rows) for (const v of r[prop] as unknown as string[]) groups.get(v)?.push(r);
      return keys.map((k) => groups.get(k)!);
    });
  }

  /** Counts the entities per key value of `prop`. */
  count<T extends object>(entity: EntityClass<T>, prop: keyof T & string, name = ''): DataLoader<Key, number> {
    return this.loader(`count:${entity.name}.${prop}:${name}`, async (keys) => {
      const statement = this.prepared(entity)
        ? this.statement(entity, `count:${prop}`, (table, _columns, column) => {
            const key = column(prop);
            return `select ${key} as k, count(*) as n from ${table} where ${key} = any(?) group by ${key}`;
          })
        : null;
      // The key column may be numeric (a serial id); count(*) is a bigint, which pg returns as text.
      const rows = statement ? await this.rows<{ k: string | number; n: string }>(statement, keys) : await this.countByOrm(entity, prop, keys);
      const byKey = new Map(rows.map((r) => [String(r.k), Number(r.n)]));
      return keys.map((k) => byKey.get(k) ?? 0);
    });
  }

  private async countByOrm<T extends object>(
    entity: EntityClass<T>,
    prop: keyof T & string,
    keys: readonly Key[],
  ): Promise<Array<{ k: string | number; n: string }>> {
    const column = this.em
      .getMetadata()
      .get(entity.name)
      .props.find((p) => p.name === prop)!.fieldNames[0];
    return this.em
      .createQueryBuilder(entity)
      .select([`${column} as k`, 'count(*) as n'] as never)
      .where({ [prop]: { $in: keys } } as FilterQuery<T>)
      .groupBy(column as never)
      .execute('all', false);
  }

  /** A loader with a batch function of the department's own (for anything the helpers above do not cover). */
  custom<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    return this.loader(`custom:${name}`, batch);
  }
}
