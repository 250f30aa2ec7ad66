/**
 * The chart's guards, each a question. Those that read an event's payload take it as typed
 * `params` from the transition.
 */
import { and, stateIn } from 'xstate';
import { canApplyInPlace } from '../../adapters/adapter.js';
import { mergeSessionDelta, type SessionDelta } from '../../config.js';
import { toolDecisionRefusal, toolResultRefusal } from './refusals.js';
import { defineGuards } from './setup.js';
import type { SessionContext } from './types.js';

export const sessionGuards = defineGuards({
  /** Nobody has the floor and no follow-up response is owed: the only moment a connection may be replaced. */
  isTurnIdle: and([stateIn('#realtimeSession.link.connected.turn.idle'), ({ context }: { context: SessionContext }) => !context.followUpOwed]),
  isFollowUpOwed: ({ context }) => context.followUpOwed,
  asksForResponse: (_, params: { respond: boolean | undefined }) => params.respond ?? true,
  hasOutstandingToolCalls: ({ context }) => Object.keys(context.toolCalls).length > 0,
  hasNoOutstandingToolCalls: ({ context }) => Object.keys(context.toolCalls).length === 0,
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
