/**
 * `setup()` for the session chart: types, the model and tool actors (placeholders, swapped through
 * `.provide()`), and every named action, guard and delay the chart uses. The chart itself is in
 * `session.machine.ts`; nothing here decides *when* — only *what*.
 */
import { and, assign, emit, enqueueActions, fromCallback, raise, sendTo, setup, stateIn } from 'xstate';
import { AudioPlane } from '../adapters/audio-plane.js';
import type { AdapterInput, ConnectReason } from '../adapters/adapter.js';
import { canApplyInPlace } from '../adapters/adapter.js';
import type { ClientIntent, ModelEvent } from '../adapters/events.js';
import { resolveLogger } from '../logger.js';
import { mergeSessionDelta, type MutableField, type SessionConfig } from '../config.js';
import { toolCallMachine, type ToolOutcome } from '../tools/call.machine.js';
import { toolErrorOutput } from '../tools/outputs.js';
import type {
  DeferredIntent,
  PendingResumption,
  ResumptionInProgress,
  SessionContext,
  SessionEmitted,
  SessionEvent,
  SessionInput,
  SessionIntent,
  SessionOutput,
  SessionOptions,
  SessionParentEvent,
  ToolCallRecord,
  CallLedgerEntry,
} from './session.types.js';

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  autoExecuteTools: true,
  autoRespondTools: true,
  maxConcurrentTools: 4,
  toolTimeoutMs: 30_000,
  autoReconnect: true,
  maxResumeAttempts: 3,
  autoConnect: false,
};

const MAX_DEFERRED_INTENTS = 100;
const MAX_DEFERRED_UPDATES = 20;

type Of<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;
const as = <T extends SessionEvent['type']>(event: SessionEvent, _type: T) => event as Of<T>;

/** The config after an update event's delta, and which fields it changes. */
function mergedFor(context: SessionContext, event: SessionEvent) {
  return mergeSessionDelta(context.config, as(event, 'session.update').delta);
}

function copyFields(target: SessionConfig, source: SessionConfig, fields: readonly MutableField[]): SessionConfig {
  const next = { ...target } as Record<MutableField, unknown> & SessionConfig;
  for (const field of fields) (next as Record<MutableField, unknown>)[field] = source[field];
  return next;
}

function union(a: readonly MutableField[], b: readonly MutableField[]): MutableField[] {
  return [...new Set([...a, ...b])];
}

/** Placeholder adapter: fails every connection so a machine without a provided model says so. */
const missingModel = fromCallback<ClientIntent, AdapterInput>(({ sendBack }) => {
  sendBack({ type: 'model.connectFailed', error: { code: 'connection_failed', message: 'No model adapter was provided' } });
});

export const sessionSetup = setup({
  types: {
    input: {} as SessionInput,
    context: {} as SessionContext,
    events: {} as SessionEvent,
    emitted: {} as SessionEmitted,
    output: {} as SessionOutput,
    // `live`: the states in which the application's verbs are accepted (connected, or replacing the connection).
    tags: {} as 'live',
  },
  actors: {
    model: missingModel,
    tool: toolCallMachine,
  },
  delays: {
    /** How long a requested response may take to start before the turn is considered idle again. */
    responseStartTimeout: 15_000,
    resumeBackoff: ({ context }) => Math.min(2_000, 200 * 2 ** Math.max(0, (context.resuming?.attempts ?? 1) - 1)),
    /** Resume this long after goAway: before the cut, with a margin for the reconnect. */
    goAwayForce: ({ context }) => {
      const timeLeft = context.goAwayDeadline ?? 0;
      return Math.max(0, timeLeft - Math.min(2_000, timeLeft * 0.25));
    },
    closeTimeout: 2_000,
  },
  guards: {
    isTurnIdle: and([stateIn('#realtimeSession.link.connected.turn.idle'), ({ context }: { context: SessionContext }) => !context.followUpOwed]),
    isFollowUpOwed: ({ context }) => context.followUpOwed,
    asksForResponse: ({ event }) => as(event, 'session.sendText').respond ?? true,
    hasOutstandingToolCalls: ({ context }) => Object.keys(context.toolCalls).length > 0,
    hasNoOutstandingToolCalls: ({ context }) => Object.keys(context.toolCalls).length === 0,
    /** Approvals go to a tool actor that exists: an unknown or settled call id is reported, not sent. */
    isToolActorCall: ({ context, event }) =>
      toolDecisionRefusal(context, (event as Of<'session.approveTool'> | Of<'session.rejectTool'>).callId) === undefined,
    canAcceptToolResult: ({ context, event }) => toolResultRefusal(context, as(event, 'session.toolResult').callId) === undefined,
    isNoOpUpdate: ({ context, event }) => mergedFor(context, event).changed.length === 0,
    canApplyInPlace: ({ context, event }) =>
      canApplyInPlace(context.capabilities, mergedFor(context, event).changed, context.hasProducedAudio),
    canRetryResumption: ({ context }) => (context.resuming?.attempts ?? 0) + 1 < context.options.maxResumeAttempts,
    isMutationResumption: ({ context }) => context.resuming?.kind === 'mutation',
    shouldReconnect: ({ context, event }) => !as(event, 'model.closed').expected && context.options.autoReconnect,
    isUsableHandle: ({ event }) => {
      const e = as(event, 'model.resumptionHandle');
      return e.resumable && e.handle.length > 0;
    },
    hasPendingGoAway: ({ context }) => context.pending?.reason === 'goAway' || context.goAwayDeadline !== null,
    shouldAutoConnect: ({ context }) => context.options.autoConnect,
    isFirstAudioOfConnection: ({ context }) => !context.hasProducedAudio,
  },
  actions: {
    /**
     * When a parent machine invoked or spawned this session, every event the session emits is also
     * sent to the parent as `voxstate.<type>` with the session's id, so the parent handles turn ends,
     * tool results, resumptions, errors and close in its own transitions.
     */
    notifyParentOfEvents: ({ self }) => {
      const parent = self._parent;
      if (!parent) return;
      self.on('*', (event) => {
        const parentEvent = toParentEvent(event as SessionEmitted, self.id);
        if (event.type !== 'closed') return parent.send(parentEvent);
        // `closed` is emitted while the session enters its final state, before XState sends the
        // parent `xstate.done.actor.<id>`. Delivered then, a parent that goes final on
        // `voxstate.closed` would be stopped before that done event arrives ("event sent to
        // stopped actor"). So it goes once this step is over, to a parent still running.
        queueMicrotask(() => {
          if (parent.getSnapshot().status === 'active') parent.send(parentEvent);
        });
      });
    },
    // ── connection lifecycle ──
    prepareInitialConnection: assign({ connectReason: 'initial' as ConnectReason, lastError: null, closeInfo: null }),
    openConnection: assign({
      connectionId: ({ context }) => context.connectionId + 1,
      hasProducedAudio: false,
      providerSessionId: undefined,
      // Results owed to the old connection can never be sent on the new one.
      unsentToolResults: {},
    }),
    markConnected: assign(({ context, event }) => ({
      liveConfig: context.config,
      providerSessionId: as(event, 'model.connected').providerSessionId,
      lastError: null,
    })),
    emitConnected: emit(({ context }) => ({
      type: 'connected' as const,
      connectionId: context.connectionId,
      providerSessionId: context.providerSessionId,
    })),
    storeConnectionError: assign({
      lastError: ({ event }) =>
        event.type === 'model.connectFailed'
          ? event.error
          : event.type === 'model.closed'
            ? { code: 'connection_closed', message: `Connection closed (${event.code ?? 'no code'}): ${event.reason || 'no reason'}` }
            : { code: 'connection_failed', message: 'Connection failed' },
    }),
    emitLastError: emit(({ context }) => ({
      type: 'error' as const,
      error: context.lastError ?? { code: 'connection_failed', message: 'Connection failed' },
    })),
    holdUserAudio: ({ context }) => context.audio.hold(),
    releaseUserAudio: ({ context }) => context.audio.release(),
    discardUserAudio: ({ context }) => context.audio.discard(),
    requestClose: sendTo('model', { type: 'client.close' } satisfies ClientIntent),
    storeCloseInfo: assign({
      closeInfo: ({ event, context }) =>
        event.type === 'model.closed' ? { code: event.code, reason: event.reason } : (context.closeInfo ?? { code: undefined, reason: 'closed' }),
    }),
    emitClosed: emit(({ context }) => ({
      type: 'closed' as const,
      code: context.closeInfo?.code,
      reason: context.closeInfo?.reason ?? 'closed',
    })),

    // ── forwarding application intents to the adapter ──
    forwardText: sendTo('model', ({ event }): ClientIntent => {
      const e = as(event, 'session.sendText');
      return { type: 'client.text', text: e.text, role: 'user', respond: e.respond ?? true };
    }),
    forwardCommitAudio: sendTo('model', { type: 'client.commitAudio' } satisfies ClientIntent),
    forwardClearAudio: sendTo('model', { type: 'client.clearAudio' } satisfies ClientIntent),
    forwardCreateResponse: sendTo('model', { type: 'client.createResponse' } satisfies ClientIntent),
    forwardInterrupt: sendTo('model', ({ event }): ClientIntent => {
      const playedMs = as(event, 'session.interrupt').playedMs;
      return playedMs === undefined ? { type: 'client.interrupt' } : { type: 'client.interrupt', playedMs };
    }),
    /** Embedding path for audio; the facade writes to the audio plane directly (and refuses odd lengths itself). */
    forwardAudio: enqueueActions(({ context, event, enqueue }) => {
      const e = as(event, 'session.sendAudio');
      const refusal = pcmRefusal(e.audio);
      if (refusal) enqueue.emit({ type: 'error', error: { code: 'invalid_audio', message: refusal } });
      else context.audio.sendUserAudio(e.audio, e.sampleRate ?? 24_000);
    }),
    deferIntent: assign({
      deferredIntents: ({ context, event }) => {
        if (context.deferredIntents.length >= MAX_DEFERRED_INTENTS) return context.deferredIntents;
        return [...context.deferredIntents, event as DeferredIntent];
      },
    }),

    deferUpdate: enqueueActions(({ context, event, enqueue }) => {
      const update = as(event, 'session.update');
      if (context.deferredUpdates.length >= MAX_DEFERRED_UPDATES) {
        enqueue.emit({
          type: 'update_failed',
          requestId: update.requestId,
          error: { code: 'resumption_failed', message: `More than ${MAX_DEFERRED_UPDATES} updates while the connection was being replaced` },
        });
        return;
      }
      enqueue.assign({ deferredUpdates: [...context.deferredUpdates, update] });
    }),
    reportRefusedToolResult: emit(({ context, event }) => ({
      type: 'error' as const,
      error: { code: 'tool_error', message: toolResultRefusal(context, as(event, 'session.toolResult').callId) ?? 'Tool result refused' },
    })),
    reportUnknownToolCall: emit(({ context, event }) => ({
      type: 'error' as const,
      error: {
        code: 'tool_error',
        message: toolDecisionRefusal(context, (event as Of<'session.approveTool'> | Of<'session.rejectTool'>).callId) ?? 'Tool decision refused',
      },
    })),

    // ── model facts → emitted events ──
    emitResponseCreated: emit(({ event }) => ({ type: 'response_created' as const, responseId: as(event, 'model.responseCreated').responseId })),
    emitResponseDone: emit(({ event }) => {
      const e = as(event, 'model.responseDone');
      return {
        type: 'response_done' as const,
        responseId: e.responseId,
        status: e.status,
        reason: e.reason,
        ...(e.statusDetails ? { statusDetails: e.statusDetails } : {}),
      };
    }),
    emitSpeechStarted: emit(({ event }) => {
      const e = as(event, 'model.speechStarted');
      return { type: 'speech_started' as const, audioStartMs: e.audioStartMs, itemId: e.itemId };
    }),
    emitSpeechStopped: emit(({ event }) => {
      const e = as(event, 'model.speechStopped');
      return { type: 'speech_stopped' as const, audioEndMs: e.audioEndMs, itemId: e.itemId };
    }),
    emitInterrupted: emit(({ event }) => ({ type: 'interrupted' as const, source: as(event, 'model.interrupted').source })),
    emitUsage: emit(({ event }) => {
      const e = as(event, 'model.usage');
      return { type: 'usage' as const, inputTokens: e.inputTokens, outputTokens: e.outputTokens, totalTokens: e.totalTokens };
    }),
    emitModelError: emit(({ event }) => ({ type: 'error' as const, error: as(event, 'model.error').error })),
    markAudioProduced: assign({ hasProducedAudio: true }),
    storeResumptionHandle: assign({ resumptionHandle: ({ event }) => as(event, 'model.resumptionHandle').handle }),
    /**
     * The provider refused a setup that carried the handle (expired, or unknown to it): the next
     * attempt starts a fresh provider session instead of failing the same way every time. The
     * conversation's server-side context is lost then, which `session_resumed.restored: false` says.
     */
    forgetRefusedHandle: assign({
      resumptionHandle: ({ context, event }) =>
        event.type === 'model.connectFailed' && event.error.code === 'resumption_rejected' ? undefined : context.resumptionHandle,
    }),

    // ── tool calls ──
    admitToolCall: enqueueActions(({ context, event, enqueue }) => {
      const call = as(event, 'model.functionCall');
      // A call id runs at most once per session, whenever a repeated frame arrives.
      const known = context.callLedger.find((entry) => entry.callId === call.callId);
      if (context.toolCalls[call.callId] || known?.answeredOn === context.connectionId) {
        // Outstanding, or answered on this very connection: the provider has (or will get) its answer.
        enqueue.emit({
          type: 'error',
          error: { code: 'invalid_frame', message: `Duplicate function call id ${call.callId} ignored: this session already received that call` },
        });
        return;
      }
      if (known) {
        // The provider asks again on a newer connection (it lost the answer with the old one): it
        // gets the answer the call settled with, without running the tool again.
        const output = known.settled ? known.output : toolErrorOutput('tool_error', 'This call was already received in this session and does not run twice');
        context.logger.info({ callId: call.callId, name: known.name }, 'tool call repeated on a new connection: answered with its recorded output');
        enqueue.sendTo('model', { type: 'client.toolOutput', callId: call.callId, name: known.name, output });
        enqueue.assign({
          callLedger: recordCall(context.callLedger, { ...known, output, settled: true, answeredOn: context.connectionId }),
          followUpOwed: context.followUpOwed || context.capabilities.needsFollowUpResponse,
        });
        return;
      }
      const runner: ToolCallRecord['runner'] = context.options.autoExecuteTools ? 'actor' : 'application';
      const record: ToolCallRecord = { callId: call.callId, name: call.name, connectionId: context.connectionId, runner };
      enqueue.assign({
        toolCalls: { ...context.toolCalls, [call.callId]: record },
        callLedger: recordCall(context.callLedger, { callId: call.callId, name: call.name, settled: false }),
      });
      enqueue.emit({ type: 'tool_call', callId: call.callId, name: call.name, arguments: call.arguments });
      if (runner === 'actor') {
        enqueue.spawnChild('tool', {
          id: toolActorId(call.callId),
          input: {
            callId: call.callId,
            name: call.name,
            arguments: call.arguments,
            defaultTimeoutMs: context.options.toolTimeoutMs,
            // What the live connection was told, plus what an update is about to tell it.
            offeredTools: [...new Set([...context.liveConfig.tools, ...context.config.tools].map((t) => t.name))],
          },
        });
      }
    }),
    grantToolSlot: enqueueActions(({ context, event, enqueue }) => {
      const { callId } = as(event, 'tool.ready');
      if (context.runningTools.length < Math.max(1, context.options.maxConcurrentTools)) {
        enqueue.assign({ runningTools: [...context.runningTools, callId] });
        enqueue.sendTo(toolActorId(callId), { type: 'tool.start' });
      } else {
        enqueue.assign({ toolQueue: [...context.toolQueue, callId] });
      }
    }),
    emitApprovalRequest: emit(({ event }) => {
      const e = as(event, 'tool.approvalRequested');
      return { type: 'tool_approval_requested' as const, callId: e.callId, name: e.name, args: e.args };
    }),
    forwardApproval: sendTo(
      ({ event }) => toolActorId(as(event, 'session.approveTool').callId),
      { type: 'tool.approve' },
    ),
    forwardRejection: sendTo(
      ({ event }) => toolActorId(as(event, 'session.rejectTool').callId),
      ({ event }) => {
        const reason = as(event, 'session.rejectTool').reason;
        return reason === undefined ? { type: 'tool.reject' as const } : { type: 'tool.reject' as const, reason };
      },
    ),
    settleToolCall: enqueueActions(({ context, event, enqueue }) => {
      const done = event as Of<`xstate.done.actor.tool.${string}`>;
      const outcome: ToolOutcome = done.output;
      enqueue.stopChild(done.actorId);
      const record = context.toolCalls[outcome.callId];
      const deliver =
        record !== undefined &&
        !outcome.silent &&
        context.options.autoRespondTools &&
        record.connectionId === context.connectionId;
      if (deliver) {
        enqueue.sendTo('model', { type: 'client.toolOutput', callId: outcome.callId, name: outcome.name, output: outcome.output });
      }
      const { [outcome.callId]: _settled, ...toolCalls } = context.toolCalls;
      let running = context.runningTools.filter((id) => id !== outcome.callId);
      const queue = context.toolQueue.filter((id) => id !== outcome.callId);
      // Free the slot for the next waiting call, in arrival order.
      while (queue.length > 0 && running.length < Math.max(1, context.options.maxConcurrentTools)) {
        const next = queue.shift()!;
        running = [...running, next];
        enqueue.sendTo(toolActorId(next), { type: 'tool.start' });
      }
      // Not sent because autoRespondTools is off: the application may still send it, once, on this connection.
      const unsent =
        record !== undefined && !outcome.silent && !context.options.autoRespondTools && record.connectionId === context.connectionId;
      enqueue.assign({
        toolCalls,
        runningTools: running,
        toolQueue: queue,
        followUpOwed: context.followUpOwed || (deliver && context.capabilities.needsFollowUpResponse),
        ...(unsent ? { unsentToolResults: rememberUnsent(context.unsentToolResults, record) } : {}),
        callLedger: settleInLedger(context.callLedger, outcome.callId, outcome.output, deliver ? context.connectionId : undefined),
      });
      enqueue.emit({
        type: 'tool_result',
        callId: outcome.callId,
        name: outcome.name,
        status: outcome.status,
        output: outcome.output,
        delivered: deliver,
        durationMs: outcome.durationMs,
      });
    }),
    /** Guarded by `canAcceptToolResult`: the call is the application's to answer, on this connection, once. */
    deliverApplicationToolResult: enqueueActions(({ context, event, enqueue }) => {
      const { callId, output } = as(event, 'session.toolResult');
      const { [callId]: outstanding, ...toolCalls } = context.toolCalls;
      const { [callId]: unsent, ...unsentToolResults } = context.unsentToolResults;
      const name = outstanding?.name ?? unsent?.name ?? '';
      enqueue.sendTo('model', { type: 'client.toolOutput', callId, name, output });
      enqueue.assign({
        toolCalls,
        unsentToolResults,
        followUpOwed: context.followUpOwed || context.capabilities.needsFollowUpResponse,
        callLedger: settleInLedger(context.callLedger, callId, output, context.connectionId),
      });
      enqueue.emit({ type: 'tool_result', callId, name, status: 'succeeded', output, delivered: true, durationMs: 0 });
    }),
    interruptToolCalls: enqueueActions(({ context, enqueue }) => {
      for (const record of Object.values(context.toolCalls)) {
        if (record.runner === 'actor') enqueue.sendTo(toolActorId(record.callId), { type: 'tool.interrupt' });
      }
    }),
    cancelProviderToolCalls: enqueueActions(({ context, event, enqueue }) => {
      const { callIds } = as(event, 'model.toolCallCancelled');
      let toolCalls = context.toolCalls;
      let callLedger = context.callLedger;
      // A held-back result for a withdrawn call can no longer be sent either.
      const unsentToolResults = Object.fromEntries(Object.entries(context.unsentToolResults).filter(([id]) => !callIds.includes(id)));
      for (const callId of callIds) {
        const record = toolCalls[callId];
        if (!record) continue;
        if (record.runner === 'actor') {
          enqueue.sendTo(toolActorId(callId), { type: 'tool.cancel', reason: 'the provider cancelled the call', silent: true });
        } else {
          const { [callId]: _cancelled, ...rest } = toolCalls;
          toolCalls = rest;
          const output = toolErrorOutput('cancelled', 'Cancelled: the provider cancelled the call');
          callLedger = settleInLedger(callLedger, callId, output, undefined);
          enqueue.emit({ type: 'tool_result', callId, name: record.name, status: 'cancelled', output, delivered: false, durationMs: 0 });
        }
      }
      enqueue.assign({ toolCalls, unsentToolResults, callLedger });
    }),
    /** The connection is going away: answer what can still be answered on it, abort everything. */
    abandonToolCalls: enqueueActions(({ context, enqueue }, params: { deliver: boolean }) => {
      let callLedger = context.callLedger;
      for (const record of Object.values(context.toolCalls)) {
        const output = toolErrorOutput('cancelled', 'Cancelled: the connection is being replaced');
        const deliver = params.deliver && context.options.autoRespondTools && record.connectionId === context.connectionId;
        if (record.runner === 'actor') enqueue.stopChild(toolActorId(record.callId));
        if (deliver) enqueue.sendTo('model', { type: 'client.toolOutput', callId: record.callId, name: record.name, output });
        callLedger = settleInLedger(callLedger, record.callId, output, deliver ? context.connectionId : undefined);
        enqueue.emit({ type: 'tool_result', callId: record.callId, name: record.name, status: 'cancelled', output, delivered: deliver, durationMs: 0 });
      }
      enqueue.assign({ toolCalls: {}, runningTools: [], toolQueue: [], followUpOwed: false, callLedger });
    }),
    requestFollowUpResponse: enqueueActions(({ enqueue }) => {
      enqueue.sendTo('model', { type: 'client.createResponse' } satisfies ClientIntent);
      enqueue.assign({ followUpOwed: false });
    }),

    // ── context mutation ──
    acknowledgeNoOpUpdate: enqueueActions(({ context, event, enqueue, check }) => {
      const e = as(event, 'session.update');
      enqueue.emit({ type: 'session_updated', requestId: e.requestId, outcome: 'applied', changed: [] });
      if (e.bridgeMessage) sendBridge(context, enqueue, check, e.bridgeMessage);
    }),
    applyUpdateInPlace: enqueueActions(({ context, event, enqueue }) => {
      const e = as(event, 'session.update');
      const { config, changed } = mergedFor(context, event);
      enqueue.assign({
        config,
        inFlightUpdates: { ...context.inFlightUpdates, [e.requestId]: { changed, bridgeMessage: e.bridgeMessage } },
      });
      enqueue.sendTo('model', { type: 'client.updateConfig', requestId: e.requestId, config, changed } satisfies ClientIntent);
    }),
    confirmUpdate: enqueueActions(({ context, event, enqueue, check }) => {
      const { requestId } = as(event, 'model.configApplied');
      const update = context.inFlightUpdates[requestId];
      if (!update) return;
      const { [requestId]: _done, ...inFlightUpdates } = context.inFlightUpdates;
      enqueue.assign({ inFlightUpdates, liveConfig: copyFields(context.liveConfig, context.config, update.changed) });
      enqueue.emit({ type: 'session_updated', requestId, outcome: 'applied', changed: update.changed });
      if (update.bridgeMessage) sendBridge(context, enqueue, check, update.bridgeMessage);
    }),
    revertUpdate: enqueueActions(({ context, event, enqueue }) => {
      const { requestId, error } = as(event, 'model.configRejected');
      const update = context.inFlightUpdates[requestId];
      if (!update) return;
      const { [requestId]: _done, ...inFlightUpdates } = context.inFlightUpdates;
      enqueue.assign({ inFlightUpdates, config: copyFields(context.config, context.liveConfig, update.changed) });
      enqueue.emit({ type: 'update_failed', requestId, error: { ...error, code: 'update_rejected' } });
    }),
    startResumptionNow: enqueueActions(({ context, event, enqueue }) => {
      const e = as(event, 'session.update');
      const { config, changed } = mergedFor(context, event);
      enqueue.assign({
        config,
        connectReason: 'mutation',
        ...withInFlightUpdates(context, { kind: 'mutation', reason: 'mutation', bridgeMessage: e.bridgeMessage, requestIds: [e.requestId], changed, attempts: 0 }),
      });
      enqueue.raise({ type: 'link.restart' });
    }),
    queueResumption: enqueueActions(({ context, event, enqueue }) => {
      const e = as(event, 'session.update');
      const { config, changed } = mergedFor(context, event);
      const previous = context.pending;
      const pending: PendingResumption = {
        reason: 'mutation',
        // One slot, last write wins: the latest bridge message replaces an earlier one.
        bridgeMessage: e.bridgeMessage ?? undefined,
        // Every queued request settles with the resumption that applies it: a second
        // `session_updated` (outcome 'resumed') or `update_failed`, with its own request id.
        requestIds: [...(previous?.requestIds ?? []), e.requestId],
        changed: union(previous?.changed ?? [], changed),
      };
      enqueue.assign({ config, pending });
      enqueue.emit({ type: 'resumption_queued', reason: 'mutation', changed: pending.changed });
      enqueue.emit({ type: 'session_updated', requestId: e.requestId, outcome: 'queued', changed });
    }),
    queueGoAwayResumption: enqueueActions(({ context, event, enqueue }) => {
      const { timeLeftMs } = as(event, 'model.goAway');
      const pending: PendingResumption = context.pending ?? { reason: 'goAway', bridgeMessage: undefined, requestIds: [], changed: [] };
      enqueue.assign({ pending, goAwayDeadline: timeLeftMs });
      enqueue.emit({ type: 'go_away', timeLeftMs });
    }),
    beginPendingResumption: enqueueActions(({ context, enqueue }) => {
      const pending = context.pending;
      if (!pending) return;
      enqueue.assign({
        pending: null,
        goAwayDeadline: null,
        connectReason: pending.reason === 'goAway' ? 'reconnect' : 'mutation',
        ...withInFlightUpdates(context, { ...pending, kind: pending.reason, attempts: 0 }),
      });
      enqueue.raise({ type: 'link.restart' });
    }),
    prepareReconnect: enqueueActions(({ context, enqueue }) => {
      const pending = context.pending;
      enqueue.assign({
        pending: null,
        goAwayDeadline: null,
        connectReason: 'reconnect',
        ...withInFlightUpdates(context, {
          kind: pending?.reason === 'mutation' ? 'mutation' : 'reconnect',
          reason: pending?.reason ?? 'mutation',
          bridgeMessage: pending?.bridgeMessage,
          requestIds: pending?.requestIds ?? [],
          changed: pending?.changed ?? [],
          attempts: 0,
        }),
      });
      enqueue.raise({ type: 'link.restart' });
    }),
    countFailedAttempt: assign({
      resuming: ({ context }) => (context.resuming ? { ...context.resuming, attempts: context.resuming.attempts + 1 } : null),
    }),
    completeResumption: enqueueActions(({ context, event, enqueue }) => {
      const resuming = context.resuming;
      const restored = as(event, 'model.connected').restored;
      enqueue.emit({ type: 'session_resumed', reason: context.connectReason, connectionId: context.connectionId, restored });
      for (const requestId of resuming?.requestIds ?? []) {
        enqueue.emit({ type: 'session_updated', requestId, outcome: 'resumed', changed: resuming?.changed ?? [] });
      }
      // Everything is handled by the new connection's own transitions, in the order it was asked
      // for: the bridge (the turn is idle, so it asks for the answer at once and the turn becomes
      // busy), then what the application sent during the swap, then updates requested meanwhile
      // (which therefore queue behind the reply instead of replacing the connection again).
      if (resuming?.bridgeMessage) enqueue.raise({ type: 'session.sendText', text: resuming.bridgeMessage, respond: true });
      for (const intent of context.deferredIntents) enqueue.raise(intent);
      for (const update of context.deferredUpdates) enqueue.raise(update);
      enqueue.assign({ resuming: null, deferredIntents: [], deferredUpdates: [] });
    }),
    /** Every attempt failed: drop the mutation (revert to what the provider last ran) and say so. */
    dropMutation: enqueueActions(({ context, enqueue }) => {
      const resuming = context.resuming;
      const error = context.lastError ?? { code: 'resumption_failed', message: 'Resumption failed' };
      const attempts = (resuming?.attempts ?? 0) + 1;
      const failure = { code: 'resumption_failed', message: `Resumption failed after ${attempts} attempts: ${error.message}` };
      enqueue.emit({ type: 'resumption_failed', error: failure, attempts });
      for (const requestId of resuming?.requestIds ?? []) enqueue.emit({ type: 'update_failed', requestId, error: failure });
      enqueue.assign({
        config: context.liveConfig,
        connectReason: 'restore',
        resuming: { kind: 'restore', reason: 'mutation', bridgeMessage: undefined, requestIds: [], changed: [], attempts: 0 },
      });
    }),
    failResumption: enqueueActions(({ context, enqueue }) => {
      const resuming = context.resuming;
      const error = context.lastError ?? { code: 'resumption_failed', message: 'Resumption failed' };
      const attempts = (resuming?.attempts ?? 0) + 1;
      const failure = { code: 'resumption_failed', message: `Could not reconnect after ${attempts} attempts: ${error.message}` };
      enqueue.emit({ type: 'resumption_failed', error: failure, attempts });
      // Updates waiting for the swap, and the swap's own, fail with it: there is no connection to apply them on.
      const requestIds = [...(resuming?.requestIds ?? []), ...context.deferredUpdates.map((u) => u.requestId)];
      for (const requestId of requestIds) enqueue.emit({ type: 'update_failed', requestId, error: failure });
      enqueue.assign({ resuming: null, lastError: failure, config: context.liveConfig, deferredUpdates: [], deferredIntents: [] });
    }),
  },
});

/**
 * Bridge message on a live connection: a user text that re-anchors the model after a change. It
 * asks for a response at once when the turn is idle (or the provider takes turns by itself);
 * otherwise the response is owed until the turn ends. Raised as the application's own text so
 * the turn region treats it the same way (an idle turn becomes busy).
 */
function sendBridge(
  context: SessionContext,
  enqueue: { raise: (...args: any[]) => void; assign: (...args: any[]) => void },
  check: (guard: any) => boolean,
  text: string,
): void {
  const idle = check(stateIn('#realtimeSession.link.connected.turn.idle'));
  const respondNow = idle || !context.capabilities.needsFollowUpResponse;
  enqueue.raise({ type: 'session.sendText', text, respond: respondNow });
  if (!respondNow) enqueue.assign({ followUpOwed: true });
}

/**
 * In-place updates still waiting for the old connection's confirmation ride along with the
 * resumption that replaces it: the new connection opens with the canonical config, which already
 * holds them, so they settle with it ('resumed', or failed if it fails). Their bridge message is
 * kept when the resumption has none of its own.
 */
function withInFlightUpdates(
  context: SessionContext,
  resuming: ResumptionInProgress,
): { resuming: ResumptionInProgress; inFlightUpdates: SessionContext['inFlightUpdates'] } {
  const inFlight = Object.entries(context.inFlightUpdates);
  if (inFlight.length === 0) return { resuming, inFlightUpdates: context.inFlightUpdates };
  const bridge = inFlight.map(([, u]) => u.bridgeMessage).filter((b) => b !== undefined).at(-1);
  return {
    inFlightUpdates: {},
    resuming: {
      ...resuming,
      requestIds: [...inFlight.map(([id]) => id), ...resuming.requestIds],
      changed: union(inFlight.flatMap(([, u]) => u.changed), resuming.changed),
      bridgeMessage: resuming.bridgeMessage ?? bridge,
    },
  };
}

/**
 * How many calls the ledger keeps (with their outputs); the oldest go first. A provider repeats a
 * call frame within moments (a retransmission, a resumed connection asking again), not hundreds
 * of calls later; outstanding calls are refused regardless, through `toolCalls`.
 */
export const MAX_CALL_LEDGER = 256;

/** The ledger with `entry` replacing the one with its id (keeping its place), or appended. */
function recordCall(ledger: readonly CallLedgerEntry[], entry: CallLedgerEntry): CallLedgerEntry[] {
  const at = ledger.findIndex((e) => e.callId === entry.callId);
  if (at >= 0) return ledger.map((e, i) => (i === at ? entry : e));
  const kept = ledger.length >= MAX_CALL_LEDGER ? ledger.slice(ledger.length - MAX_CALL_LEDGER + 1) : ledger;
  return [...kept, entry];
}

/** Records what a call settled with and where that answer went (`answeredOn`: undefined when never sent). */
function settleInLedger(ledger: readonly CallLedgerEntry[], callId: string, output: unknown, answeredOn: number | undefined): CallLedgerEntry[] {
  const entry = ledger.find((e) => e.callId === callId);
  if (!entry) return [...ledger];
  return recordCall(ledger, { ...entry, output, settled: true, ...(answeredOn === undefined ? {} : { answeredOn }) });
}

/** How many settled-but-unsent results (autoRespondTools off) stay answerable; the oldest go first. */
const MAX_UNSENT_TOOL_RESULTS = 64;

function rememberUnsent(unsent: SessionContext['unsentToolResults'], record: ToolCallRecord): SessionContext['unsentToolResults'] {
  const entries = Object.entries(unsent);
  if (entries.length >= MAX_UNSENT_TOOL_RESULTS) entries.splice(0, entries.length - MAX_UNSENT_TOOL_RESULTS + 1);
  return Object.fromEntries([...entries, [record.callId, { name: record.name, connectionId: record.connectionId }]]);
}

/**
 * Why the application may not answer `callId` now, or `undefined` when it may: a result goes only
 * to a call the application runs (or whose result it holds back), on the connection that issued it,
 * once. Anything else would reach a provider that never asked, or answer a call twice.
 */
export function toolResultRefusal(context: SessionContext, callId: string): string | undefined {
  const outstanding = context.toolCalls[callId];
  if (outstanding) {
    if (outstanding.runner === 'application') return undefined;
    return `Tool call ${callId} is run by its tool actor; its result is sent when it finishes`;
  }
  if (context.unsentToolResults[callId]?.connectionId === context.connectionId) return undefined;
  return `No tool call ${callId} is waiting for a result on this connection (unknown, already answered, cancelled by the provider, or issued on a connection that has since been replaced)`;
}

/** Why `callId` cannot take an approval or rejection, or `undefined` when its tool actor can. */
export function toolDecisionRefusal(context: SessionContext, callId: string): string | undefined {
  if (context.toolCalls[callId]?.runner === 'actor') return undefined;
  return `No tool call ${callId} is waiting for a decision (unknown, already settled, or run by the application)`;
}

/**
 * Why a chunk of user audio is refused, or `undefined`. PCM16 samples are two bytes: an odd length
 * would shift every later sample by one byte on the provider's side (noise until the socket closes).
 */
export function pcmRefusal(pcm: ArrayBufferView): string | undefined {
  if (pcm.byteLength % 2 === 0) return undefined;
  return `User audio must be PCM16 (2 bytes a sample); got ${pcm.byteLength} bytes. Nothing was sent or buffered for this chunk.`;
}

/** The event a parent machine receives for one emitted session event. */
export function toParentEvent(event: SessionEmitted, sessionId: string): SessionParentEvent {
  return { ...event, type: `voxstate.${event.type}`, sessionId } as SessionParentEvent;
}

export function toolActorId(callId: string): `tool.${string}` {
  return `tool.${callId}`;
}

/** Builds the machine's initial context from its input. */
export function initialContext(input: SessionInput): SessionContext {
  return {
    provider: input.provider,
    model: input.model,
    config: input.config,
    liveConfig: input.config,
    capabilities: input.capabilities,
    options: { ...DEFAULT_SESSION_OPTIONS, ...input.options },
    audio: input.audio ?? new AudioPlane(),
    logger: input.logger ?? resolveLogger(undefined),
    connectionId: 0,
    connectReason: 'initial',
    resumptionHandle: undefined,
    providerSessionId: undefined,
    hasProducedAudio: false,
    followUpOwed: false,
    toolCalls: {},
    callLedger: [],
    runningTools: [],
    toolQueue: [],
    unsentToolResults: {},
    pending: null,
    resuming: null,
    inFlightUpdates: {},
    deferredIntents: [],
    deferredUpdates: [],
    goAwayDeadline: null,
    lastError: null,
    closeInfo: null,
  };
}

export type { ModelEvent };
