/**
 * Embedding: a call-routing parent machine invokes a session, reacts to its events in its own
 * transitions (no hand-written subscriptions), hands the caller from triage to billing with
 * `session.update` + a bridge message, and hangs up when the session closes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
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
    // The documented pattern: the call is over when the session says `closed` (it comes after the
    // session actor is done, so going final on it stops nothing that still talks to us).
    invoke: { id: 'call', src: 'call', input },
    initial: 'ringing',
    on: { 'voxstate.closed': { target: '.hungUp', actions: 'note' }, hangup: { actions: 'hangUp' } },
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

/** XState's development build warns through console.warn when an event reaches a stopped actor. */
function captureWarnings(): string[] {
  const warnings: string[] = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  });
  return warnings;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('embedding the session in a parent machine', () => {
  it('routes a call from triage to billing and hangs up on closed, with no event sent to a stopped actor', async () => {
    const warnings = captureWarnings();
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
    // Let anything still in flight (the session's done event, adapter callbacks) arrive.
    await new Promise((r) => setTimeout(r, 20));
    expect(warnings.filter((w) => w.includes('stopped actor'))).toEqual([]);
  });

  it('gives a parent that waits for the session actor itself (onDone) the close code and reason as output', async () => {
    const warnings = captureWarnings();
    const model = createScriptedModel();
    const { logic, input } = createSessionLogic({ model, autoConnect: true });
    const parent = setup({
      types: { events: {} as SessionParentEvent | { type: 'hangup' }, context: {} as { output: unknown } },
      actors: { call: logic },
    }).createMachine({
      context: { output: undefined },
      invoke: { id: 'call', src: 'call', input, onDone: { target: '.over', actions: assign({ output: ({ event }) => event.output }) } },
      initial: 'live',
      on: { hangup: { actions: sendTo('call', { type: 'session.close' }) } },
      states: { live: {}, over: { type: 'final' } },
    });
    const actor = createActor(parent).start();
    await waitFor(actor, () => model.connections[0]?.connected === true, { timeout: 2000 });
    actor.send({ type: 'hangup' });
    await waitFor(actor, (s) => s.status === 'done', { timeout: 2000 });
    expect(actor.getSnapshot().context.output).toEqual({ code: 1000, reason: expect.any(String) });
    await new Promise((r) => setTimeout(r, 20));
    expect(warnings.filter((w) => w.includes('stopped actor'))).toEqual([]);
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
