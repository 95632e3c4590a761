import { GraphQLError } from 'graphql';

/**
 * Stable error codes clients may rely on (`extensions.code`). Messages are for people; codes are the contract.
 */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  ForbiddenField: 'FORBIDDEN_FIELD',
  BadRepresentation: 'BAD_REPRESENTATION',
  AuditUnavailable: 'AUDIT_UNAVAILABLE',
  DepartmentUnavailable: 'DEPARTMENT_UNAVAILABLE',
  /** The gateway refused the operation before any department saw it (docs/security.md). */
  OperationLimitExceeded: 'OPERATION_LIMIT_EXCEEDED',
  IntrospectionDisabled: 'INTROSPECTION_DISABLED',
  OperationNotTrusted: 'OPERATION_NOT_TRUSTED',
  RateLimited: 'RATE_LIMITED',
  /** `x-purpose: case:<number>` names a case the caller's agency does not handle (or no department holds). */
  PurposeNotEstablished: 'PURPOSE_NOT_ESTABLISHED',
  /** The request's time budget ran out (the gateway's deadline passed). */
  DeadlineExceeded: 'DEADLINE_EXCEEDED',
  /** An automatic persisted query whose `sha256Hash` is not the hash of the document sent with it. */
  PersistedQueryHashMismatch: 'PERSISTED_QUERY_HASH_MISMATCH',
  /** Someone else changed the record first (optimistic concurrency), or the same open work exists already. */
  Conflict: 'CONFLICT',
  /** A workflow step the state machine does not allow from the record's current state (named in `extensions.state`). */
  InvalidTransition: 'INVALID_TRANSITION',
  /** An idempotency key sent again with another request body. */
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  /** A step the law does not allow (e.g. a third return for supplementary investigation). */
  LegalLimit: 'LEGAL_LIMIT',
  /** An internal step named a protocol run its department does not hold (never started, expired, or already used). */
  RunExpired: 'RUN_EXPIRED',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Bad input from the caller: names the argument so a front end can point at it. */
export function badInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, {
    extensions: { code: ErrorCode.BadUserInput, argument },
  });
}

export function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} not found`, { extensions: { code: ErrorCode.NotFound } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden, http: { status: 403 } } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } } });
}

/**
 * A department could not answer (its subgraph or its database is down, or too slow): the rest of
 * the graph still answers, and this error names the department so a client can say what is missing.
 */
export function departmentUnavailable(department: string, reason: string, path?: ReadonlyArray<string | number>): GraphQLError {
  return new GraphQLError(`${department} is unavailable (${reason}); its data is missing from this answer`, {
    path,
    extensions: { code: ErrorCode.DepartmentUnavailable, department, reason },
  });
}

/** A configuration value that cannot be used; thrown before anything starts. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
