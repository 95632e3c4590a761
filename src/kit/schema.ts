import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLObjectType, GraphQLSchema, isObjectType } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import { enforcePolicy } from '../policy/enforce';
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
  const orphans = orphanedTypes.map((target) => storage.objectTypes.find((t) => t.target === target)?.name).flatMap((name) => (name ? [schema.getType(name)!] : []));
  // As type-graphql passes them: the orphaned types and the implementations of interfaces; graphql-js collects these before the roots.
  const implementations = config.types.filter((t) => isObjectType(t) && t.getInterfaces().length > 0 && t !== config.query && t !== config.mutation);
  return new GraphQLSchema({ ...config, query, mutation, types: [...orphans, ...implementations] });
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
  return policy ? enforcePolicy(schema, policy) : schema;
}
