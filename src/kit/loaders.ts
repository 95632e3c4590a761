import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityClass, FilterQuery, QueryOrderMap } from '@mikro-orm/core';

type Key = string;

/** A key column's value as a loader key: text as is, numeric ids in decimal. */
function keyText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
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

  /** Loads one entity by a unique property (its key, usually); null when there is none. */
  one<T extends object>(entity: EntityClass<T>, prop: keyof T & string): DataLoader<Key, T | null> {
    return this.loader(`one:${entity.name}.${prop}`, async (keys) => {
      const rows = await this.em.find(entity, this.where(entity, { [prop]: { $in: keys } } as FilterQuery<T>));
      const byKey = new Map(rows.map((r) => [keyText(r[prop]), r]));
      return keys.map((k) => byKey.get(k) ?? null);
    });
  }

  /** Loads the entities whose `prop` equals each key (one-to-many). */
  many<T extends object>(entity: EntityClass<T>, prop: keyof T & string, orderBy?: QueryOrderMap<T>): DataLoader<Key, T[]> {
    return this.loader(`many:${entity.name}.${prop}`, async (keys) => {
      const rows = await this.em.find(entity, this.where(entity, { [prop]: { $in: keys } } as FilterQuery<T>), { orderBy: orderBy as never });
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const r of rows) groups.get(keyText(r[prop]))?.push(r);
      return keys.map((k) => groups.get(k)!);
    });
  }

  /** Loads the entities whose array property `prop` contains each key (e.g. persons involved). */
  containing<T extends object>(entity: EntityClass<T>, prop: keyof T & string, orderBy?: QueryOrderMap<T>): DataLoader<Key, T[]> {
    return this.loader(`containing:${entity.name}.${prop}`, async (keys) => {
      const rows = await this.em.find(entity, this.where(entity, { [prop]: { $overlap: keys } } as FilterQuery<T>), { orderBy: orderBy as never });
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const r of rows) for (const v of r[prop] as unknown as string[]) groups.get(v)?.push(r);
      return keys.map((k) => groups.get(k)!);
    });
  }

  /** Counts the entities per key value of `prop`, optionally within an extra condition. */
  count<T extends object>(entity: EntityClass<T>, prop: keyof T & string, name = ''): DataLoader<Key, number> {
    return this.loader(`count:${entity.name}.${prop}:${name}`, async (keys) => {
      const meta = this.em.getMetadata().get(entity.name);
      const column = meta.props.find((p) => p.name === prop)!.fieldNames[0];
      // The key column may be numeric (a serial id); count(*) is a bigint, which pg returns as text.
      const rows: Array<{ k: string | number; n: string }> = await this.em
        .createQueryBuilder(entity)
        .select([`${column} as k`, 'count(*) as n'] as never)
        .where({ [prop]: { $in: keys } } as FilterQuery<T>)
        .groupBy(column as never)
        .execute('all', false);
      const byKey = new Map(rows.map((r) => [String(r.k), Number(r.n)]));
      return keys.map((k) => byKey.get(k) ?? 0);
    });
  }

  /** A loader with a batch function of the department's own (for anything the helpers above do not cover). */
  custom<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    return this.loader(`custom:${name}`, batch);
  }
}
