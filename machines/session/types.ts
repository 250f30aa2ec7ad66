/**
 * The session machine's types: input, context, the events it accepts, and the events it emits.
 * Emitted event names are public API (`session.on(name, …)`); keep them stable.
 */
import type { DoneActorEvent, ErrorActorEvent } from 'xstate';
import type { AudioPlane } from '../../adapters/audio-plane.js';
import type { SocketLedger } from '../../adapters/socket-ledger.js';
import type { Capabilities, ConnectReason } from '../../adapters/adapter.js';
import type { ModelEvent, ResponseStatusDetails } from '../../adapters/events.js';
import type { ErrorInfo } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { SessionRuntime } from './runtime.js';
import type { MutableField, SessionConfig, SessionDelta, ToolBehavior, ToolScheduling } from '../../config.js';
import type { ToolOutcome, ToolParentEvent, ToolStatus } from '../../tools/call.machine.js';

export interface SessionOptions {
  autoExecuteTools: boolean;
  autoRespondTools: boolean;
  maxConcurrentTools: number;
  /** Default per-call limit for tools that set none. */
  toolTimeoutMs: number;
  /** Reconnect (with the resumption handle or a history replay) when the provider drops the socket. */
  autoReconnect: boolean;
  /** Attempts per resumption, counting the first. */
  maxResumeAttempts: number;
  /** Connect as soon as the actor starts (for sessions embedded in a parent machine). */
  autoConnect: boolean;
  /**
   * How long running background tool calls may hold back a queued connection swap (resumption);
   * past it the swap runs and their outputs follow on the new connection.
   */
  backgroundCallSwapWaitMs: number;
}

export interface SessionInput {
  provider: string;
  model: string;
  config: SessionConfig;
  capabilities: Capabilities;
  options?: Partial<SessionOptions>;
  /** Created by the machine when absent; the facade passes its own so it can listen. */
  audio?: AudioPlane;
  logger?: Logger;
  /** The adapter and tool handlers this session runs, unless `.provide()` gave the machine its own (runtime.ts). */
  runtime?: SessionRuntime;
}

/** A tool call the session knows about and has not answered yet. */
/** One call in the session's ledger (see `SessionContext.callLedger`). */
export interface CallLedgerEntry {
  callId: string;
  name: string;
  /** Whether the call has settled; `output` is what it settled with (a tool may return nothing). */
  settled: boolean;
  output?: unknown;
  /** The connection its output was sent on (absent while unanswered, or when it was never sent). */
  answeredOn?: number;
}

export interface ToolCallRecord {
  callId: string;
  name: string;
  /** The connection that issued it: its output goes to that connection or nowhere. */
  connectionId: number;
  /** `actor`: a spawned tool actor runs it; `application`: autoExecuteTools is off. */
  runner: 'actor' | 'application';
  /**
   * From the tool's spec. A `blocking` call holds the turn; a `background` one does not, outlives
   * its connection, and its output carries `scheduling` (see docs/conversation.md "Tool calls").
   */
  behavior: ToolBehavior;
  scheduling: ToolScheduling;
  /** A background call that finished while no connection was up: its outcome, sent to the next one. */
  held?: ToolOutcome;
}

/**
 * Why a connection is replaced: a `mutation` applies a change the provider cannot make in place; a
 * `goAway` answers the provider's notice that it will cut the connection; a `reconnect` follows an
 * unexpected drop; a `restore` reconnects with the config the provider last accepted after a
 * mutation was dropped.
 */
export type SwapWhy = 'mutation' | 'goAway' | 'reconnect' | 'restore';

/**
 * One connection swap. The session holds two slots of it: `queuedSwap` (waiting for the turn to
 * become idle, one slot, last write wins) and `activeSwap` (the replacement connection is opening).
 */
export interface Swap {
  why: SwapWhy;
  /** Update requests the swap applies, queued ones included (settled 'resumed', or failed with it). */
  requestIds: string[];
  changed: MutableField[];
  /** Sent as the user's text on the new connection, to re-anchor the model. */
  bridgeMessage: string | undefined;
  /**
   * When every attempt fails: `restore` drops the change it carries (the config reverts to what the
   * provider last accepted, and a `restore` swap follows); `fail` ends in `failed`.
   */
  onFailure: 'restore' | 'fail';
  /** Failed attempts so far (0 while queued). */
  attempts: number;
}

/**
 * A request that asks the model for a reply: a text with `respond`, `createResponse()`, or a
 * bridge message. The session keeps them in order (`SessionContext.requests`): at most one
 * response is active per connection, so on a provider that takes explicit response requests
 * (`needsFollowUpResponse`) one made while a response is active waits for it to be done.
 */
export interface RequestEntry {
  /** The caller's id (the facade's `reply_N`); absent for the session's own (a bridge message). */
  requestId: string | undefined;
  /**
   * The session's own id for it (`vx_req_N`, unique in the session): carried on the intent so a
   * provider that can say names it back (`model.responseCreated.requestId`, `model.requestRefused`).
   */
  wireId: string;
  /** The user message sent with it; absent for `createResponse` (and once the message is in the conversation: a refused request goes again as a bare request). */
  text: string | undefined;
  /** How often the provider refused it while a response was running (it then went back to the queue; `request_sent` is not repeated). */
  refusals?: number;
  /** The follow-up after tool outputs (no caller): any response that starts after the outputs answers it. */
  followUp?: true;
  /** `queued`: waiting for the active response; `sent`: on the wire, its response not started; `answering`: its response is streaming. */
  status: 'queued' | 'sent' | 'answering';
}

export interface InFlightUpdate {
  changed: MutableField[];
  bridgeMessage: string | undefined;
}

export interface SessionContext {
  provider: string;
  model: string;
  /** The canonical config: every connection is opened with it, every delta merged into it. */
  config: SessionConfig;
  /** What the live connection runs; a dropped mutation reverts `config` to it. */
  liveConfig: SessionConfig;
  capabilities: Capabilities;
  options: SessionOptions;
  audio: AudioPlane;
  /** The session's sockets still closing: a connection that must not overlap its predecessor waits on it. */
  sockets: SocketLedger;
  logger: Logger;
  /** The input's adapter and tool handlers (runtime.ts); shown as `[session runtime]` to inspectors. */
  runtime: SessionRuntime | undefined;
  connectionId: number;
  /** The latest resumable handle (Gemini); read when a connection attempt starts. */
  resumptionHandle: string | undefined;
  providerSessionId: string | undefined;
  /** Whether the live connection has produced audio (OpenAI voice changes stop being in place). */
  hasProducedAudio: boolean;
  /** A follow-up response is owed once the turn is idle (tool outputs were sent). */
  followUpOwed: boolean;
  /** The streaming response was already interrupted (server VAD or `interrupt()`): a second interruption cancels nothing. Reset when a response starts. */
  responseInterrupted: boolean;
  /**
   * Requests that ask for a reply, oldest first: queued ones (waiting for the active response to
   * be done), sent ones (waiting for their response to start), and the one being answered. At most
   * `MAX_QUEUED_REQUESTS` queued. Only the sent and answering ones belong to the connection; queued
   * ones are sent on whichever connection is live when the turn allows it.
   */
  requests: RequestEntry[];
  /** How many requests the session has numbered (`RequestEntry.wireId`). */
  requestSeq: number;
  toolCalls: Record<string, ToolCallRecord>;
  /**
   * Every call this session received, oldest first, at most `MAX_CALL_LEDGER` (256): its output
   * once settled, and the connection that output went to. A repeated function-call frame never
   * runs a call again: on the connection that has the answer it is ignored; on another (the
   * provider re-asks after a reconnect) the recorded output is sent again.
   */
  callLedger: CallLedgerEntry[];
  /** Tool actors holding a concurrency slot. */
  runningTools: string[];
  /** Tool actors waiting for a slot, in arrival order. */
  toolQueue: string[];
  /**
   * Results held back (autoRespondTools off) that the application may still send, once: on the
   * connection that issued the call, or, for a background call, on any later one (kept across a swap).
   * The call's behavior and scheduling go with it, so the result is delivered as the tool declares.
   */
  unsentToolResults: Record<string, Pick<ToolCallRecord, 'name' | 'connectionId' | 'behavior' | 'scheduling'>>;
  /** A swap waiting for the turn to become idle (or for a goAway deadline). */
  queuedSwap: Swap | null;
  /** The swap whose replacement connection is opening (or waiting in `resumeBackoff`). */
  activeSwap: Swap | null;
  inFlightUpdates: Record<string, InFlightUpdate>;
  /** Intents the application sent while the connection was being swapped, replayed after. */
  deferredIntents: DeferredIntent[];
  /** Updates requested while the connection was being swapped, handled once it is up. */
  deferredUpdates: Array<Extract<SessionIntent, { type: 'session.update' }>>;
  /** Wall-clock deadline (ms) announced by goAway. */
  goAwayDeadline: number | null;
  lastError: ErrorInfo | null;
  closeInfo: { code: number | undefined; reason: string } | null;
}

/** Intents from the application (the facade, or a parent machine via `sendTo`). */
export type SessionIntent =
  | { type: 'session.connect' }
  /** `requestId` names a request that asks for a reply, so its caller can follow it (`request_sent`, `response_done.requestId`, `request_failed`). */
  | { type: 'session.sendText'; text: string; respond?: boolean; requestId?: string }
  | { type: 'session.sendAudio'; audio: Buffer; sampleRate?: number }
  | { type: 'session.commitAudio' }
  | { type: 'session.clearAudio' }
  | { type: 'session.createResponse'; requestId?: string }
  | { type: 'session.interrupt'; playedMs?: number }
  | { type: 'session.update'; requestId: string; delta: SessionDelta; bridgeMessage?: string }
  | { type: 'session.toolResult'; callId: string; output: unknown }
  | { type: 'session.approveTool'; callId: string }
  | { type: 'session.rejectTool'; callId: string; reason?: string }
  | { type: 'session.close' };

/** Application intents held while the connection is swapped, and handled by the new one. */
export type DeferredIntent = Extract<
  SessionIntent,
  { type: 'session.sendText' | 'session.commitAudio' | 'session.clearAudio' | 'session.createResponse' }
>;

export type SessionEvent =
  | SessionIntent
  | ModelEvent
  | ToolParentEvent
  | DoneActorEvent<ToolOutcome, `tool.${string}`>
  | ErrorActorEvent<unknown, `tool.${string}`>;

/** Events the session emits (control plane). Data-plane events (audio, text, transcript) come from the audio plane. */
export type SessionEmitted =
  | { type: 'response_created'; responseId: string | undefined }
  | {
      type: 'response_done';
      responseId: string | undefined;
      status: string;
      reason: string | undefined;
      /** Why it did not complete (reason; for a failed response the provider's error type, code, message), when the provider says. */
      statusDetails?: ResponseStatusDetails;
      /** The request this response answered (`sendText`/`createResponse` with a `requestId`), when it answered one. */
      requestId?: string;
    }
  /** A request that asks for a reply waits: a response is active on this connection. (Requests made while the connection is being replaced are held without this event.) */
  | { type: 'request_queued'; requestId: string }
  /** A request that asks for a reply is on the wire: its message and the request for a response were sent. */
  | { type: 'request_sent'; requestId: string }
  /** A request that asks for a reply will never be answered (`connection_replaced`, `session_closed`, `response_not_started`, `request_dropped`). */
  | { type: 'request_failed'; requestId: string; error: ErrorInfo }
  | { type: 'speech_started'; audioStartMs: number | undefined; itemId: string | undefined }
  | { type: 'speech_stopped'; audioEndMs: number | undefined; itemId: string | undefined }
  /**
   * The user said nothing for the provider's idle timeout after the model's reply finished playing
   * (OpenAI `idleTimeoutMs`, `input_audio_buffer.timeout_triggered`): `audioStartMs`/`audioEndMs`
   * bound the silent stretch the server committed as item `itemId`. Only a report: the server
   * itself then creates a response, which arrives as usual.
   */
  | { type: 'input_timeout'; audioStartMs: number | undefined; audioEndMs: number | undefined; itemId: string | undefined }
  | { type: 'tool_call'; callId: string; name: string; arguments: string }
  | { type: 'tool_approval_requested'; callId: string; name: string; args: unknown }
  | {
      type: 'tool_result';
      callId: string;
      name: string;
      status: ToolStatus;
      output: unknown;
      /** Whether the output was sent to the model (false: silent, autoRespond off, or its connection is gone). */
      delivered: boolean;
      durationMs: number;
    }
  | { type: 'interrupted'; source: 'user' | 'client' | 'server' }
  /**
   * An assistant item cut short by an interruption, once per item: `playedMs` is what was heard
   * (OpenAI: the `audio_end_ms` sent; Gemini, which has no truncate frame: the played position),
   * `receivedMs` the audio that had arrived.
   */
  | { type: 'truncated'; itemId: string; playedMs: number; receivedMs: number }
  | { type: 'resumption_queued'; reason: 'mutation' | 'goAway'; changed: MutableField[] }
  | { type: 'session_resumed'; reason: ConnectReason; connectionId: number; restored: boolean }
  | { type: 'resumption_failed'; error: ErrorInfo; attempts: number }
  | { type: 'session_updated'; requestId: string; outcome: 'applied' | 'resumed' | 'queued'; changed: MutableField[] }
  | { type: 'update_failed'; requestId: string; error: ErrorInfo }
  | { type: 'go_away'; timeLeftMs: number }
  | { type: 'usage'; inputTokens: number | undefined; outputTokens: number | undefined; totalTokens: number | undefined }
  | { type: 'connected'; connectionId: number; providerSessionId: string | undefined }
  | { type: 'error'; error: ErrorInfo }
  | { type: 'closed'; code: number | undefined; reason: string };

export type SessionEmittedType = SessionEmitted['type'];

/** The session actor's output once it is done (`onDone` in a parent): how the connection closed. */
export interface SessionOutput {
  code: number | undefined;
  reason: string;
}

/**
 * What a parent machine receives from an embedded session: each emitted event, renamed
 * `voxstate.<type>` and tagged with the session actor's id. Add it to the parent's
 * `types.events` to handle these in transitions.
 */
export type SessionParentEvent = {
  [E in SessionEmitted as E['type']]: Omit<E, 'type'> & { type: `voxstate.${E['type']}`; sessionId: string };
}[SessionEmittedType];

/** The event of one type (what a transition on that type hands its actions as `params`). */
export type SessionEventOf<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;
