import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, HTTPGraphQLRequest } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Viewer } from '../auth/viewer';
import type { SecurityConfig } from '../shared/config';
import { internalErrorLogPlugin, maskError } from '../shared/errorMasking';
import { ErrorCode } from '../shared/errors';
import { HttpError } from '../shared/http';
import { logger } from '../shared/logger';
import type { GatewayContext } from './context';
import { OperationLimitError, exceededLimit, measureOperation, type PageSizes } from './limits';
import { checkTimeArguments } from './timeArguments';

/** graphql-js's message when `parseOptions.maxTokens` stops the parser ("more that", sic); it states the limit. */
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th(?:an|at) \d+ tokens/;
/** graphql-js appends suggestions (" Did you mean "name"?") to the end of validation and coercion messages. */
const SUGGESTION = / Did you mean .*\?$/s;

function formatGatewayError(formatted: GraphQLFormattedError, details: boolean): GraphQLFormattedError {
  if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT_MESSAGE.test(formatted.message)) {
    const limit = new OperationLimitError('tokens');
    return { message: limit.message, extensions: { code: ErrorCode.OperationLimitExceeded, limit: 'tokens' } };
  }
  return maskError(formatted, details);
}

/**
 * Per request, once the operation is known and before the query plan runs (so before any
 * subgraph call): refuses introspection to all but admin, and operations over a limit. On the way
 * out: drops "Did you mean …" from messages for the same callers, and gives internal errors the
 * request id to quote.
 */
function requestGuardPlugin(security: SecurityConfig, pages: PageSizes): ApolloServerPlugin<GatewayContext> {
  const disclosesSchema = (viewer: Viewer | undefined) => security.schemaDisclosure === 'everyone' || viewer?.agency === 'admin';
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          checkTimeArguments(schema, document, request.variables);
          const metrics = measureOperation(schema, document, operation, request.variables, pages, security.limits.listSize);
          // LOG_LEVEL=debug shows what real operations measure, to tune the limits by.
          logger.debug({ requestId: contextValue.requestId, operation: operation.name?.value ?? null, ...metrics }, 'operation measured');
          if (metrics.introspection && !disclosesSchema(contextValue.viewer)) {
            throw new GraphQLError('schema introspection is available to admin only; the schema is published as schema/supergraph.graphql', {
              extensions: { code: ErrorCode.IntrospectionDisabled, http: { status: 403 } },
            });
          }
          const limit = exceededLimit(metrics, security.limits);
          if (limit) throw new OperationLimitError(limit);
          // A heavy operation gets a shorter budget; every subgraph call and statement it makes is
          // bounded by it, so a few of them cannot hold the departments' connections for long.
          if (metrics.cost > security.limits.heavyCost)
            contextValue.deadline = Math.min(contextValue.deadline, Date.now() + security.limits.heavyRequestTimeoutMs);
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const disclose = disclosesSchema(contextValue.viewer);
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => {
            let finished = disclose ? error : { ...error, message: error.message.replace(SUGGESTION, '') };
            if (!security.errorDetails && error.extensions?.code === ErrorCode.Internal) {
              finished = {
                ...finished,
                message: `internal error (request ${contextValue.requestId})`,
                extensions: { ...finished.extensions, requestId: contextValue.requestId },
              };
            }
            return finished;
          });
        },
      };
    },
  };
}

/**
 * @apollo/gateway, unless told otherwise, probes cloud metadata addresses (169.254.169.254) when
 * it is built and reports metrics to Apollo's servers every hour. Nothing of this hub leaves its
 * network: call before building the gateway, which reads the switch then.
 */
export function disableVendorTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

/**
 * Automatic persisted queries: a document sent with a `sha256Hash` that is not its hash is the
 * caller's mistake (400, PERSISTED_QUERY_HASH_MISMATCH). Apollo's own check throws an error
 * without a code, which error masking would turn into "internal error".
 */
export function checkPersistedQueryHash(request: HTTPGraphQLRequest): HTTPGraphQLRequest {
  let body = request.body as { query?: unknown; extensions?: unknown } | undefined;
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    try {
      body = { query: params.get('query') ?? undefined, extensions: JSON.parse(params.get('extensions') ?? 'null') as unknown };
    } catch {
      return request; // Apollo answers malformed `extensions` with its own 400.
    }
  }
  const hash = (body?.extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)?.persistedQuery?.sha256Hash;
  if (typeof body?.query !== 'string' || typeof hash !== 'string') return request;
  if (createHash('sha256').update(body.query).digest('hex') !== hash.toLowerCase()) {
    throw new HttpError(400, 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query', ErrorCode.PersistedQueryHashMismatch);
  }
  return request;
}

/**
 * The Apollo Server options that harden the gateway's GraphQL endpoint (docs/security.md):
 * CSRF prevention, no batching, APQ only in dev, the token limit in the parser, error masking,
 * and the per-request guard above.
 */
export function hardenedApolloOptions(security: SecurityConfig, pages: PageSizes) {
  return {
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Answered per caller by the guard: admin (or everyone in dev) may introspect.
    introspection: true,
    includeStacktraceInErrorResponses: security.errorDetails,
    persistedQueries: security.persistedQueries ? undefined : (false as const),
    parseOptions: { maxTokens: security.limits.maxTokens },
    formatError: (formatted: GraphQLFormattedError) => formatGatewayError(formatted, security.errorDetails),
    plugins: [requestGuardPlugin(security, pages), internalErrorLogPlugin<GatewayContext>('gateway')],
  };
}
