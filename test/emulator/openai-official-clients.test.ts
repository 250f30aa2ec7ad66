/**
 * The OpenAI side of the emulator against the official clients.
 *
 * - `@openai/agents-realtime` (RealtimeSession over its Node `ws` transport) takes a plain `url`
 *   in `connect()`, so it runs a whole session with a tool call against the emulator.
 * - `openai`'s `OpenAIRealtimeWS` cannot be pointed at the emulator: `buildRealtimeURL` forces the
 *   `wss:` protocol on every URL (and custom builders must return `wss:`), and the emulator serves
 *   plain `ws:` on loopback. We check its URL/header contract instead: the emulator accepts exactly
 *   what that client sends (path `/v1/realtime`, `?model=`, `Authorization: Bearer`).
 */
import { RealtimeAgent, RealtimeSession, tool, type RealtimeItem } from '@openai/agents-realtime';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emulator: Emulator | undefined;
let session: RealtimeSession | undefined;
afterEach(async () => {
  session?.close();
  session = undefined;
  await emulator?.close();
  emulator = undefined;
});

function assistantText(history: RealtimeItem[]): string[] {
  return history.flatMap((item) =>
    item.type === 'message' && item.role === 'assistant'
      ? item.content.map((c) => ('transcript' in c && c.transcript) || ('text' in c && c.text) || '').filter(Boolean)
      : [],
  );
}

describe('emulator vs @openai/agents-realtime', () => {
  it('completes a session with a tool call (RealtimeSession, websocket transport, custom url)', async () => {
    emulator = await startEmulator({ openai: { apiKey: 'sk-emulator-test-key' } });
    const calls: string[] = [];
    const getWeather = tool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        calls.push(city);
        return { sky: 'sunny', city };
      },
    });
    const agent = new RealtimeAgent({ name: 'Assistant', instructions: 'Be brief.', tools: [getWeather] });
    session = new RealtimeSession(agent, { transport: 'websocket', model: 'gpt-realtime' });
    let audioChunks = 0;
    session.on('audio', () => audioChunks++);
    const history = new Promise<RealtimeItem[]>((resolve) => {
      session!.on('history_updated', (items) => {
        if (assistantText(items).some((t) => t.startsWith('Here is what I found'))) resolve(items);
      });
    });
    await session.connect({ apiKey: 'sk-emulator-test-key', url: emulator.openaiUrl });
    session.sendMessage('What is the weather in Paris?');

    const items = await Promise.race([history, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no spoken answer')), 5000))]);
    expect(calls).toEqual(['Paris']);
    expect(assistantText(items).pop()).toContain('get weather says sky sunny, city Paris');
    expect(audioChunks).toBeGreaterThan(0);
    const clientTypes = emulator.context.log.frames('in', 'openai').map((f) => (f as { type: string }).type);
    expect(clientTypes).toContain('session.update');
    expect(clientTypes.filter((t) => t === 'response.create').length).toBeGreaterThanOrEqual(1);
    expect(emulator.context.log.frames('out', 'openai').filter((f) => (f as { type: string }).type === 'error')).toEqual([]);
  });
});

describe('emulator vs the openai package connection contract', () => {
  it('accepts the handshake OpenAIRealtimeWS makes (path, ?model=, Bearer) and answers session.created', async () => {
    emulator = await startEmulator();
    const ws = new WebSocket(`${emulator.baseUrl}/v1/realtime?model=gpt-realtime`, { headers: { Authorization: 'Bearer sk-anything-1234' } });
    try {
      const first = await new Promise<Record<string, any>>((resolve, reject) => {
        ws.once('message', (data) => resolve(JSON.parse(String(data))));
        ws.once('error', reject);
        setTimeout(() => reject(new Error('no session.created')), 2000);
      });
      expect(first).toMatchObject({ type: 'session.created', session: { type: 'realtime', model: 'gpt-realtime', audio: { output: { format: { type: 'audio/pcm', rate: 24000 } } } } });
    } finally {
      ws.terminate();
    }
  });
});
