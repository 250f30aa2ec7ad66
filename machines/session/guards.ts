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
import { toolDecisionRefusal, toolResultRefusal } from './refusals.js';
import { defineGuards } from './setup.js';
import type { SessionContext } from './types.js';

const USER_SPEAKING = '#realtimeSession.link.connected.floor.userSpeaking';
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
    not(stateIn('#realtimeSession.link.connected.backgroundCalls.running')),
    ({ context }: { context: SessionContext }) => !context.followUpOwed && context.requests.length === 0,
  ]),
  /** The user is speaking (the floor region): nothing that asks for a reply is sent over them. */
  isUserSpeaking: stateIn(USER_SPEAKING),
  /** A request waits, none is on the wire any more (one response at a time), and the user is not speaking: the next may go. */
  canSendNextRequest: and([
    not(stateIn(USER_SPEAKING)),
    ({ context }: { context: SessionContext }) =>
      context.requests.some((r) => r.status === 'queued') && !context.requests.some((r) => r.status === 'sent' || r.status === 'answering'),
  ]),
  /** A request is on the wire and the response that just ended did not answer it: its reply is still owed. */
  isReplyStillOwed: ({ context }, _params: { status: string }) => {
    const answered = answeredRequestIndex(context.requests);
    return context.requests.some((r, i) => r.status === 'sent' && i !== answered);
  },
  /**
   * While a response is active, a request that asks for a reply must wait for it: the provider
   * takes explicit response requests one at a time (`needsFollowUpResponse`, data from the
   * adapter's capabilities). A provider that answers by itself takes the message at once.
   */
  mustWaitForActiveResponse: ({ context }, params: { respond: boolean | undefined }) =>
    (params.respond ?? true) && context.capabilities.needsFollowUpResponse,
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
  /** The provider refused a request because a response was already running (the adapter's neutral code): it may go again once that is done. */
  isRefusedForActiveResponse: (_, params: { requestId: string; error: ErrorInfo }) => params.error.code === RESPONSE_ALREADY_ACTIVE,
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
