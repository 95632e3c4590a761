import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './errors';
import { logger } from './logger';

/**
 * Codes whose message is written for the caller: ours (shared/errors.ts) and
 * Apollo's for requests it could not parse or validate. Any other error — a database error with
 * its SQL, a bug, a failed fetch — is internal: its text stays in the log.
 */
const CALLER_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.Internal),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Extensions that describe our insides (which service failed, its stack), never the caller's request. */
const INTERNAL_EXTENSIONS = ['serviceName', 'stacktrace', 'exception', 'response'];

export const INTERNAL_ERROR_MESSAGE = 'internal error';

export function isCallerError(code: unknown): boolean {
  return typeof code === 'string' && CALLER_CODES.has(code);
}

/**
 * `formatError` for Apollo Server: a caller error keeps its message and code, minus internal
 * extensions; anything else becomes `internal error` / INTERNAL_SERVER_ERROR. With `details`
 * (dev only) errors pass unchanged.
 */
export function maskError(formatted: GraphQLFormattedError, details: boolean): GraphQLFormattedError {
  if (details) return formatted;
  const { code } = formatted.extensions ?? {};
  if (!isCallerError(code)) {
    return { message: INTERNAL_ERROR_MESSAGE, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: ErrorCode.Internal } };
  }
  const extensions = { ...formatted.extensions };
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing the internal extensions is the point
  for (const key of INTERNAL_EXTENSIONS) delete extensions[key];
  return { ...formatted, extensions };
}

/** Logs every internal error with the request id, before `maskError` hides its text from the caller. */
export function internalErrorLogPlugin<C extends BaseContext & { requestId: string }>(where: string): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const err of errors) {
            if (isCallerError(err.extensions?.code)) continue;
            logger.error(
              { err: err.originalError ?? err, requestId: contextValue.requestId, where, serviceName: err.extensions?.serviceName, path: err.path },
              'internal error',
            );
          }
        },
      };
    },
  };
}
