/**
 * Requests that ask for a reply (`SessionContext.requests`): sent at once when no response is
 * active, queued in order while one is (on a provider that takes explicit response requests), sent
 * one at a time as the turn allows, matched to the response that answers them, and failed with a
 * typed reason when they never will be answered. The chart decides when each runs.
 */
import { enqueueActions } from 'xstate';
import type { ClientIntent } from '../../../adapters/events.js';
import type { ErrorInfo } from '../../../errors.js';
import { MAX_QUEUED_REQUESTS } from '../context.js';
import { defineActions } from '../setup.js';
import { answeredRequestIndex, startedRequestIndex } from '../answered-request.js';
import type { RequestEntry, SessionContext, SessionIntent } from '../types.js';

/** What a request carries: the caller's id and, for a text, the message sent with it. */
export interface RequestParams {
  requestId: string | undefined;
  text: string | undefined;
}

/** The frame that puts a request on the wire: its message asking for an answer, or a bare request for one; either names the request. */
function requestIntent(request: Pick<RequestEntry, 'text' | 'wireId'>): ClientIntent {
  return request.text === undefined
    ? { type: 'client.createResponse', requestId: request.wireId }
    : { type: 'client.text', text: request.text, role: 'user', respond: true, requestId: request.wireId };
}

/** The next request's entry (numbered for the wire). */
export function newEntry(seq: number, request: RequestParams, status: RequestEntry['status']): RequestEntry {
  return { requestId: request.requestId, wireId: `vx_req_${seq + 1}`, text: request.text, status };
}

/** The request a held intent (deferred while the connection is swapped) stands for, if it asks for a reply and has a caller. */
export function requestIdOf(intent: SessionIntent): string | undefined {
  if (intent.type === 'session.createResponse') return intent.requestId;
  if (intent.type === 'session.sendText' && (intent.respond ?? true)) return intent.requestId;
  return undefined;
}

export const requestActions = defineActions({
  /** No response is active (or the provider answers by itself): the request goes on the wire now. */
  sendRequest: enqueueActions(({ context, enqueue }, request: RequestParams) => {
    const entry = newEntry(context.requestSeq, request, 'sent');
    enqueue.sendTo('model', requestIntent(entry));
    enqueue.assign({ requests: [...context.requests, entry], requestSeq: context.requestSeq + 1 });
    if (request.requestId !== undefined) enqueue.emit({ type: 'request_sent', requestId: request.requestId });
  }),
  /** A response is active: the request waits for it, in order (bounded). */
  queueRequest: enqueueActions(({ context, enqueue }, request: RequestParams) => {
    const queued = context.requests.filter((r) => r.status === 'queued').length;
    if (queued >= MAX_QUEUED_REQUESTS) {
      const error: ErrorInfo = { code: 'request_dropped', message: `More than ${MAX_QUEUED_REQUESTS} requests were waiting for a reply` };
      if (request.requestId !== undefined) enqueue.emit({ type: 'request_failed', requestId: request.requestId, error });
      return;
    }
    enqueue.assign({ requests: [...context.requests, newEntry(context.requestSeq, request, 'queued')], requestSeq: context.requestSeq + 1 });
    if (request.requestId !== undefined) enqueue.emit({ type: 'request_queued', requestId: request.requestId });
  }),
  /** The turn allows it: the oldest queued request goes on the wire. */
  sendNextRequest: enqueueActions(({ context, enqueue }) => {
    const index = context.requests.findIndex((r) => r.status === 'queued');
    const next = context.requests[index];
    if (!next) return;
    enqueue.sendTo('model', requestIntent(next));
    enqueue.assign({ requests: context.requests.map((r, i): RequestEntry => (i === index ? { ...r, status: 'sent' } : r)) });
    // A request refused and requeued was announced on the wire already: `request_sent` is once per request.
    if (next.requestId !== undefined && !next.refusals) enqueue.emit({ type: 'request_sent', requestId: next.requestId });
  }),
  /**
   * A response started: it answers the request it names (a provider that correlates), or else the
   * oldest request on the wire (see `startedRequestIndex`).
   */
  startAnsweringRequest: enqueueActions(({ context, enqueue }, params: { requestId: string | undefined }) => {
    const index = startedRequestIndex(context.requests, context.capabilities, params.requestId);
    if (index < 0) return;
    enqueue.assign({ requests: context.requests.map((r, i): RequestEntry => (i === index ? { ...r, status: 'answering' } : r)) });
  }),
  /**
   * The provider refused the request because a response was already running (one the server
   * started by itself, as voxstate sent this): it goes back to the head of the queue and is sent
   * again once that response is done. Its message is in the conversation already, so only the
   * request for a response goes again.
   */
  requeueRefusedRequest: enqueueActions(({ context, enqueue }, params: { requestId: string }) => {
    const index = context.requests.findIndex((r) => r.wireId === params.requestId && r.status === 'sent');
    if (index < 0) return;
    const entry = context.requests[index]!;
    const rest = context.requests.filter((_, i) => i !== index);
    enqueue.assign({ requests: [...rest.filter((r) => r.status !== 'queued'), { ...entry, text: undefined, status: 'queued', refusals: (entry.refusals ?? 0) + 1 }, ...rest.filter((r) => r.status === 'queued')] });
  }),
  /** The follow-up after tool outputs was refused while a response ran: that response answers it, so it is dropped (no caller to tell). */
  dropRefusedRequest: enqueueActions(({ context, enqueue }, params: { requestId: string; error: ErrorInfo }) => {
    enqueue.assign({ requests: context.requests.filter((r) => !(r.wireId === params.requestId && r.status === 'sent')) });
  }),
  /** The provider refused the request for another reason (or too often): it fails at once (`request_refused`), freeing the queue. */
  failRefusedRequest: enqueueActions(({ context, enqueue }, params: { requestId: string; error: ErrorInfo }) => {
    const entry = context.requests.find((r) => r.wireId === params.requestId && r.status === 'sent');
    if (!entry) return;
    if (entry.requestId !== undefined) enqueue.emit({ type: 'request_failed', requestId: entry.requestId, error: { ...params.error, code: 'request_refused' } });
    enqueue.assign({ requests: context.requests.filter((r) => r !== entry) });
  }),
  /** The response is done (`response_done` carried its request id): the request it answered is settled. */
  settleAnsweredRequest: enqueueActions(({ context, enqueue }, params: { status: string }) => {
    const index = answeredRequestIndex(context.requests);
    if (index >= 0) enqueue.assign({ requests: context.requests.filter((_, i) => i !== index) });
  }),
  /**
   * Requests in `statuses` will never be answered: each caller hears why (`request_failed`). With
   * `held`, requests held while the connection was being swapped fail too (and are dropped).
   */
  failRequests: enqueueActions(({ context, enqueue }, params: { statuses: Array<RequestEntry['status']>; held?: boolean; error: ErrorInfo }) => {
    const failing = context.requests.filter((r) => params.statuses.includes(r.status));
    const ids = failing.map((r) => r.requestId);
    if (params.held) ids.push(...context.deferredIntents.map(requestIdOf));
    for (const requestId of ids) if (requestId !== undefined) enqueue.emit({ type: 'request_failed', requestId, error: params.error });
    // A response the session itself owed (no caller): nobody to tell, so only logged.
    const own = failing.filter((r) => r.requestId === undefined).length;
    if (own > 0) context.logger.info({ code: params.error.code }, `session: ${own} response(s) owed without a caller will not come (${params.error.code})`);
    if (failing.length > 0) enqueue.assign({ requests: context.requests.filter((r) => !params.statuses.includes(r.status)) });
    if (params.held && context.deferredIntents.length > 0) enqueue.assign({ deferredIntents: [] });
  }),
});

/**
 * The session's own request (no caller waits on it, e.g. a background call's result as a context
 * note): it joins the queue and goes out like any queued request, when no response is active and the
 * user does not have the floor (`canSendNextRequest`). Beyond the bound it is dropped (and logged).
 */
export function withQueuedSessionMessage(context: Pick<SessionContext, 'requests' | 'requestSeq' | 'logger'>, text: string): Pick<SessionContext, 'requests' | 'requestSeq'> {
  if (context.requests.filter((r) => r.status === 'queued').length >= MAX_QUEUED_REQUESTS) {
    context.logger.warn({}, `session: more than ${MAX_QUEUED_REQUESTS} requests waiting; the session's own message was dropped`);
    return { requests: context.requests, requestSeq: context.requestSeq };
  }
  return { requests: [...context.requests, newEntry(context.requestSeq, { requestId: undefined, text }, 'queued')], requestSeq: context.requestSeq + 1 };
}

/**
 * A response the server will start by itself, for something the session sent (a background
 * result the server speaks, `speaksBackgroundResults`): a caller-less request already on the wire
 * (`sent`). Only a response started after it answers it (`startedRequestIndex`), and until that
 * response is done no queued request goes out (`canSendNextRequest`); the turn waits for it in
 * `generating.requested`, bounded by `responseStartTimeout` (a caller-less entry that times out
 * fails silently: nobody waits on it; the timeout is logged).
 */
export function withServerResponseOwed(context: Pick<SessionContext, 'requests' | 'requestSeq'>): Pick<SessionContext, 'requests' | 'requestSeq'> {
  return { requests: [...context.requests, newEntry(context.requestSeq, { requestId: undefined, text: undefined }, 'sent')], requestSeq: context.requestSeq + 1 };
}
