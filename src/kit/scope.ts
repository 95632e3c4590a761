import type { FilterQuery } from '@mikro-orm/core';
import { isJurisdictionPrefix } from '../auth/viewer';
import type { SubgraphContext } from './context';

/**
 * The SQL condition that limits a list query of `typeName` to the viewer's jurisdiction, as the
 * policy's `rowScope` says (e.g. a grid worker lists only the people of their grids). Rows are
 * never loaded and filtered afterwards.
 */
export function rowScope<T extends object>(ctx: SubgraphContext, typeName: string): FilterQuery<T> {
  const scope = ctx.policy.rowScope(typeName, ctx.viewer);
  if (!scope) return {} as FilterQuery<T>;
  // No usable jurisdiction (none, or a prefix that would match everything): nothing is in scope.
  const prefixes = scope.prefixes.filter(isJurisdictionPrefix);
  if (!prefixes.length) return { [scope.property]: { $in: [] } } as FilterQuery<T>;
  return { $or: prefixes.map((p) => ({ [scope.property]: { $like: `${p}%` } })) } as FilterQuery<T>;
}

