/**
 * The session driver (`voxstate/testing`): plays one path step of the session model on a real
 * session actor, through the scripted adapter, tool gates and a simulated clock.
 */
import type { AnyActorRef, AnyEventObject, SimulatedClock } from 'xstate';
import type { ModelEventInput } from '../adapters/events.js';
import type { ScriptedModel } from '../adapters/scripted/index.js';
import type { SessionContext } from '../machines/session/types.js';
import type { ToolOutcome } from '../tools/call.machine.js';

/** The outcome event of a tool actor (`toolDoneEvent`), as a path step names it. */
const TOOL_DONE = /^xstate\.done\.actor\.tool\.(.+)$/;

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
        // Settled, or (a background call between two connections) its output held for the next one.
        return settle(() => !ctx().toolCalls[callId] || ctx().toolCalls[callId]!.held !== undefined, `the session to settle ${callId}`);
      }
      throw new Error(`createSessionDriver: no mapping for ${type}`);
    },
  };
}
