/** Which request that asked for a reply a finished response answered (`SessionContext.requests`). */
import type { Capabilities } from '../../adapters/adapter.js';
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

/**
 * Which request a response that just started answers. On a provider that says which request a
 * response was created for (`correlatesResponses`: OpenAI echoes `response.metadata`), only the
 * request it names: a response the server started by itself (server VAD) names none and answers
 * none, even if a request is on the wire. Elsewhere (Gemini), the oldest request on the wire: the
 * response started after it was sent. None while another response is answering one.
 */
export function startedRequestIndex(requests: readonly RequestEntry[], capabilities: Capabilities, requestId: string | undefined): number {
  if (requests.some((r) => r.status === 'answering')) return -1;
  if (capabilities.correlatesResponses) return requestId === undefined ? -1 : requests.findIndex((r) => r.status === 'sent' && r.wireId === requestId);
  return requests.findIndex((r) => r.status === 'sent');
}
