/**
 * The docs/testing.md example: model-testing a parent machine that embeds a session (the call
 * router of test/embedding), with the `voxstate/testing` helpers. The parent's own definition is
 * the model; its `voxstate.*` events are the stimuli; each path runs against the real parent, the
 * real session and a scripted model.
 */
import { describe, expect, it } from 'vitest';
import { createActor, sendTo, setup, type AnyEventObject, type AnyMachineSnapshot } from 'xstate';
import { z } from 'zod';
import { createSessionLogic, defineTool, type SessionParentEvent } from '../../index.js';
import { createScriptedModel, type ScriptedModel } from '../../testing.js';
import {
  createEmbeddingTestModel,
  createTransitionCoverage,
  driveScriptedSession,
  serializeStateWith,
  sessionParentEvents,
  settle,
} from '../../testing.js';

// ── The parent under test (as in test/embedding/call-routing.test.ts) ──

function callRouter(model: ScriptedModel) {
  const transfer = defineTool({
    name: 'transfer_to_billing',
    description: 'Hand the caller to the billing agent',
    parameters: z.object({ reason: z.string() }),
    execute: ({ reason }) => ({ transferred: true, reason }),
  });
  const { logic, input } = createSessionLogic({ model, instructions: 'You are triage.', tools: [transfer], autoConnect: true });
  return setup({
    types: { events: {} as SessionParentEvent | { type: 'hangup' } },
    actors: { call: logic },
    guards: {
      isTransfer: ({ event }) => event.type === 'voxstate.tool_result' && event.name === 'transfer_to_billing' && event.status === 'succeeded',
    },
    actions: {
      handOverToBilling: sendTo('call', {
        type: 'session.update',
        requestId: 'to-billing',
        delta: { instructions: 'You are billing.' },
        bridgeMessage: 'The caller was transferred from triage to billing.',
      }),
      hangUp: sendTo('call', { type: 'session.close' }),
    },
  }).createMachine({
    id: 'callRouter',
    invoke: { id: 'call', src: 'call', input },
    initial: 'ringing',
    on: { 'voxstate.closed': '.hungUp', hangup: { actions: 'hangUp' } },
    states: {
      ringing: { on: { 'voxstate.connected': 'triage' } },
      triage: { on: { 'voxstate.tool_result': { guard: 'isTransfer', target: 'transferring', actions: 'handOverToBilling' } } },
      transferring: { on: { 'voxstate.session_resumed': 'billing' } },
      billing: { on: { 'voxstate.response_done': {} } },
      hungUp: { type: 'final' },
    },
  });
}

// ── The model: the parent's own definition, stimuli = what the session can tell it ──

/** Which session events can happen in each router state (the session's side of the contract). */
function stimuli(snapshot: AnyMachineSnapshot): AnyEventObject[] {
  // Before the session is connected it cannot report `closed` (a failed connect is an `error`).
  if (snapshot.matches('ringing')) return [{ type: 'hangup' }, ...sessionParentEvents('call', ['connected'])];
  const events: AnyEventObject[] = [{ type: 'hangup' }, ...sessionParentEvents('call', ['closed'])];
  if (snapshot.matches('triage')) {
    events.push(
      ...sessionParentEvents('call', ['tool_result'], { tool_result: { callId: 't1', name: 'transfer_to_billing' } }),
      ...sessionParentEvents('call', ['response_done']),
    );
  }
  if (snapshot.matches('transferring')) events.push(...sessionParentEvents('call', ['session_resumed']));
  if (snapshot.matches('billing')) events.push(...sessionParentEvents('call', ['response_done']));
  return events;
}

const scriptedOptions = { autoRespond: false, change: { instructions: 'resumption' as const } };
const testModel = createEmbeddingTestModel(callRouter(createScriptedModel(scriptedOptions)), {
  events: stimuli,
  serializeState: serializeStateWith(),
});

// ── Running a path on the real parent + session + scripted model ──

async function execute(router: ReturnType<typeof start>, event: AnyEventObject): Promise<void> {
  const { actor, model, received } = router;
  const seen = (type: string) => received.some((e) => e.type === type);
  switch (event.type) {
    case 'xstate.init':
      return;
    case 'hangup':
      actor.send({ type: 'hangup' });
      return;
    case 'voxstate.connected': // the session connects by itself (autoConnect)
      return settle(() => seen('voxstate.connected'), 'connected');
    case 'voxstate.session_resumed': // the queued update runs once the turn is idle: end the turn
      driveScriptedSession(model, { type: 'voxstate.response_done', responseId: 'r1', status: 'completed', reason: undefined, sessionId: 'call' });
      return settle(() => seen('voxstate.session_resumed'), 'session_resumed');
    case 'voxstate.closed':
      if (actor.getSnapshot().status === 'active' && !seen('voxstate.closed')) driveScriptedSession(model, event as SessionParentEvent);
      return settle(() => seen('voxstate.closed'), 'closed');
    default: {
      const before = received.filter((e) => e.type === event.type).length;
      driveScriptedSession(model, event as SessionParentEvent, { toolArguments: () => JSON.stringify({ reason: 'invoice' }) });
      return settle(() => received.filter((e) => e.type === event.type).length > before, event.type);
    }
  }
}

const coverage = createTransitionCoverage(callRouter(createScriptedModel()));

function start() {
  const model = createScriptedModel(scriptedOptions);
  const machine = callRouter(model);
  coverage.track(machine);
  const received: AnyEventObject[] = [];
  const actor = createActor(machine, {
    inspect: (e) => {
      coverage.inspect(e);
      if (e.type === '@xstate.event' && e.actorRef === actor && e.event.type.startsWith('voxstate.')) received.push(e.event);
    },
  });
  actor.start();
  return { actor, model, received };
}

describe('model-testing a parent machine that embeds a session (docs/testing.md)', () => {
  const [connected, transfer, resumed, responseDone, closed] = sessionParentEvents(
    'call',
    ['connected', 'tool_result', 'session_resumed', 'response_done', 'closed'],
    { tool_result: { callId: 't1', name: 'transfer_to_billing' } },
  );
  const paths = [
    ...testModel.getShortestPaths(),
    ...testModel.getSimplePaths(),
    // Targetless transitions (hangup only asks the session to close; response_done in billing is
    // observed, not acted on) lead to no new state, so no state-based path takes them: name them.
    ...testModel.getPathsFromEvents([connected!, { type: 'hangup' }, closed!]),
    ...testModel.getPathsFromEvents([connected!, transfer!, resumed!, responseDone!, { type: 'hangup' }, closed!]),
  ];
  const unique = [...new Map(paths.map((p) => [p.description, p])).values()];

  it('generates paths through every router state', () => {
    const states = new Set(unique.flatMap((p) => p.steps.map((s) => JSON.stringify(s.state.value))));
    expect([...states].sort()).toEqual(['"billing"', '"hungUp"', '"ringing"', '"transferring"', '"triage"']);
  });

  for (const path of unique) {
    it(path.description, async () => {
      const router = start();
      try {
        for (const step of path.steps) {
          await execute(router, step.event);
          const expected = step.state as AnyMachineSnapshot;
          await settle(() => JSON.stringify(router.actor.getSnapshot().value) === JSON.stringify(expected.value), `router in ${JSON.stringify(expected.value)}`);
          expect(router.actor.getSnapshot().value).toEqual(expected.value);
        }
      } finally {
        router.actor.stop();
      }
    });
  }

  it('covers every transition of the router', () => {
    expect(coverage.missing().map((t) => t.key), coverage.report()).toEqual([]);
  });
});
