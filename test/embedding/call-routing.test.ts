/**
 * Embedding: a call-routing parent machine invokes a session, reacts to its events in its own
 * transitions (no hand-written subscriptions), hands the caller from triage to billing with
 * `session.update` + a bridge message, and hangs up when the session closes.
 */
import { describe, expect, it } from 'vitest';
import { assign, createActor, sendTo, setup, waitFor } from 'xstate';
import { z } from 'zod';
import { createSessionLogic, defineTool, type SessionParentEvent } from '../../index.js';
import { createScriptedModel } from '../../testing.js';

function callRouter(options: { model: ReturnType<typeof createScriptedModel> }) {
  const transfer = defineTool({
    name: 'transfer_to_billing',
    description: 'Hand the caller to the billing agent',
    parameters: z.object({ reason: z.string() }),
    execute: ({ reason }) => ({ transferred: true, reason }),
  });
  const { logic, input } = createSessionLogic({
    model: options.model,
    instructions: 'You are triage.',
    tools: [transfer],
    autoConnect: true,
  });
  return setup({
    types: {
      events: {} as SessionParentEvent | { type: 'hangup' },
      context: {} as { log: string[] },
    },
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
      note: assign({ log: ({ context, event }) => [...context.log, event.type] }),
    },
  }).createMachine({
    id: 'callRouter',
    context: { log: [] },
    // The session's `closed` event arrives first (with code and reason); the call is over when the
    // session actor itself is done.
    invoke: { id: 'call', src: 'call', input, onDone: '.hungUp' },
    initial: 'ringing',
    on: { 'voxstate.closed': { actions: 'note' }, hangup: { actions: 'hangUp' } },
    states: {
      ringing: { on: { 'voxstate.connected': 'triage' } },
      triage: {
        on: {
          'voxstate.tool_result': { guard: 'isTransfer', target: 'transferring', actions: 'handOverToBilling' },
        },
      },
      transferring: {
        on: {
          'voxstate.session_updated': { actions: 'note' },
          'voxstate.session_resumed': { target: 'billing', actions: 'note' },
        },
      },
      billing: { on: { 'voxstate.response_done': { actions: 'note' } } },
      hungUp: { type: 'final' },
    },
  });
}

describe('embedding the session in a parent machine', () => {
  it('routes a call from triage to billing and hangs up on closed', async () => {
    const model = createScriptedModel({
      change: { instructions: 'resumption' },
      responses: [
        { toolCalls: [{ callId: 't1', name: 'transfer_to_billing', arguments: { reason: 'invoice question' } }] },
        { transcript: 'Transferring you now.' },
        { transcript: 'Billing here, how can I help?' },
      ],
    });
    const router = createActor(callRouter({ model }));
    router.start();
    await waitFor(router, (s) => s.matches('triage'), { timeout: 2000 });
    const call = router.getSnapshot().children['call']!;
    call.send({ type: 'session.sendText', text: 'I have a question about my invoice' });
    await waitFor(router, (s) => s.matches('billing'), { timeout: 2000 });
    // Queued while the tool turn was busy, then resumed with the new instructions and the bridge.
    expect(router.getSnapshot().context.log).toEqual(['voxstate.session_updated', 'voxstate.session_resumed']);
    expect(model.current().input).toMatchObject({ reason: 'mutation', config: { instructions: 'You are billing.' } });
    expect(model.current().intents[0]).toMatchObject({ type: 'client.text', text: 'The caller was transferred from triage to billing.' });
    await waitFor(router, (s) => s.context.log.includes('voxstate.response_done'), { timeout: 2000 });
    router.send({ type: 'hangup' });
    await waitFor(router, (s) => s.status === 'done', { timeout: 2000 });
    expect(router.getSnapshot().value).toBe('hungUp');
    expect(router.getSnapshot().context.log.at(-1)).toBe('voxstate.closed');
  });

  it('tags every parent event with the session id, so one parent can run several sessions', async () => {
    const model = createScriptedModel();
    const { logic, input } = createSessionLogic({ model, autoConnect: true });
    const seen: Array<{ type: string; sessionId: string }> = [];
    const parent = setup({
      types: { events: {} as SessionParentEvent },
      actors: { session: logic },
      actions: { remember: ({ event }) => { seen.push({ type: event.type, sessionId: event.sessionId }); } },
    }).createMachine({
      invoke: [
        { id: 'a', src: 'session', input },
        { id: 'b', src: 'session', input: { ...input, audio: undefined } },
      ],
      on: { 'voxstate.connected': { actions: 'remember' } },
    });
    const actor = createActor(parent).start();
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.map((e) => e.sessionId).sort()).toEqual(['a', 'b']);
    actor.stop();
  });
});
