import type { FilterQuery } from '@mikro-orm/core';
import type { SubgraphContext } from '../../kit/context';
import { rowScope } from '../../kit/scope';
import { badInput } from '../../shared/errors';

/**
 * What the grid's own objects (houses, special populations, key places, visits) share: their
 * records listed under a grid are limited in SQL to the caller's jurisdiction, as every list is
 * (the policy's `scope`), and their ids are checked before they reach SQL.
 */
export function inGrid<T extends object>(ctx: SubgraphContext, typeName: string, gridCode: string): FilterQuery<T> {
  return { $and: [rowScope<T>(ctx, typeName), { gridCode } as FilterQuery<T>] } as FilterQuery<T>;
}

/** Ids of the grid's objects: a prefix and digits (`H` + grid code + 4, `SP` + 8, `KP` + grid code + 2, `VI` + year + 6). */
export const OBJECT_IDS = {
  house: /^H\d{16}$/,
  specialPopulation: /^SP\d{8}$/,
  keyPlace: /^KP\d{14}$/,
  visit: /^VI\d{10}$/,
} as const;

export const isObjectId = (kind: keyof typeof OBJECT_IDS) => (value: string) => OBJECT_IDS[kind].test(value);

export function checkObjectId(argument: string, value: string, kind: keyof typeof OBJECT_IDS): string {
  if (!isObjectId(kind)(value)) throw badInput(argument, `not a ${kind} id`);
  return value;
}
