/**
 * Errors the CLI reports as one line. A `UsageError` is the user's mistake (bad flag, missing key,
 * unreadable file): exit 2, never a stack trace. Anything else is a runtime failure: exit 1.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;
