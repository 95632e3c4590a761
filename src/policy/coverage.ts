import { isObjectType, type GraphQLSchema } from 'graphql';
import type { Policy } from './policy';

/** Types every subgraph has from federation itself; they are guarded in code, not by the policy file. */
const FEDERATION_TYPES = new Set(['_Service']);

/**
 * Checks the policy against the subgraph schemas: every object type must have an entry (else it
 * would be silently denied to everyone), and every listed field must exist (a typo would leave the
 * real field on the type's default).
 */
export function policyCoverageProblems(policy: Policy, schemas: GraphQLSchema[]): string[] {
  const problems: string[] = [];
  const fieldsByType = new Map<string, Set<string>>();
  for (const schema of schemas) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || FEDERATION_TYPES.has(type.name)) continue;
      const set = fieldsByType.get(type.name) ?? new Set<string>();
      Object.keys(type.getFields()).forEach((f) => set.add(f));
      fieldsByType.set(type.name, set);
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
  }
  return problems;
}
