import type { FilterQuery } from '@mikro-orm/core';
import { isJurisdictionPrefix, type Viewer } from '../auth/viewer';
import type { Policy } from '../policy/policy';
import type { SubgraphContext } from './context';

/** What a scope needs from a request: who asks, and the case journey established for its purpose. */
export interface ScopeFacts {
  viewer: Viewer;
  policy: Policy;
  established?: ReadonlySet<string>;
}

/**
 * The SQL condition that limits `typeName` to the viewer's jurisdiction and the case journey the
 * request is bound to, as the policy's `scope` and `caseKeys` say; null when nothing limits it.
 * `onEveryPath` asks for the scope of lookups, references and nested fields (the policy's
 * `notFoundOutside`); lists are scoped for every agency. Rows are never loaded and filtered afterwards.
 */
export function scopeCondition<T extends object>(facts: ScopeFacts, typeName: string, onEveryPath = false): FilterQuery<T> | null {
  const scope = facts.policy.rowScope(typeName, facts.viewer, onEveryPath);
  if (!scope) return null;
  const keys = [...(facts.established ?? [])];
  const inside: Array<Record<string, unknown>> = [
    // A prefix that would match everything (empty, too short) is no jurisdiction at all.
    ...scope.prefixes.filter(isJurisdictionPrefix).map((p) => ({ [scope.property]: { $like: `${p}%` } })),
    ...(keys.length ? scope.caseKeys.map((k) => ({ [k]: { $in: keys } })) : []),
  ];
  // No jurisdiction and no case: nothing is in scope.
  if (!inside.length) return { [scope.property]: { $in: [] } } as FilterQuery<T>;
  return { $or: inside } as FilterQuery<T>;
}

/** The row scope of a list query of `typeName`: every agency's lists are limited in SQL. */
export function rowScope<T extends object>(ctx: SubgraphContext, typeName: string): FilterQuery<T> {
  return scopeCondition<T>(ctx, typeName) ?? {};
}
