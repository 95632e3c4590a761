import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ReferenceKind, type EntityClass, type EntityData, type EntityMetadata, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';

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

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * The columns `em.find` would hydrate, when the entity is plain: scalar properties only, none
 * lazy, computed (formula) or read through SQL of a custom type, no inheritance and no load
 * hooks. Anything else (null) keeps going through `em.find`.
 */
function plainColumns(meta: EntityMetadata): string[] | null {
  if (meta.virtual || meta.discriminatorColumn || meta.embeddable || meta.hooks.onLoad?.length) return null;
  const columns: string[] = [];
  for (const prop of meta.props) {
    if (prop.persist === false) continue;
    if (prop.kind !== ReferenceKind.SCALAR || prop.lazy || prop.formula || prop.customType?.convertToJSValueSQL || !prop.fieldNames?.length) return null;
    columns.push(...prop.fieldNames);
  }
  return columns;
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
   * and hydrates the rows as `em.find` does: mapped to properties, then merged into the request's
   * identity map — one object per record, whichever loader or query reached it first, which the
   * policy's per-record decisions rely on.
   */
  private async run<T extends object>(entity: EntityClass<T>, statement: Statement, keys: readonly Key[]): Promise<T[]> {
    const rows = await this.rows<EntityData<T>>(statement, keys);
    const meta = this.em.getMetadata().get<T>(entity.name);
    const driver = this.em.getDriver();
    const factory = this.em.getEntityFactory();
    return rows.map((row) => factory.create<T>(entity.name, driver.mapResult(row, meta)!, { merge: true, convertCustomTypes: true }));
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
