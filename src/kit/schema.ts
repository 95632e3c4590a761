import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLObjectType, GraphQLSchema, isObjectType, Kind } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import { DateTimeScalar } from '../shared/scalars';
import { enforcePolicy, type RecordIds } from '../policy/enforce';
import type { Policy } from '../policy/policy';
import type { SubgraphDefinition } from './department';
import { caseLinksResolver } from './caseLinks';
import { PermissionsResolver } from './permissions';

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])`;

type ResolverMap = Record<string, Record<string, unknown>>;

/**
 * The schema with its order taken from the definition: the root fields (Query, Mutation) in the order
 * of the resolver classes given, each class's in the order it declares them, then the orphaned types
 * in the order listed. type-graphql orders both by when the classes were declared, which would make
 * the printed SDL (and `compose --check`) depend on which module a command happened to load first;
 * the other types follow from these (graphql-js collects them depth first).
 */
function inDefinitionOrder(schema: GraphQLSchema, resolvers: readonly Function[], orphanedTypes: readonly Function[]): GraphQLSchema {
  const storage = getMetadataStorage();
  const ordered = (type: GraphQLObjectType | null | undefined, declared: ReadonlyArray<{ target: Function; schemaName: string }>) => {
    if (!type) return type;
    const rank = new Map<string, number>();
    resolvers.forEach((resolver, i) => {
      for (const field of declared) {
        const own = field.target === resolver || resolver.prototype instanceof field.target;
        if (own && !rank.has(field.schemaName)) rank.set(field.schemaName, i);
      }
    });
    const config = type.toConfig();
    // A stable sort: the fields of one class keep their declared order.
    const fields = Object.entries(config.fields).sort(([a], [b]) => (rank.get(a) ?? resolvers.length) - (rank.get(b) ?? resolvers.length));
    return new GraphQLObjectType({ ...config, fields: Object.fromEntries(fields) });
  };
  const config = schema.toConfig();
  const query = ordered(config.query, storage.queries);
  const mutation = ordered(config.mutation, storage.mutations);
  const orphans = orphanedTypes
    .map((target) => storage.objectTypes.find((t) => t.target === target)?.name)
    .flatMap((name) => (name ? [schema.getType(name)!] : []));
  // As type-graphql passes them: the orphaned types and the implementations of interfaces; graphql-js collects these before the roots.
  const implementations = config.types.filter((t) => isObjectType(t) && t.getInterfaces().length > 0 && t !== config.query && t !== config.mutation);
  return new GraphQLSchema({ ...config, query, mutation, types: [...orphans, ...implementations] });
}

/** The kit's own types without a `@key`, named in the audit trail by a property. */
const KIT_AUDIT_IDS: Record<string, string> = { CaseLink: 'caseNo' };

/**
 * How the audit trail names a record of each type: the field of its federation `@key` (one field),
 * or, for a type without one, what the definition declares (`auditIds`).
 */
function recordIds(schema: GraphQLSchema, def: SubgraphDefinition): RecordIds {
  const ids = new Map(Object.entries({ ...KIT_AUDIT_IDS, ...def.auditIds }));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const key = type.astNode?.directives?.find((d) => d.name.value === 'key')?.arguments?.find((a) => a.name.value === 'fields')?.value;
    if (key?.kind === Kind.STRING && /^\w+$/.test(key.value)) ids.set(type.name, key.value);
  }
  return ids;
}

/**
 * The department's Federation 2 subgraph schema, from its type-graphql resolvers and reference
 * resolvers. With a policy, every field is guarded by it (what runs); without, the bare schema
 * (what composition prints).
 */
export async function buildDepartmentSchema(def: SubgraphDefinition, policy?: Policy): Promise<GraphQLSchema> {
  const resolverClasses: NonEmptyArray<Function> = [...def.resolvers, PermissionsResolver, caseLinksResolver(def.caseLinks)];
  const typeGraphQLSchema = await buildSchema({
    resolvers: resolverClasses,
    orphanedTypes: def.orphanedTypes,
    // Every JS Date field and argument is the graph's one DateTime (type-graphql's default is DateTimeISO).
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // A subgraph may have no Query of its own (it only extends others' entities).
    skipCheck: true,
  });
  const resolvers = createResolversMap(typeGraphQLSchema) as ResolverMap;
  for (const [typeName, resolve] of Object.entries(def.referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), __resolveReference: resolve };
  }
  const schema = buildSubgraphSchema({
    typeDefs: gql`${FEDERATION_LINK}\n${printSchemaWithDirectives(inDefinitionOrder(typeGraphQLSchema, resolverClasses, def.orphanedTypes ?? []))}`,
    resolvers: resolvers as never,
  });
  return policy ? enforcePolicy(schema, policy, recordIds(schema, def)) : schema;
}
