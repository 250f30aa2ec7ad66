/**
 * Background tools on OpenAI Realtime (issue 13 item 3), the whole stack against the emulator.
 * Every function call is asynchronous on the server; `scheduling` decides what voxstate does after
 * the output: `interrupt` cancels the active response and asks for one, `whenIdle` asks after the
 * current response (never a second active one), `silent` asks for nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession, defineTool, type ToolScheduling } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';

const KEY = 'sk-test-background-0123456789';
let emulator: Emulator | undefined;
const sessions: Array<ReturnType<typeof createRealtimeSession>> = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

type Json = Record<string, any>;

function slowWeather(scheduling: ToolScheduling) {
  let release: (value: unknown) => void = () => {};
  const gate = new Promise((resolve) => (release = resolve));
  const tool = defineTool({
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: z.object({ city: z.string() }),
    behavior: 'background',
    scheduling,
    execute: async () => gate,
  });
  return { tool, release: (value: unknown) => release(value) };
}

async function open(tool: ReturnType<typeof slowWeather>['tool'], options: { realtimeFactor?: number; backgroundCallSwapWaitMs?: number } = {}) {
  emulator = await startEmulator({ openai: { realtimeFactor: options.realtimeFactor ?? 20 } });
  const session = createRealtimeSession({
    model: openaiRealtime({ apiKey: KEY, url: emulator.openaiUrl }),
    instructions: 'You are a helper.',
    tools: [tool],
    ...(options.backgroundCallSwapWaitMs === undefined ? {} : { backgroundCallSwapWaitMs: options.backgroundCallSwapWaitMs }),
  });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  const entries = () => emulator!.context.log.entries.filter((e) => e.protocol === 'openai');
  /** Client frames, oldest first, as `type` (function outputs as `output:<call_id>`). */
  const sent = (connection?: number) =>
    entries()
      .filter((e) => e.direction === 'in' && (connection === undefined || e.connection === connection))
      .map((e) => e.frame as Json)
      .map((f) => (f['type'] === 'conversation.item.create' && f['item']?.type === 'function_call_output' ? `output:${f['item'].call_id}` : String(f['type'])));
  const errors = () => entries().filter((e) => e.direction === 'out' && (e.frame as Json)['type'] === 'error');
  return { session, log, sent, errors, entries };
}

/** Asks for the weather (a background call), then starts a long answer; resolves when it is streaming. */
async function callThenLongAnswer(session: ReturnType<typeof createRealtimeSession>, log: ReturnType<typeof record>) {
  await session.sendText('What is the weather in Paris?');
  const call = await log.waitFor('tool_call');
  await log.waitFor('response_done');
  void session.sendText('Please tell me a long story about the sea, the wind, the boats and the harbour at night, with every detail.');
  await waitUntil(() => log.of('response_created').length >= 2, 'the story to start');
  return call;
}

const spokeResult = (log: ReturnType<typeof record>) =>
  log.of('transcript').some((t) => t.role === 'assistant' && t.isFinal && t.text.includes('get weather says'));

describe('background tools on OpenAI', () => {
  it('the model keeps answering while a slow call runs; the output and one response.create follow, the call answered once', async () => {
    const weather = slowWeather('whenIdle');
    const { session, log, sent } = await open(weather.tool);
    await session.sendText('What is the weather in Paris?');
    const call = await log.waitFor('tool_call');
    await log.waitFor('response_done');
    // The call does not hold the turn: the next question is answered while it runs.
    const next = session.sendText('Tell me something nice.');
    expect((await next.reply)?.status).toBe('completed');
    expect(log.of('tool_result')).toHaveLength(0);
    weather.release({ temperature: 21 });
    await waitUntil(() => spokeResult(log), 'the result spoken');
    const frames = sent();
    expect(frames.filter((f) => f === `output:${call.callId}`)).toHaveLength(1);
    expect(frames.slice(frames.indexOf(`output:${call.callId}`))).toContain('response.create');
    expect(log.of('tool_result')).toEqual([expect.objectContaining({ callId: call.callId, delivered: true })]);
  });

  it('interrupt: cancels the active response, then asks for one (never two at once)', async () => {
    const weather = slowWeather('interrupt');
    const { session, log, sent, errors } = await open(weather.tool, { realtimeFactor: 2 });
    const call = await callThenLongAnswer(session, log);
    weather.release({ temperature: 21 });
    await waitUntil(() => spokeResult(log), 'the result spoken');
    const frames = sent();
    const cancelAt = frames.indexOf('response.cancel');
    const outputAt = frames.indexOf(`output:${call.callId}`);
    // The story is cancelled with the output, and the next response is asked for after both.
    expect(cancelAt).toBeGreaterThan(0);
    expect(Math.abs(cancelAt - outputAt)).toBe(1);
    expect(frames.indexOf('response.create', Math.max(cancelAt, outputAt))).toBeGreaterThan(Math.max(cancelAt, outputAt));
    expect(log.of('response_done').some((r) => r.status === 'cancelled')).toBe(true);
    expect(errors()).toEqual([]);
  });

  it('whenIdle: waits for the current response, then asks for one', async () => {
    const weather = slowWeather('whenIdle');
    const { session, log, sent, errors } = await open(weather.tool, { realtimeFactor: 4 });
    const call = await callThenLongAnswer(session, log);
    weather.release({ temperature: 21 });
    await waitUntil(() => sent().includes(`output:${call.callId}`), 'the output');
    const storyDone = log.of('response_done').length;
    expect(storyDone).toBe(1); // the story is still streaming: nothing asked yet
    expect(sent().slice(sent().indexOf(`output:${call.callId}`))).not.toContain('response.create');
    await waitUntil(() => spokeResult(log), 'the result spoken');
    expect(sent()).not.toContain('response.cancel');
    expect(log.of('response_done')[1]?.status).toBe('completed');
    expect(errors()).toEqual([]);
  });

  it('silent: sends the output and asks for no response', async () => {
    const weather = slowWeather('silent');
    const { session, log, sent } = await open(weather.tool);
    await session.sendText('What is the weather in Paris?');
    const call = await log.waitFor('tool_call');
    await log.waitFor('response_done');
    weather.release({ temperature: 21 });
    await log.waitFor('tool_result');
    await waitUntil(() => sent().includes(`output:${call.callId}`), 'the output');
    await new Promise((r) => setTimeout(r, 200));
    expect(sent().slice(sent().indexOf(`output:${call.callId}`))).toEqual([`output:${call.callId}`]);
    expect(log.of('response_created')).toHaveLength(1);
  });

  it('a call still running when a resumption is queued: the swap waits at most the bound; the output goes to the new connection once', async () => {
    const weather = slowWeather('whenIdle');
    const { session, log, sent, entries, errors } = await open(weather.tool, { backgroundCallSwapWaitMs: 300 });
    await session.sendText('What is the weather in Paris?');
    const call = await log.waitFor('tool_call');
    const calledAt = Date.now();
    await log.waitFor('response_done');
    // The voice cannot change once the model has spoken: a new connection (the history replayed).
    await session.sendText('Say hello.').reply;
    expect(await session.updateSession({ voice: 'echo' })).toBe('queued');
    await log.waitFor('session_resumed');
    expect(Date.now() - calledAt).toBeGreaterThanOrEqual(250);
    expect(log.of('tool_result')).toHaveLength(0);
    weather.release({ temperature: 21 });
    await waitUntil(() => spokeResult(log), 'the result spoken');
    const connections = [...new Set(entries().map((e) => e.connection))];
    expect(connections).toHaveLength(2);
    // The new connection replays the call item, so its output is a function_call_output there.
    expect(sent(connections[0]).filter((f) => f === `output:${call.callId}`)).toHaveLength(0);
    expect(sent(connections[1]).filter((f) => f === `output:${call.callId}`)).toHaveLength(1);
    expect(log.of('tool_result')).toEqual([expect.objectContaining({ callId: call.callId, delivered: true })]);
    expect(errors()).toEqual([]);
  });
});
