/**
 * The whole stack over real loopback sockets: createRealtimeSession + openaiRealtime() + the
 * emulator's OpenAI side. What the session machine promises, checked on the wire.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { createRuleBrain, startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { createRealtimeSession, defineTool } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';

const KEY = 'sk-test-integration-0123456789';
let emulator: Emulator | undefined;
const sessions: Array<ReturnType<typeof createRealtimeSession>> = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

const weather = defineTool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, sky: 'sunny', celsius: 21 }),
});
const forecast = defineTool({
  name: 'get_forecast',
  description: 'Tomorrow for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, tomorrow: 'rain' }),
});

async function open(options: Parameters<typeof startEmulator>[0] = {}, sessionOptions: Record<string, unknown> = {}) {
  emulator = await startEmulator(options);
  const session = createRealtimeSession({
    model: openaiRealtime({ apiKey: KEY, url: emulator.openaiUrl }),
    instructions: 'You are a weather assistant.',
    tools: [weather, forecast],
    ...sessionOptions,
  });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  const inbound = (type?: string, connection?: number) =>
    emulator!.context.log.entries
      .filter((e) => e.direction === 'in' && e.protocol === 'openai' && (connection === undefined || e.connection === connection))
      .map((e) => e.frame as Record<string, unknown>)
      .filter((f) => type === undefined || f['type'] === type);
  return { session, log, inbound, emulator };
}

describe('session over the OpenAI adapter and emulator', () => {
  it('runs parallel tool calls: N outputs, one response.create, then a spoken answer', async () => {
    const { session, log, inbound } = await open();
    await session.sendText('What is the weather and forecast in Paris?');
    await waitUntil(() => log.of('response_done').length >= 2, 'tool turn and answer');
    expect(log.of('tool_call').map((c) => c.name).sort()).toEqual(['get_forecast', 'get_weather']);
    expect(log.of('tool_result').every((r) => r.status === 'succeeded' && r.delivered)).toBe(true);
    const frames = inbound().map((f) => f['type']);
    const outputs = inbound('conversation.item.create').filter((f) => (f['item'] as { type: string }).type === 'function_call_output');
    expect(outputs).toHaveLength(2);
    // One response.create for the user's text, exactly one for the tool turn, after both outputs.
    expect(frames.filter((t) => t === 'response.create')).toHaveLength(2);
    const lastOutput = frames.lastIndexOf('conversation.item.create');
    expect(frames.indexOf('response.create', lastOutput)).toBeGreaterThan(lastOutput);
    const answer = log.of('transcript').filter((t) => t.role === 'assistant' && t.isFinal).at(-1)!;
    expect(answer.text).toMatch(/sunny/);
    expect(log.of('audio').length).toBeGreaterThan(0);
    expect(log.of('audio')[0]!.sampleRate).toBe(24_000);
  });

  it('applies an instruction change in place with session.update', async () => {
    const { session, inbound } = await open();
    expect(await session.updateSession({ instructions: 'You are now a pirate.' })).toBe('applied');
    const updates = inbound('session.update');
    expect((updates.at(-1)!['session'] as { instructions: string }).instructions).toBe('You are now a pirate.');
    expect(emulator!.openai.connections()).toHaveLength(1);
  });

  it('changes the voice after audio through resumption, replays the conversation as text, then bridges', async () => {
    const { session, log, inbound } = await open({}, { voice: 'alloy' });
    await session.sendText('Say hello');
    await log.waitFor('response_done');
    expect(log.of('audio').length).toBeGreaterThan(0);
    expect(await session.updateSession({ voice: 'verse' }, { bridgeMessage: 'Continue in the new voice.' })).toBe('resumed');
    const [first, second] = [...new Set(emulator!.context.log.entries.filter((e) => e.protocol === 'openai').map((e) => e.connection))];
    expect(second).toBeDefined();
    const texts = () => inbound('conversation.item.create', second).map((f) => JSON.stringify(f));
    await waitUntil(() => texts().some((t) => t.includes('Continue in the new voice.')), 'bridge on the new connection');
    const update = inbound('session.update', second)[0]!['session'] as { audio: { output: { voice: string } } };
    expect(update.audio.output.voice).toBe('verse');
    const replayed = inbound('conversation.item.create', second).map((f) => f['item'] as { role?: string; content?: Array<{ text?: string }> });
    expect(replayed.some((i) => i.role === 'user' && i.content?.[0]?.text === 'Say hello')).toBe(true);
    expect(replayed.some((i) => i.role === 'assistant')).toBe(true);
    // The bridge is the last user message on the new connection, after the replay.
    expect(replayed.at(-1)).toMatchObject({ role: 'user', content: [{ text: 'Continue in the new voice.' }] });
    expect(log.of('session_resumed')[0]).toMatchObject({ reason: 'mutation', restored: true });
    expect(first).not.toBe(second);
  });

  it('replays a spoken turn before its answer even when its transcript arrived after the answer', async () => {
    // A delay far longer than the emulated answer takes, so the order holds on a loaded machine too.
    const { session, log, inbound } = await open(
      { brain: createRuleBrain({ transcripts: ['My name is Ada'] }), openai: { transcriptionDelayMs: 1500 } },
      { voice: 'alloy', transcription: {} },
    );
    const speech = synthesize('my name is ada');
    for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
    session.sendAudio(Buffer.alloc(24_000));
    await log.waitFor('response_done', undefined, 5000);
    const userTranscript = await log.waitFor('transcript', (e) => e.role === 'user' && e.isFinal, 5000);
    expect(userTranscript.text).toBe('My name is Ada');
    // The service's order, reproduced: the answer was done before the question's transcript came.
    expect(log.events.indexOf(log.of('response_done')[0]!)).toBeLessThan(log.events.indexOf(userTranscript));
    expect(await session.updateSession({ voice: 'verse' })).toBe('resumed');
    const second = emulator!.openai.connections().at(-1);
    await waitUntil(() => inbound('conversation.item.create', second).length >= 2, 'the replay');
    const replayed = inbound('conversation.item.create', second).map((f) => f['item'] as { role?: string; content?: Array<{ text?: string }> });
    const question = replayed.findIndex((i) => i.role === 'user' && i.content?.[0]?.text === 'My name is Ada');
    const answer = replayed.findIndex((i) => i.role === 'assistant');
    expect(question).toBeGreaterThanOrEqual(0);
    expect(answer).toBeGreaterThan(question);
  });

  it('streams user audio byte-exactly and in order, and the emulator hears a spoken turn', async () => {
    const { session, log, inbound } = await open({ brain: undefined });
    const speech = synthesize('what is the weather in Paris');
    for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
    session.sendAudio(Buffer.alloc(24_000)); // 500 ms of silence ends the turn
    await log.waitFor('speech_stopped', undefined, 5000);
    const appended = Buffer.concat(inbound('input_audio_buffer.append').map((f) => Buffer.from(f['audio'] as string, 'base64')));
    expect(appended.equals(Buffer.concat([speech, Buffer.alloc(24_000)]))).toBe(true);
    expect(log.of('speech_started')).toHaveLength(1);
  });

  it('an unexpected server close reconnects and replays, without reporting a disconnect', async () => {
    const { session, log } = await open();
    await session.sendText('Remember the word banana');
    await log.waitFor('response_done');
    emulator!.openai.inject({ type: 'close', code: 1011, reason: 'server restart' });
    await log.waitFor('session_resumed');
    expect(log.of('session_resumed')[0]).toMatchObject({ reason: 'reconnect', restored: true });
    expect(log.of('closed')).toHaveLength(0);
    expect(session.connected).toBe(true);
    await session.sendText('still there?');
    await waitUntil(() => log.of('response_done').length >= 2, 'answer after reconnect');
  });

  it('keeps the API key out of every event', async () => {
    const { session, log } = await open();
    await session.sendText('What is the weather in Paris?');
    await waitUntil(() => log.of('response_done').length >= 2, 'answer');
    emulator!.openai.inject({ type: 'error', code: 'invalid_value', message: 'bad thing' });
    await log.waitFor('error');
    const text = JSON.stringify(log.events, (_k, v) => (Buffer.isBuffer(v) ? '[audio]' : v));
    expect(text).not.toContain(KEY);
    expect(JSON.stringify(session.actor.getSnapshot().context, (k, v) => (k === 'audio' || k === 'logger' ? undefined : v))).not.toContain(KEY);
  });
});
