/**
 * Background tool calls across connection swaps, on both providers, the whole stack against the
 * emulator: a result held back (autoRespondTools off) stays answerable on the next connection with
 * its scheduling; a drop mid-call and a call finishing while no connection is up still deliver the
 * result once; on Gemini a WHEN_IDLE result that goes in as context waits for the current answer
 * (it does not cut it off) and the note does not make the model call the tool again; on OpenAI a
 * call whose item the history caps trimmed gets its result as context, not as an orphan output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { geminiLive } from '../../adapters/gemini/index.js';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession, defineTool, type ToolScheduling } from '../../index.js';
import { record, tick, waitUntil } from '../session/event-log.js';

type Json = Record<string, any>;
type Provider = 'openai' | 'gemini';
let emulator: Emulator | undefined;
const sessions: Array<ReturnType<typeof createRealtimeSession>> = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

/** A background weather tool that answers only when the test releases it. */
function slowWeather(scheduling: ToolScheduling) {
  let release: (value: unknown) => void = () => {};
  const gate = new Promise((resolve) => (release = resolve));
  let runs = 0;
  const tool = defineTool({
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: z.object({ city: z.string() }),
    behavior: 'background',
    scheduling,
    execute: async () => {
      runs++;
      return gate;
    },
  });
  return { tool, release: (value: unknown) => release(value), runs: () => runs };
}

interface OpenOptions {
  autoRespondTools?: boolean;
  realtimeFactor?: number;
  history?: { maxItems: number };
}

async function open(provider: Provider, tool: ReturnType<typeof slowWeather>['tool'], options: OpenOptions = {}) {
  const factor = options.realtimeFactor ?? 20;
  emulator = await startEmulator({ openai: { realtimeFactor: factor }, gemini: { realtimeFactor: factor } });
  const model =
    provider === 'openai'
      ? openaiRealtime({ apiKey: 'sk-test-bgswap-0123456789', url: emulator.openaiUrl, ...(options.history ? { history: options.history } : {}) })
      : geminiLive({ apiKey: 'AIzaSyBGSWAP-not-real-0123456789', url: emulator.geminiUrl, handleWaitMs: 200, model: 'gemini-3.8-live' });
  const session = createRealtimeSession({
    model,
    instructions: 'You are a helper.',
    tools: [tool],
    backgroundCallSwapWaitMs: 200,
    ...(options.autoRespondTools === undefined ? {} : { autoRespondTools: options.autoRespondTools }),
  });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  const entries = () => emulator!.context.log.entries.filter((e) => e.protocol === provider);
  const sent = () => entries().filter((e) => e.direction === 'in').map((e) => ({ connection: e.connection, frame: e.frame as Json }));
  const received = () => entries().filter((e) => e.direction === 'out').map((e) => ({ connection: e.connection, frame: e.frame as Json }));
  const lastConnection = () => entries().at(-1)!.connection;
  /** Frames that answer `callId` on the wire: an output / toolResponse, or a context note naming it. */
  const answers = (callId: string) =>
    sent().filter(({ frame }) => {
      // (A replayed `function_call` item names the call too; it is the question, not an answer.)
      if (frame['type'] === 'conversation.item.create') return frame['item']?.type === 'function_call_output' ? frame['item'].call_id === callId : frame['item']?.type === 'message' && JSON.stringify(frame).includes(`(${callId})`);
      if ('toolResponse' in frame) return frame['toolResponse'].functionResponses.some((r: Json) => r['id'] === callId);
      return 'clientContent' in frame && JSON.stringify(frame).includes(`(${callId})`);
    });
  const serverErrors = () => received().filter(({ frame }) => frame['type'] === 'error');
  return { session, log, sent, received, answers, lastConnection, serverErrors };
}

/** Drops the live connection (as a provider's 1011 would); the session reconnects. */
async function drop(provider: Provider, log: ReturnType<typeof record>) {
  const before = log.of('connected').length;
  (provider === 'openai' ? emulator!.openai : emulator!.gemini).inject({ type: 'close', code: 1011 });
  await waitUntil(() => log.of('connected').length > before, 'the reconnect');
}

/** A context change that needs a new connection: Gemini resumes; OpenAI is dropped and reconnects. */
async function swap(provider: Provider, session: ReturnType<typeof createRealtimeSession>, log: ReturnType<typeof record>) {
  if (provider === 'openai') return drop(provider, log);
  const before = log.of('session_resumed').length;
  await session.updateSession({ instructions: 'You are billing.' });
  await waitUntil(() => log.of('session_resumed').length > before, 'the resumption');
}

const spokeResult = (log: ReturnType<typeof record>) =>
  log.of('transcript').some((t) => t.role === 'assistant' && t.isFinal && t.text.includes('get weather says'));

for (const provider of ['openai', 'gemini'] as const) {
  describe(`background calls across swaps on ${provider}`, () => {
    it('autoRespondTools off: a result held back before a swap is still accepted after it, delivered once on the new connection', async () => {
      const weather = slowWeather('whenIdle');
      const { session, log, answers, lastConnection } = await open(provider, weather.tool, { autoRespondTools: false });
      await session.sendText('What is the weather in Paris?');
      const call = await log.waitFor('tool_call');
      await log.waitFor('response_done');
      weather.release({ temperature: 21 });
      await log.waitFor('tool_result');
      await swap(provider, session, log);
      await expect(session.sendToolResult(call.callId, { temperature: 21 })).resolves.toBeUndefined();
      await waitUntil(() => spokeResult(log), 'the result spoken');
      expect(answers(call.callId).map((a) => a.connection)).toEqual([lastConnection()]);
    });

    it('autoRespondTools off: a call running during a swap and settling after it is answerable by the application', async () => {
      const weather = slowWeather('whenIdle');
      const { session, log, answers, lastConnection } = await open(provider, weather.tool, { autoRespondTools: false });
      await session.sendText('What is the weather in Paris?');
      const call = await log.waitFor('tool_call');
      await log.waitFor('response_done');
      await swap(provider, session, log);
      weather.release({ temperature: 21 });
      await log.waitFor('tool_result');
      await expect(session.sendToolResult(call.callId, { temperature: 21 })).resolves.toBeUndefined();
      await waitUntil(() => spokeResult(log), 'the result spoken');
      expect(answers(call.callId).map((a) => a.connection)).toEqual([lastConnection()]);
    });

    it('autoRespondTools off: a silent result the application sends keeps its scheduling (no response asked for; SILENT on the wire)', async () => {
      const weather = slowWeather('silent');
      const { session, log, answers } = await open(provider, weather.tool, { autoRespondTools: false });
      await session.sendText('What is the weather in Paris?');
      const call = await log.waitFor('tool_call');
      await log.waitFor('response_done');
      weather.release({ temperature: 21 });
      await log.waitFor('tool_result');
      const responses = log.of('response_created').length;
      await session.sendToolResult(call.callId, { temperature: 21 });
      await waitUntil(() => answers(call.callId).length === 1, 'the output');
      await tick(400);
      expect(log.of('response_created')).toHaveLength(responses);
      if (provider === 'gemini') expect(answers(call.callId)[0]!.frame['toolResponse'].functionResponses[0].scheduling).toBe('SILENT');
    });

    it('a drop mid-call: the call keeps running, its result goes to the new connection once', async () => {
      const weather = slowWeather('whenIdle');
      const { session, log, answers, lastConnection, serverErrors } = await open(provider, weather.tool);
      await session.sendText('What is the weather in Paris?');
      const call = await log.waitFor('tool_call');
      await log.waitFor('response_done');
      await drop(provider, log);
      weather.release({ temperature: 21 });
      await waitUntil(() => spokeResult(log), 'the result spoken');
      expect(log.of('tool_result')).toEqual([expect.objectContaining({ callId: call.callId, status: 'succeeded', delivered: true })]);
      expect(answers(call.callId).map((a) => a.connection)).toEqual([lastConnection()]);
      expect(serverErrors()).toEqual([]);
    });

    it('a call finishing while no connection is up: its result is held and goes to the next connection once', async () => {
      const weather = slowWeather('whenIdle');
      const { session, log, answers, lastConnection, serverErrors } = await open(provider, weather.tool);
      await session.sendText('What is the weather in Paris?');
      const call = await log.waitFor('tool_call');
      await log.waitFor('response_done');
      // Released the moment the old connection is gone and before the new one is up.
      let releasedWhile = '';
      const watch = session.actor.subscribe((snapshot) => {
        if (releasedWhile || snapshot.matches({ link: 'connected' })) return;
        releasedWhile = JSON.stringify(snapshot.value);
        weather.release({ temperature: 21 });
      });
      await drop(provider, log);
      watch.unsubscribe();
      expect(releasedWhile).not.toBe('');
      await waitUntil(() => spokeResult(log), 'the result spoken');
      expect(log.of('tool_result')).toEqual([expect.objectContaining({ callId: call.callId, status: 'succeeded', delivered: true })]);
      expect(answers(call.callId).map((a) => a.connection)).toEqual([lastConnection()]);
      expect(session.actor.getSnapshot().matches({ link: { connected: { backgroundCalls: 'none' } } })).toBe(true);
      expect(serverErrors()).toEqual([]);
    });
  });
}

describe('a background result as context on Gemini', () => {
  it('WHEN_IDLE after a swap waits for the current answer (the reply completes, nothing is interrupted), and the note calls no tool', async () => {
    const weather = slowWeather('whenIdle');
    const { session, log, sent, received } = await open('gemini', weather.tool, { realtimeFactor: 2 });
    await session.sendText('What is the weather in Paris?');
    const call = await log.waitFor('tool_call');
    await log.waitFor('response_done');
    await swap('gemini', session, log);
    const story = session.sendText('Please tell me a long story about the sea, the wind, the boats and the harbour at night, with every detail.').reply;
    await waitUntil(() => log.of('response_created').length >= 2, 'the story to start');
    weather.release({ temperature: 21 });
    expect((await story)?.status).toBe('completed');
    await waitUntil(() => spokeResult(log), 'the result spoken');
    await tick(300);
    expect(received().some(({ frame }) => frame['serverContent']?.interrupted)).toBe(false);
    // The note went out after the story's turnComplete, as one clientContent asking for a reply.
    const noteAt = sent().findIndex(({ frame }) => JSON.stringify(frame).includes(`(${call.callId})`));
    expect(sent()[noteAt]!.frame['clientContent']?.turnComplete).toBe(true);
    // The note is not a user's request for the weather: the model makes no second call.
    expect(log.of('tool_call')).toHaveLength(1);
    expect(weather.runs()).toBe(1);
  });
});

describe('a background result on OpenAI whose call item was trimmed from the replayed history', () => {
  it('goes in as context (a user message naming the call), not as an output the server refuses', async () => {
    const weather = slowWeather('whenIdle');
    const { session, log, answers, lastConnection, serverErrors, sent } = await open('openai', weather.tool, { history: { maxItems: 2 } });
    await session.sendText('What is the weather in Paris?');
    const call = await log.waitFor('tool_call');
    await log.waitFor('response_done');
    // Two more turns push the function_call item out of the two-item history.
    await session.sendText('Tell me a joke.').reply;
    await session.sendText('And another one.').reply;
    await drop('openai', log);
    weather.release({ temperature: 21 });
    await waitUntil(() => spokeResult(log), 'the result spoken');
    expect(serverErrors()).toEqual([]);
    const onNew = answers(call.callId);
    expect(onNew.map((a) => a.connection)).toEqual([lastConnection()]);
    expect(onNew[0]!.frame['item']).toMatchObject({ type: 'message', role: 'user' });
    expect(sent().some(({ frame }) => frame['item']?.type === 'function_call_output' && frame['item']?.call_id === call.callId)).toBe(false);
  });
});
