/**
 * `updateSession()`: validates a delta, registers its tool handlers once it is valid, sends one
 * `session.update` to the actor and follows that request id to its first answer and to its end.
 */
import type { Actor } from 'xstate';
import type { ModelAdapter } from '../adapters/adapter.js';
import { mergeSessionDelta, parseSessionDelta } from '../config.js';
import { UpdateFailedError, VoxstateError } from '../errors.js';
import type { RealtimeSessionMachine } from '../machines/session/session.machine.js';
import { ToolRegistry } from '../tools/registry.js';
import { assertModelAccepts } from './options.js';
import type { RealtimeSession, UpdateCompletion, UpdateOutcome, UpdateRequest } from './realtime-session.js';
import { isToolDefinition, registerTools } from './tools.js';
import { settleable } from './settleable.js';


export interface UpdateTarget {
  actor: Actor<RealtimeSessionMachine>;
  model: ModelAdapter;
  /** The session's registry: a valid delta's handlers are added to it. */
  registry: ToolRegistry;
  /** Throws `NotConnectedError` when the session is not live. */
  requireLive(verb: string): void;
  /** A request id not used before in this session. */
  nextRequestId(): string;
}

export function requestUpdate(
  target: UpdateTarget,
  deltaInput: Parameters<RealtimeSession['updateSession']>[0],
  opts: { bridgeMessage?: string } = {},
): UpdateRequest {
  const { actor, registry } = target;
  const outcome = settleable<UpdateOutcome>();
  const completion = settleable<UpdateCompletion>();
  // Awaiting only the outcome is fine: a failure then must not surface as an unhandled rejection.
  completion.promise.catch(() => {});
  const fail = (error: unknown) => {
    outcome.reject(error);
    completion.reject(error);
  };
  const request = Object.assign(outcome.promise, { completion: completion.promise });
  try {
    target.requireLive('update the session');
    const { tools: deltaTools, ...delta } = deltaInput;
    const staged = new ToolRegistry();
    const parsed = parseSessionDelta(deltaTools ? { ...delta, tools: registerTools(staged, deltaTools) } : delta);
    assertModelAccepts(target.model, mergeSessionDelta(actor.getSnapshot().context.config, parsed).config);
    // Handlers are registered only once the delta validated, so a bad update changes nothing.
    if (deltaTools) for (const tool of deltaTools) if (isToolDefinition(tool)) registry.register(tool);
    const requestId = target.nextRequestId();
    const subs = [
      actor.on('session_updated', (e) => {
        if (e.requestId !== requestId) return;
        outcome.resolve(e.outcome); // the first answer; a queued one is answered again later
        if (e.outcome === 'queued') return;
        completion.resolve(e.outcome);
        subs.forEach((s) => s.unsubscribe());
      }),
      actor.on('update_failed', (e) => {
        if (e.requestId !== requestId) return;
        fail(new UpdateFailedError(e.error));
        subs.forEach((s) => s.unsubscribe());
      }),
    ];
    subs.push(
      actor.subscribe({
        complete: () => {
          fail(new VoxstateError({ code: 'session_closed', message: 'The session closed before the update took effect' }));
          subs.forEach((s) => s.unsubscribe());
        },
      }),
    );
    actor.send({
      type: 'session.update',
      requestId,
      delta: parsed,
      ...(opts.bridgeMessage === undefined ? {} : { bridgeMessage: opts.bridgeMessage }),
    });
  } catch (error) {
    fail(error);
  }
  return request;
}
