/**
 * The OpenAI side of the emulator against the official clients, over loopback:
 *
 * - `openai`'s `OpenAIRealtimeWS` forces `wss:` (its `buildRealtimeURL` rewrites every base URL),
 *   so it connects to `startEmulator({ tls: true })`; the self-signed certificate is trusted by
 *   passing it as `ca` in the client's `ws` options, in-process.
 * - `@openai/agents-realtime` (RealtimeSession over its Node `ws` transport) takes a plain `url`
 *   in `connect()`, and runs a spoken turn and a tool call. It retrieves every user audio item
 *   after its transcript and every truncated item, so the emulator must answer
 *   `conversation.item.retrieve` as the service does.
 *
 * Each test asserts that neither side saw an `error` event.
 */
import { RealtimeAgent, RealtimeSession, tool, type RealtimeItem } from '@openai/agents-realtime';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type { RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRuleBrain, startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';

let emulator: Emulator | undefined;
let session: RealtimeSession | undefined;
let rt: OpenAIRealtimeWS | undefined;
afterEach(async () => {
  session?.close();
  session = undefined;
  rt?.close();
  rt = undefined;
  await emulator?.close();
  emulator = undefined;
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))]);
}

function assistantText(history: RealtimeItem[]): string[] {
  return history.flatMap((item) =>
    item.type === 'message' && item.role === 'assistant'
      ? item.content.map((c) => ('transcript' in c && c.transcript) || ('text' in c && c.text) || '').filter(Boolean)
      : [],
  );
}

const serverErrors = () => emulator!.context.log.frames('out', 'openai').filter((f) => (f as { type: string }).type === 'error');
const clientTypes = () => emulator!.context.log.frames('in', 'openai').map((f) => (f as { type: string }).type);

function weatherTool(calls: string[]) {
  return tool({
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city);
      return { sky: 'sunny', city };
    },
  });
}

describe('emulator vs @openai/agents-realtime', () => {
  it('completes a text turn with a tool call (RealtimeSession, websocket transport, custom url)', async () => {
    emulator = await startEmulator({ openai: { apiKey: 'sk-emulator-test-key' } });
    const calls: string[] = [];
    const agent = new RealtimeAgent({ name: 'Assistant', instructions: 'Be brief.', tools: [weatherTool(calls)] });
    session = new RealtimeSession(agent, { transport: 'websocket', model: 'gpt-realtime' });
    const errors: unknown[] = [];
    session.on('error', (e) => errors.push(e));
    let audioChunks = 0;
    session.on('audio', () => audioChunks++);
    const history = new Promise<RealtimeItem[]>((resolve) => {
      session!.on('history_updated', (items) => {
        if (assistantText(items).some((t) => t.startsWith('Here is what I found'))) resolve(items);
      });
    });
    await session.connect({ apiKey: 'sk-emulator-test-key', url: emulator.openaiUrl });
    session.sendMessage('What is the weather in Paris?');

    const items = await within(history, 5000, 'spoken answer');
    expect(calls).toEqual(['Paris']);
    expect(assistantText(items).pop()).toContain('get weather says sky sunny, city Paris');
    expect(audioChunks).toBeGreaterThan(0);
    expect(clientTypes()).toContain('session.update');
    expect(errors).toEqual([]);
    expect(serverErrors()).toEqual([]);
  });

  it('a spoken user turn (semantic VAD, transcription) with a tool call gets no error event', async () => {
    emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ['What is the weather in Rome?'] }) });
    const calls: string[] = [];
    const agent = new RealtimeAgent({ name: 'Assistant', instructions: 'Be brief.', tools: [weatherTool(calls)] });
    session = new RealtimeSession(agent, { transport: 'websocket', model: 'gpt-realtime' });
    const errors: unknown[] = [];
    session.on('error', (e) => errors.push(e));
    const answered = new Promise<RealtimeItem[]>((resolve) => {
      session!.on('history_updated', (items) => {
        const userHeard = items.some(
          (i) => i.type === 'message' && i.role === 'user' && i.content.some((c) => 'transcript' in c && c.transcript === 'What is the weather in Rome?'),
        );
        if (userHeard && assistantText(items).some((t) => t.includes('city Rome'))) resolve(items);
      });
    });
    await session.connect({ apiKey: 'sk-anything', url: emulator.openaiUrl });
    // The user speaks (synthetic syllables), then is silent long enough for semantic VAD (500 ms).
    const speech = Buffer.concat([synthesize('what is the weather in rome'), Buffer.alloc(24_000 * 2)]);
    for (let offset = 0; offset < speech.length; offset += 4800) {
      const chunk = speech.subarray(offset, offset + 4800);
      session.sendAudio(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length) as ArrayBuffer);
    }

    await within(answered, 5000, 'the spoken turn answered through the tool');
    expect(calls).toEqual(['Rome']);
    // The SDK asked for the transcribed user item, and the emulator answered it.
    expect(clientTypes()).toContain('conversation.item.retrieve');
    expect(emulator.context.log.frames('out', 'openai').some((f) => (f as { type: string }).type === 'conversation.item.retrieved')).toBe(true);
    expect(errors).toEqual([]);
    expect(serverErrors()).toEqual([]);
  });
});

describe('emulator vs openai OpenAIRealtimeWS (wss, self-signed certificate)', () => {
  it('connects over TLS, updates the session and streams a response with no error event', async () => {
    emulator = await startEmulator({ tls: true });
    expect(emulator.openaiUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/v1\/realtime\?model=gpt-realtime-2\.1$/);
    const client = new OpenAI({ apiKey: 'sk-anything-1234', baseURL: `https://127.0.0.1:${emulator.port}/v1` });
    rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca: emulator.certificate } }, client);
    const received: RealtimeServerEvent[] = [];
    const errors: unknown[] = [];
    rt.on('event', (event) => received.push(event));
    rt.on('error', (error) => errors.push(error));
    await within(new Promise<void>((resolve) => rt!.socket.once('open', () => resolve())), 3000, 'TLS handshake');

    rt.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Be brief.', output_modalities: ['audio'] } });
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello over TLS' }] } });
    rt.send({ type: 'response.create' });
    await within(
      new Promise<void>((resolve) => rt!.on('response.done', () => resolve())),
      5000,
      'response.done',
    );
    const types = received.map((e) => e.type);
    expect(types[0]).toBe('session.created');
    expect(types).toContain('session.updated');
    expect(types).toContain('response.output_audio.delta');
    const transcript = received.find((e) => e.type === 'response.output_audio_transcript.done');
    expect(transcript).toMatchObject({ transcript: expect.stringContaining('Hello over TLS') });
    expect(errors).toEqual([]);
    expect(serverErrors()).toEqual([]);
  });
});
