/** Which request that asked for a reply a finished response answered (`SessionContext.requests`). */
import type { RequestEntry } from './types.js';

/**
 * Which request a finished response answered: the one that response was started for (`answering`:
 * it was created after the request went on the wire), or none. A response that was already running
 * when the request was sent never saw it, even if it completes (Gemini's `turnComplete` ends it;
 * the request's answer is the next response), so the request stays owed.
 */
export function answeredRequestIndex(requests: readonly RequestEntry[]): number {
  return requests.findIndex((r) => r.status === 'answering');
}
