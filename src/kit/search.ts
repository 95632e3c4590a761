import type { FilterQuery } from '@mikro-orm/core';
import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { isJurisdictionPrefix } from '../auth/viewer';
import type { RequestFacts } from '../policy/policy';
import type { SubgraphContext } from './context';

/*
 * Searching records by fragments of their sensitive fields (a name, a phone number). A search is
 * an oracle as much as a list: a fragment matched against a value the caller only sees masked
 * would tell them that value. So a search matches only rows on which the caller sees every field
 * it searches by unmasked — within the list's row scope, in SQL — and each search is audited by
 * what it searched, never by the fragment.
 */

/** Stands for "a record of the established case journey" when asking the policy about a hypothetical record. */
const CASE_RECORD = '\u0000case';

/**
 * The SQL condition of a search of `typeName` by `fields`: the list's row scope (jurisdiction,
 * established case journey) narrowed to the parts of it where the policy allows the caller every
 * searched field. Asks the policy about a record inside each jurisdiction prefix, one of the
 * case journey, and one that is both; a type without a row scope cannot be searched.
 */
export function searchScope<T extends object>(ctx: SubgraphContext, typeName: string, fields: string[]): FilterQuery<T> {
  const scope = ctx.policy.rowScope(typeName, ctx.viewer);
  if (!scope) throw new Error(`${typeName} has no row scope in the policy: it cannot be searched`);
  const facts: RequestFacts = { viewer: ctx.viewer, purpose: ctx.purpose, breakGlass: ctx.breakGlass, established: new Set([CASE_RECORD]) };
  const clear = (record: Record<string, unknown>) => fields.every((f) => ctx.policy.decide(typeName, f, record, facts).outcome === 'allow');
  const keys = [...ctx.established];
  const prefixes = scope.prefixes.filter(isJurisdictionPrefix);
  const inside = (p: string) => ({ [scope.property]: { $like: `${p}%` } });
  const bound = (k: string) => ({ [k]: { $in: keys } });
  const branches: Array<Record<string, unknown>> = [];
  const insideClear = prefixes.filter((p) => clear({ [scope.property]: p }));
  branches.push(...insideClear.map(inside));
  if (keys.length) {
    const boundClear = scope.caseKeys.filter((k) => clear({ [k]: CASE_RECORD }));
    branches.push(...boundClear.map(bound));
    // A rule needing both (`if: [jurisdiction, caseBound]`) clears only records that are both.
    for (const p of prefixes.filter((p) => !insideClear.includes(p)))
      for (const k of scope.caseKeys.filter((k) => !boundClear.includes(k)))
        if (clear({ [scope.property]: p, [k]: CASE_RECORD })) branches.push({ $and: [inside(p), bound(k)] });
  }
  return (branches.length ? { $or: branches } : { [scope.property]: { $in: [] } }) as FilterQuery<T>;
}

/** Whether the caller sees every searched field of this record unmasked: the same question per row, after the SQL (a second line). */
export function clearOn(ctx: SubgraphContext, typeName: string, fields: string[], record: object): boolean {
  return fields.every((f) => ctx.policy.decide(typeName, f, record as Record<string, unknown>, ctx).outcome === 'allow');
}

/** A fragment for `LIKE '%…%'`: its own `%`, `_` and `\` match themselves. */
export function containing(fragment: string): string {
  return `%${fragment.replace(/[\\%_]/g, '\\$&')}%`;
}

/** Notes a search for the audit trail: which fields it searched by and where its results sit, not what it searched for. */
export function recordSearch(ctx: SubgraphContext, info: GraphQLResolveInfo, typeName: string, criteria: string[]): void {
  (ctx.searches ??= []).push({ typeName, criteria, path: responsePathAsArray(info.path) });
}
