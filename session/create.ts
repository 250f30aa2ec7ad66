/**
 * `createRealtimeSession()`: the facade over the session actor. It parses the options, wires the
 * model adapter and the tool registry into the machine (`logic.ts`), and offers verbs, `on()`
 * listeners and an RxJS `events$` stream (`listeners.ts`). Audio goes straight to the audio plane
 * (never through the statechart); every other verb is one event to the actor.
 */
import { randomUUID } from 'node:crypto';
import { createActor, waitFor, type Actor } from 'xstate';
import { AudioPlane } from '../adapters/audio-plane.js';
import { NotConnectedError, RequestFailedError, VoxstateError } from '../errors.js';
import { resolveLogger } from '../logger.js';
import { toolDecisionRefusal, toolResultRefusal } from '../machines/session/refusals.js';
import type { SessionEmitted } from '../machines/session/types.js';
import type { AnySessionEvent } from './event-map.js';
import { SessionHistory } from './history.js';
import { isLive, isOffline, stateName } from './link-status.js';
import { attachEventHandler, controlEventFields, createListeners } from './listeners.js';
import { prepareSession } from './logic.js';
import { parseRealtimeSessionOptions, type RealtimeSessionOptions } from './options.js';
import type { RealtimeSession, ReplyRequest } from './realtime-session.js';
import { refusedRequest, requestReply } from './reply-request.js';
import { requestUpdate } from './update-request.js';
import { userAudioRefusal } from './user-audio.js';
import { linkView } from '../telemetry/link-phase.js';
import { resolveTelemetry } from '../telemetry/options.js';
import { SessionTelemetry } from '../telemetry/session-telemetry.js';
import { logRecordOf, withSessionFields } from '../telemetry/session-logger.js';

/** Validates `options` (throws `ConfigValidationError` naming the field) and starts the session actor; nothing connects until `connect()`. */
export function createRealtimeSession(options: RealtimeSessionOptions): RealtimeSession {
  const parsed = parseRealtimeSessionOptions(options);
  const { eventHandler, inspect } = parsed.wiring;
  const sessionId = randomUUID();
  let actorRef: Actor<typeof prepared.logic> | undefined;
  // Every record carries the session id, the connection id and the state (telemetry/session-logger.ts).
  const logger = withSessionFields(resolveLogger(parsed.wiring.logger), () => {
    const snapshot = actorRef?.getSnapshot();
    return { sessionId, connectionId: snapshot?.context.connectionId ?? 0, state: snapshot ? stateName(snapshot) : 'disconnected' };
  });
  const listeners = createListeners(logger);
  const audio = new AudioPlane({
    maxBufferedMs: parsed.facade.maxBufferedAudioMs,
    playback: parsed.facade.playback,
    onOverflow: (droppedBytes) =>
      listeners.publish({
        type: 'error',
        error: { code: 'audio_buffer_overflow', message: `Dropped ${droppedBytes} bytes of the oldest user audio while resuming` },
      }),
  });
  let handle: RealtimeSession | undefined;
  const prepared = prepareSession({ ...parsed, wiring: { ...parsed.wiring, logger } }, audio, () => handle);
  const { registry, facade } = prepared;

  const actor = createActor(prepared.logic, { input: prepared.input, ...(inspect ? { inspect } : {}) });
  actorRef = actor;
  const telemetryOptions = resolveTelemetry(parsed.wiring.telemetry);
  const telemetry = new SessionTelemetry({ sessionId, provider: prepared.input.provider, model: prepared.input.model, telemetry: telemetryOptions, logger, isKnownTool: (name) => registry.get(name) !== undefined });
  // The connection phase: spans, and the report (a response cut off by its connection's end).
  actor.subscribe({ next: (snapshot) => telemetry.link(linkView(snapshot)), error: () => {} });
  // The history takes each event in before anyone hears it; `history_updated` follows the event.
  const history = new SessionHistory(parsed.facade.historyLimit);
  // The frozen copy is built only for someone who listens (`session.history` builds it on demand).
  const historyStep = () => {
    if (listeners.wants('history_updated')) listeners.publish({ type: 'history_updated', history: history.items });
  };
  const publish = (event: AnySessionEvent) => {
    telemetry.observe(event);
    const step = history.observe(event);
    listeners.publish(event);
    if (step) historyStep();
  };
  audio.onOutput(publish);
  actor.on('*', (event) => {
    logger.debug(controlEventFields(event as SessionEmitted), `session event ${event.type}`);
    const record = logRecordOf(event as AnySessionEvent);
    if (record) logger[record.level](record.fields, record.msg);
    publish(event as AnySessionEvent);
    if (event.type === 'closed') finish();
  });
  if (eventHandler) attachEventHandler(eventHandler, listeners.on);
  actor.start();

  const live = () => isLive(actor.getSnapshot());
  function requireLive(verb: string): void {
    if (!live()) throw new NotConnectedError(verb, stateName(actor.getSnapshot()));
  }
  const rejectIfNotLive = (verb: string): Promise<never> | undefined =>
    live() ? undefined : Promise.reject(new NotConnectedError(verb, stateName(actor.getSnapshot())));
  // A request (sendText, createResponse) refused when not live: fire and forget must not crash the process.
  const refuseRequestIfNotLive = (verb: string): ReplyRequest | undefined =>
    live() ? undefined : refusedRequest(new NotConnectedError(verb, stateName(actor.getSnapshot())));

  let requestSeq = 0;
  let replySeq = 0;
  const updateTarget = { actor, model: parsed.wiring.model, registry, requireLive, nextRequestId: () => `update_${++requestSeq}` };

  /** The report goes out once, when the session is over (`closed`, or a close with nothing to close). */
  let reported = false;
  function finish(): void {
    if (reported) return;
    reported = true;
    telemetry.end();
    listeners.publish({ type: 'session_report', report: telemetry.report() });
  }

  /** Stops the actor and ends `events$`. */
  function end(): void {
    finish();
    actor.stop();
    listeners.complete();
  }

  const session: RealtimeSession = {
    actor,
    events$: listeners.events$,
    audio,
    on: listeners.on,

    get state(): string {
      return stateName(actor.getSnapshot());
    },
    get connected(): boolean {
      return live();
    },
    get history() {
      return history.items;
    },
    get sessionId(): string {
      return sessionId;
    },
    report: () => telemetry.report(),

    async connect(): Promise<void> {
      if (actor.getSnapshot().status !== 'active') throw new VoxstateError({ code: 'session_closed', message: 'The session is closed' });
      if (live()) return;
      actor.send({ type: 'session.connect' });
      // Settled: live, back offline (the attempt failed), or the actor ended.
      const settled = await waitFor(actor, (s) => s.status !== 'active' || isLive(s) || isOffline(s), {
        timeout: facade.connectTimeoutMs,
      }).catch(() => undefined);
      if (!settled) {
        actor.send({ type: 'session.close' });
        throw new VoxstateError({ code: 'connection_failed', message: `No answer from the provider within ${facade.connectTimeoutMs} ms` });
      }
      if (!isLive(settled)) {
        const error = settled.context.lastError ?? { code: 'connection_failed', message: 'Connection failed' };
        throw new VoxstateError(error);
      }
    },

    sendAudio(pcm: Buffer | Uint8Array | Int16Array): void {
      requireLive('send audio');
      const refusal = userAudioRefusal(pcm);
      if (refusal) throw new VoxstateError({ code: 'invalid_audio', message: refusal });
      const buffer = Buffer.isBuffer(pcm) ? pcm : Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      audio.sendUserAudio(buffer, facade.inputSampleRate);
      telemetry.userAudio(buffer.length, facade.inputSampleRate);
    },

    sendText(text: string, opts: { respond?: boolean } = {}): ReplyRequest {
      const refused = refuseRequestIfNotLive('send text');
      if (refused) return refused;
      const requestId = `reply_${++replySeq}`;
      // Placed in the history when it goes on the wire; a text that asks for nothing goes at once.
      if (opts.respond === false) {
        if (history.textSent(text)) historyStep();
      } else history.textRequested(requestId, text);
      return requestReply(actor, { type: 'session.sendText', text, ...(opts.respond === undefined ? {} : { respond: opts.respond }) }, requestId);
    },
    async commitAudio(): Promise<void> {
      const rejected = rejectIfNotLive('commit audio');
      if (rejected) return rejected;
      actor.send({ type: 'session.commitAudio' });
    },
    async clearAudio(): Promise<void> {
      const rejected = rejectIfNotLive('clear audio');
      if (rejected) return rejected;
      actor.send({ type: 'session.clearAudio' });
    },
    createResponse(): ReplyRequest {
      const refused = refuseRequestIfNotLive('create a response');
      if (refused) return refused;
      // Capability data: a provider with no frame that asks for a response refuses it now, not after responseStartTimeout.
      if (actor.getSnapshot().context.capabilities.takesResponseRequests === false) {
        const provider = parsed.wiring.model.provider;
        return refusedRequest(
          new RequestFailedError({
            code: 'response_request_unsupported',
            message: `${provider} has no request for a response (it answers each turn by itself): send a text or audio instead`,
          }),
        );
      }
      return requestReply(actor, { type: 'session.createResponse' }, `reply_${++replySeq}`);
    },
    async interrupt(opts: { playedMs?: number } = {}): Promise<void> {
      const rejected = rejectIfNotLive('interrupt');
      if (rejected) return rejected;
      actor.send({ type: 'session.interrupt', ...(opts.playedMs === undefined ? {} : { playedMs: opts.playedMs }) });
    },

    reportPlayback: (itemId, playedMs) => audio.playback.report(itemId, playedMs),

    updateSession: (delta, opts) => requestUpdate(updateTarget, delta, opts),

    async sendToolResult(callId: string, output: unknown): Promise<void> {
      const rejected = rejectIfNotLive('send a tool result');
      if (rejected) return rejected;
      const refusal = toolResultRefusal(actor.getSnapshot().context, callId);
      if (refusal) throw new VoxstateError({ code: 'tool_error', message: refusal });
      actor.send({ type: 'session.toolResult', callId, output });
    },
    async approveTool(callId: string): Promise<void> {
      const rejected = rejectIfNotLive('approve a tool call');
      if (rejected) return rejected;
      const refusal = toolDecisionRefusal(actor.getSnapshot().context, callId);
      if (refusal) throw new VoxstateError({ code: 'tool_error', message: refusal });
      actor.send({ type: 'session.approveTool', callId });
      telemetry.toolDecision(callId, 'approved');
    },
    async rejectTool(callId: string, reason?: string): Promise<void> {
      const rejected = rejectIfNotLive('reject a tool call');
      if (rejected) return rejected;
      const refusal = toolDecisionRefusal(actor.getSnapshot().context, callId);
      if (refusal) throw new VoxstateError({ code: 'tool_error', message: refusal });
      actor.send({ type: 'session.rejectTool', callId, ...(reason === undefined ? {} : { reason }) });
      telemetry.toolDecision(callId, 'rejected');
    },

    async close(): Promise<void> {
      const snapshot = actor.getSnapshot();
      if (snapshot.status !== 'active') return;
      // Never connected, or the last attempt failed: no connection to close, so the actor is
      // stopped without going through the chart's `closed` state.
      if (isOffline(snapshot)) end();
      else {
        actor.send({ type: 'session.close' });
        await waitFor(actor, (s) => s.status !== 'active', { timeout: 5_000 }).catch(() => undefined);
        end();
      }
      // The spans and metrics of a session created just before are complete once close() resolves.
      await telemetry.settled();
    },
  };
  handle = session;
  return session;
}
