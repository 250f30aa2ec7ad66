/**
 * Tool calls: admitting a call (once per call id, whatever the provider repeats), the concurrency
 * slots, approvals, settling a call's outcome, answers from the application, and calls abandoned
 * with their connection.
 */
import { emit, enqueueActions, sendTo, stateIn } from 'xstate';
import type { ClientIntent } from '../../../adapters/events.js';
import type { ToolOutcome } from '../../../tools/call.machine.js';
import { toolErrorOutput } from '../../../tools/outputs.js';
import { recordCall, rememberUnsent, settleInLedger, toolActorId } from '../call-ledger.js';
import { toolDecisionRefusal, toolResultRefusal } from '../refusals.js';
import { defineActions } from '../setup.js';
import { newEntry, withServerResponseOwed, withQueuedSessionMessage } from './requests.js';
import { toolOutputDelivery } from '../tool-output.js';
import type { RequestEntry, SessionContext, SessionEventOf, ToolCallRecord } from '../types.js';

const RESPONSE_ACTIVE = stateIn('#realtimeSession.link.connected.turn.generating');
const CONNECTED = stateIn('#realtimeSession.link.connected');

function toolResultEvent(outcome: ToolOutcome, delivered: boolean) {
  const { callId, name, status, output, durationMs } = outcome;
  return { type: 'tool_result' as const, callId, name, status, output, delivered, durationMs };
}

/** A call's output goes to the live connection: the one that issued it, or any for a background call. */
function answersHere(context: Pick<SessionContext, 'connectionId'>, record: ToolCallRecord): boolean {
  return record.connectionId === context.connectionId || record.behavior === 'background';
}

export const toolActions = defineActions({
  admitToolCall: enqueueActions(({ context, enqueue }, call: SessionEventOf<'model.functionCall'>) => {
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
    // The call's behavior comes from the tool as the live connection declared it (or as an update is about to).
    const spec = [...context.liveConfig.tools, ...context.config.tools].find((t) => t.name === call.name);
    const record: ToolCallRecord = {
      callId: call.callId,
      name: call.name,
      connectionId: context.connectionId,
      runner,
      behavior: spec?.behavior ?? 'blocking',
      scheduling: spec?.scheduling ?? 'whenIdle',
    };
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
          // The session's handlers (runtime.ts), unless `.provide()` gave the machine its own tool logic.
          ...(context.runtime?.tools ? { runtime: context.runtime.tools } : {}),
        },
      });
    }
  }),
  grantToolSlot: enqueueActions(({ context, enqueue }, { callId }: { callId: string }) => {
    if (context.runningTools.length < Math.max(1, context.options.maxConcurrentTools)) {
      enqueue.assign({ runningTools: [...context.runningTools, callId] });
      enqueue.sendTo(toolActorId(callId), { type: 'tool.start' });
    } else {
      enqueue.assign({ toolQueue: [...context.toolQueue, callId] });
    }
  }),
  emitApprovalRequest: emit((_, params: SessionEventOf<'tool.approvalRequested'>) => ({
    type: 'tool_approval_requested' as const,
    callId: params.callId,
    name: params.name,
    args: params.args,
  })),
  forwardApproval: sendTo((_, params: { callId: string }) => toolActorId(params.callId), { type: 'tool.approve' }),
  forwardRejection: sendTo(
    (_, params: { callId: string; reason: string | undefined }) => toolActorId(params.callId),
    (_, params: { callId: string; reason: string | undefined }) =>
      params.reason === undefined ? { type: 'tool.reject' as const } : { type: 'tool.reject' as const, reason: params.reason },
  ),
  reportUnknownToolCall: emit(({ context }, params: { callId: string }) => ({
    type: 'error' as const,
    error: { code: 'tool_error', message: toolDecisionRefusal(context, params.callId) ?? 'Tool decision refused' },
  })),
  settleToolCall: enqueueActions(({ context, enqueue, check }, params: { actorId: string; outcome: ToolOutcome }) => {
    const { outcome } = params;
    enqueue.stopChild(params.actorId);
    const record = context.toolCalls[outcome.callId];
    let running = context.runningTools.filter((id) => id !== outcome.callId);
    const queue = context.toolQueue.filter((id) => id !== outcome.callId);
    // Free the slot for the next waiting call, in arrival order.
    while (queue.length > 0 && running.length < Math.max(1, context.options.maxConcurrentTools)) {
      const next = queue.shift()!;
      running = [...running, next];
      enqueue.sendTo(toolActorId(next), { type: 'tool.start' });
    }
    const deliver = record !== undefined && !outcome.silent && context.options.autoRespondTools && answersHere(context, record);
    if (deliver && !check(CONNECTED as unknown as Parameters<typeof check>[0])) {
      // A background call that finished between two connections: its output waits for the next
      // one (`deliverHeldToolOutputs`), and the call stays outstanding until then.
      enqueue.assign({ toolCalls: { ...context.toolCalls, [outcome.callId]: { ...record, held: outcome } }, runningTools: running, toolQueue: queue });
      return;
    }
    let followUp = false;
    if (deliver) {
      const delivery = toolOutputDelivery(context, record, outcome.output, check(RESPONSE_ACTIVE as unknown as Parameters<typeof check>[0]));
      for (const intent of delivery.intents) enqueue.sendTo('model', intent);
      if (delivery.request !== undefined) enqueue.assign(withQueuedSessionMessage(context, delivery.request));
      if (delivery.owesResponse) enqueue.assign(withServerResponseOwed(context));
      followUp = delivery.followUp;
    }
    const { [outcome.callId]: _settled, ...toolCalls } = context.toolCalls;
    // Not sent because autoRespondTools is off: the application may still send it, once, on this connection.
    const unsent = record !== undefined && !outcome.silent && !context.options.autoRespondTools && answersHere(context, record);
    enqueue.assign({
      toolCalls,
      runningTools: running,
      toolQueue: queue,
      followUpOwed: context.followUpOwed || followUp,
      ...(unsent ? { unsentToolResults: rememberUnsent(context.unsentToolResults, record) } : {}),
      callLedger: settleInLedger(context.callLedger, outcome.callId, outcome.output, deliver ? context.connectionId : undefined),
    });
    enqueue.emit(toolResultEvent(outcome, deliver));
  }),
  /** A new connection is up: the background outputs that finished between connections go to it. */
  deliverHeldToolOutputs: enqueueActions(({ context, enqueue }) => {
    const toolCalls = { ...context.toolCalls };
    let callLedger = context.callLedger;
    let followUp = false;
    let queue: ReturnType<typeof withQueuedSessionMessage> = context;
    for (const record of Object.values(context.toolCalls)) {
      if (!record.held) continue;
      // No response is active on a connection that has just come up.
      const delivery = toolOutputDelivery(context, record, record.held.output, false);
      for (const intent of delivery.intents) enqueue.sendTo('model', intent);
      if (delivery.request !== undefined) queue = withQueuedSessionMessage({ ...queue, logger: context.logger }, delivery.request);
      if (delivery.owesResponse) queue = withServerResponseOwed(queue);
      followUp ||= delivery.followUp;
      delete toolCalls[record.callId];
      callLedger = settleInLedger(callLedger, record.callId, record.held.output, context.connectionId);
      enqueue.emit(toolResultEvent(record.held, true));
    }
    enqueue.assign({ toolCalls, callLedger, followUpOwed: context.followUpOwed || followUp, requests: queue.requests, requestSeq: queue.requestSeq });
  }),
  /** Guarded by `canAcceptToolResult`: the call is the application's to answer, on this connection, once. */
  deliverApplicationToolResult: enqueueActions(({ context, enqueue, check }, { callId, output }: SessionEventOf<'session.toolResult'>) => {
    const { [callId]: outstanding, ...toolCalls } = context.toolCalls;
    const { [callId]: unsent, ...unsentToolResults } = context.unsentToolResults;
    const name = outstanding?.name ?? unsent?.name ?? '';
    // The call's own behavior and scheduling (and the connection that issued it), as the tool declared them.
    const record = outstanding ?? (unsent ? { callId, ...unsent } : { callId, name, behavior: 'blocking' as const, scheduling: 'whenIdle' as const, connectionId: context.connectionId });
    const delivery = toolOutputDelivery(context, record, output, check(RESPONSE_ACTIVE as unknown as Parameters<typeof check>[0]));
    for (const intent of delivery.intents) enqueue.sendTo('model', intent);
    if (delivery.request !== undefined) enqueue.assign(withQueuedSessionMessage(context, delivery.request));
    if (delivery.owesResponse) enqueue.assign(withServerResponseOwed(context));
    enqueue.assign({
      toolCalls,
      unsentToolResults,
      followUpOwed: context.followUpOwed || delivery.followUp,
      callLedger: settleInLedger(context.callLedger, callId, output, context.connectionId),
    });
    enqueue.emit({ type: 'tool_result', callId, name, status: 'succeeded', output, delivered: true, durationMs: 0 });
  }),
  reportRefusedToolResult: emit(({ context }, params: { callId: string }) => ({
    type: 'error' as const,
    error: { code: 'tool_error', message: toolResultRefusal(context, params.callId) ?? 'Tool result refused' },
  })),
  interruptToolCalls: enqueueActions(({ context, enqueue }) => {
    for (const record of Object.values(context.toolCalls)) {
      if (record.runner === 'actor') enqueue.sendTo(toolActorId(record.callId), { type: 'tool.interrupt' });
    }
  }),
  cancelProviderToolCalls: enqueueActions(({ context, enqueue }, { callIds }: SessionEventOf<'model.toolCallCancelled'>) => {
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
  /**
   * The connection is going away: answer what can still be answered on it and abort the calls.
   * With `keepBackground` (a swap to a new connection), background calls keep running: their
   * outputs go to the next connection (machines/session/tool-output.ts).
   */
  abandonToolCalls: enqueueActions(({ context, enqueue }, params: { deliver: boolean; keepBackground: boolean }) => {
    let callLedger = context.callLedger;
    const kept = Object.values(context.toolCalls).filter((record) => params.keepBackground && record.behavior === 'background');
    for (const record of Object.values(context.toolCalls)) {
      if (kept.includes(record)) continue;
      const output = toolErrorOutput('cancelled', 'Cancelled: the connection is being replaced');
      const deliver = params.deliver && context.options.autoRespondTools && record.connectionId === context.connectionId;
      if (record.runner === 'actor') enqueue.stopChild(toolActorId(record.callId));
      if (deliver) enqueue.sendTo('model', { type: 'client.toolOutput', callId: record.callId, name: record.name, output });
      callLedger = settleInLedger(callLedger, record.callId, output, deliver ? context.connectionId : undefined);
      enqueue.emit({ type: 'tool_result', callId: record.callId, name: record.name, status: 'cancelled', output, delivered: deliver, durationMs: 0 });
    }
    const keptIds = kept.map((record) => record.callId);
    enqueue.assign({
      toolCalls: Object.fromEntries(kept.map((record) => [record.callId, record])),
      runningTools: context.runningTools.filter((id) => keptIds.includes(id)),
      toolQueue: context.toolQueue.filter((id) => keptIds.includes(id)),
      followUpOwed: false,
      callLedger,
    });
  }),
  /**
   * The follow-up after tool outputs is a request of the session's own (no caller): numbered like
   * any other, so the provider can name it back (its response, or a refusal), and on the wire
   * until its response starts.
   */
  requestFollowUpResponse: enqueueActions(({ context, enqueue }) => {
    const entry: RequestEntry = { ...newEntry(context.requestSeq, { requestId: undefined, text: undefined }, 'sent'), followUp: true };
    enqueue.sendTo('model', { type: 'client.createResponse', requestId: entry.wireId } satisfies ClientIntent);
    enqueue.assign({ followUpOwed: false, requests: [...context.requests, entry], requestSeq: context.requestSeq + 1 });
  }),
});
