/**
 * A call id runs at most once per session: a repeated function-call frame is ignored while the
 * call is outstanding and after it was answered on the same connection; on a replacement
 * connection (the provider asks again) it is answered with the recorded output, without running
 * again. In both the tool-actor path and the application path (`autoExecuteTools: false`).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRealtimeSession, defineTool } from '../../index.js';
import { MAX_CALL_LEDGER } from '../../machines/session/context.js';
import { createScriptedModel } from '../../testing.js';
import { record, tick, waitUntil } from '../session/event-log.js';

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

    // And once more on a replacement connection (the provider dropped the socket and we reconnected):
    // that connection never got the answer, so it gets the recorded one, and the tool does not run.
    model.drop(1006, 'network');
    await log.waitFor('session_resumed');
    model.push(callFrame('call_1'));
    await waitUntil(() => model.connections[1]!.intents.some((i) => i.type === 'client.toolOutput'), 'the recorded output on connection 2');
    await tick(20);

    expect(runs).toEqual(['call_1']);
    expect(log.of('tool_call')).toHaveLength(1);
    expect(log.of('tool_result')).toHaveLength(1);
    const [first, again] = outputsFor(model, 'call_1');
    expect(again).toEqual(first);
    expect(model.connections.map((c) => c.intents.filter((i) => i.type === 'client.toolOutput').length)).toEqual([1, 1]);
    expect(log.of('error').filter((e) => e.error.message.includes('call_1'))).toHaveLength(1);
    expect(log.of('error').every((e) => e.error.code === 'invalid_frame')).toBe(true);
    // A third time on connection 2: it has the answer now, so the frame is ignored.
    model.push(callFrame('call_1'));
    await waitUntil(() => log.of('error').filter((e) => e.error.message.includes('call_1')).length === 2, 'second duplicate reported');
    expect(outputsFor(model, 'call_1')).toHaveLength(2);
    // The re-sent answer is followed by a request for the model's reply, as any answered call is.
    const second = model.connections[1]!.intents.map((i) => i.type);
    expect(second.indexOf('client.createResponse')).toBeGreaterThan(second.indexOf('client.toolOutput'));
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

  it('keeps a bounded ledger of calls', async () => {
    const { tool, runs } = countingTool();
    const model = createScriptedModel({ autoRespond: false });
    const session = createRealtimeSession({ model, tools: [tool] });
    const log = record(session);
    await session.connect();
    const total = MAX_CALL_LEDGER + 10;
    for (let i = 0; i < total; i++) model.push(callFrame(`call_${i}`));
    await waitUntil(() => log.of('tool_result').length === total, 'every call answered');
    const ledger = session.actor.getSnapshot().context.callLedger;
    expect(ledger).toHaveLength(MAX_CALL_LEDGER);
    expect(ledger.at(-1)).toMatchObject({ callId: `call_${total - 1}`, settled: true, output: { charged: 500 }, answeredOn: 1 });
    // The most recent ids are still refused.
    model.push(callFrame(`call_${total - 1}`));
    await log.waitFor('error');
    expect(runs).toHaveLength(total);
    await session.close();
  });
});
