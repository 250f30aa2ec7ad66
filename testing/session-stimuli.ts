/**
 * The outside world of a session, as payload generators for an `xstate/graph` traversal of the
 * session machine (`voxstate/testing`): application intents, model events, tool outcomes, timers.
 */
import type { AnyEventObject, AnyMachineSnapshot, AnyStateNode } from 'xstate';
import type { SessionContext } from '../machines/session/types.js';
import type { ToolOutcome, ToolStatus } from '../tools/call.machine.js';

/** A tool the stimuli may call: `approval` tools ask the application first. */
export interface ModelTool {
  name: string;
  approval?: boolean;
  /** A background tool (`behavior: 'background'`): its calls do not hold the turn. */
  background?: boolean;
}

export interface SessionStimuliOptions {
  /** Tools the model may call (default: one plain tool, `work`). */
  tools?: ModelTool[];
  /** At most this many outstanding calls (default 2): keeps the graph small. */
  maxOutstandingTools?: number;
  /** Leave out event types (e.g. to focus a traversal). */
  exclude?: Iterable<string>;
  /** Only these event types (prefix match with a trailing `*`, e.g. `model.*`). */
  only?: Iterable<string>;
  /** Instruction values toggled by the `resumption` update variant (default 'A'/'B'). */
  instructionValues?: [string, string];
}

/** The outcome event of a tool actor, as the session receives it. */
export function toolDoneEvent(callId: string, name: string, status: ToolStatus): AnyEventObject {
  const output: ToolOutcome = { callId, name, status, output: status === 'succeeded' ? { ok: true } : { error: status }, silent: false, durationMs: 0 };
  return { type: `xstate.done.actor.tool.${callId}`, actorId: `tool.${callId}`, output };
}

function activeAfterEvents(snapshot: AnyMachineSnapshot): AnyEventObject[] {
  const out: AnyEventObject[] = [];
  for (const node of snapshot._nodes as AnyStateNode[]) {
    for (const t of node.after as Array<{ eventType: string }>) {
      const event = { type: t.eventType };
      if (!out.some((e) => e.type === t.eventType) && snapshot.can(event)) out.push(event);
    }
  }
  return out;
}

function matches(type: string, patterns: Set<string>): boolean {
  for (const p of patterns) if (p === type || (p.endsWith('*') && type.startsWith(p.slice(0, -1)))) return true;
  return false;
}

/**
 * Payload generators for an `xstate/graph` traversal of the session machine: every stimulus the
 * outside world can give a session in this snapshot — application intents, model events, tool
 * outcomes (`xstate.done.actor.tool.*`), a tool becoming ready, and the timer that is due (only
 * when exactly one delayed transition is armed, so a simulated clock can fire it unambiguously).
 * Pair with `filterEvents: (s, e) => s.can(e)` to drop the ones the state ignores.
 */
export function sessionStimuli(snapshot: AnyMachineSnapshot, options: SessionStimuliOptions = {}): AnyEventObject[] {
  if (snapshot.status !== 'active') return [];
  const ctx = snapshot.context as SessionContext;
  const tools = options.tools ?? [{ name: 'work' }];
  const maxTools = options.maxOutstandingTools ?? 2;
  const [a, b] = options.instructionValues ?? ['A', 'B'];
  const calls = Object.values(ctx.toolCalls);
  const events: AnyEventObject[] = [
    { type: 'session.connect' },
    { type: 'session.close' },
    { type: 'session.sendText', text: 'hello', respond: false },
    // Requests that ask for a reply carry an id (a runner may make each unique) so their fate can be followed.
    { type: 'session.sendText', text: 'hello', respond: true, requestId: 'ask' },
    { type: 'session.sendAudio', audio: Buffer.alloc(4) },
    { type: 'session.commitAudio' },
    { type: 'session.clearAudio' },
    { type: 'session.createResponse', requestId: 'ask' },
    { type: 'session.interrupt' },
    { type: 'session.update', requestId: 'noop', delta: { instructions: ctx.config.instructions } },
    { type: 'session.update', requestId: 'in-place', delta: { temperature: ctx.config.temperature === 0.5 ? 0.7 : 0.5 } },
    { type: 'session.update', requestId: 'resume', delta: { instructions: ctx.config.instructions === a ? b : a } },
    { type: 'model.connected', restored: false },
    { type: 'model.connectFailed', error: { code: 'connection_failed', message: 'refused' } },
    { type: 'model.closed', code: 1006, reason: 'lost', expected: false },
    { type: 'model.closed', code: 1000, reason: 'bye', expected: true },
    { type: 'model.error', error: { code: 'server_error', message: 'oops' } },
    { type: 'model.speechStarted' },
    { type: 'model.speechStopped' },
    { type: 'model.inputTimeout', audioStartMs: 0, audioEndMs: 5000, itemId: 'idle' },
    { type: 'model.interrupted', source: 'user' },
    { type: 'model.outputAudioStarted' },
    { type: 'model.resumptionHandle', handle: 'h1', resumable: true },
    { type: 'model.resumptionHandle', handle: '', resumable: false },
    { type: 'model.usage', inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    { type: 'model.goAway', timeLeftMs: 1000 },
    { type: 'model.responseCreated', responseId: 'r' },
    { type: 'model.responseDone', status: 'completed' },
    // A response that ended otherwise (interrupted by a message, cancelled): it answered nothing sent meanwhile.
    { type: 'model.responseDone', status: 'cancelled' },
    { type: 'model.toolCallCancelled', callIds: ['ghost'] },
    // Decisions for a call that is not waiting for one are reported, not sent to a missing actor.
    { type: 'session.approveTool', callId: 'ghost' },
    { type: 'session.rejectTool', callId: 'ghost' },
    // A result for a call nobody is waiting for is refused, not sent to the provider.
    { type: 'session.toolResult', callId: 'ghost', output: { ok: true } },
  ];
  // The provider refuses the request on the wire: a response was already running (it goes again), or for another reason (it fails).
  const sent = ctx.requests.find((r) => r.status === 'sent');
  if (sent) {
    events.push({ type: 'model.responseCreated', responseId: 'r', requestId: sent.wireId });
    events.push({ type: 'model.requestRefused', requestId: sent.wireId, error: { code: 'response_already_active', message: 'busy' } });
    events.push({ type: 'model.requestRefused', requestId: sent.wireId, error: { code: 'request_refused', message: 'no' } });
  }
  for (const requestId of Object.keys(ctx.inFlightUpdates)) {
    events.push({ type: 'model.configApplied', requestId });
    events.push({ type: 'model.configRejected', requestId, error: { code: 'server_error', message: 'no' } });
  }
  if (calls.length < maxTools) {
    for (const tool of tools) {
      let n = 1;
      while (ctx.toolCalls[`${tool.name}${n}`]) n++;
      events.push({ type: 'model.functionCall', callId: `${tool.name}${n}`, name: tool.name, arguments: '{}' });
    }
  }
  for (const call of calls) {
    const tool = tools.find((t) => t.name === call.name);
    if (call.runner === 'application') {
      events.push({ type: 'session.toolResult', callId: call.callId, output: { ok: true } });
      events.push({ type: 'model.toolCallCancelled', callIds: [call.callId] });
      continue;
    }
    const running = ctx.runningTools.includes(call.callId) || ctx.toolQueue.includes(call.callId);
    if (!running) {
      events.push({ type: 'tool.ready', callId: call.callId });
      if (tool?.approval) events.push(toolDoneEvent(call.callId, call.name, 'rejected'));
    } else {
      events.push(toolDoneEvent(call.callId, call.name, 'succeeded'));
      events.push(toolDoneEvent(call.callId, call.name, 'failed'));
    }
  }
  const timers = activeAfterEvents(snapshot);
  if (timers.length === 1) events.push(timers[0]!);
  const exclude = new Set(options.exclude ?? []);
  const only = options.only ? new Set(options.only) : undefined;
  return events.filter((e) => !matches(e.type, exclude) && (!only || matches(e.type, only)));
}
