/**
 * A session's own dependencies, passed in its input so that one machine definition serves every
 * session (issue 15: a `.provide()` per session cost 0.8 ms and ~69 KB each, with cold caches):
 * - `model`: the adapter's logic, run by the `model` child through `modelFromInput`;
 * - `tools`: the tool registry, handed to each spawned tool call (tools/runtime.ts).
 * What `.provide()` gives still wins: an embedding app or a test that provides `model` or `tool`
 * keeps its own, and the runtime's part is then unused.
 */
import { fromCallback, type ActorLogic, type ActorSystem, type AnyActorLogic, type CallbackActorLogic, type CallbackSnapshot, type EventObject } from 'xstate';
import type { AdapterInput, ModelAdapterLogic } from '../../adapters/adapter.js';
import type { ClientIntent } from '../../adapters/events.js';
import type { ToolRuntime } from '../../tools/runtime.js';

export class SessionRuntime {
  constructor(
    readonly model: ModelAdapterLogic | undefined,
    readonly tools: ToolRuntime | undefined,
  ) {}

  /** What an inspector or a log shows: the adapter logic and the tool handlers are no data. */
  toJSON(): string {
    return '[session runtime]';
  }
}

/** What the chart gives the `model` child: the adapter's input, plus the session's runtime (whose adapter runs when none was provided). */
export type ModelActorInput = AdapterInput & { runtime?: SessionRuntime | undefined };

/** No adapter in the input and none provided: every connection fails, saying so. */
const missingModel = fromCallback<ClientIntent, AdapterInput>(({ sendBack }) => {
  sendBack({ type: 'model.connectFailed', error: { code: 'connection_failed', message: 'No model adapter was provided' } });
});

/** The logic each running `model` child delegates to (keyed by the child actor). */
const delegates = new WeakMap<object, AnyActorLogic>();

/**
 * The `model` child of the shared machine: runs `input.runtime.model` (or `missingModel`) as if it
 * had been provided. The adapter sees its usual `AdapterInput` (without `runtime`), the same actor
 * scope, parent and events.
 */
export const modelFromInput = {
  config: 'modelFromInput',
  getInitialSnapshot(scope, input) {
    const { runtime, ...adapterInput } = input;
    const logic: AnyActorLogic = runtime?.model ?? missingModel;
    delegates.set(scope.self, logic);
    return logic.getInitialSnapshot(scope, adapterInput);
  },
  start(snapshot, scope) {
    delegates.get(scope.self)?.start?.(snapshot, scope);
  },
  transition(snapshot, event, scope) {
    const logic = delegates.get(scope.self);
    return logic ? logic.transition(snapshot, event, scope) : snapshot;
  },
  // Callback adapters persist their snapshot as it is; so does the delegate.
  getPersistedSnapshot: (snapshot) => snapshot,
} satisfies ActorLogic<CallbackSnapshot<ModelActorInput>, ClientIntent, ModelActorInput, ActorSystem<any>, EventObject> as unknown as CallbackActorLogic<
  ClientIntent,
  ModelActorInput,
  EventObject
>;
