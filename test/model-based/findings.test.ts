/**
 * Regression tests for machine bugs the model-based work found (fixed): each asserts the behaviour
 * the model and the API promise.
 */
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { createRealtimeSession } from '../../index.js';
import { createTransitionCoverage } from '../../testing.js';
import { createScriptedModel } from '../../testing.js';
import { waitUntil } from '../session/event-log.js';

describe('session machine findings (fixed)', () => {
  it('approveTool / rejectTool for an unknown or already settled call id leaves the session running', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model });
    const errors: unknown[] = [];
    session.actor.subscribe({ error: (e) => errors.push(e) }); // without an observer the error is thrown out of the process
    await session.connect();
    const reported: string[] = [];
    session.on('error', (e) => reported.push(e.error.message));
    // The events a parent machine sends (the facade refuses these ids before sending anything).
    session.actor.send({ type: 'session.approveTool', callId: 'no_such_call' });
    session.actor.send({ type: 'session.rejectTool', callId: 'no_such_call', reason: 'no' });
    expect(session.actor.getSnapshot().status).toBe('active');
    expect(errors).toEqual([]);
    expect(reported).toHaveLength(2);
    for (const message of reported) expect(message).toMatch(/^No tool call no_such_call is waiting for a decision/);
    await session.close();
  });

  it('an update deferred during a reconnect that ends in `failed` settles (instead of pending until close)', async () => {
    const model = createScriptedModel({ change: { instructions: 'resumption' }, connectDelayMs: 5, failConnect: (n) => n > 1 });
    const session = createRealtimeSession({ model, instructions: 'a', maxResumeAttempts: 1 });
    await session.connect();
    model.drop(); // unexpected drop → reconnect
    await waitUntil(() => session.actor.getSnapshot().matches({ link: 'resuming' }), 'resuming');
    let outcome = 'pending';
    session.updateSession({ instructions: 'b' }).then(
      (o) => (outcome = o),
      () => (outcome = 'rejected'),
    );
    await waitUntil(() => session.actor.getSnapshot().matches('failed'), 'failed');
    await new Promise((r) => setTimeout(r, 50));
    try {
      expect(outcome).toBe('rejected');
    } finally {
      await session.close();
    }
  });
});

describe('transition coverage helper', () => {
  it('a machine tracked after creation adds its transitions, so an unexercised one is reported missing', () => {
    const light = createMachine({ id: 'light', initial: 'off', states: { off: { on: { flip: 'on' } }, on: { on: { flip: 'off' } } } });
    const door = createMachine({ id: 'door', initial: 'shut', states: { shut: { on: { open: 'open' } }, open: {} } });
    const coverage = createTransitionCoverage(light);
    expect(coverage.all).toHaveLength(2);
    coverage.track(door);
    expect(coverage.all.map((t) => t.key)).toEqual(['light.off --flip--> light.on', 'light.on --flip--> light.off', 'door.shut --open--> door.open']);
    const actor = createActor(light, { inspect: coverage.inspect }).start();
    actor.send({ type: 'flip' });
    actor.stop();
    expect(coverage.missing().map((t) => t.key)).toEqual(['light.on --flip--> light.off', 'door.shut --open--> door.open']);
  });
});
