/**
 * A test model over a parent machine that embeds sessions (`voxstate/testing`), built on
 * `xstate/graph`'s `TestModel`, and a `serializeState` for such parents.
 */
import type { AnyEventObject, AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { createActor } from 'xstate';
import { TestModel } from 'xstate/graph';

/**
 * A test model over a parent machine that embeds sessions. `createTestModel` refuses machines that
 * `invoke` (every embedding parent does), so this builds the same `TestModel` directly: stimuli
 * from `events`, only the ones the state reacts to (`filterEvents` via `snapshot.can`), none once
 * the machine is done.
 *
 * `getPathsFromEvents` uses the model's own `serializeState` (and `input`): xstate/graph's version
 * ignores the model's options and tells states apart by their whole context, so on a parent whose
 * context changes with every event (a log, a counter) its traversal never ends. Each step's `state`
 * is then the representative of its serialization (the first snapshot reached with it), so its
 * context may differ from the exact one the events produce (docs/testing.md).
 */
export function createEmbeddingTestModel<TMachine extends AnyStateMachine>(
  machine: TMachine,
  options: { events: (snapshot: AnyMachineSnapshot) => AnyEventObject[]; serializeState?: (snapshot: AnyMachineSnapshot) => string; input?: unknown },
) {
  const serializeState = options.serializeState ?? ((s: AnyMachineSnapshot) => JSON.stringify({ s: s.status, v: s.value }));
  return new EmbeddingTestModel(machine, {
    events: options.events,
    serializeState,
    filterEvents: (s: AnyMachineSnapshot, e: AnyEventObject) => s.status === 'active' && s.can(e),
    ...(options.input === undefined ? {} : { input: options.input }),
  } as never);
}

type PathOptions = Parameters<TestModel<AnyMachineSnapshot, AnyEventObject, unknown>['getPathsFromEvents']>[1];

class EmbeddingTestModel extends TestModel<AnyMachineSnapshot, AnyEventObject, unknown> {
  override getPathsFromEvents(events: AnyEventObject[], options?: PathOptions) {
    const input = this.options.input;
    return super.getPathsFromEvents(events, {
      serializeState: this.options.serializeState,
      // Without `fromState`, xstate/graph starts from a snapshot created with no input.
      ...(input === undefined ? {} : { fromState: createActor(this.testLogic as AnyStateMachine, { input }).getSnapshot() }),
      ...options,
    });
  }
}

/** A `serializeState` for parent machines: the state value plus the context fields you name. */
export function serializeStateWith<TContext>(pick: (context: TContext) => unknown = () => undefined) {
  return (snapshot: { value: unknown; status: string; context: TContext }) =>
    JSON.stringify({ s: snapshot.status, v: snapshot.value, c: pick(snapshot.context) });
}
