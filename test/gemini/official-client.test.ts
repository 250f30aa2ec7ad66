/**
 * The official `@google/genai` client against the emulator, with only `httpOptions.baseUrl` (and
 * `apiVersion`) pointing it there (issue 11, item 15): the Gemini API and Vertex, a setup, a text
 * turn and a tool call answered with `sendToolResponse`. Loopback only.
 */
import { describe, expect, it } from 'vitest';
import { GoogleGenAI, Modality, Type, type GoogleGenAIOptions, type LiveServerMessage, type Session } from '@google/genai';
import type { Emulator } from '../../emulator/index.js';
import { clientFrames, until, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
const KEY = 'AIzaSyOFFICIAL-client-not-real-01234';
type Json = Record<string, any>;

const weather = {
  functionDeclarations: [
    { name: 'get_weather', description: 'Weather for a city', parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] } },
  ],
};

async function conversation(emu: Emulator, options: GoogleGenAIOptions): Promise<{ messages: LiveServerMessage[]; session: Session }> {
  const ai = new GoogleGenAI(options);
  const messages: LiveServerMessage[] = [];
  const session = await ai.live.connect({
    model: 'gemini-live-2.5-flash-preview',
    config: { responseModalities: [Modality.TEXT], tools: [weather] },
    callbacks: { onmessage: (m) => messages.push(m) },
  });
  const turns = () => messages.filter((m) => m.serverContent?.turnComplete).length;
  const text = (from: number) => messages.slice(from).flatMap((m) => m.serverContent?.modelTurn?.parts ?? []).map((p) => p.text ?? '').join('');

  // A text turn.
  session.sendClientContent({ turns: [{ role: 'user', parts: [{ text: 'hello there' }] }], turnComplete: true });
  await until(() => turns() === 1, 'the first turnComplete');
  expect(text(0)).toContain('hello there');

  // A tool call, answered with sendToolResponse; the continuation uses the answer.
  const before = messages.length;
  session.sendClientContent({ turns: [{ role: 'user', parts: [{ text: 'what is the weather in Paris' }] }], turnComplete: true });
  await until(() => messages.some((m) => m.toolCall), 'a toolCall');
  const call = messages.find((m) => m.toolCall)!.toolCall!.functionCalls![0]!;
  expect(call).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
  session.sendToolResponse({ functionResponses: [{ id: call.id!, name: call.name!, response: { temperature: 21 } }] });
  await until(() => turns() === 2, 'the continuation');
  expect(text(before)).toContain('21');
  expect((clientFrames(emu, 'toolResponse')[0] as Json)['toolResponse'].functionResponses[0]).toMatchObject({ id: call.id, response: { temperature: 21 } });
  return { messages, session };
}

describe('@google/genai live.connect against the emulator', () => {
  for (const apiVersion of [undefined, 'v1alpha', 'v1']) {
    it(`Gemini API, apiVersion ${apiVersion ?? 'default'}`, async () => {
      const emu = await fx.emulator({ gemini: { apiKey: KEY } });
      const httpOptions = { baseUrl: `http://127.0.0.1:${emu.port}`, ...(apiVersion ? { apiVersion } : {}) };
      const { messages, session } = await conversation(emu, { apiKey: KEY, httpOptions });
      session.close();
      expect(messages[0]!.setupComplete).toEqual({});
      expect((clientFrames(emu, 'setup')[0] as Json)['setup'].model).toBe('models/gemini-live-2.5-flash-preview');
    });
  }

  it('Vertex with only a base URL (the client connects to the base URL itself)', async () => {
    const emu = await fx.emulator();
    const { messages, session } = await conversation(emu, { vertexai: true, httpOptions: { baseUrl: `http://127.0.0.1:${emu.port}` } });
    session.close();
    expect(messages[0]!.setupComplete?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect((clientFrames(emu, 'setup')[0] as Json)['setup'].model).toBe('publishers/google/models/gemini-live-2.5-flash-preview');
  });

  it('Vertex with an API key (x-goog-api-key) and apiVersion v1', async () => {
    const emu = await fx.emulator({ gemini: { apiKey: KEY } });
    const { messages, session } = await conversation(emu, { vertexai: true, apiKey: KEY, httpOptions: { baseUrl: `http://127.0.0.1:${emu.port}/`, apiVersion: 'v1' } });
    session.close();
    expect(messages[0]!.setupComplete?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
