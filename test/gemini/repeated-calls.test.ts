/**
 * A repeated `toolCall` frame (same ids) must not re-arm calls this connection already settled
 * (issue 11, item 10, adapter side): no second `model.functionCall`, no phantom response, and a
 * second output for the id never reaches the wire.
 */
import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../adapters/events.js';
import { clientFrames, useGeminiFixture } from './helpers.js';

const fx = useGeminiFixture();
const weatherTool = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
const count = (events: ModelEvent[], type: ModelEvent['type']): number => events.filter((e) => e.type === type).length;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gemini adapter: repeated function-call frames', () => {
  it('an answered call id in a repeated toolCall is not a new call', async () => {
    const emu = await fx.emulator();
    const h = fx.start(emu, { config: { tools: [weatherTool] } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'what is the weather in Paris' });
    const call = await h.waitForEvent('model.functionCall');
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { temperature: 21 } });
    await h.waitForEvent('model.responseDone');

    emu.gemini.inject({ type: 'repeatToolCall' });
    await pause(50);
    // The adapter would answer a re-armed call; it must drop this output instead.
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { temperature: 22 } });
    await pause(50);

    expect(count(h.events, 'model.functionCall')).toBe(1);
    expect(count(h.events, 'model.responseCreated')).toBe(1);
    expect(clientFrames(emu, 'toolResponse')).toHaveLength(1);
  });

  it('a repeat while the call is still outstanding is not announced twice', async () => {
    const emu = await fx.emulator();
    const h = fx.start(emu, { config: { tools: [weatherTool] } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'what is the weather in Rome' });
    const call = await h.waitForEvent('model.functionCall');
    emu.gemini.inject({ type: 'repeatToolCall' });
    await pause(50);
    expect(count(h.events, 'model.functionCall')).toBe(1);
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { temperature: 25 } });
    await h.waitForEvent('model.responseDone');
    expect(clientFrames(emu, 'toolResponse')).toHaveLength(1);
    expect(count(h.events, 'model.responseDone')).toBe(1);
  });
});
