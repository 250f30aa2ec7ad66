/**
 * Background tools on Gemini 3.8 (issue 13 item 3), the whole stack against the emulator: a slow
 * NON_BLOCKING call while the user keeps talking, each `scheduling`, `behavior` explicit on every
 * declaration, the 3.1 Flash refusal, and a call still running when the connection is replaced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { geminiLive } from '../../adapters/gemini/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { ConfigValidationError, createRealtimeSession, defineTool, type ToolScheduling } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';

const KEY = 'AIzaSyBACKGROUND-not-real-0123456789';
let emulator: Emulator | undefined;
const sessions: Array<ReturnType<typeof createRealtimeSession>> = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

type Json = Record<string, any>;

/** A weather tool that answers only when the test releases it. */
function slowWeather(scheduling: ToolScheduling, behavior: 'background' | 'blocking' = 'background') {
  let release: (value: unknown) => void = () => {};
  const gate = new Promise((resolve) => (release = resolve));
  const tool = defineTool({
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: z.object({ city: z.string() }),
    behavior,
    scheduling,
    execute: async () => gate,
  });
  return { tool, release: (value: unknown) => release(value) };
}

async function open(tools: ReturnType<typeof slowWeather>['tool'][], options: { realtimeFactor?: number; backgroundCallSwapWaitMs?: number } = {}) {
  emulator = await startEmulator({ gemini: { realtimeFactor: options.realtimeFactor ?? 20 } });
  const session = createRealtimeSession({
    model: geminiLive({ apiKey: KEY, url: emulator.geminiUrl, handleWaitMs: 200, model: 'gemini-3.8-live' }),
    instructions: 'You are a helper.',
    tools: [...tools, defineTool({ name: 'book_table', description: 'Book a table', parameters: z.object({}), execute: () => ({ ok: true }) })],
    ...(options.backgroundCallSwapWaitMs === undefined ? {} : { backgroundCallSwapWaitMs: options.backgroundCallSwapWaitMs }),
  });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  const entries = () => emulator!.context.log.entries.filter((e) => e.protocol === 'gemini');
  const frames = (direction: 'in' | 'out', key: string) =>
    entries().filter((e) => e.direction === direction && key in (e.frame as Json)).map((e) => ({ ...e, frame: e.frame as Json }));
  const index = (direction: 'in' | 'out', key: string) => entries().findIndex((e) => e.direction === direction && key in (e.frame as Json));
  return { session, log, emulator, entries, frames, index };
}

const spokeResult = (log: ReturnType<typeof record>) =>
  log.of('transcript').some((t) => t.role === 'assistant' && t.isFinal && t.text.includes('get weather says'));

/**
 * A background weather call answered while a long answer is being spoken: the call is made, then a
 * story is asked for, and the result is released once the story has started. Returns when the
 * result has been spoken, with where the `toolResponse` sits in the emulator's log.
 */
async function resultDuringALongAnswer(scheduling: ToolScheduling) {
  const weather = slowWeather(scheduling);
  const { session, log, entries, index } = await open([weather.tool], { realtimeFactor: 2 });
  await session.sendText('What is the weather in Paris?');
  await log.waitFor('tool_call');
  await log.waitFor('response_done');
  void session.sendText('Please tell me a long story about the sea, the wind, the boats and the harbour at night.');
  await waitUntil(() => log.of('response_created').length >= 2, 'the story to start');
  weather.release({ temperature: 21 });
  await waitUntil(() => spokeResult(log), 'the result spoken');
  return { log, entries, responseAt: index('in', 'toolResponse') };
}

describe('background tools on Gemini 3.8', () => {
  it('declares behavior explicitly on every function; the model keeps answering while a slow call runs; the result comes WHEN_IDLE, once', async () => {
    const weather = slowWeather('whenIdle');
    const { session, log, frames } = await open([weather.tool]);
    const declarations = frames('in', 'setup')[0]!.frame.setup.tools[0].functionDeclarations as Json[];
    expect(declarations.map((d) => [d['name'], d['behavior']])).toEqual([['get_weather', 'NON_BLOCKING'], ['book_table', 'BLOCKING']]);

    await session.sendText('What is the weather in Paris?');
    const call = await log.waitFor('tool_call');
    // The model keeps talking while the call runs, and answers the user's next question.
    await log.waitFor('response_done');
    const next = session.sendText('Tell me something nice.');
    const answer = await next.reply;
    expect(answer?.status).toBe('completed');
    expect(log.of('tool_result')).toHaveLength(0);

    weather.release({ temperature: 21 });
    await waitUntil(() => spokeResult(log), 'the result spoken');
    const responses = frames('in', 'toolResponse').map((f) => f.frame.toolResponse.functionResponses[0]);
    expect(responses).toEqual([{ id: call.callId, name: 'get_weather', response: { temperature: 21 }, scheduling: 'WHEN_IDLE' }]);
    expect(log.of('tool_result')).toEqual([expect.objectContaining({ callId: call.callId, delivered: true })]);
  });

  it('INTERRUPT cuts the current output and speaks the result now', async () => {
    const { entries, responseAt } = await resultDuringALongAnswer('interrupt');
    const interruptedAt = entries().findIndex((e, i) => i > responseAt && e.direction === 'out' && (e.frame as Json)['serverContent']?.interrupted);
    expect(interruptedAt).toBeGreaterThan(responseAt);
  });

  it('WHEN_IDLE does not cut the current output: the result follows its turnComplete', async () => {
    const { log, entries, responseAt } = await resultDuringALongAnswer('whenIdle');
    expect(entries().some((e, i) => i > responseAt && e.direction === 'out' && (e.frame as Json)['serverContent']?.interrupted)).toBe(false);
    expect(log.of('response_done').find((r, i) => i === 1)?.status).toBe('completed');
  });

  // The server speaks a delivered result by itself after the current turn: that response is owed
  // like a request's reply, so queued texts wait for it instead of cutting it (and taking its cut,
  // empty response as their answer). Before, the replies came back completed, cancelled, cancelled.
  it('WHEN_IDLE result delivered while texts are queued: each text is answered once, in order, and the result is spoken uncut', async () => {
    const weather = slowWeather('whenIdle');
    const { session, log } = await open([weather.tool]);
    await session.sendText('What is the weather in Paris?');
    await log.waitFor('tool_call');
    const replies = [session.sendText('Tell me a joke.'), session.sendText('And another one.'), session.sendText('What time is it?')].map((r) => r.reply);
    setTimeout(() => weather.release({ temperature: 21 }), 150);
    const done = await Promise.all(replies);
    expect(done.map((d) => d?.status)).toEqual(['completed', 'completed', 'completed']);
    await waitUntil(() => spokeResult(log), 'the result spoken');
    await waitUntil(() => log.of('response_done').length >= 5, 'every response done');
    // Paris, the result, and the three texts: none was cut.
    expect(log.of('response_done').map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    expect(log.of('request_failed')).toHaveLength(0);
  });

  it('INTERRUPT result delivered while texts are queued: it cuts the answer being spoken (once), then the queued texts wait for its speech', async () => {
    const weather = slowWeather('interrupt');
    const { session, log } = await open([weather.tool]);
    await session.sendText('What is the weather in Paris?');
    await log.waitFor('tool_call');
    const replies = [session.sendText('Tell me a joke.'), session.sendText('And another one.'), session.sendText('What time is it?')].map((r) => r.reply);
    setTimeout(() => weather.release({ temperature: 21 }), 150);
    const done = await Promise.all(replies);
    await waitUntil(() => spokeResult(log), 'the result spoken');
    // At most the answer streaming when the result arrived is cut (INTERRUPT means that); the result's
    // own speech is never cut by a queued text, and every later text is answered.
    expect(done.filter((d) => d?.status !== 'completed').length).toBeLessThanOrEqual(1);
    expect(done.at(-1)?.status).toBe('completed');
    const resultDone = log.of('response_done').filter((r) => r.status !== 'completed');
    expect(resultDone.length).toBeLessThanOrEqual(1);
    expect(log.of('request_failed')).toHaveLength(0);
  });

  it('SILENT adds the result to the context without speech', async () => {
    const weather = slowWeather('silent');
    const { session, log, emulator, frames } = await open([weather.tool]);
    await session.sendText('What is the weather in Paris?');
    await log.waitFor('tool_call');
    await log.waitFor('response_done');
    const turnsBefore = frames('out', 'serverContent').length;
    weather.release({ temperature: 21 });
    await log.waitFor('tool_result');
    await waitUntil(() => frames('in', 'toolResponse').length === 1, 'the toolResponse');
    await new Promise((r) => setTimeout(r, 200));
    expect(frames('in', 'toolResponse')[0]!.frame.toolResponse.functionResponses[0].scheduling).toBe('SILENT');
    expect(frames('out', 'serverContent').length).toBe(turnsBefore);
    expect(emulator.gemini.history().some((t) => t.text.includes('get_weather returned'))).toBe(true);
  });

  it('a call still running when a resumption is queued: the swap waits at most the bound, the result goes to the new connection once, as context', async () => {
    const weather = slowWeather('whenIdle');
    const { session, log, entries } = await open([weather.tool], { backgroundCallSwapWaitMs: 300 });
    await session.sendText('What is the weather in Paris?');
    const call = await log.waitFor('tool_call');
    const calledAt = Date.now();
    await log.waitFor('response_done');
    expect(await session.updateSession({ instructions: 'You are billing.' })).toBe('queued');
    await log.waitFor('session_resumed');
    // It waited for the call (the bound runs from the call's start), and not for the call to end.
    expect(Date.now() - calledAt).toBeGreaterThanOrEqual(250);
    expect(log.of('tool_result')).toHaveLength(0);
    weather.release({ temperature: 21 });
    await log.waitFor('tool_result');
    const connections = [...new Set(entries().map((e) => e.connection))];
    const second = connections.at(-1);
    const toNew = () => entries().filter((e) => e.connection === second && e.direction === 'in');
    const notesOf = () => toNew().filter((e) => JSON.stringify(e.frame).includes(call.callId));
    // The note reaches the emulator a few milliseconds after `tool_result` is emitted.
    await waitUntil(() => notesOf().length >= 1, 'the context note on the new connection');
    // A resumed Gemini session is not known to accept a toolResponse for an id of the old socket:
    // the result goes in as context (a user turn naming the call), never as a toolResponse.
    expect(toNew().filter((e) => 'toolResponse' in (e.frame as Json))).toHaveLength(0);
    const notes = notesOf();
    expect(notes).toHaveLength(1);
    expect(JSON.stringify(notes[0]!.frame)).toContain('temperature');
    expect(log.of('tool_result')).toEqual([expect.objectContaining({ callId: call.callId, delivered: true })]);
  });

  it('a background tool on a model with synchronous calls only is a ConfigValidationError naming the model', () => {
    const weather = slowWeather('whenIdle');
    expect(() =>
      createRealtimeSession({
        model: geminiLive({ apiKey: KEY, url: 'ws://127.0.0.1:9', model: 'gemini-3.1-flash-live-preview' }),
        tools: [weather.tool],
      }),
    ).toThrow(ConfigValidationError);
    expect(() =>
      createRealtimeSession({ model: geminiLive({ apiKey: KEY, url: 'ws://127.0.0.1:9', model: 'gemini-3.1-flash-live-preview' }), tools: [weather.tool] }),
    ).toThrow(/gemini-3\.1-flash-live-preview/);
  });
});
