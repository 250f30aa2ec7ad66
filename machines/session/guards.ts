/**
 * The chart's guards, each a question. Those that read an event's payload take it as typed
 * `params` from the transition.
 */
import { and, not, stateIn } from 'xstate';
import { canApplyInPlace } from '../../adapters/adapter.js';
import { RESPONSE_ALREADY_ACTIVE } from '../../adapters/events.js';
import type { ErrorInfo } from '../../errors.js';
import { mergeSessionDelta, type SessionDelta } from '../../config.js';
import { answeredRequestIndex } from './answered-request.js';
import { MAX_REQUEST_REFUSALS } from './context.js';
import { toolDecisionRefusal, toolResultRefusal } from './refusals.js';
import { defineGuards } from './setup.js';
import type { SessionContext } from './types.js';

const FLOOR_OPEN = '#realtimeSession.link.connected.floor.open';

/** The request on the wire a refusal names. */
const refusedEntry = (context: SessionContext, wireId: string) => context.requests.find((r) => r.wireId === wireId && r.status === 'sent');
const STREAMING = '#realtimeSession.link.connected.turn.generating.streaming';
/** Audio of the last response that the user has not heard yet (the playback tracker, adapters/playback.ts). */
const hasUnheardAudio = ({ context }: { context: SessionContext }) => context.audio.playback.hasUnheard();

export const sessionGuards = defineGuards({
  /**
   * Nobody has the floor, no reply is owed (no follow-up, no request waiting or on the wire) and no
   * background call is running within its wait bound: the only moment a connection may be replaced.
   */
  isTurnIdle: and([
    stateIn('#realtimeSession.link.connected.turn.idle'),
    // The user is not speaking, and no spoken turn of theirs waits for the server's response.
    stateIn(FLOOR_OPEN),
    not(stateIn('#realtimeSession.link.connected.backgroundCalls.running')),
    ({ context }: { context: SessionContext }) => !context.followUpOwed && context.requests.length === 0,
  ]),
  /**
   * The user has the floor (the floor region is not `open`): they are speaking, or their spoken turn
   * ended and the server's own response to it has not started yet. Nothing that asks for a reply is
   * sent meanwhile.
   */
  userHasFloor: not(stateIn(FLOOR_OPEN)),
  /**
   * The server answers a spoken turn by itself when speech stops (server or semantic VAD with
   * `createResponse`, the default): until that response starts, the user's turn still holds the floor.
   */
  serverAnswersSpokenTurn: ({ context }) => {
    const detection = context.config.turnDetection;
    return detection.type !== 'none' && detection.createResponse !== false;
  },
  /** A request waits, none is on the wire any more (one response at a time), and the floor is open: the next may go. */
  canSendNextRequest: and([
    stateIn(FLOOR_OPEN),
    ({ context }: { context: SessionContext }) =>
      context.requests.some((r) => r.status === 'queued') && !context.requests.some((r) => r.status === 'sent' || r.status === 'answering'),
  ]),
  /**
   * A request is on the wire while the turn is idle: one the session owes itself (a background
   * result the server speaks by itself, `speaksBackgroundResults`). The turn waits for its response
   * in `generating.requested`, bounded by `responseStartTimeout`.
   */
  isResponseOwed: ({ context }) => context.requests.some((r) => r.status === 'sent'),
  /** A request is on the wire and the response that just ended did not answer it: its reply is still owed. */
  isReplyStillOwed: ({ context }, _params: { status: string }) => {
    const answered = answeredRequestIndex(context.requests);
    return context.requests.some((r, i) => r.status === 'sent' && i !== answered);
  },
  /**
   * While a response is active, a request that asks for a reply must wait for it: the provider
   * takes explicit response requests one at a time (`needsFollowUpResponse`), or a new request
   * would interrupt the active response (`requestInterruptsResponse`, Gemini); data from the
   * adapter's capabilities.
   */
  mustWaitForActiveResponse: ({ context }, params: { respond: boolean | undefined }) =>
    (params.respond ?? true) && (context.capabilities.needsFollowUpResponse || context.capabilities.requestInterruptsResponse === true),
  /**
   * A response is streaming and nothing interrupted it yet: an interruption cancels it (OpenAI
   * `response.cancel`; the adapter also skips it when the server cancelled first) and is reported.
   */
  isResponseStreaming: and([stateIn(STREAMING), ({ context }: { context: SessionContext }) => !context.responseInterrupted]),
  /** Nothing streams, but the last answer is still playing: an interruption cuts what was not heard. */
  hasUnheardAudio,
  /**
   * Server VAD heard the user while no response streams but the last answer still plays (audio
   * arrives faster than real time, so most barge-ins come after `response.done`), and the session
   * lets speech interrupt (`interruptResponse`): a barge-in that cuts what was not heard. The OpenAI
   * Agents SDK does the same on every `speech_started` (openai-realtime-2026.md §6). While a
   * response streams, the adapter reports the barge-in itself (`model.interrupted`).
   */
  isBargeInOverPlayback: and([
    not(stateIn(STREAMING)),
    ({ context }: { context: SessionContext }) => context.config.turnDetection.type !== 'none' && context.config.turnDetection.interruptResponse,
    hasUnheardAudio,
  ]),
  isFollowUpOwed: ({ context }) => context.followUpOwed,
  /**
   * The provider refused a request because a response was already running (the adapter's neutral
   * code), and it has not been refused more than `MAX_REQUEST_REFUSALS` times: it may go again once
   * that response is done.
   */
  mayRequeueRefused: ({ context }, params: { requestId: string; error: ErrorInfo }) =>
    params.error.code === RESPONSE_ALREADY_ACTIVE && (refusedEntry(context, params.requestId)?.refusals ?? 0) < MAX_REQUEST_REFUSALS,
  /**
   * The follow-up after tool outputs was refused because a response was already running (server VAD
   * created one): that response reads the outputs already in the conversation, so nothing more is
   * owed (openai-realtime-2026.md §5: "retry after response.done or drop the create").
   */
  isFollowUpRefusedForActiveResponse: ({ context }, params: { requestId: string; error: ErrorInfo }) =>
    params.error.code === RESPONSE_ALREADY_ACTIVE && refusedEntry(context, params.requestId)?.followUp === true,
  asksForResponse: (_, params: { respond: boolean | undefined }) => params.respond ?? true,
  /** A blocking call is outstanding: it holds the turn (background calls do not). */
  hasOutstandingToolCalls: ({ context }) => Object.values(context.toolCalls).some((call) => call.behavior === 'blocking'),
  hasNoOutstandingToolCalls: ({ context }) => !Object.values(context.toolCalls).some((call) => call.behavior === 'blocking'),
  hasBackgroundCalls: ({ context }) => Object.values(context.toolCalls).some((call) => call.behavior === 'background'),
  hasNoBackgroundCalls: ({ context }) => !Object.values(context.toolCalls).some((call) => call.behavior === 'background'),
  asksNoResponse: (_, params: { respond: boolean | undefined }) => !(params.respond ?? true),
  /** Approvals go to a tool actor that exists: an unknown or settled call id is reported, not sent. */
  isToolActorCall: ({ context }, params: { callId: string }) => toolDecisionRefusal(context, params.callId) === undefined,
  canAcceptToolResult: ({ context }, params: { callId: string }) => toolResultRefusal(context, params.callId) === undefined,
  isNoOpUpdate: ({ context }, params: { delta: SessionDelta }) => mergeSessionDelta(context.config, params.delta).changed.length === 0,
  canApplyInPlace: ({ context }, params: { delta: SessionDelta }) =>
    canApplyInPlace(context.capabilities, mergeSessionDelta(context.config, params.delta).changed, context.hasProducedAudio),
  canRetryResumption: ({ context }) => (context.activeSwap?.attempts ?? 0) + 1 < context.options.maxResumeAttempts,
  /** The swap carries a change the application asked for: when it cannot be made, it is dropped and the old config restored. */
  restoresOnFailure: ({ context }) => context.activeSwap?.onFailure === 'restore',
  shouldReconnect: ({ context }, params: { expected: boolean | undefined }) => !params.expected && context.options.autoReconnect,
  isUsableHandle: (_, params: { handle: string; resumable: boolean }) => params.resumable && params.handle.length > 0,
  hasPendingGoAway: ({ context }) => context.queuedSwap?.why === 'goAway' || context.goAwayDeadline !== null,
  shouldAutoConnect: ({ context }) => context.options.autoConnect,
  isFirstAudioOfConnection: ({ context }) => !context.hasProducedAudio,
});
