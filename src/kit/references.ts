import type { EntityClass } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../shared/errors';
import type { ReferenceResolver } from './department';

/** Reads a key field of an entity representation, refusing malformed ones with a clear error. */
export function representationKey(representation: Record<string, unknown>, field: string, valid?: (value: string) => boolean): string {
  const value = representation[field];
  if (typeof value !== 'string' || value === '' || (valid && !valid(value))) {
    throw new GraphQLError(`cannot resolve ${String(representation.__typename)} representation: key field "${field}" is missing or malformed`, {
      extensions: { code: ErrorCode.BadRepresentation },
    });
  }
  return value;
}

/** Reference resolver of an entity this department owns: batched lookup by its key. */
export function ownedReference<T extends object>(entity: EntityClass<T>, key: keyof T & string, valid?: (value: string) => boolean): ReferenceResolver {
  return (representation, context) => context.loaders.one(entity, key).load(representationKey(representation, key, valid));
}

/**
 * The owner's counts a representation carries for the fields that `@requires` them (`Int` fields
 * declared `@external`): a number, or null when the owner gave none (withheld, or denied).
 */
export function requiredCounts(representation: Record<string, unknown>, fields: readonly string[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const field of fields) {
    const value = representation[field] ?? null;
    if (value !== null && !Number.isInteger(value)) {
      throw new GraphQLError(`cannot resolve ${String(representation.__typename)} representation: "${field}" must be an integer`, {
        extensions: { code: ErrorCode.BadRepresentation },
      });
    }
    out[field] = value as number | null;
  }
  return out;
}

/**
 * Reference resolver of an entity another department owns and this one extends (e.g. `Person`
 * in police): nothing to load, the key alone lets this department's field resolvers run (with the
 * owner's counts they `@requires`, when `required` names them).
 */
export function extendedReference<T extends object>(
  type: new () => T,
  key: keyof T & string,
  valid?: (value: string) => boolean,
  required: readonly string[] = [],
): ReferenceResolver {
  const resolve: ReferenceResolver = (representation) =>
    Object.assign(new type(), { [key]: representationKey(representation, key, valid) }, requiredCounts(representation, required));
  // What the stub carries, for `hub policy check`: a rule reading any other property of it never holds.
  return Object.assign(resolve, { carries: [key, ...required] as const });
}

/** The properties a reference resolver's records carry, when it declares them (key-only stubs do). */
export function carriedBy(resolver: ReferenceResolver | undefined): readonly string[] | null {
  const carries = (resolver as { carries?: readonly string[] } | undefined)?.carries;
  return carries ?? null;
}
