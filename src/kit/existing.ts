import type DataLoader from 'dataloader';
import type { EntityClass, QueryOrderMap } from '@mikro-orm/core';
import { idNumberProblem } from '../shared/idNumber';
import type { SubgraphContext } from './context';

/*
 * Helpers for a department whose records stay in its own system's database (`existingDatabase`,
 * scaffolded by `hub new-department <name> --from-database`): such a system stores ID numbers, not
 * the hub's person keys, and the hub never writes the keys back there.
 */

/**
 * The person key of an ID number as the department's system holds it; null for a value that is
 * not a valid ID number (an old 15-digit number, a typo): such a record links to nobody.
 */
export function personKeyOf(ctx: SubgraphContext, idNumber: string | null | undefined): string | null {
  if (!idNumber || idNumberProblem(idNumber.trim()) !== null) return null;
  return ctx.personKey(idNumber.trim());
}

/**
 * The records of `entity` whose ID number column (`prop`) belongs to each person key: one SQL
 * statement per batch of people, the keys computed by PostgreSQL from the column (nothing stored).
 */
export function recordsOfPerson<T extends object>(
  ctx: SubgraphContext,
  entity: EntityClass<T>,
  prop: keyof T & string,
  orderBy: QueryOrderMap<T>,
): DataLoader<string, T[]> {
  return ctx.loaders.custom<string, T[]>(`personKey:${entity.name}.${prop}`, async (keys) => {
    const column = ctx.em
      .getMetadata()
      .get<T>(entity.name)
      .props.find((p) => p.name === prop)!.fieldNames[0];
    const key = ctx.personKeySql(`btrim("${column}")`);
    const rows = await ctx.em
      .createQueryBuilder(entity)
      .select('*')
      .where(`${key.sql} in (${keys.map(() => '?').join(', ')})`, [...key.params, ...keys])
      .orderBy(orderBy)
      .getResultList();
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) {
      const personKey = personKeyOf(ctx, row[prop] as string | null);
      if (personKey) groups.get(personKey)?.push(row);
    }
    return keys.map((k) => groups.get(k)!);
  });
}
