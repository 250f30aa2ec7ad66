/**
 * Parent machines that embed sessions (`voxstate/testing`): the `voxstate.*` events a session
 * sends its parent, as payload generators, and how to make a scripted session produce each one.
 */
import type { ScriptedModel } from '../adapters/scripted/index.js';
import type { SessionEmittedType, SessionParentEvent } from '../machines/session/types.js';

const PARENT_EVENT_SAMPLES: { [K in SessionEmittedType]?: Omit<Extract<SessionParentEvent, { type: `voxstate.${K}` }>, 'type' | 'sessionId'> } = {
  connected: { connectionId: 1, providerSessionId: 'scripted_1' },
  response_created: { responseId: 'r1' },
  response_done: { responseId: 'r1', status: 'completed', reason: undefined },
  tool_call: { callId: 'call_1', name: 'tool', arguments: '{}' },
  tool_result: { callId: 'call_1', name: 'tool', status: 'succeeded', output: { ok: true }, delivered: true, durationMs: 0 },
  session_updated: { requestId: 'u1', outcome: 'applied', changed: ['instructions'] },
  session_resumed: { reason: 'mutation', connectionId: 2, restored: false },
  error: { error: { code: 'server_error', message: 'oops' } },
  closed: { code: 1000, reason: 'closed' },
};

/**
 * Payload generators for a parent machine's model: the `voxstate.*` events an embedded session
 * sends it, tagged with `sessionId`. `overrides` replaces the sample payloads per type (e.g. a
 * `tool_result` with your tool's name).
 */
export function sessionParentEvents(
  sessionId: string,
  types: SessionEmittedType[] = Object.keys(PARENT_EVENT_SAMPLES) as SessionEmittedType[],
  overrides: Partial<Record<SessionEmittedType, Record<string, unknown>>> = {},
): SessionParentEvent[] {
  return types.map((t) => ({ ...(PARENT_EVENT_SAMPLES[t] ?? {}), ...(overrides[t] ?? {}), type: `voxstate.${t}`, sessionId }) as SessionParentEvent);
}

/**
 * Makes an embedded session (running on `model`, a scripted model created with
 * `autoRespond: false`) emit the session event a parent-level path step names, by pushing the model
 * events that cause it. `connected`/`session_resumed`/`session_updated` come from the session
 * itself (connect, update); this returns false for those so the caller performs the action that
 * causes them.
 */
export function driveScriptedSession(
  model: ScriptedModel,
  event: SessionParentEvent,
  options: { toolArguments?: (name: string) => string } = {},
): boolean {
  switch (event.type) {
    case 'voxstate.response_created':
      model.push({ type: 'model.responseCreated', responseId: event.responseId });
      return true;
    case 'voxstate.response_done':
      // A whole (empty) response: a session that is idle ignores a lone responseDone.
      model.push({ type: 'model.responseCreated', responseId: event.responseId });
      model.push({ type: 'model.responseDone', responseId: event.responseId, status: 'completed' });
      return true;
    case 'voxstate.tool_call':
      model.push({ type: 'model.functionCall', callId: event.callId, name: event.name, arguments: event.arguments });
      return true;
    case 'voxstate.tool_result':
      // The call is run by the session's own tool actor; its result follows.
      model.push({ type: 'model.functionCall', callId: event.callId, name: event.name, arguments: options.toolArguments?.(event.name) ?? '{}' });
      return true;
    case 'voxstate.error':
      model.push({ type: 'model.error', error: event.error });
      return true;
    case 'voxstate.closed':
      model.push({ type: 'model.closed', code: event.code, reason: event.reason, expected: true });
      return true;
    case 'voxstate.speech_started':
      model.push({ type: 'model.speechStarted', audioStartMs: event.audioStartMs, itemId: event.itemId });
      return true;
    case 'voxstate.usage':
      model.push({ type: 'model.usage', inputTokens: event.inputTokens, outputTokens: event.outputTokens, totalTokens: event.totalTokens });
      return true;
    case 'voxstate.go_away':
      model.push({ type: 'model.goAway', timeLeftMs: event.timeLeftMs });
      return true;
    default:
      return false;
  }
}
