/**
 * Model-based testing helpers (`voxstate/testing`), built on `xstate/graph`.
 *
 * - `createTransitionCoverage(machine)`: enumerates every transition of a machine definition and
 *   records, through an `inspect` callback on the real actor, which ones ran. Works for any machine
 *   (the session, or your parent machine that embeds sessions).
 * - Session level: `sessionStimuli` (payload generators for the traversal: application intents,
 *   model events, tool outcomes, timers), `serializeSessionState` (a finite abstraction of the
 *   snapshot), and `createSessionDriver` (plays one path step on a real session actor through the
 *   scripted adapter).
 * - Parent level: `sessionParentEvents` (the `voxstate.*` events a parent handles, as payload
 *   generators) and `driveScriptedSession` (makes a scripted model produce one of them).
 */
import type { AnyActorRef, AnyEventObject, AnyMachineSnapshot, AnyStateMachine, AnyStateNode, InspectionEvent, SimulatedClock } from 'xstate';
import { createActor } from 'xstate';
import { TestModel } from 'xstate/graph';
import type { ScriptedModel } from '../adapters/scripted/index.js';
import type { ModelEventInput } from '../adapters/events.js';
import type { SessionContext, SessionEmittedType, SessionParentEvent } from '../machines/session/types.js';
import type { ToolOutcome, ToolStatus } from '../tools/call.machine.js';

// ── Transition coverage ─────────────────────────────────────────────────────────────────────────

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

// ── Session model: stimuli and abstraction ──────────────────────────────────────────────────────

/** A tool the stimuli may call: `approval` tools ask the application first. */
export interface ModelTool {
  name: string;
  approval?: boolean;
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

const TOOL_DONE = /^xstate\.done\.actor\.tool\.(.+)$/;

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
    { type: 'session.sendText', text: 'hello', respond: true },
    { type: 'session.sendAudio', audio: Buffer.alloc(4) },
    { type: 'session.commitAudio' },
    { type: 'session.clearAudio' },
    { type: 'session.createResponse' },
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
    { type: 'model.interrupted', source: 'user' },
    { type: 'model.outputAudioStarted' },
    { type: 'model.resumptionHandle', handle: 'h1', resumable: true },
    { type: 'model.resumptionHandle', handle: '', resumable: false },
    { type: 'model.usage', inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    { type: 'model.goAway', timeLeftMs: 1000 },
    { type: 'model.responseCreated', responseId: 'r' },
    { type: 'model.responseDone', status: 'completed' },
    { type: 'model.toolCallCancelled', callIds: ['ghost'] },
    // Decisions for a call that is not waiting for one are reported, not sent to a missing actor.
    { type: 'session.approveTool', callId: 'ghost' },
    { type: 'session.rejectTool', callId: 'ghost' },
    // A result for a call nobody is waiting for is refused, not sent to the provider.
    { type: 'session.toolResult', callId: 'ghost', output: { ok: true } },
  ];
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

/**
 * A finite abstraction of a session snapshot for `serializeState`: the state value plus what
 * decides the next transitions (outstanding calls and their phase, the queued swap, the active swap
 * (why, on failure, attempts), owed follow-up, goAway, in-place updates in flight, whether updates are
 * deferred). Connection ids, counters, configs and timestamps are left out, so the graph stays finite.
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
    goAway: ctx.goAwayDeadline !== null,
    inFlight: Object.keys(ctx.inFlightUpdates).sort(),
    deferred: Math.min(1, (ctx as { deferredUpdates?: unknown[] }).deferredUpdates?.length ?? 0),
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
    hasProducedAudio: ctx.hasProducedAudio,
    goAway: ctx.goAwayDeadline !== null,
    deferredUpdates: (ctx as { deferredUpdates?: unknown[] }).deferredUpdates?.length ?? 0,
    instructions: ctx.config.instructions,
  };
}

// ── Session driver: one path step on the real runtime ───────────────────────────────────────────

/** Gates for tool handlers: each call's `execute` waits until the driver settles it (either may come first). */
export class ToolGates {
  private gates = new Map<string, { promise: Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void; waited: boolean; settled: boolean }>();
  private gate(callId: string) {
    let g = this.gates.get(callId);
    if (!g) {
      let resolve!: (v: unknown) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<unknown>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined);
      g = { promise, resolve, reject, waited: false, settled: false };
      this.gates.set(callId, g);
    }
    return g;
  }
  /** Use in a tool's `execute`: resolves with what the driver settles. */
  wait(callId: string): Promise<unknown> {
    const g = this.gate(callId);
    g.waited = true;
    if (g.settled) this.gates.delete(callId);
    return g.promise;
  }
  settle(callId: string, status: 'succeeded' | 'failed'): void {
    const g = this.gate(callId);
    g.settled = true;
    if (g.waited) this.gates.delete(callId); // call ids are reused once settled
    if (status === 'succeeded') g.resolve({ ok: true });
    else g.reject(new Error('tool failed (model-based test)'));
  }
}

export interface SessionDriverOptions {
  /** The session actor under test (created with `createSessionLogic` + `createActor`). */
  actor: AnyActorRef;
  /** The scripted model it was created with: model events are pushed on its newest connection. */
  model: ScriptedModel;
  /** The clock the actor was created with: `xstate.after.*` steps advance it. */
  clock: SimulatedClock;
  /** Gates the tool handlers wait on. */
  gates: ToolGates;
  /** How far a timer step advances the clock (default one hour: beyond any session delay). */
  timerStepMs?: number;
}

/** Waits for a condition without yielding to timers first (so adapter timers cannot interleave), then polls. */
export async function settle(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await Promise.resolve();
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`model-based step: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/**
 * Maps path steps to the real runtime: `session.*` intents are sent to the actor, `model.*`
 * events are pushed by the scripted model (create it with `autoRespond: false` and a long
 * `connectDelayMs` so it does nothing by itself), `tool.ready` waits for the real tool actor to
 * ask for its slot (approving it first if it needs approval), `xstate.done.actor.tool.*` settles
 * the tool's gate (or rejects it through `session.rejectTool`) and waits for the session to settle
 * the call, and `xstate.after.*` advances the simulated clock.
 */
export function createSessionDriver(options: SessionDriverOptions) {
  const { actor, model, clock, gates } = options;
  const ctx = () => actor.getSnapshot().context as SessionContext;
  const approvals = new Set<string>();
  actor.on?.('tool_approval_requested', (e: { callId: string }) => approvals.add(e.callId));
  return {
    async exec(event: AnyEventObject): Promise<void> {
      const type = event.type;
      if (type === 'xstate.init') return;
      if (type.startsWith('session.')) return void actor.send(event);
      if (type.startsWith('model.')) return void model.push(event as ModelEventInput);
      if (type.startsWith('xstate.after.')) return void clock.increment(options.timerStepMs ?? 3_600_000);
      if (type === 'tool.ready') {
        const callId = (event as unknown as { callId: string }).callId;
        const ready = () => ctx().runningTools.includes(callId) || ctx().toolQueue.includes(callId);
        await settle(() => ready() || approvals.has(callId), `tool ${callId} to be ready or ask for approval`);
        if (!ready()) actor.send({ type: 'session.approveTool', callId });
        return settle(ready, `tool ${callId} to get its slot`);
      }
      const done = TOOL_DONE.exec(type);
      if (done) {
        const callId = done[1]!;
        const status = (event as unknown as { output: ToolOutcome }).output.status;
        if (status === 'rejected') {
          await settle(() => approvals.has(callId), `tool ${callId} to ask for approval`);
          actor.send({ type: 'session.rejectTool', callId, reason: 'model-based test' });
        } else {
          gates.settle(callId, status === 'succeeded' ? 'succeeded' : 'failed');
        }
        return settle(() => !ctx().toolCalls[callId], `the session to settle ${callId}`);
      }
      throw new Error(`createSessionDriver: no mapping for ${type}`);
    },
  };
}

// ── Parent machines that embed sessions ─────────────────────────────────────────────────────────

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
