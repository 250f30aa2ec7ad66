/**
 * How one tool output reaches the model, by the call's behavior and scheduling and the provider's
 * capabilities (data, not provider branches). See docs/conversation.md "Tool calls: blocking and
 * background".
 *
 * - A blocking call: the output, then (providers that take explicit response requests) one
 *   follow-up response once the turn is idle, as before.
 * - A background call: the output carries its `scheduling` (Gemini puts it on the
 *   `FunctionResponse`). On a provider that needs explicit response requests (OpenAI, where every
 *   function call is asynchronous on the server) voxstate does what the scheduling says:
 *   `silent` asks for nothing; `whenIdle` owes a follow-up, sent when the turn is idle (never a
 *   second active response); `interrupt` also cancels the active response first.
 * - A background call issued on an earlier connection: where the provider accepts an output for it
 *   on the new connection (`answersEarlierCalls`: OpenAI replays the call item with the history) it
 *   is sent as an output; elsewhere (Gemini: no source says a resumed session accepts a
 *   `toolResponse` for an id issued on the old socket) it goes in as context, a user text naming
 *   the call and its result. How that note goes follows the scheduling: `interrupt` at once, asking
 *   for a reply (on Gemini a `clientContent` with `turnComplete: true` cuts off the current answer,
 *   gemini-live-2026.md §3, which is what `interrupt` means); `silent` at once, asking for nothing
 *   (`turnComplete: false`); `whenIdle` as a `request`, a message asking for a reply that joins the
 *   session's request queue (no caller waits on it) and so goes out only when no response is active
 *   and the user does not have the floor (docs/conversation.md "Request queue").
 * - A result the server speaks by itself (`speaksBackgroundResults`, Gemini; not `silent`), or a
 *   note that asks for a reply, owes a response no caller asked for: it is counted as a request on
 *   the wire (`owesResponse`), so the queue holds later requests until that response is done (a
 *   Gemini text would cut the result's speech and take its empty, cut response as its answer).
 */
import { lateOutputNote } from '../../adapters/late-output-note.js';
import type { ClientIntent } from '../../adapters/events.js';
import type { SessionContext, ToolCallRecord } from './types.js';

export interface ToolOutputDelivery {
  intents: ClientIntent[];
  /** A follow-up response is owed once the turn is idle. */
  followUp: boolean;
  /** A message asking for a reply, for the request queue (sent when the turn allows it). */
  request?: string;
  /**
   * The server will answer what was sent by itself (a result it speaks, `speaksBackgroundResults`,
   * or a note that asks for a reply): a response is owed, counted as a request on the wire with no
   * caller (`withServerResponseOwed`), so queued requests wait for it instead of cutting it.
   */
  owesResponse: boolean;
}

export function toolOutputDelivery(
  context: Pick<SessionContext, 'capabilities' | 'connectionId'>,
  record: Pick<ToolCallRecord, 'callId' | 'name' | 'behavior' | 'scheduling' | 'connectionId'>,
  output: unknown,
  responseActive: boolean,
): ToolOutputDelivery {
  const explicitResponses = context.capabilities.needsFollowUpResponse;
  if (record.behavior === 'blocking') {
    return { intents: [{ type: 'client.toolOutput', callId: record.callId, name: record.name, output }], followUp: explicitResponses, owesResponse: false };
  }
  const { scheduling } = record;
  const earlier = record.connectionId !== context.connectionId;
  const asNote = earlier && !context.capabilities.answersEarlierCalls;
  if (asNote && scheduling === 'whenIdle') return { intents: [], followUp: false, request: asContext(record.name, record.callId, output), owesResponse: false };
  const noteAsksReply = scheduling !== 'silent' && !explicitResponses;
  const intents: ClientIntent[] = asNote
    ? [{ type: 'client.text', role: 'user', text: asContext(record.name, record.callId, output), respond: noteAsksReply }]
    : [{ type: 'client.toolOutput', callId: record.callId, name: record.name, output, scheduling }];
  const owesResponse = asNote ? noteAsksReply : scheduling !== 'silent' && context.capabilities.speaksBackgroundResults === true;
  if (!explicitResponses || scheduling === 'silent') return { intents, followUp: false, owesResponse };
  if (scheduling === 'interrupt' && responseActive) intents.unshift({ type: 'client.interrupt' });
  return { intents, followUp: true, owesResponse };
}

/** A late result as a message to the model, for a connection that never saw the call. */
const asContext = (name: string, callId: string, output: unknown): string => lateOutputNote(name, callId, JSON.stringify(output ?? null));
