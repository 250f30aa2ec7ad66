/**
 * `RealtimeSession`: what `createRealtimeSession()` returns, as one named, documented interface
 * (the published declarations show this, not the inferred type of the object literal).
 */
import type { Observable } from 'rxjs';
import type { Actor } from 'xstate';
import type { AudioPlane } from '../adapters/audio-plane.js';
import type { PlaybackReport } from '../adapters/playback.js';
import type { SessionDeltaInput } from '../config.js';
import type { RealtimeSessionMachine } from '../machines/session/session.machine.js';
import type { SessionEmitted } from '../machines/session/types.js';
import type { AnySessionEvent, SessionEventMap, SessionEventName } from './event-map.js';
import type { HistoryItem } from './history-items.js';
import type { SessionReport } from '../telemetry/report.js';
import type { SessionTool } from './tools.js';

export type UpdateOutcome = 'applied' | 'resumed' | 'queued';
/** How an update ended once it is in effect: on the open connection, or on a new one. */
export type UpdateCompletion = 'applied' | 'resumed';

/**
 * What `updateSession` returns: a promise of the first answer (`UpdateOutcome`), as before, plus
 * `completion`, which settles when the change is in effect, a queued one included.
 */
export interface UpdateRequest extends Promise<UpdateOutcome> {
  /** `'applied'` or `'resumed'` once the change is in effect; rejects (`UpdateFailedError`, `session_closed`) when it never will be. */
  readonly completion: Promise<UpdateCompletion>;
}

/** The `response_done` event of the response that answered a request (its `requestId` names the request). */
export type ResponseDone = Extract<SessionEmitted, { type: 'response_done' }>;

/**
 * What `sendText` and `createResponse` return: a promise that resolves once the request is on the
 * wire (at once when no response is active; when the active one is done otherwise, since a
 * connection runs one response at a time), plus `reply`.
 */
export interface ReplyRequest extends Promise<void> {
  /**
   * Settles with the `response_done` of the response that answered this request (its status may be
   * `cancelled` after a barge-in), or rejects with `RequestFailedError` when it never will be
   * answered (`connection_replaced`, `session_closed`, `response_not_started`, `request_dropped`,
   * `connection_failed`). `undefined` for a text sent with `respond: false`. Leaving it unawaited
   * never causes an unhandled rejection.
   */
  readonly reply: Promise<ResponseDone | undefined>;
}

/**
 * A realtime voice session: verbs, listeners and the actor underneath. Every verb but `connect()`
 * and `close()` needs a live session (connected, or swapping connections): otherwise it rejects
 * with `NotConnectedError` (`sendAudio`, which is synchronous, throws it).
 */
export interface RealtimeSession {
  /** The session's XState actor: `getSnapshot()`, `subscribe()`, `system`, `on()` for emitted events. */
  readonly actor: Actor<RealtimeSessionMachine>;
  /** Every event the session publishes, as an RxJS stream; it completes when the session is closed. */
  readonly events$: Observable<AnySessionEvent>;
  /** Output audio, text and transcript deltas arrive here and on `on('audio' | 'text' | 'transcript')`. */
  readonly audio: AudioPlane;
  /**
   * Listens to one event type; returns the unsubscribe function. A listener that throws is logged
   * (once as a warning, then as debug lines), never fatal.
   */
  on<N extends SessionEventName>(type: N, listener: (event: SessionEventMap[N]) => void): () => void;
  /** Listens to every event (typed listeners of an event run first); returns the unsubscribe function. */
  on(type: '*', listener: (event: AnySessionEvent) => void): () => void;

  /** The whole state value as text: a flat state's name ('disconnected', 'failed', 'closed'), else the JSON of the value. */
  readonly state: string;
  /** Whether verbs are accepted: connected, or swapping connections (never reported as a disconnect). */
  readonly connected: boolean;
  /**
   * The conversation so far as items (messages, tool calls), in spoken order, oldest first; at most
   * `historyLimit` (oldest dropped). A frozen snapshot: it never changes, and a new one is
   * returned after each change (`history_updated`). Kept across connection swaps.
   */
  readonly history: readonly HistoryItem[];
  /** voxstate's id for this session: `sessionId` in its log records and report, `gen_ai.conversation.id` on its spans. */
  readonly sessionId: string;
  /**
   * The session's figures so far (turns, latencies, tools, resumptions, errors, usage, audio
   * seconds); the final one is also published as `session_report` when the session ends.
   * See docs/observability.md.
   */
  report(): SessionReport;

  /**
   * Opens the first connection (or a new one after a failure) and resolves once the provider is
   * ready; resolves at once when already live. Rejects with the provider's error, with
   * `connection_failed` when nothing answers within `connectTimeoutMs` (the session is then
   * closed), or with `session_closed` on a closed session.
   */
  connect(): Promise<void>;

  /**
   * Sends user audio (PCM16 LE mono at `inputSampleRate`). Synchronous and cheap: it is the hot
   * path. Throws `NotConnectedError` when the session is not live, and `invalid_audio` for an odd
   * number of bytes or a value that is not bytes (that chunk is dropped whole); buffered while resuming.
   */
  sendAudio(pcm: Buffer | Uint8Array | Int16Array): void;
  /**
   * Sends a user message; `respond` (default true) asks the model to answer it. Resolves when the
   * message is on the wire: while a response is active, a message that asks for a reply waits for
   * it (in order with other requests) on a provider that answers one request at a time. `reply`
   * follows it to its answer. Rejects with `RequestFailedError` when it can never be sent.
   */
  sendText(text: string, opts?: { respond?: boolean }): ReplyRequest;
  /** Commits the input audio buffer (manual turns, `turnDetection: { type: 'none' }`). */
  commitAudio(): Promise<void>;
  /** Discards the input audio buffer. */
  clearAudio(): Promise<void>;
  /** Asks the model to respond; queued like `sendText` while a response is active. `reply` follows it to its answer. */
  createResponse(): ReplyRequest;
  /**
   * Barge-in from the application: cancels the response if one is running, and cuts each assistant
   * item of it that was not heard to the end (`truncated` once per item). `playedMs`: how much of
   * the current item was played, overriding the session's playback clock for that item.
   */
  interrupt(opts?: { playedMs?: number }): Promise<void>;
  /**
   * The application's played position of an assistant item (`itemId` from the `audio` events), read
   * with `playback: 'reported'`. Never throws: an unknown item or a position that is not a finite
   * number ≥ 0 is ignored and said so in the result (`{ ok: false, reason }`).
   */
  reportPlayback(itemId: string, playedMs: number): PlaybackReport;

  /**
   * Changes the session's context. Resolves `'applied'` (changed on the open connection),
   * `'resumed'` (the session was idle and reconnected with the new config), or `'queued'` (the
   * model is busy; the change runs at the next idle moment). Rejects with `ConfigValidationError`
   * for a bad delta and `UpdateFailedError` when the provider rejects it or every resumption
   * attempt fails. The returned promise also carries `completion`: it settles when the change is
   * in effect (`'applied'` or `'resumed'`, so a queued update can be awaited to the end), or
   * rejects with the reason it never took effect.
   */
  updateSession(delta: Omit<SessionDeltaInput, 'tools'> & { tools?: SessionTool[] }, opts?: { bridgeMessage?: string }): UpdateRequest;

  /**
   * Answers a call the application runs itself (`autoExecuteTools: false`) or re-sends a result
   * held back by `autoRespondTools: false`. Rejects with `tool_error` for a call that is not
   * waiting for this.
   */
  sendToolResult(callId: string, output: unknown): Promise<void>;
  /**
   * Lets a call waiting in `awaitingApproval` run. Rejects, as `sendToolResult` does, with
   * `NotConnectedError` when the session is not live and a `tool_error` for a call id no tool
   * actor is running (unknown, already settled, or run by the application).
   */
  approveTool(callId: string): Promise<void>;
  /** Answers a call waiting for approval with a `rejected` error output carrying `reason`. Rejects like `approveTool`. */
  rejectTool(callId: string, reason?: string): Promise<void>;

  /**
   * Closes the connection (answering outstanding tool calls with a cancellation) and ends the
   * session; `session_report` is published before it resolves, and with `telemetry` on, every span
   * and metric of the session has been handed to the tracer and meter.
   */
  close(): Promise<void>;
}
