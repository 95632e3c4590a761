import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Policy } from './policy';
import type { Rule, TypePolicy } from './types';

/** Types every subgraph has from federation itself; they are guarded in code, not by the policy file. */
const FEDERATION_TYPES = new Set(['_Service']);

/**
 * Checks the policy against the subgraph schemas: every object type must have an entry (else it
 * would be silently denied to everyone), every listed field must exist (a typo would leave the
 * real field on the type's default), and every String field of a type with sensitive fields is
 * either ruled or declared `public`.
 */
export function policyCoverageProblems(policy: Policy, schemas: GraphQLSchema[]): string[] {
  const problems: string[] = [];
  const fieldsByType = new Map<string, Set<string>>();
  const textByType = new Map<string, Set<string>>();
  for (const schema of schemas) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || FEDERATION_TYPES.has(type.name)) continue;
      const set = fieldsByType.get(type.name) ?? new Set<string>();
      const text = textByType.get(type.name) ?? new Set<string>();
      for (const [name, field] of Object.entries(type.getFields())) {
        set.add(name);
        if (getNamedType(field.type).name === 'String') text.add(name);
      }
      fieldsByType.set(type.name, set);
      textByType.set(type.name, text);
    }
  }
  for (const typeName of fieldsByType.keys()) {
    if (!policy.typePolicy(typeName)) problems.push(`type ${typeName} has no policy entry (everything in it would be denied)`);
  }
  for (const [typeName, tp] of Object.entries(policy.file.types)) {
    if (typeName.startsWith('*')) continue;
    const fields = fieldsByType.get(typeName);
    if (!fields) {
      problems.push(`policy entry ${typeName}: no such type in any subgraph`);
      continue;
    }
    for (const field of Object.keys(tp.fields ?? {})) {
      if (!fields.has(field)) problems.push(`policy entry ${typeName}.fields.${field}: no such field`);
    }
    for (const field of tp.public ?? []) {
      if (!fields.has(field)) problems.push(`policy entry ${typeName}.public: no such field ${field}`);
    }
    // Free text of a type that holds personal data (a title, a summary) names people and places:
    // each String field must be ruled like the sensitive ones, or declared public on purpose.
    if (tp.fields && (tp.audit ?? true)) {
      for (const field of textByType.get(typeName) ?? []) {
        if (!tp.fields[field] && !tp.public?.includes(field))
          problems.push(`policy entry ${typeName}: String field ${field} is neither under "fields" nor "public"`);
      }
    }
  }
  return problems;
}

/** What a subgraph holds for a type: the properties its records carry when a rule runs there (null: it has no such type). */
export interface SubgraphRecords {
  name: string;
  schema: GraphQLSchema;
  properties(typeName: string): ReadonlySet<string> | null;
}

/** The record properties a condition reads (`scope`, `caseKeys`, `handler`, `parties`, `sealed`); empty for roles and break-glass. */
function propertiesRead(condition: string, tp: TypePolicy): { needs: string[]; any: boolean } {
  switch (condition) {
    case 'jurisdiction':
      return { needs: tp.scope ? [tp.scope] : [], any: false };
    case 'caseBound':
      return { needs: tp.caseKeys ?? [], any: true };
    case 'handlesCase':
      return { needs: tp.handler ? [tp.handler] : [], any: false };
    case 'party':
      return { needs: tp.parties ?? [], any: false };
    case 'notSealed':
      return { needs: tp.sealed ? [tp.sealed] : [], any: false };
    default:
      return { needs: [], any: false };
  }
}

function conditionsOf(rule: Rule): string[] {
  if (typeof rule !== 'object' || 'mask' in rule) return [];
  const own = 'ifAny' in rule ? rule.ifAny : Array.isArray(rule.if) ? rule.if : [rule.if];
  return [...own, ...conditionsOf(rule.then), ...(rule.else ? conditionsOf(rule.else) : [])];
}

/**
 * Conditions that cannot be evaluated where they run. A field's rule runs in the subgraph that
 * resolves the field, on the record that subgraph holds: the owner's row, or — for a field another
 * department adds to the type — a stub carrying the key alone. A condition reading a property the
 * record does not carry (`jurisdiction` on a stub of `Person` without `gridCode`, `handlesCase`
 * on a type with no handler column) never holds: the rule silently takes its `else` branch for
 * everyone. `hub policy check` fails on each.
 */
export function policyEvaluationProblems(policy: Policy, subgraphs: SubgraphRecords[]): string[] {
  const problems: string[] = [];
  for (const s of subgraphs) {
    for (const type of Object.values(s.schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const tp = policy.typePolicy(type.name);
      const properties = s.properties(type.name);
      if (!tp?.fields || !properties) continue;
      for (const field of Object.keys(type.getFields())) {
        for (const [agency, rule] of Object.entries(tp.fields[field] ?? {})) {
          for (const condition of new Set(conditionsOf(rule))) {
            const { needs, any } = propertiesRead(condition, tp);
            const missing = needs.filter((p) => !properties.has(p));
            if (needs.length && (any ? missing.length === needs.length : missing.length))
              problems.push(
                `policy entry ${type.name}.fields.${field}.${agency}: condition "${condition}" reads ${missing.join(', ')}, which the ${s.name} subgraph's ${type.name} records do not carry (it resolves ${field}); the condition never holds there`,
              );
          }
        }
      }
    }
  }
  return problems;
}
