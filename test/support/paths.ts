import { Supergraph } from '@apollo/federation-internals';
import { getNamedType, isLeafType, isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { AGENCY_CLAIMS } from '../../src/auth/claims';
import { devIdentities, type DevIdentity } from '../../src/auth/devTokens';
import type { Agency } from '../../src/auth/viewer';
import { readSupergraph } from '../../src/cli/compose';
import type { Policy } from '../../src/policy/policy';
import type { TestHub } from './hub';

/*
 * What the path tests share: the paths the graph offers to a type (from the supergraph's API
 * schema), the jurisdiction an officer may hold, the purposes a caller may state, and the
 * selection and matching of one record in any response.
 */

const supergraph = Supergraph.build(readSupergraph());
export const api: GraphQLSchema = supergraph.apiSchema().toGraphQLJSSchema();

const objectType = (name: string) => api.getType(name) as GraphQLObjectType;

/** `Parent.field` for every field of the API schema returning the type, its list or its connection (plus `_entities` when asked). */
export function pathsTo(typeName: string, withEntities = false): string[] {
  const paths = withEntities ? ['_entities'] : [];
  for (const type of Object.values(api.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name.endsWith('Edge')) continue;
    for (const [name, field] of Object.entries(type.getFields())) {
      const returned = getNamedType(field.type).name;
      if (returned === typeName || returned === `${typeName}Connection`) paths.push(`${type.name}.${name}`);
    }
  }
  return paths;
}

/** A Query field returning many records (a connection or a list): row-scoped for every agency. */
export function isList(path: string): boolean {
  const [parent, name] = path.split('.');
  if (parent !== 'Query') return false;
  let type = objectType('Query').getFields()[name].type;
  if (isNonNullType(type)) type = type.ofType;
  return isListType(type) || getNamedType(type).name.endsWith('Connection');
}

/** Types with sensitive fields that callers can reach (the policy lists them; `@inaccessible` ones are not in the API). */
export function sensitiveTypes(policy: Policy): string[] {
  return Object.keys(policy.file.types).filter(
    (name) => !name.includes('*') && objectType(name) && Object.keys(policy.file.types[name].fields ?? {}).some((f) => policy.isSensitive(name, f)),
  );
}

/** The type's key in the graph (`@key(fields: …)` in some subgraph), or null for a value type. */
export function entityKey(typeName: string): string | null {
  for (const s of supergraph.subgraphs()) {
    const key = s.schema.type(typeName)?.appliedDirectivesOf('key')[0];
    if (key) return String(key.arguments().fields);
  }
  return null;
}

/** The subgraphs resolving some of `fields` of an entity type, each with the fields it resolves. */
export function subgraphsOf(typeName: string, fields: string[]): Array<{ name: string; fields: string[] }> {
  const out: Array<{ name: string; fields: string[] }> = [];
  for (const s of supergraph.subgraphs()) {
    const type = s.schema.type(typeName);
    if (!type || type.kind !== 'ObjectType' || !type.appliedDirectivesOf('key').length) continue;
    const own = fields.filter((f) => {
      const field = type.field(f);
      return field && !field.appliedDirectivesOf('external').length;
    });
    if (own.length) out.push({ name: s.name, fields: own });
  }
  return out;
}

/**
 * What a path selects on a record of the type: every argument-less leaf field (a public field
 * shows whether the record is visible, a sensitive one the decision), `__typename` of each
 * sensitive object field (null when denied), and what identifies the record.
 */
export function selectionOf(policy: Policy, typeName: string, identity: string[] = []): string[] {
  const tp = policy.typePolicy(typeName);
  const fields = Object.values(objectType(typeName).getFields()) as Array<GraphQLField<unknown, unknown>>;
  const leaf = fields.filter((f) => !f.args.length && isLeafType(getNamedType(f.type))).map((f) => f.name);
  const nested = fields.filter((f) => !isLeafType(getNamedType(f.type)) && tp?.fields?.[f.name]).map((f) => `${f.name} { __typename }`);
  return [...new Set(['__typename', ...leaf, ...nested, ...identity])];
}

type Row = Record<string, unknown>;

/** The first object of `typeName` in a response whose identity is `id`, searched at any depth. */
export function findRecord(data: unknown, typeName: string, id: string, identify: (o: Row) => string | undefined): Row | null {
  if (!data || typeof data !== 'object') return null;
  if (Array.isArray(data)) {
    for (const d of data) {
      const found = findRecord(d, typeName, id, identify);
      if (found) return found;
    }
    return null;
  }
  const o = data as Row;
  if (o.__typename === typeName && identify(o) === id) return o;
  for (const v of Object.values(o)) {
    const found = findRecord(v, typeName, id, identify);
    if (found) return found;
  }
  return null;
}

/**
 * The jurisdiction an officer of `agency` may hold (caller tokens refuse others) that covers `code`
 * or lies inside it: a grid worker holds a grid, a department officer a district or township, a
 * citizen none.
 */
export function fit(t: TestHub, agency: Agency, code: string): string[] {
  const lengths = AGENCY_CLAIMS[agency].codes as readonly number[];
  if (!lengths.length) return [];
  if (lengths.includes(code.length)) return [code];
  if (code.length === 12) return [code.slice(0, 9)];
  return [t.city.grids.find((g) => g.code.startsWith(code))!.code];
}

/** The agency's dev identity, holding a jurisdiction that fits `code` (and other roles, when given). */
export const identity = (t: TestHub, agency: Agency, code: string, roles?: string[]): DevIdentity => ({
  ...devIdentities(t.city.grids[0].code).find((i) => i.agency === agency)!,
  jurisdiction: fit(t, agency, code),
  ...(roles ? { roles } : {}),
});

/**
 * The role sets to walk for an agency: its dev identity's, none, and each role a rule of the
 * policy (of the type, when given) tests for it alone (so every `role:<name>` condition is
 * walked holding and failing).
 */
export function roleVariants(policy: Policy, agency: Agency, typeName?: string): string[][] {
  const base = devIdentities('').find((i) => i.agency === agency)!.roles;
  const tested = new Set<string>();
  for (const tp of typeName ? [policy.typePolicy(typeName)!] : Object.values(policy.file.types)) {
    for (const rules of Object.values(tp.fields ?? {})) {
      for (const m of JSON.stringify(rules[agency] ?? '').matchAll(/role:([A-Za-z0-9_.:-]+)/g)) tested.add(m[1]);
    }
  }
  if (!tested.size) return [base];
  const sets = [base, [], ...[...tested].map((r) => [r])];
  return sets.filter((s, i) => sets.findIndex((o) => o.join() === s.join()) === i);
}

/** The purposes a caller may state, as headers; `caseStated` names the record's case (`x-purpose: case:<number>`). */
export const MODES = {
  none: {},
  freeText: { 'x-purpose': 'checking a lead' },
  breakGlass: { 'x-break-glass': 'missing child, last seen near the station' },
  caseStated: {},
} as const;
export type Mode = keyof typeof MODES;
