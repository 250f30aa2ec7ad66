/**
 * A call id runs at most once per session: a repeated function-call frame is ignored while the
 * call is outstanding, after it was answered, and after the connection was replaced; in both the
 * tool-actor path and the application path (`autoExecuteTools: false`).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRealtimeSession, defineTool } from '../../index.js';
import { MAX_ADMITTED_CALL_IDS } from '../../machines/session.setup.js';
import { createScriptedModel } from '../../testing.js';
import { record, tick, waitUntil } from '../helpers/wait.js';

type Model = ReturnType<typeof createScriptedModel>;

const outputsFor = (model: Model, callId: string) =>
  model.connections.flatMap((c) => c.intents).filter((i) => i.type === 'client.toolOutput' && i.callId === callId);

function countingTool() {
  const runs: string[] = [];
  const tool = defineTool({
    name: 'charge_card',
    description: 'Charges the card once',
    parameters: z.object({ cents: z.number() }),
    execute: ({ cents }, { callId }) => {
      runs.push(callId);
      return { charged: cents };
    },
  });
  return { tool, runs };
}

const callFrame = (callId: string) => ({ type: 'model.functionCall' as const, callId, name: 'charge_card', arguments: '{"cents":500}' });

describe('a repeated function-call frame', () => {
  it('does not run the tool again after the call was answered, on the same connection or a new one', async () => {
    const { tool, runs } = countingTool();
    const model = createScriptedModel({ autoRespond: false });
    const session = createRealtimeSession({ model, tools: [tool] });
    const log = record(session);
    await session.connect();

    model.push(callFrame('call_1'));
    await log.waitFor('tool_result');
    expect(outputsFor(model, 'call_1')).toHaveLength(1);

    // The same frame again after the answer.
    model.push(callFrame('call_1'));
    await log.waitFor('error', (e) => e.error.message.includes('call_1'));

    // And once more on a replacement connection (the provider dropped the socket and we reconnected).
    model.drop(1006, 'network');
    await log.waitFor('session_resumed');
    model.push(callFrame('call_1'));
    await waitUntil(() => log.of('error').filter((e) => e.error.message.includes('call_1')).length === 2, 'second duplicate reported');
    await tick(20);

    expect(runs).toEqual(['call_1']);
    expect(log.of('tool_call')).toHaveLength(1);
    expect(log.of('tool_result')).toHaveLength(1);
    expect(outputsFor(model, 'call_1')).toHaveLength(1);
    expect(log.of('error').every((e) => e.error.code === 'invalid_frame')).toBe(true);
    await session.close();
  });

  it('does not hand an answered call to the application again (autoExecuteTools: false)', async () => {
    const model = createScriptedModel({ autoRespond: false });
    const session = createRealtimeSession({
      model,
      tools: [{ name: 'charge_card', description: 'Charges the card once', parameters: { type: 'object' } }],
      autoExecuteTools: false,
    });
    const log = record(session);
    await session.connect();

    model.push(callFrame('call_app'));
    await log.waitFor('tool_call');
    await session.sendToolResult('call_app', { charged: 500 });
    await log.waitFor('tool_result');

    model.push(callFrame('call_app'));
    await log.waitFor('error', (e) => e.error.message.includes('call_app'));
    await tick(20);

    expect(log.of('tool_call')).toHaveLength(1);
    expect(outputsFor(model, 'call_app')).toHaveLength(1);
    // Nothing is waiting for a result, so a second answer is refused too.
    await expect(session.sendToolResult('call_app', { charged: 500 })).rejects.toMatchObject({ code: 'tool_error' });
    await session.close();
  });

  it('remembers a bounded number of call ids', async () => {
    const { tool, runs } = countingTool();
    const model = createScriptedModel({ autoRespond: false });
    const session = createRealtimeSession({ model, tools: [tool] });
    const log = record(session);
    await session.connect();
    const total = MAX_ADMITTED_CALL_IDS + 10;
    for (let i = 0; i < total; i++) model.push(callFrame(`call_${i}`));
    await waitUntil(() => log.of('tool_result').length === total, 'every call answered');
    expect(session.actor.getSnapshot().context.admittedCallIds).toHaveLength(MAX_ADMITTED_CALL_IDS);
    // The most recent ids are still refused.
    model.push(callFrame(`call_${total - 1}`));
    await log.waitFor('error');
    expect(runs).toHaveLength(total);
    await session.close();
  });
});
