/** The ConfigValidationError a creation throws (and a failure when it throws none, or another error). */
import { ConfigValidationError } from '../../index.js';

export function refusal(create: () => unknown): ConfigValidationError {
  try {
    create();
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error('expected a ConfigValidationError');
}
