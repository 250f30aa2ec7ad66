/**
 * A switchboard machine that embeds two voice sessions (two callers at once) with
 * `createSessionLogic`. Each call starts in triage; when the model calls `transfer_to_billing`,
 * the call machine hands the caller to billing with `session.update` and a bridge message, and it
 * hangs up when the session reports `voxstate.closed`. No subscriptions: events drive transitions.
 *
 *   npx tsx examples/call-routing.ts
 */
import { createActor, sendTo, setup, toPromise } from 'xstate';
import { z } from 'zod';
import { openaiRealtime } from '../adapters/openai/index.js';
import { startEmulator } from '../emulator/index.js';
import { createSessionLogic, defineTool, type SessionParentEvent } from '../index.js';

const emulator = process.env.VOXSTATE_OPENAI_URL ? undefined : await startEmulator();
const transfer = defineTool({
  name: 'transfer_to_billing',
  description: 'Hand the caller over to the billing agent',
  parameters: z.object({ topic: z.string().optional() }),
  execute: () => ({ transferred: true }),
});
const { logic: session, input } = createSessionLogic({
  model: openaiRealtime({
    apiKey: process.env.OPENAI_API_KEY ?? 'sk-emulator',
    url: process.env.VOXSTATE_OPENAI_URL ?? emulator!.openaiUrl,
  }),
  instructions: 'You are triage. Transfer billing questions.',
  tools: [transfer],
  autoConnect: true,
});

const call = setup({
  types: { input: {} as { caller: string; says: string }, context: {} as { caller: string; says: string }, events: {} as SessionParentEvent },
  actors: { session },
  actions: {
    log: ({ context }, text: string) => console.log(`[${context.caller}] ${text}`),
    speak: sendTo('session', ({ context }) => ({ type: 'session.sendText' as const, text: context.says })),
    toBilling: sendTo('session', {
      type: 'session.update', requestId: 'to-billing', delta: { instructions: 'You are billing. Settle invoices.' },
      bridgeMessage: 'The caller was transferred from triage to billing.',
    }),
    hangUp: sendTo('session', { type: 'session.close' }),
  },
}).createMachine({
  context: ({ input }) => input,
  // Each call gets its own audio plane (output listeners, buffers); everything else is shared config.
  invoke: { id: 'session', src: 'session', input: { ...input, audio: undefined } },
  initial: 'ringing',
  on: { 'voxstate.closed': '.hungUp' },
  states: {
    ringing: { on: { 'voxstate.connected': { target: 'triage', actions: [{ type: 'log', params: 'connected to triage' }, 'speak'] } } },
    triage: {
      on: {
        'voxstate.tool_call': { guard: ({ event }) => event.name === 'transfer_to_billing', target: 'transferring' },
        'voxstate.response_done': { actions: [{ type: 'log', params: 'triage answered, hanging up' }, 'hangUp'] },
      },
    },
    transferring: {
      entry: [{ type: 'log', params: 'transfer requested → updating the session' }, 'toBilling'],
      on: { 'voxstate.session_updated': 'billing' },
    },
    billing: {
      entry: { type: 'log', params: 'now talking to billing' },
      on: { 'voxstate.response_done': { actions: [{ type: 'log', params: 'billing answered, hanging up' }, 'hangUp'] } },
    },
    hungUp: { type: 'final', entry: { type: 'log', params: 'hung up' } },
  },
});

/** One region per caller; the switchboard is done when every call has hung up. */
const line = (caller: string, says: string) => ({
  invoke: { src: 'call' as const, input: { caller, says }, onDone: '.done' },
  initial: 'live',
  states: { live: {}, done: { type: 'final' as const } },
});
const switchboard = setup({ actors: { call } }).createMachine({
  type: 'parallel',
  states: { alice: line('alice', 'I have a billing question about Invoice 1042'), bob: line('bob', 'What are your opening hours?') },
});

const actor = createActor(switchboard).start();
await toPromise(actor);
console.log('switchboard: both calls ended');
await emulator?.close();
