/**
 * `sendText()` and `createResponse()` followed to their end: a request that asks for a reply gets
 * an id, resolves when it is on the wire (`request_sent`), and its `reply` settles with the
 * `response_done` that names it, or rejects with the reason it never will be answered.
 */
import type { Actor } from 'xstate';
import { RequestFailedError, type ErrorInfo } from '../errors.js';
import type { RealtimeSessionMachine } from '../machines/session/session.machine.js';
import type { SessionIntent } from '../machines/session/types.js';
import type { ReplyRequest, ResponseDone } from './realtime-session.js';
import { settleable } from './settleable.js';


type ReplyIntent = Extract<SessionIntent, { type: 'session.sendText' | 'session.createResponse' }>;

/**
 * Sends `intent` to the actor (the caller checked the session is live) and follows it. A text
 * with `respond: false` asks for nothing: it is on the wire at once and `reply` is `undefined`.
 */
export function requestReply(actor: Actor<RealtimeSessionMachine>, intent: ReplyIntent, requestId: string): ReplyRequest {
  const asksForReply = intent.type === 'session.createResponse' || (intent.respond ?? true);
  if (!asksForReply) {
    actor.send(intent);
    return Object.assign(Promise.resolve(), { reply: Promise.resolve(undefined) });
  }
  const sent = settleable<void>();
  const reply = settleable<ResponseDone | undefined>();
  // Awaiting only one of the two is fine: the other must not surface as an unhandled rejection.
  sent.promise.catch(() => {});
  reply.promise.catch(() => {});
  const fail = (error: ErrorInfo) => {
    const failure = new RequestFailedError(error);
    sent.reject(failure);
    reply.reject(failure);
    subs.forEach((s) => s.unsubscribe());
  };
  const subs = [
    actor.on('request_sent', (e) => {
      if (e.requestId === requestId) sent.resolve();
    }),
    actor.on('response_done', (e) => {
      if (e.requestId !== requestId) return;
      sent.resolve();
      reply.resolve(e);
      subs.forEach((s) => s.unsubscribe());
    }),
    actor.on('request_failed', (e) => {
      if (e.requestId === requestId) fail(e.error);
    }),
  ];
  subs.push(
    actor.subscribe({
      complete: () => fail({ code: 'session_closed', message: 'The session closed before the request was answered' }),
      error: () => fail({ code: 'session_closed', message: 'The session stopped before the request was answered' }),
    }),
  );
  actor.send({ ...intent, requestId });
  return Object.assign(sent.promise, { reply: reply.promise });
}

/**
 * A request refused before it reached the actor: both promises reject with `error` (one promise, so
 * awaiting either is enough). A caller that awaits neither (fire and forget) must not crash the
 * process with an unhandled rejection: a handler is attached here; an awaiting caller still sees it.
 */
export function refusedRequest(error: RequestFailedError | Error): ReplyRequest {
  const rejected = Promise.reject(error);
  rejected.catch(() => {});
  return Object.assign(rejected, { reply: rejected });
}
