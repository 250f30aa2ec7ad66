/**
 * Path generation for the model-based suites, on top of `xstate/graph`:
 * - `TestModel` (what `createTestModel` returns; `createTestModel` itself refuses machines with
 *   `invoke`/`after`, and the real session machine has both) for shortest and simple paths;
 * - an edge-completion pass: for every (abstract state, stimulus) edge of the adjacency map whose
 *   transition the chosen paths do not take yet, the shortest path to that state plus that step.
 */
import { TestModel, getAdjacencyMap, getShortestPaths, type StatePath } from 'xstate/graph';
import { createEmptyActor, type AnyEventObject, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { listTransitions } from '../../testing.js';

export interface TraversalOptions {
  input: unknown;
  events: (snapshot: AnyMachineSnapshot) => AnyEventObject[];
  serializeState: (snapshot: AnyMachineSnapshot) => string;
  fromState?: AnyMachineSnapshot;
  /** Traversal bound: throws past this many visits (keeps a mistake in the abstraction from hanging). */
  limit?: number;
}

export type Path = StatePath<AnyMachineSnapshot, AnyEventObject>;

type Adjacency = Record<string, { state: AnyMachineSnapshot; transitions: Record<string, { event: AnyEventObject; state: AnyMachineSnapshot }> }>;

function traversalOptions(options: TraversalOptions) {
  return {
    input: options.input,
    events: options.events,
    serializeState: (s: AnyMachineSnapshot) => options.serializeState(s),
    // Only stimuli the state reacts to; none once the session is over (avoids the final-state repeat).
    filterEvents: (s: AnyMachineSnapshot, e: AnyEventObject) => s.status === 'active' && s.can(e),
    limit: options.limit ?? 200_000,
    ...(options.fromState ? { fromState: options.fromState } : {}),
  };
}

export function testModel(machine: AnyStateMachine, options: TraversalOptions) {
  return new TestModel(machine, traversalOptions(options) as never);
}

const eventKey = (e: AnyEventObject) => JSON.stringify(e, (_k, v) => (v && v.type === 'Buffer' ? '[buf]' : v));

/** Drops paths whose event sequence is a prefix of another path's. */
export function dedupe(paths: Path[]): Path[] {
  const sorted = [...paths].sort((a, b) => b.steps.length - a.steps.length);
  const kept: Array<{ path: Path; seq: string[] }> = [];
  for (const path of sorted) {
    const seq = path.steps.map((s) => eventKey(s.event));
    if (kept.some((k) => seq.every((e, i) => k.seq[i] === e))) continue;
    kept.push({ path, seq });
  }
  return kept.map((k) => k.path);
}

/** The transitions (by key) an event takes in a snapshot, incl. eventless and raised ones (the model's own microsteps). */
function taken(machine: AnyStateMachine, keys: ReturnType<typeof listTransitions>, snapshot: AnyMachineSnapshot, event: AnyEventObject): string[] {
  if (event.type === 'xstate.init') return [];
  const out: string[] = [];
  const scope = mockActorScope((e) => {
    if (e.type !== '@xstate.microstep') return;
    for (const t of (e as { _transitions?: unknown[] })._transitions ?? []) {
      const key = keys.get(t as never)?.key;
      if (key) out.push(key);
    }
  });
  machine.transition(snapshot, event, scope as never);
  return out;
}

/**
 * Shortest paths to every abstract state, plus one path per edge whose transition they miss.
 * Returns the deduplicated set. Which transitions an edge takes is read from the model's own
 * microsteps (including `always` and raised events).
 */
export function shortestPlusEdges(machine: AnyStateMachine, options: TraversalOptions): { paths: Path[]; shortest: number; edges: number } {
  const opts = traversalOptions(options);
  const keys = listTransitions(machine);
  const shortest = getShortestPaths(machine, opts as never) as Path[];
  const toState = new Map<string, Path>();
  for (const p of shortest) toState.set(options.serializeState(p.state), p);
  const covered = new Set<string>();
  for (const p of shortest) for (let i = 1; i < p.steps.length; i++) for (const k of taken(machine, keys, p.steps[i - 1]!.state, p.steps[i]!.event)) covered.add(k);
  const adjacency = getAdjacencyMap(machine, opts as never) as unknown as Adjacency;
  const extra: Path[] = [];
  for (const [serial, { state, transitions }] of Object.entries(adjacency)) {
    const head = toState.get(serial);
    if (!head) continue;
    for (const { event, state: next } of Object.values(transitions)) {
      const ks = taken(machine, keys, state as AnyMachineSnapshot, event as AnyEventObject);
      if (ks.length === 0 || ks.every((k) => covered.has(k))) continue;
      ks.forEach((k) => covered.add(k));
      extra.push({ state: next as AnyMachineSnapshot, steps: [...head.steps, { state: next as AnyMachineSnapshot, event: event as AnyEventObject }], weight: head.weight + 1 });
    }
  }
  const paths = dedupe([...shortest, ...extra]);
  return { paths, shortest: shortest.length, edges: extra.length };
}

/** A readable one-line description of a path. */
export function describePath(path: Path): string {
  return path.steps
    .slice(1)
    .map((s) => {
      const e = s.event as AnyEventObject & Record<string, unknown>;
      const t = e.type.replace(/^xstate\.after\.([^.]+)\..*$/, 'after:$1').replace(/^xstate\.done\.actor\./, 'done:');
      const detail = e['requestId'] ?? e['callId'] ?? (e.type === 'model.closed' ? (e['expected'] ? 'expected' : 'dropped') : undefined) ?? (e.type.startsWith('xstate.done') ? (e['output'] as { status: string }).status : undefined);
      return detail === undefined ? t : `${t}(${String(detail)})`;
    })
    .join(' → ') || '(initial state)';
}

/** The actor scope xstate/graph traverses with: actions, emits and spawned actors do nothing. */
function mockActorScope(onInspect?: (event: { type: string }) => void) {
  const empty = createEmptyActor();
  const system = onInspect ? Object.assign(Object.create(empty.system), { _sendInspectionEvent: onInspect }) : empty.system;
  return {
    self: empty,
    logger: () => {},
    id: '',
    sessionId: 'model',
    defer: () => {},
    system,
    stopChild: () => {},
    emit: () => {},
    actionExecutor: () => {},
  };
}

/** Replays events on the model (no side effects) and returns them as a path. */
export function replay(machine: AnyStateMachine, input: unknown, events: AnyEventObject[]): Path {
  const scope = mockActorScope() as never;
  let state = machine.getInitialSnapshot(scope, input) as AnyMachineSnapshot;
  const steps: Path['steps'] = [{ state, event: { type: 'xstate.init' } }];
  for (const event of events) {
    state = machine.transition(state, event, scope) as AnyMachineSnapshot;
    steps.push({ state, event });
  }
  return { state, steps, weight: events.length };
}

/**
 * Bounded simple paths: depth-first over the adjacency map from the start state, never revisiting
 * an abstract state on the same path, at most `maxSteps` events long; only maximal paths are kept
 * (their prefixes are tested along the way), and enumeration stops after `maxEnumerated`.
 * (`getSimplePaths` enumerates every simple path to every state, which explodes on this machine.)
 */
export function boundedSimplePaths(machine: AnyStateMachine, options: TraversalOptions, maxSteps: number, maxEnumerated = 20_000): Path[] {
  const opts = traversalOptions(options);
  const adjacency = getAdjacencyMap(machine, opts as never) as unknown as Adjacency;
  const start = options.fromState ?? (machine.getInitialSnapshot(mockActorScope() as never, options.input) as AnyMachineSnapshot);
  const startSerial = options.serializeState(start);
  const out: Path[] = [];
  const onPath = new Set<string>([startSerial]);
  const steps: Path['steps'] = [{ state: start, event: { type: 'xstate.init' } }];
  const visit = (serial: string) => {
    if (out.length >= maxEnumerated) return;
    const node = adjacency[serial];
    let extended = false;
    if (node && steps.length - 1 < maxSteps) {
      for (const { event, state } of Object.values(node.transitions)) {
        const next = options.serializeState(state as AnyMachineSnapshot);
        if (onPath.has(next)) continue;
        extended = true;
        onPath.add(next);
        steps.push({ state: state as AnyMachineSnapshot, event: event as AnyEventObject });
        visit(next);
        steps.pop();
        onPath.delete(next);
      }
    }
    if (!extended && steps.length > 1) out.push({ state: steps[steps.length - 1]!.state, steps: [...steps], weight: steps.length - 1 });
  };
  visit(startSerial);
  return out;
}
