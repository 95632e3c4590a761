import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap } from 'type-graphql';
import { enforcePolicy } from '../policy/enforce';
import type { Policy } from '../policy/policy';
import type { SubgraphDefinition } from './department';
import { caseLinksResolver } from './caseLinks';
import { PermissionsResolver } from './permissions';

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])`;

type ResolverMap = Record<string, Record<string, unknown>>;

/**
 * The department's Federation 2 subgraph schema, from its type-graphql resolvers and reference
 * resolvers. With a policy, every field is guarded by it (what runs); without, the bare schema
 * (what composition prints).
 */
export async function buildDepartmentSchema(def: SubgraphDefinition, policy?: Policy): Promise<GraphQLSchema> {
  const typeGraphQLSchema = await buildSchema({
    resolvers: [...def.resolvers, PermissionsResolver, caseLinksResolver(def.caseLinks)],
    orphanedTypes: def.orphanedTypes,
    // A subgraph may have no Query of its own (it only extends others' entities).
    skipCheck: true,
  });
  const resolvers = createResolversMap(typeGraphQLSchema) as ResolverMap;
  for (const [typeName, resolve] of Object.entries(def.referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), __resolveReference: resolve };
  }
  const schema = buildSubgraphSchema({
    typeDefs: gql`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphQLSchema)}`,
    resolvers: resolvers as never,
  });
  return policy ? enforcePolicy(schema, policy) : schema;
}
