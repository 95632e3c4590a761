/**
 * A failure the `hub` CLI reports as one line on stderr and an exit code: 2 for bad arguments or
 * configuration (the user must change the command), 1 for a check or an operation that failed.
 * Commands throw it instead of exiting, so their `finally` blocks (closing a database, stopping an
 * embedded server) still run.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** A bad argument or option value (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}
