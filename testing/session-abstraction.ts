/**
 * A finite view of a session snapshot (`voxstate/testing`): what a traversal tells states apart by,
 * and what a model step and the real actor must agree on.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { SessionContext } from '../machines/session/types.js';

/** Requests that ask for a reply, by status (each counted up to 2: more add no new behaviour). */
function requestShape(ctx: SessionContext): string {
  const count = (status: string) => ctx.requests.filter((r) => r.status === status).length;
  return `q${Math.min(2, count('queued'))}s${Math.min(2, count('sent'))}a${count('answering')}`;
}

/**
 * A finite abstraction of a session snapshot for `serializeState`: the state value plus what
 * decides the next transitions (outstanding calls and their phase, the queued swap, the active
 * swap (why, on failure, attempts), owed follow-up, requests by status, goAway, in-place updates in flight, whether
 * updates are deferred). Connection ids, counters, configs and timestamps are left out, so the graph stays finite.
 */
export function serializeSessionState(snapshot: AnyMachineSnapshot): string {
  const ctx = snapshot.context as SessionContext;
  // Call ids are bounded (the stimuli reuse the lowest free index), and payloads name them.
  const tools = Object.values(ctx.toolCalls)
    .map((c) => `${c.callId}:${c.runner === 'application' ? 'app' : ctx.runningTools.includes(c.callId) ? 'running' : 'waiting'}`)
    .sort();
  return JSON.stringify({
    s: snapshot.status,
    v: snapshot.value,
    tools,
    pending: ctx.queuedSwap?.why ?? null,
    resuming: ctx.activeSwap ? `${ctx.activeSwap.why}:${ctx.activeSwap.onFailure}:${ctx.activeSwap.attempts}` : null,
    follow: ctx.followUpOwed,
    requests: requestShape(ctx),
    goAway: ctx.goAwayDeadline !== null,
    inFlight: Object.keys(ctx.inFlightUpdates).sort(),
    deferred: Math.min(1, ctx.deferredUpdates.length),
  });
}

/** What a model step and the real actor must agree on after every step. */
export function sessionInvariants(snapshot: AnyMachineSnapshot) {
  const ctx = snapshot.context as SessionContext;
  return {
    status: snapshot.status,
    value: snapshot.value,
    toolCalls: Object.keys(ctx.toolCalls).sort(),
    pending: ctx.queuedSwap?.why ?? null,
    resuming: ctx.activeSwap ? { why: ctx.activeSwap.why, onFailure: ctx.activeSwap.onFailure, attempts: ctx.activeSwap.attempts } : null,
    followUpOwed: ctx.followUpOwed,
    requests: ctx.requests.map((r) => r.status),
    hasProducedAudio: ctx.hasProducedAudio,
    goAway: ctx.goAwayDeadline !== null,
    deferredUpdates: ctx.deferredUpdates.length,
    instructions: ctx.config.instructions,
  };
}
