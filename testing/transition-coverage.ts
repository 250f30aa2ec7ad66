/**
 * Transition coverage (`voxstate/testing`): every transition of a machine definition, and which
 * ones real actors took, recorded through an `inspect` callback. Works for any machine (the
 * session, or your parent machine that embeds sessions).
 */
import type { AnyStateMachine, AnyStateNode, InspectionEvent } from 'xstate';

/**
 * One transition of a machine definition: a (source state, event descriptor, candidate) triple.
 * Guarded alternatives for the same event are separate transitions; targetless transitions
 * (actions only), `always` (eventless) and `after` (delayed, `xstate.after.*`) transitions count.
 */
export interface TransitionInfo {
  key: string;
  source: string;
  event: string;
  /** Index among the candidates of this source for this event (guarded alternatives). */
  index: number;
  guard: string | undefined;
  targets: string[];
  /** True when the transition leaves the source state (or re-enters it). */
  changesState: boolean;
}

type TransitionDef = {
  source: AnyStateNode;
  eventType: string;
  target?: readonly AnyStateNode[] | undefined;
  guard?: unknown;
  reenter?: boolean;
};

function guardName(guard: unknown): string | undefined {
  if (!guard) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'inline';
}

/** Every transition of a machine, keyed by identity (for inspection) and by a stable key. */
export function listTransitions(machine: AnyStateMachine): Map<TransitionDef, TransitionInfo> {
  const out = new Map<TransitionDef, TransitionInfo>();
  const add = (t: TransitionDef, event: string, index: number) => {
    const targets = (t.target ?? []).map((n) => n.id);
    const guard = guardName(t.guard);
    const label = event === '' ? 'always' : event;
    out.set(t, {
      key: `${t.source.id} --${label}${index > 0 || guard ? `#${index}` : ''}${guard ? `[${guard}]` : ''}--> ${targets.length ? targets.join(',') : '(targetless)'}`,
      source: t.source.id,
      event: label,
      index,
      guard,
      targets,
      changesState: targets.length > 0 || Boolean(t.reenter),
    });
  };
  const walk = (node: AnyStateNode) => {
    for (const [event, list] of node.transitions as Map<string, TransitionDef[]>) list.forEach((t, i) => add(t, event, i));
    ((node.always ?? []) as TransitionDef[]).forEach((t, i) => add(t, '', i));
    for (const child of Object.values(node.states) as AnyStateNode[]) walk(child);
  };
  walk(machine.root);
  return out;
}

export interface TransitionCoverage {
  /** Pass (or chain) as `inspect` to `createActor` for every actor of this machine you run. */
  inspect: (event: InspectionEvent) => void;
  /** Transition keys seen, with how often. */
  readonly hits: Map<string, number>;
  /** Every transition key of the definition. */
  readonly all: TransitionInfo[];
  missing(filter?: (t: TransitionInfo) => boolean): TransitionInfo[];
  /** Registers another `.provide()`d variant of the same definition before running actors of it. */
  track(machine: AnyStateMachine): void;
  /** Adds the hits of another coverage of a machine with the same definition. */
  merge(other: TransitionCoverage): void;
  report(): string;
}

/**
 * Records which transitions of `machine` actors actually take. `machines` may hold several
 * `.provide()`d variants of the same definition (their state nodes differ); keys are shared.
 */
export function createTransitionCoverage(first: AnyStateMachine, ...more: AnyStateMachine[]): TransitionCoverage {
  const byDef = new Map<TransitionDef, TransitionInfo>();
  const byKey = new Map<string, TransitionInfo>();
  const tracked = new WeakSet<AnyStateMachine>();
  // `all` is one array, kept current: a machine tracked later adds the transitions it brings.
  const all: TransitionInfo[] = [];
  const track = (m: AnyStateMachine) => {
    if (tracked.has(m)) return;
    tracked.add(m);
    for (const [def, info] of listTransitions(m)) {
      byDef.set(def, info);
      if (!byKey.has(info.key)) {
        byKey.set(info.key, info);
        all.push(info);
      }
    }
  };
  [first, ...more].forEach(track);
  const hits = new Map<string, number>();
  const coverage: TransitionCoverage = {
    inspect(event) {
      if (event.type !== '@xstate.microstep') return;
      for (const t of ((event as { _transitions?: TransitionDef[] })._transitions ?? [])) {
        const info = byDef.get(t);
        if (info) hits.set(info.key, (hits.get(info.key) ?? 0) + 1);
      }
    },
    hits,
    all,
    track,
    missing: (filter = () => true) => all.filter((t) => filter(t) && !hits.has(t.key)),
    merge(other) {
      for (const [k, n] of other.hits) hits.set(k, (hits.get(k) ?? 0) + n);
    },
    report() {
      if (all.length === 0) return 'transitions covered: 0/0 — the tracked machine has no transitions';
      const covered = all.filter((t) => hits.has(t.key)).length;
      const changing = all.filter((t) => t.changesState);
      const changingCovered = changing.filter((t) => hits.has(t.key)).length;
      const lines = [
        `transitions covered: ${covered}/${all.length} (state-changing: ${changingCovered}/${changing.length})`,
        ...all.filter((t) => !hits.has(t.key)).map((t) => `  not exercised: ${t.key}`),
      ];
      return lines.join('\n');
    },
  };
  return coverage;
}
