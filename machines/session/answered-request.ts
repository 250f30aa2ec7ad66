/** Which request that asked for a reply a finished response answered (`SessionContext.requests`). */
import type { RequestEntry } from './types.js';

/**
 * Which request a finished response answered: the one it was started for, or, when none was
 * (a provider that answers by itself took a message mid-response and finished it without a turn
 * boundary), the oldest one on the wire if the response completed. A response that ended
 * otherwise (interrupted by that very message) leaves it owed: its answer is the next response.
 */
export function answeredRequestIndex(requests: readonly RequestEntry[], status: string): number {
  const answering = requests.findIndex((r) => r.status === 'answering');
  if (answering >= 0 || status !== 'completed') return answering;
  return requests.findIndex((r) => r.status === 'sent');
}
