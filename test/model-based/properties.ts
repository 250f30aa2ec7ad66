/**
 * Properties of the session that hold in every stable snapshot, stated from the spec and
 * not from the chart: the model-based replay compares the real actor with the chart, so without
 * these a wrong chart would agree with itself. Each returns a sentence for every violation.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { ScriptedConnection } from '../../testing.js';
import type { SessionContext, SessionEmitted } from '../../machines/session/types.js';

export function sessionPropertyViolations(snapshot: AnyMachineSnapshot): string[] {
  if (snapshot.status !== 'active') return [];
  const ctx = snapshot.context as SessionContext;
  const out: string[] = [];
  const calls = Object.values(ctx.toolCalls);
  const toolChildren = Object.keys(snapshot.children).filter((id) => id.startsWith('tool.'));
  const connected = snapshot.matches({ link: 'connected' });
  // The user has the floor (issue 13): while they speak and, when the server answers a spoken turn
  // by itself, until that response starts. A request that asks for a reply waits, and so does a swap.
  const userSpeaking = connected && !snapshot.matches({ link: { connected: { floor: 'open' } } });
  const onlyQueued = ctx.requests.every((r) => r.status === 'queued');

  // The turn is idle only when the response is done and every blocking call is answered (Rust
  // runner bug); a background call does not hold the turn (issue 13 item 3).
  const blocking = calls.filter((call) => call.behavior === 'blocking');
  if (snapshot.matches({ link: { connected: { turn: 'idle' } } })) {
    if (blocking.length > 0) out.push(`turn idle with ${blocking.length} outstanding blocking tool call(s)`);
    if (ctx.followUpOwed) out.push('turn idle while a follow-up response is owed');
    if (ctx.requests.length > 0 && !(userSpeaking && onlyQueued)) out.push(`turn idle while ${ctx.requests.length} request(s) for a reply are owed`);
    // A queued swap waits for running background calls (never longer than the bound), and for a
    // request waiting for the user to finish (a reply owed).
    const waitingForCalls = snapshot.matches({ link: { connected: { backgroundCalls: 'running' } } });
    if (ctx.queuedSwap && !waitingForCalls && !userSpeaking && ctx.requests.length === 0) out.push('a resumption is pending although the turn is idle');
  }
  // A blocking call's output is owed to the connection that issued it, so no blocking call outlives
  // its connection; background calls keep running while the connection is replaced.
  const swapping = snapshot.matches({ link: 'resuming' }) || snapshot.matches('resumeBackoff');
  if (!connected && !snapshot.matches({ link: 'closing' })) {
    const orphans = swapping ? blocking : calls;
    if (orphans.length > 0) out.push(`${orphans.length} tool call(s) outstanding with no live connection`);
    const orphanActors = toolChildren.filter((id) => orphans.some((call) => `tool.${call.callId}` === id) || !ctx.toolCalls[id.slice('tool.'.length)]);
    if (orphanActors.length > 0) out.push(`tool actors alive with no live connection: ${orphanActors.join(', ')}`);
    // An in-place update waits for its connection's answer; a replaced connection never gives one.
    if (Object.keys(ctx.inFlightUpdates).length > 0) out.push('in-place updates in flight with no live connection');
  }
  for (const call of calls) {
    if (call.behavior === 'blocking' && call.connectionId !== ctx.connectionId) out.push(`call ${call.callId} belongs to connection ${call.connectionId}, not ${ctx.connectionId}`);
    if (call.runner === 'actor' && !call.held && !snapshot.children[`tool.${call.callId}`]) out.push(`call ${call.callId} has no tool actor`);
  }
  // Finished tool actors are stopped: every tool child is an outstanding call.
  for (const id of toolChildren) {
    if (!ctx.toolCalls[id.slice('tool.'.length)]) out.push(`tool actor ${id} outlived its call`);
  }
  if (ctx.runningTools.length > Math.max(1, ctx.options.maxConcurrentTools)) {
    out.push(`${ctx.runningTools.length} tools running, over the cap of ${ctx.options.maxConcurrentTools}`);
  }
  for (const id of [...ctx.runningTools, ...ctx.toolQueue]) {
    if (!ctx.toolCalls[id]) out.push(`slot or queue entry ${id} without an outstanding call`);
  }
  // Never two active responses: on a provider that takes explicit response requests, at most one
  // request is on the wire at a time, and requests wait only while a response is active or asked for.
  const onTheWire = ctx.requests.filter((r) => r.status !== 'queued').length;
  if (ctx.capabilities.needsFollowUpResponse && onTheWire > 1) out.push(`${onTheWire} requests on the wire at once`);
  if (ctx.requests.filter((r) => r.status === 'answering').length > 1) out.push('two responses answering requests at once');
  if (connected && !userSpeaking && !snapshot.matches({ link: { connected: { turn: 'generating' } } }) && ctx.requests.some((r) => r.status === 'queued')) {
    out.push('a request waits although no response is active');
  }
  // A session that can no longer answer owes nothing: every request was answered or failed.
  if ((snapshot.matches('closed') || snapshot.matches('failed')) && (ctx.requests.length > 0 || ctx.deferredIntents.length > 0)) {
    out.push('requests left behind with no connection to answer them');
  }
  if (connected && ctx.activeSwap) out.push('connected while a resumption is still marked as executing');
  if ((snapshot.matches({ link: 'resuming' }) || snapshot.matches('resumeBackoff')) && !ctx.activeSwap) {
    out.push('resuming without a resumption in progress');
  }
  return out;
}

/** A request that asked for a reply, as the application made it: its id, and whether the session was live (accepting verbs). */
export interface IssuedRequest {
  requestId: string;
  live: boolean;
}

/**
 * Every request that asks for a reply is answered once or fails visibly: each request the session
 * accepted is still pending (waiting, on the wire, or held during a swap), or has exactly one end
 * (a `response_done` naming it, or `request_failed`); none ends twice, and none is sent twice.
 */
export function requestTraceViolations(issued: readonly IssuedRequest[], events: readonly SessionEmitted[], snapshot: AnyMachineSnapshot): string[] {
  const ctx = snapshot.context as SessionContext;
  const out: string[] = [];
  const count = (requestId: string, type: SessionEmitted['type']) =>
    events.filter((e) => e.type === type && 'requestId' in e && e.requestId === requestId).length;
  // A session that is over (or has no connection left) can answer nothing: no request is pending there.
  const over = snapshot.status !== 'active' || snapshot.matches('failed');
  const pending = new Set<string | undefined>(
    over ? [] : [...ctx.requests.map((r) => r.requestId), ...ctx.deferredIntents.map((i) => ('requestId' in i ? i.requestId : undefined))],
  );
  for (const { requestId, live } of issued) {
    const ends = count(requestId, 'response_done') + count(requestId, 'request_failed');
    if (ends > 1) out.push(`request ${requestId} ended ${ends} times`);
    if (count(requestId, 'request_sent') > 1) out.push(`request ${requestId} was sent twice`);
    if (live && ends === 0 && !pending.has(requestId)) out.push(`request ${requestId} was lost: neither answered, failed, nor pending`);
    if (ends === 1 && pending.has(requestId)) out.push(`request ${requestId} ended but is still pending`);
  }
  return out;
}

/**
 * Every tool call is answered exactly once (issue 13 item 3, "background tools"): no call ends
 * twice, none is answered twice on one connection (a call repeated by the provider on a later
 * connection may be answered there again), a result reported as delivered reached the model, and a
 * call that is neither outstanding nor held back for the application has ended.
 */
export function callAnswerViolations(events: readonly SessionEmitted[], connections: readonly ScriptedConnection[], snapshot: AnyMachineSnapshot): string[] {
  const ctx = snapshot.context as SessionContext;
  const out: string[] = [];
  const answersOn = (connection: ScriptedConnection, callId: string) =>
    connection.intents.filter(
      (i) => (i.type === 'client.toolOutput' && i.callId === callId) || (i.type === 'client.text' && i.text.includes(`(${callId})`)),
    ).length;
  const callIds = new Set(events.flatMap((e) => (e.type === 'tool_call' ? [e.callId] : [])));
  for (const callId of callIds) {
    const results = events.filter((e) => e.type === 'tool_result' && e.callId === callId);
    for (const connection of connections) {
      if (answersOn(connection, callId) > 1) out.push(`call ${callId} answered ${answersOn(connection, callId)} times on connection ${connection.connectionId}`);
    }
    const wire = connections.reduce((n, c) => n + answersOn(c, callId), 0);
    if (results.length > 1) out.push(`call ${callId} ended ${results.length} times`);
    if (results.some((r) => r.type === 'tool_result' && r.delivered) && wire === 0) out.push(`call ${callId} reported delivered but never reached the model`);
    const pending = ctx.toolCalls[callId] !== undefined || ctx.unsentToolResults[callId] !== undefined;
    if (snapshot.status === 'active' && results.length === 0 && !pending) out.push(`call ${callId} was lost: neither answered nor outstanding`);
  }
  return out;
}
