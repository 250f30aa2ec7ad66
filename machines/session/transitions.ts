/**
 * Transition fragments the session chart uses in more than one place, or whose parameter plumbing
 * would hide the chart's shape: each is a plain transition (or list of them) with named guards and
 * actions, read where the chart names it. Nothing here runs by itself; `session.machine.ts` is still
 * where every transition is placed.
 */
import type { DeferredIntent, RequestEntry, SessionEventOf } from './types.js';

// While a replacement connection is being opened, intents wait for it and audio goes to the
// bounded hold buffer (forwardAudio decides), so nothing the application sends is lost.
const deferIntent = { type: 'deferIntent', params: ({ event }: { event: DeferredIntent }) => event } as const;
export const heldUntilReconnected = {
  'session.sendText': { actions: deferIntent },
  'session.commitAudio': { actions: deferIntent },
  'session.clearAudio': { actions: deferIntent },
  'session.createResponse': { actions: deferIntent },
  'session.sendAudio': { actions: { type: 'forwardAudio', params: ({ event }: { event: SessionEventOf<'session.sendAudio'> }) => event } },
  'session.update': { actions: { type: 'deferUpdate', params: ({ event }: { event: SessionEventOf<'session.update'> }) => event } },
} as const;

// A request that asks for a reply, as the request actions take it (a bare `createResponse` has no text).
export const textRequest = { type: 'sendRequest', params: ({ event }: { event: SessionEventOf<'session.sendText'> }) => ({ requestId: event.requestId, text: event.text }) } as const;
export const responseRequest = { type: 'sendRequest', params: ({ event }: { event: SessionEventOf<'session.createResponse'> }) => ({ requestId: event.requestId, text: undefined }) } as const;
export const respondParams = ({ event }: { event: SessionEventOf<'session.sendText'> }) => ({ respond: event.respond });
// With no response active (an idle turn, or tools running), a request goes on the wire at once and
// makes the turn busy, so a resumption cannot replace the connection before its reply starts.
// While the user has the floor it is queued instead, and goes out when the floor opens (`canSendNextRequest`).
export const requestsSentAtOnce = {
  'session.createResponse': [
    { guard: 'userHasFloor', actions: { type: 'queueRequest', params: ({ event }: { event: SessionEventOf<'session.createResponse'> }) => ({ requestId: event.requestId, text: undefined }) } },
    { target: 'generating.requested', actions: responseRequest },
  ],
  'session.sendText': [
    // A text that asks for nothing is no request: it goes on the wire at once.
    { guard: { type: 'asksNoResponse', params: respondParams }, actions: { type: 'forwardText', params: ({ event }: { event: SessionEventOf<'session.sendText'> }) => event } },
    { guard: 'userHasFloor', actions: { type: 'queueRequest', params: ({ event }: { event: SessionEventOf<'session.sendText'> }) => ({ requestId: event.requestId, text: event.text }) } },
    { target: 'generating.requested', actions: textRequest },
  ],
} as const;
// A response started: it answers the request it names (OpenAI), or else the oldest request on the wire.
export const responseStarted = [
  'clearResponseInterrupted',
  { type: 'emitResponseCreated', params: ({ event }: { event: SessionEventOf<'model.responseCreated'> }) => event },
  { type: 'startAnsweringRequest', params: ({ event }: { event: SessionEventOf<'model.responseCreated'> }) => ({ requestId: event.requestId }) },
] as const;
// The provider refused a request for a response: with one already running it goes back to the head
// of the queue (sent again once that is done; at most MAX_REQUEST_REFUSALS times), or, for the
// follow-up after tool outputs, is dropped (the running response reads the outputs); for any other
// reason it fails at once.
const refusedParams = ({ event }: { event: SessionEventOf<'model.requestRefused'> }) => ({ requestId: event.requestId, error: event.error });
export const dropRefusedFollowUp = {
  guard: { type: 'isFollowUpRefusedForActiveResponse', params: refusedParams },
  actions: { type: 'dropRefusedRequest', params: refusedParams },
} as const;
export const requeueRefused = {
  guard: { type: 'mayRequeueRefused', params: refusedParams },
  actions: { type: 'requeueRefusedRequest', params: refusedParams },
} as const;
export const failRefused = { type: 'failRefusedRequest', params: refusedParams } as const;
export const speechStarted = { type: 'emitSpeechStarted', params: ({ event }: { event: SessionEventOf<'model.speechStarted'> }) => event } as const;
/** Server VAD heard the user while the last answer still plays (after its `response.done`): what was not heard is cut; nothing to cancel. */
export const bargeInOverPlayback = [
  speechStarted,
  { type: 'emitInterrupted', params: { source: 'user' } },
  { type: 'truncateHeardAudio', params: { playedMs: undefined, responseActive: false } },
] as const;
export const speechStopped = { type: 'emitSpeechStopped', params: ({ event }: { event: SessionEventOf<'model.speechStopped'> }) => event } as const;
// The user stopped speaking: when the server answers their turn by itself, the floor stays theirs
// until that response starts (floor.userTurnCommitted); otherwise it is open.
export const spokenTurnEnded = [
  { guard: 'serverAnswersSpokenTurn', target: 'userTurnCommitted', actions: speechStopped },
  { target: 'open', actions: speechStopped },
] as const;
// A response is done: `response_done` names the request it answered, which is then settled.
export const responseFinished = [
  { type: 'emitResponseDone', params: ({ event }: { event: SessionEventOf<'model.responseDone'> }) => event },
  { type: 'settleAnsweredRequest', params: ({ event }: { event: SessionEventOf<'model.responseDone'> }) => ({ status: event.status }) },
] as const;

// A resumption attempt that did not produce a connection: retry (up to the cap), or give up on
// the mutation and restore the old config, or fail when nothing can be restored.
export const resumptionAttemptFailed = [
  { guard: 'canRetryResumption', target: '#realtimeSession.resumeBackoff', actions: ['storeConnectionError', 'forgetRefusedHandle', 'countFailedAttempt'] },
  { guard: 'restoresOnFailure', target: '#realtimeSession.resumeBackoff', actions: ['storeConnectionError', 'forgetRefusedHandle', 'dropMutation'] },
  { target: '#realtimeSession.failed', actions: ['storeConnectionError', 'forgetRefusedHandle', 'failResumption'] },
] as const;

// Why requests that asked for a reply fail (each caller hears it: `request_failed`).
const ALL = ['queued', 'sent', 'answering'] as Array<RequestEntry['status']>;
export const NOT_STARTED = { statuses: ['sent'] as Array<RequestEntry['status']>, error: { code: 'response_not_started', message: 'No response started for the request within responseStartTimeout' } };
export const REPLACED = { statuses: ['sent', 'answering'] as Array<RequestEntry['status']>, error: { code: 'connection_replaced', message: 'The connection was replaced before the request was answered' } };
export const CLOSED = { statuses: ALL, held: true, error: { code: 'session_closed', message: 'The session closed before the request was answered' } };
export const FAILED = { statuses: ALL, held: true, error: { code: 'connection_failed', message: 'The session has no connection to answer the request on' } };

type InterruptEvent = { event: SessionEventOf<'session.interrupt'> };
const forwardInterrupt = { type: 'forwardInterrupt', params: ({ event }: InterruptEvent) => event } as const;
/**
 * `session.interrupt()`: cancel first, then cut what was heard (openai-realtime-2026.md §6: the
 * order on barge-in). `interrupted` comes before `truncated`, as on a server barge-in, and only
 * when something was cancelled or cut: an `interrupted` listener that calls `interrupt()` does not loop.
 */
export const interruptTransitions = [
  {
    guard: 'isResponseStreaming',
    actions: [
      forwardInterrupt,
      'markResponseInterrupted',
      { type: 'emitInterrupted', params: { source: 'client' } },
      { type: 'truncateHeardAudio', params: ({ event }: InterruptEvent) => ({ playedMs: event.playedMs, responseActive: true }) },
      'interruptToolCalls',
    ],
  },
  {
    guard: 'hasUnheardAudio',
    actions: [
      forwardInterrupt,
      { type: 'emitInterrupted', params: { source: 'client' } },
      { type: 'truncateHeardAudio', params: ({ event }: InterruptEvent) => ({ playedMs: event.playedMs, responseActive: false }) },
    ],
  },
  // Nothing streams or plays: nothing to report (the adapter may still open a manual activity on
  // Gemini); tools that stop on an interruption (`cancelOnInterrupt`) still stop.
  { actions: [forwardInterrupt, 'interruptToolCalls'] },
] as const;

type ApproveEvent = { event: SessionEventOf<'session.approveTool'> };
type RejectEvent = { event: SessionEventOf<'session.rejectTool'> };
const callOf = ({ event }: ApproveEvent | RejectEvent) => ({ callId: event.callId });
// Approve or reject a call: forwarded to the tool actor running it; an unknown or settled call id
// is reported (the facade's promise rejects), never sent anywhere.
export const toolDecisions = {
  'session.approveTool': [
    { guard: { type: 'isToolActorCall', params: callOf }, actions: { type: 'forwardApproval', params: callOf } },
    { actions: { type: 'reportUnknownToolCall', params: callOf } },
  ],
  'session.rejectTool': [
    { guard: { type: 'isToolActorCall', params: callOf }, actions: { type: 'forwardRejection', params: ({ event }: RejectEvent) => ({ callId: event.callId, reason: event.reason }) } },
    { actions: { type: 'reportUnknownToolCall', params: callOf } },
  ],
} as const;
