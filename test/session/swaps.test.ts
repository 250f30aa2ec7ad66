/**
 * Every connection swap is a transition of the chart (into the transient `swapping` state), never
 * an event raised inside an action, and the adapter's `reason` is derived from the swap record.
 */
import { describe, expect, it } from 'vitest';
import { createActor, type AnyMachineSnapshot, type AnyStateNode, type InspectionEvent } from 'xstate';
import { createRealtimeSession, createSessionLogic, realtimeSessionMachine, silentLogger } from '../../index.js';
import { connectReasonOf } from '../../machines/session/swap.js';
import { createScriptedModel } from '../../testing.js';
import { waitUntil } from './event-log.js';

function transitionsInto(node: AnyStateNode, targetId: string): string[] {
  const own = [...node.transitions.values()].flat().concat(node.always ?? [], node.after);
  const here = own
    .filter((t) => t.target?.some((target) => target.id === targetId))
    .map((t) => `${node.path.join('.')} --${t.eventType}${t.guard ? ` [${typeof t.guard === 'string' ? t.guard : (t.guard as { type?: string }).type}]` : ''}`);
  return [...here, ...Object.values(node.states).flatMap((child) => transitionsInto(child as AnyStateNode, targetId))];
}

describe('connection swaps are transitions', () => {
  it('the four swaps enter `swapping`, which enters link.resuming', () => {
    const into = transitionsInto(realtimeSessionMachine.root, 'realtimeSession.swapping');
    expect(into.sort()).toEqual([
      'link.connected --model.closed [shouldReconnect]',
      'link.connected.resumption.forced --',
      'link.connected.resumption.none --session.update [isTurnIdle]',
      'link.connected.resumption.pending -- [isTurnIdle]',
    ]);
    expect(transitionsInto(realtimeSessionMachine.root, 'realtimeSession.link.resuming')).toEqual(
      expect.arrayContaining(['swapping --', expect.stringMatching(/^resumeBackoff --xstate\.after\./)]),
    );
  });

  it('an update applied by reconnecting passes through `swapping` on the real runtime, and the adapter hears why', async () => {
    const model = createScriptedModel({ change: { instructions: 'resumption' } });
    const { logic, input } = createSessionLogic({ model, instructions: 'v1' });
    const microsteps: string[] = [];
    const inspect = (e: InspectionEvent) => {
      if (e.type !== '@xstate.microstep') return;
      const snapshot = e.snapshot as unknown as Partial<AnyMachineSnapshot>;
      if (snapshot.machine?.id === 'realtimeSession') microsteps.push(JSON.stringify(snapshot.value));
    };
    const actor = createActor(logic, { input, inspect }).start();
    actor.send({ type: 'session.connect' });
    await waitUntil(() => actor.getSnapshot().hasTag('live'), 'connected');
    actor.send({ type: 'session.update', requestId: 'r1', delta: { instructions: 'v2' } });
    await waitUntil(() => model.connections.length === 2 && actor.getSnapshot().matches({ link: 'connected' }), 'resumed');
    expect(microsteps).toContain('"swapping"');
    expect(model.connections.map((c) => c.input.reason)).toEqual(['initial', 'mutation']);
    model.drop();
    await waitUntil(() => model.connections.length === 3 && actor.getSnapshot().matches({ link: 'connected' }), 'reconnected');
    expect(model.connections[2]!.input.reason).toBe('reconnect');
    actor.stop();
  });
});

describe('connectReasonOf', () => {
  const swap = { requestIds: [], changed: [], bridgeMessage: undefined, onFailure: 'fail' as const, attempts: 0 };
  it('names the first connection initial, and a goAway swap a reconnect', () => {
    expect(connectReasonOf(null)).toBe('initial');
    expect(connectReasonOf({ ...swap, why: 'mutation' })).toBe('mutation');
    expect(connectReasonOf({ ...swap, why: 'goAway' })).toBe('reconnect');
    expect(connectReasonOf({ ...swap, why: 'reconnect' })).toBe('reconnect');
    expect(connectReasonOf({ ...swap, why: 'restore' })).toBe('restore');
  });
});

describe('updates requested while a swap is opening', () => {
  // Deferred during the swap, replayed through the chart once the new connection is up: each one is
  // handled on the new connection (a second swap, or in place) and every request settles. Before
  // swaps were transitions, a second one was handled on the connection being replaced and never
  // settled.
  it('two that need a reconnect and one applied in place all settle', async () => {
    const model = createScriptedModel({ change: { instructions: 'resumption', voice: 'resumption', temperature: 'inPlace' }, connectDelayMs: 30 });
    const session = createRealtimeSession({ model, instructions: 'v0', logger: silentLogger });
    try {
      await session.connect();
      const first = session.updateSession({ instructions: 'v1' });
      await waitUntil(() => session.actor.getSnapshot().matches({ link: 'resuming' }), 'the first swap opening');
      const second = session.updateSession({ voice: 'verse' });
      const third = session.updateSession({ temperature: 0.7 });
      const outcomes = await Promise.all([first.completion, second.completion, third.completion]);
      expect(outcomes).toEqual(['resumed', 'resumed', 'applied']);
      const config = session.actor.getSnapshot().context.config;
      expect({ instructions: config.instructions, voice: config.voice, temperature: config.temperature }).toEqual({ instructions: 'v1', voice: 'verse', temperature: 0.7 });
    } finally {
      await session.close();
    }
  });
});
