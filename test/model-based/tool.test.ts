/**
 * Model-based tests of the tool-call machine: the real `toolCallMachine` traversed with
 * `xstate/graph`, every path replayed on a real tool actor (`createToolCallLogic` with a registry
 * whose handlers wait on gates), invoked by a small parent so `sendParent` has somewhere to go.
 * The prepare step's outcome is chosen by the tool the call names; the handler's outcome by the
 * gate; the timeout by a simulated clock. Fails if any transition of the tool machine is never taken.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock, createActor, setup, type AnyActorRef, type AnyEventObject, type AnyMachineSnapshot } from 'xstate';
import { z } from 'zod';
import { ToolRegistry, createToolCallLogic, defineTool, toolCallMachine } from '../../index.js';
import type { ToolCallContext } from '../../tools/call.machine.js';
import { ToolGates, createTransitionCoverage, settle } from '../../testing.js';
import { describePath, replay, shortestPlusEdges, type Path } from './paths.js';

const PREPARE = 'xstate.done.actor.0.toolCall.validating';
const PREPARE_FAILED = 'xstate.error.actor.0.toolCall.validating';
const EXECUTED = 'xstate.done.actor.0.toolCall.running';
const EXECUTE_FAILED = 'xstate.error.actor.0.toolCall.running';

/** Tools named after what `prepare` returns for them. */
const TOOL_FOR = (needsApproval: boolean, cancelOnInterrupt: boolean) => `tool_${needsApproval ? 'approval' : 'plain'}_${cancelOnInterrupt ? 'interruptible' : 'steady'}`;

function stimuli(snapshot: AnyMachineSnapshot): AnyEventObject[] {
  if (snapshot.status !== 'active') return [];
  const out: AnyEventObject[] = [
    { type: 'tool.start' },
    { type: 'tool.approve' },
    { type: 'tool.reject', reason: 'no' },
    { type: 'tool.interrupt' },
    { type: 'tool.cancel', reason: 'provider', silent: true },
    { type: PREPARE_FAILED, error: { message: 'unknown tool' } },
    { type: EXECUTED, output: { ok: true } },
    { type: EXECUTE_FAILED, error: { message: 'boom' } },
  ];
  for (const needsApproval of [false, true]) {
    for (const cancelOnInterrupt of [false, true]) {
      out.push({ type: PREPARE, output: { args: {}, needsApproval, cancelOnInterrupt, timeoutMs: undefined } });
    }
  }
  if (snapshot.matches('running')) out.push({ type: 'xstate.after.toolTimeout.toolCall.running' });
  return out;
}

const serialize = (s: AnyMachineSnapshot) => {
  const c = s.context as ToolCallContext;
  return JSON.stringify([s.status, s.value, c.needsApproval, c.cancelOnInterrupt, c.status ?? null, c.early]);
};

const input = { callId: 'c1', name: 'x', arguments: '{}', defaultTimeoutMs: 1_000 };
const coverage = createTransitionCoverage(toolCallMachine);
// The traversal's mock actor has no parent, so the two `sendParent` notifications (pure effects:
// no state or context change) are stubbed in the model. The chart is the real one.
const toolModel = toolCallMachine.provide({ actions: { requestApproval: () => {}, requestSlot: () => {} } });
const { paths } = shortestPlusEdges(toolModel, { input, events: stimuli, serializeState: serialize });

async function runPath(path: Path) {
  // The path's prepare step decides which tool the call names (and so what `prepare` returns);
  // events before it reach the actor while it is still validating.
  const prepared = path.steps.find((s) => s.event.type === PREPARE || s.event.type === PREPARE_FAILED)?.event as
    | (AnyEventObject & { output?: { needsApproval: boolean; cancelOnInterrupt: boolean } })
    | undefined;
  const name = prepared?.type === PREPARE ? TOOL_FOR(prepared.output!.needsApproval, prepared.output!.cancelOnInterrupt) : 'not_registered';
  const gates = new ToolGates();
  const registry = new ToolRegistry();
  for (const needsApproval of [false, true]) {
    for (const cancelOnInterrupt of [false, true]) {
      registry.register(
        defineTool({ name: TOOL_FOR(needsApproval, cancelOnInterrupt), parameters: z.object({}), needsApproval, cancelOnInterrupt, execute: (_a, ctx) => gates.wait(ctx.callId) }),
      );
    }
  }
  const logic = createToolCallLogic(registry);
  coverage.track(logic);
  const parent = setup({ actors: { tool: logic } }).createMachine({
    invoke: { id: 'tool', src: 'tool', input: { ...input, name } },
  });
  const clock = new SimulatedClock();
  const root = createActor(parent, { clock, inspect: coverage.inspect }).start();
  const tool = root.getSnapshot().children['tool'] as AnyActorRef;
  const snap = () => tool.getSnapshot() as AnyMachineSnapshot;
  const expected = replay(toolModel, input, path.steps.slice(1).map((s) => s.event)).steps;
  try {
    for (const [i, step] of path.steps.entries()) {
      const type = step.event.type;
      if (type === PREPARE || type === PREPARE_FAILED) {
        await settle(() => !snap().matches('validating'), 'prepare to finish');
      } else if (type === EXECUTED || type === EXECUTE_FAILED) {
        await settle(() => snap().matches('running'), 'the handler to start'); // already there; gates are per call
        gates.settle('c1', type === EXECUTED ? 'succeeded' : 'failed');
        await settle(() => snap().status === 'done', 'the outcome');
      } else if (type.startsWith('xstate.after.')) {
        clock.increment(60_000);
      } else if (type !== 'xstate.init') {
        tool.send(step.event);
      }
      const want = expected[i]!.state;
      expect([snap().status, snap().value, (snap().context as ToolCallContext).status], `after step ${i}: ${type}`).toEqual([
        want.status,
        want.value,
        (want.context as ToolCallContext).status,
      ]);
    }
  } finally {
    root.stop();
  }
}

describe('tool machine model', () => {
  afterAll(() => console.log(`[model-based] tool machine ${coverage.report()}`));

  it('generates a bounded set of paths', () => {
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.length).toBeLessThan(200);
  });

  for (const path of paths) it(describePath(path).replaceAll('done:0.toolCall.', 'done:').replaceAll('xstate.error.actor.0.toolCall.', 'error:').replaceAll('xstate.after.toolTimeout.toolCall.running', 'after:toolTimeout'), () => runPath(path));

  it('every transition of the tool machine was exercised on a real tool actor', () => {
    expect(coverage.missing().map((t) => t.key), coverage.report()).toEqual([]);
  });
});
