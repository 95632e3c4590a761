import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/**
 * graphql-jit's errors are its own subclass, whose `extensions` is undefined when the resolver's
 * error had none; Apollo Server's error formatting reads `extensions.code` and would answer
 * "Internal server error" without the path or our masking. Each becomes graphql-js's own error,
 * with the same message, locations, path and original error.
 */
function asGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((e) => {
    const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError, extensions: e.extensions });
    // Without the document's nodes graphql-js cannot work the locations out: they are graphql-jit's.
    (error as { locations: GraphQLError['locations'] }).locations = e.locations;
    return error;
  });
  return { ...result, errors };
}

/**
 * Executes a subgraph's operations with graphql-jit: each (document, operation) the gateway sends is
 * compiled once into a JavaScript function and run with the same schema — the same resolvers, so
 * the policy, masking and audit wrapping are untouched. Apollo Server keeps parsing, validating and
 * caching the documents; it hands its executor the cached document object, so the compiled queries
 * are kept beside it (and dropped with it). An operation graphql-jit cannot compile runs on
 * `graphql.execute`.
 *
 * Apollo Server takes an executor only from a gateway (`GatewayInterface`), hence the shape.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  const compile = (document: DocumentNode, operationName: string | null): CompiledQuery | null => {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map<string, CompiledQuery | null>()));
    const key = operationName ?? '';
    let query = byOperation.get(key);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      query = isCompiledQuery(result) ? result : null;
      byOperation.set(key, query);
    }
    return query;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return {
        executor: async ({ document, operationName, request, context }) => {
          const query = compile(document, operationName);
          const result = query ? await query.query(undefined, context, request.variables) : undefined;
          // No data at all: the variables could not be coerced and no resolver ran. graphql.execute
          // reports that as graphql-js does, which Apollo Server answers as BAD_USER_INPUT (400).
          if (result && 'data' in result) return asGraphQLErrors(result);
          return execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
        },
      };
    },
    async stop() {},
  };
}
