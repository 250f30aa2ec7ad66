/**
 * The adapter contract. A model adapter is XState actor logic (normally `fromCallback`) that the
 * session invokes as its `model` child, once per connection attempt:
 * - it receives `ClientIntent`s through `receive`;
 * - it reports `ModelEvent`s through `sendBack` (validated with `toModelEvent` first);
 * - it delivers audio/text/transcript deltas to `input.audio` (the session's audio port), never to
 *   the chart;
 * - it attaches a user-audio sink to the port once its connection can carry audio, and hands back
 *   what it accepted and could not send when the connection ends;
 * - its cleanup closes the connection (the session stops it on close, resumption or reconnect).
 * Secrets (API keys) live in the adapter factory's closure, never in `input`, context or events.
 */
import type { CallbackActorLogic, EventObject } from 'xstate';
import type { ErrorInfo } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MutableField, SessionConfig } from '../config.js';
import type { AudioPort } from './audio-port.js';
import type { ClientIntent } from './events.js';
import type { SocketLedger } from './socket-ledger.js';

/** Why this connection is being opened. */
export type ConnectReason = 'initial' | 'mutation' | 'reconnect' | 'restore';

export interface AdapterInput {
  config: SessionConfig;
  /** The latest resumable handle, read when this connection attempt starts. */
  resumptionHandle: string | undefined;
  /** Increases by one per connection attempt; tool calls remember the connection that issued them. */
  connectionId: number;
  reason: ConnectReason;
  /** The session's audio plane, as much of it as an adapter uses. */
  audio: AudioPort;
  logger: Logger;
  /**
   * The session's sockets that have not finished closing, the same ledger for every connection of
   * one session. An adapter whose provider refuses a second socket (Gemini) opens only once they
   * have all closed. Absent outside a session (an adapter started on its own): nothing to wait for.
   */
  sockets?: SocketLedger;
}

export type ModelAdapterLogic = CallbackActorLogic<ClientIntent, AdapterInput, EventObject>;

/**
 * How a config field may change on a live connection:
 * - `inPlace`: sent on the open connection;
 * - `beforeAudio`: in place until the model has produced audio, then only by resumption;
 * - `resumption`: needs a new connection (close, connect with the new config, bridge message).
 */
export type ChangeRule = 'inPlace' | 'beforeAudio' | 'resumption';

/** A model the provider has deprecated: the date it stops answering, and what to use instead. */
export interface Deprecation {
  /** The shutdown date, `YYYY-MM-DD`. */
  shutdown: string;
  /** The model id the provider points to instead. */
  replacement: string;
}

export interface Capabilities {
  change: Record<MutableField, ChangeRule>;
  /**
   * True when the runtime must ask for the model's next response after tool outputs (OpenAI:
   * `response.create`); false when the provider continues by itself (Gemini).
   */
  needsFollowUpResponse: boolean;
  /**
   * False when the provider has no frame that asks for a response (Gemini Live: it answers each
   * turn by itself; see docs/providers/gemini.md): `createResponse()` is then refused at once with
   * `response_request_unsupported`. Absent means true.
   */
  takesResponseRequests?: boolean;
  /**
   * True when a message that asks for a reply interrupts the response being generated (Gemini Live:
   * `clientContent` with `turnComplete:true` "unconditionally interrupts active generation",
   * gemini-live-2026.md "Mid-session text"; protocols.md §2 `clientContent`). A request made while a
   * response is active then waits for it in the request queue, as on a provider that takes explicit
   * response requests one at a time (`needsFollowUpResponse`). Absent means false.
   */
  requestInterruptsResponse?: boolean;
  /**
   * True when the provider says which request a response answers (OpenAI: `response.create`'s
   * `response.metadata` comes back on `response.created`), so only the response that names a
   * request answers it; otherwise a response started after the request was sent answers it.
   */
  correlatesResponses?: boolean;
  /**
   * True when a new connection accepts the output of a call issued on an earlier one (OpenAI: the
   * history replay carries the call item); absent or false: a late background result goes in as
   * context instead (Gemini). See machines/session/tool-output.ts.
   */
  answersEarlierCalls?: boolean;
  /**
   * True when the server speaks a background call's result by itself once it is delivered (Gemini
   * `FunctionResponse.scheduling` `WHEN_IDLE`: "generate output once the model is idle";
   * `INTERRUPT`: "generate now", on 3.8 once the user stops talking; gemini-live-2026.md §2.2).
   * That response is owed like a request's reply: the session counts it as a request on the wire
   * with no caller, so queued requests wait for it (docs/conversation.md "Tool calls"). Absent means false.
   */
  speaksBackgroundResults?: boolean;
  /**
   * True when the provider drops the unheard part of an interrupted item from the model's memory
   * (OpenAI `conversation.item.truncate`); absent or false: it keeps what it generated (Gemini has
   * no truncate message, protocols.md §2) and `truncated` only reports what was heard.
   */
  truncatesHeardAudio?: boolean;
  /** Set when the provider has deprecated this model; the session logs `profile.deprecated` at creation. */
  deprecated?: Deprecation;
}

/**
 * The capabilities table: a default row and optional per-model rows that override it. Provider
 * mutability changes between model versions, so it is data, not code branches.
 */
export interface CapabilityTable {
  default: Capabilities;
  models?: Record<
    string,
    { change?: Partial<Record<MutableField, ChangeRule>>; needsFollowUpResponse?: boolean; deprecated?: Deprecation }
  >;
}

export interface ModelAdapter {
  /** 'openai' | 'gemini' | 'scripted' | your own. */
  provider: string;
  /** Provider model id. */
  model: string;
  capabilities: CapabilityTable;
  logic: ModelAdapterLogic;
  /**
   * A config this adapter would refuse before sending anything (e.g. an `extra` that contradicts
   * the session's turn detection or audio format), as an `invalid_config` error naming the field;
   * undefined when it is fine. The session asks at creation and for every update, so a bad change
   * is rejected at once instead of failing its connection attempts later.
   */
  checkConfig?(config: SessionConfig): ErrorInfo | undefined;
}

/** Resolves the row that applies to one model: the default row with the model's overrides. */
export function capabilitiesFor(table: CapabilityTable, model: string): Capabilities {
  const row = table.models?.[model];
  if (!row) return table.default;
  const resolved: Capabilities = {
    ...table.default,
    change: { ...table.default.change, ...row.change },
    needsFollowUpResponse: row.needsFollowUpResponse ?? table.default.needsFollowUpResponse,
  };
  const deprecated = row.deprecated ?? table.default.deprecated;
  if (deprecated) resolved.deprecated = deprecated;
  return resolved;
}

/** Whether a set of changed fields can be applied on the open connection. */
export function canApplyInPlace(
  capabilities: Capabilities,
  changed: readonly MutableField[],
  hasProducedAudio: boolean,
): boolean {
  return changed.every((field) => {
    const rule = capabilities.change[field];
    return rule === 'inPlace' || (rule === 'beforeAudio' && !hasProducedAudio);
  });
}

