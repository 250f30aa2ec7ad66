/**
 * The call docs/testing.md recommends for targetless transitions, on a parent whose context
 * changes with every event (it logs them): `model.getPathsFromEvents([...])`. Prints the path it
 * returns as JSON. Run in a child process by paths-from-events.test.ts, because a traversal that
 * never ends would block a test worker for good.
 */
import { assign, sendTo, setup } from 'xstate';
import { createSessionLogic, type SessionParentEvent } from '../../../index.js';
import { createEmbeddingTestModel, createScriptedModel, sessionParentEvents } from '../../../testing.js';

const { logic, input } = createSessionLogic({ model: createScriptedModel({ autoRespond: false }), autoConnect: true });
const receptionist = setup({
  types: { events: {} as SessionParentEvent | { type: 'hangup' }, context: {} as { log: string[] } },
  actors: { call: logic },
  actions: { note: assign({ log: ({ context, event }) => [...context.log, event.type] }) },
}).createMachine({
  id: 'receptionist',
  context: { log: [] },
  invoke: { id: 'call', src: 'call', input },
  initial: 'ringing',
  on: { 'voxstate.closed': '.done', hangup: { actions: ['note', sendTo('call', { type: 'session.close' })] } },
  states: {
    ringing: { on: { 'voxstate.connected': { target: 'talking', actions: 'note' } } },
    talking: { on: { 'voxstate.response_done': { target: 'listening', actions: 'note' } } },
    listening: { on: { 'voxstate.response_done': { target: 'listening', actions: 'note' } } },
    done: { type: 'final' },
  },
});

const model = createEmbeddingTestModel(receptionist, {
  events: (s) =>
    s.matches('ringing')
      ? sessionParentEvents('call', ['connected'])
      : [...sessionParentEvents('call', ['response_done', 'closed']), { type: 'hangup' }],
});
const [connected, responseDone] = sessionParentEvents('call', ['connected', 'response_done']);
const paths = model.getPathsFromEvents([connected!, responseDone!, responseDone!, { type: 'hangup' }]);
console.log(JSON.stringify(paths.map((p) => ({ state: p.state.value, log: p.state.context.log, steps: p.steps.map((s) => s.event.type) }))));
