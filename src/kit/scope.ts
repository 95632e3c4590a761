import type { FilterQuery } from '@mikro-orm/core';
import type { SubgraphContext } from './context';

/**
 * The SQL condition that limits a list query of `typeName` to the viewer's jurisdiction, as the
 * policy's `rowScope` says (e.g. a grid worker lists only the people of their grids). Rows are
 * never loaded and filtered afterwards.
 */
export function rowScope<T extends object>(ctx: SubgraphContext, typeName: string): FilterQuery<T> {
  const scope = ctx.policy.rowScope(typeName, ctx.viewer);
  if (!scope) return {} as FilterQuery<T>;
  // No jurisdiction at all: nothing is in scope.
  if (!scope.prefixes.length) return { [scope.property]: { $in: [] } } as FilterQuery<T>;
  return { $or: scope.prefixes.map((p) => ({ [scope.property]: { $like: `${p}%` } })) } as FilterQuery<T>;
}

/**
 * SQL that is true when `column` starts with the division code `code`, an SQL expression such as
 * a joined column. `column LIKE code || '%'` cannot use an index when the pattern comes from a
 * join, so statistics scanned whole tables; this byte-wise range (the same one the planner makes
 * of a constant LIKE prefix) is served by the `varchar_pattern_ops` index each department keeps on
 * its division codes, in any collation. Codes are digits, and ':' is the byte after '9'.
 */
export function startsWithCode(column: string, code: string): string {
  return `(${column} ~>=~ ${code} and ${column} ~<~ (${code} || ':'))`;
}
