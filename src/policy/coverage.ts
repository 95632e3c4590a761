import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Policy } from './policy';

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
