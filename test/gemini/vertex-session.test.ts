/**
 * The Vertex flavour end to end (issue 11, item 8): the adapter on the Vertex path of the emulator,
 * whose `setupComplete` carries a `sessionId` as the real service's does, with a bearer token, a
 * text turn and a tool call (UUID ids, as Vertex sends them).
 */
import { describe, expect, it } from 'vitest';
import { startAdapter } from '../adapters/harness.js';
import { adapterFor, clientFrames, serverFrames, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
const TOKEN = 'ya29.vertex-token-for-tests-0123456789';
const weatherTool = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
type Json = Record<string, any>;

describe('gemini adapter on Vertex', () => {
  it('reports the Vertex sessionId, runs a turn and a tool call', async () => {
    const emu = await fx.emulator({ gemini: { apiKey: TOKEN } });
    const url = `${emu.baseUrl}/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent`;
    const adapter = adapterFor(emu, { apiKey: undefined, url, model: 'google/gemini-live-2.5-flash', vertex: { project: 'proj', location: 'us', accessToken: () => TOKEN } });
    const h = fx.track(startAdapter(adapter, { config: { tools: [weatherTool] } }));

    const connected = await h.waitForEvent('model.connected');
    const setupComplete = (serverFrames(emu, 'setupComplete')[0] as Json)['setupComplete'];
    expect(setupComplete.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(connected.providerSessionId).toBe(setupComplete.sessionId);
    expect((clientFrames(emu, 'setup')[0] as Json)['setup'].model).toBe('projects/proj/locations/us/publishers/google/models/gemini-live-2.5-flash');

    h.send({ type: 'client.text', text: 'hello' });
    await h.waitForEvent('model.responseDone');

    h.send({ type: 'client.text', text: 'what is the weather in Paris' });
    const call = await h.waitForEvent('model.functionCall');
    expect(call.callId).toMatch(/^[0-9a-f-]{36}$/);
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { temperature: 21 } });
    await h.waitForEvent('model.responseDone', (e) => e.responseId === call.responseId);
    expect((clientFrames(emu, 'toolResponse')[0] as Json)['toolResponse'].functionResponses[0]).toEqual({ id: call.callId, name: 'get_weather', response: { temperature: 21 } });
    const final = h.data.filter((d) => d.type === 'transcript' && d.role === 'assistant' && d.isFinal).at(-1);
    expect(final?.type === 'transcript' && final.text).toContain('21');
  });

  it('the Gemini API path keeps an empty setupComplete', async () => {
    const emu = await fx.emulator();
    const h = fx.start(emu);
    const connected = await h.waitForEvent('model.connected');
    expect((serverFrames(emu, 'setupComplete')[0] as Json)['setupComplete']).toEqual({});
    expect(connected.providerSessionId).toBeUndefined();
  });
});
