/**
 * The whole stack on Gemini Live: createRealtimeSession + geminiLive() + the emulator's Gemini
 * side, over loopback. Gemini cannot change instructions or tools on an open connection, so these
 * are the pending-resumption paths end to end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { geminiLive } from '../../adapters/gemini/index.js';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { createRealtimeSession, defineTool, type AnyToolDefinition } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';

const KEY = 'AIzaSyINTEGRATION-not-real-0123456789';
let emulator: Emulator | undefined;
const sessions: Array<ReturnType<typeof createRealtimeSession>> = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

type Json = Record<string, any>;

async function open(tools: AnyToolDefinition[] = [], options: StartEmulatorOptions = {}) {
  emulator = await startEmulator({ ...options, gemini: { realtimeFactor: 20, ...(options['gemini'] as object | undefined) } });
  const session = createRealtimeSession({
    // A 2.5 model: text and bridge messages go as clientContent (gemini-3* models take realtimeInput text).
    model: geminiLive({ apiKey: KEY, url: emulator.geminiUrl, handleWaitMs: 200, model: 'gemini-2.5-flash-native-audio-preview-12-2025' }),
    instructions: 'You are triage.',
    tools,
  });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  const entries = () => emulator!.context.log.entries.filter((e) => e.protocol === 'gemini');
  const connections = () => [...new Set(entries().map((e) => e.connection))];
  const inbound = (connection: number, key?: string) =>
    entries().filter((e) => e.direction === 'in' && e.connection === connection).map((e) => e.frame as Json).filter((f) => !key || key in f);
  return { session, log, emulator, entries, connections, inbound };
}

describe('session over the Gemini adapter and emulator', () => {
  it('queues a mutation while the model speaks and applies it after turnComplete with the latest handle, then the bridge', async () => {
    const { session, log, emulator, entries, connections, inbound } = await open([], { gemini: { realtimeFactor: 4 } });
    await session.sendText('Tell me about the weather in Paris');
    await log.waitFor('response_created');
    expect(await session.updateSession({ instructions: 'You are billing.' }, { bridgeMessage: 'You now handle billing.' })).toBe('queued');
    await log.waitFor('session_resumed', undefined, 5000);
    const [first, second] = connections();
    // The resumption waited for the turn: turnComplete on the old connection came first.
    const turnCompleteAt = entries().findIndex((e) => e.connection === first && e.direction === 'out' && (e.frame as Json)['serverContent']?.turnComplete);
    const newSetupAt = entries().findIndex((e) => e.connection === second && e.direction === 'in' && 'setup' in (e.frame as Json));
    expect(turnCompleteAt).toBeGreaterThanOrEqual(0);
    expect(turnCompleteAt).toBeLessThan(newSetupAt);
    // The new setup carries the new instruction and the newest resumable handle of the old connection.
    const handles = emulator.context.log.entries
      .filter((e) => e.connection === first && e.direction === 'out' && (e.frame as Json)['sessionResumptionUpdate']?.resumable)
      .map((e) => (e.frame as Json)['sessionResumptionUpdate'].newHandle as string);
    const setup = inbound(second!, 'setup')[0]!['setup'];
    expect(setup.systemInstruction.parts[0].text).toBe('You are billing.');
    expect(setup.sessionResumption.handle).toBe(handles.at(-1));
    // The bridge goes after the new setupComplete.
    await waitUntil(() => inbound(second!, 'clientContent').length > 0, 'bridge');
    const setupCompleteAt = entries().findIndex((e) => e.connection === second && e.direction === 'out' && 'setupComplete' in (e.frame as Json));
    const bridgeAt = entries().findIndex((e) => e.connection === second && e.direction === 'in' && 'clientContent' in (e.frame as Json));
    expect(setupCompleteAt).toBeLessThan(bridgeAt);
    expect(inbound(second!, 'clientContent')[0]!['clientContent'].turns[0].parts[0].text).toBe('You now handle billing.');
    // The emulator restored the earlier conversation from the handle.
    expect(emulator.gemini.history(second).some((t) => t.text.includes('weather in Paris'))).toBe(true);
  });

  it('goAway in the middle of a tool call: the tool is answered on the old connection, then the session resumes before the cut', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const weather = defineTool({
      name: 'get_weather',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        await gate;
        return { city, sky: 'clear' };
      },
    });
    const { session, log, emulator, connections, inbound } = await open([weather]);
    await session.sendText('What is the weather in Rome?');
    await log.waitFor('tool_call');
    const announced = Date.now();
    emulator.gemini.goAway(1500);
    await log.waitFor('go_away');
    release();
    await log.waitFor('session_resumed', undefined, 5000);
    // Proactive: the session replaced the connection itself, before the server's cut at 1.5 s
    // (a resumption after the cut would be the ordinary reconnect, reason 'reconnect').
    expect(Date.now() - announced).toBeLessThan(1500);
    expect(log.of('session_resumed')[0]!.reason).not.toBe('restore');
    const [first, second] = connections();
    expect(inbound(first!, 'toolResponse')).toHaveLength(1);
    expect(inbound(first!, 'toolResponse')[0]!['toolResponse'].functionResponses[0]).toMatchObject({ name: 'get_weather', response: { city: 'Rome', sky: 'clear' } });
    expect(inbound(second!, 'toolResponse')).toHaveLength(0);
    expect(inbound(second!, 'setup')[0]!['setup'].sessionResumption.handle).toEqual(expect.any(String));
    expect(log.of('tool_result')[0]).toMatchObject({ status: 'succeeded', delivered: true });
    expect(log.of('error')).toHaveLength(0);
    expect(log.of('closed')).toHaveLength(0);
  });

  it('toolCallCancellation aborts the running tool (its signal fires) and nothing is sent for it', async () => {
    let aborted = false;
    const slow = defineTool({
      name: 'get_weather',
      parameters: z.object({ city: z.string() }),
      execute: (_args, { signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          }),
        ),
    });
    const { session, log, connections, inbound } = await open([slow]);
    await session.sendText('What is the weather in Oslo?');
    await log.waitFor('tool_call');
    // The user barges in: speech during the outstanding call makes the server withdraw it.
    const speech = synthesize('never mind that');
    for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
    session.sendAudio(Buffer.alloc(24_000));
    const result = await log.waitFor('tool_result', undefined, 5000);
    expect(result).toMatchObject({ status: 'cancelled', delivered: false });
    expect(aborted).toBe(true);
    expect(inbound(connections()[0]!, 'toolResponse')).toHaveLength(0);
  });

  it('an unexpected close reconnects with the handle and the conversation survives', async () => {
    const { session, log, emulator, connections, inbound } = await open();
    await session.sendText('My name is Ada');
    await log.waitFor('response_done');
    emulator.gemini.inject({ type: 'close', code: 1011, reason: 'internal error' });
    await log.waitFor('session_resumed', undefined, 5000);
    const second = connections()[1]!;
    expect(inbound(second, 'setup')[0]!['setup'].sessionResumption.handle).toEqual(expect.any(String));
    expect(log.of('session_resumed')[0]).toMatchObject({ reason: 'reconnect', restored: true });
    expect(emulator.gemini.history(second).some((t) => t.text.includes('My name is Ada'))).toBe(true);
    expect(log.of('closed')).toHaveLength(0);
  });

  it('a handle the server no longer knows is dropped after its refusal: the session reconnects fresh', async () => {
    const { session, log, emulator, connections, inbound } = await open();
    await session.sendText('My name is Ada');
    await log.waitFor('response_done');
    await waitUntil(() => session.actor.getSnapshot().context.resumptionHandle !== undefined, 'a handle');
    emulator.gemini.expireHandles();
    emulator.gemini.inject({ type: 'close', code: 1011, reason: 'internal error' });
    await log.waitFor('session_resumed', undefined, 5000);
    const [, refused, fresh] = connections();
    expect(inbound(refused!, 'setup')[0]!['setup'].sessionResumption.handle).toEqual(expect.any(String));
    expect(inbound(fresh!, 'setup')[0]!['setup'].sessionResumption).toEqual({});
    expect(log.of('session_resumed')[0]).toMatchObject({ restored: false });
    expect(log.of('resumption_failed')).toHaveLength(0);
    expect(session.connected).toBe(true);
  });

  it('a transient refusal of a setup keeps the handle: the next attempt still restores the conversation', async () => {
    const { session, log, emulator, connections, inbound } = await open();
    await session.sendText('My name is Ada');
    await log.waitFor('response_done');
    await waitUntil(() => session.actor.getSnapshot().context.resumptionHandle !== undefined, 'a handle');
    const handle = session.actor.getSnapshot().context.resumptionHandle;
    emulator.gemini.refuseSetups(1, 1011, 'Internal error encountered.');
    // 1008 is also used for errors unrelated to the handle (seen in the wild for an unknown model).
    emulator.gemini.refuseSetups(1, 1008, 'models/gemini-x is not found for API version v1beta.');
    emulator.gemini.inject({ type: 'close', code: 1011, reason: 'internal error' });
    await log.waitFor('session_resumed', undefined, 5000);
    const [, refused, refusedAgain, next] = connections();
    expect(inbound(refused!, 'setup')[0]!['setup'].sessionResumption.handle).toBe(handle);
    expect(inbound(refusedAgain!, 'setup')[0]!['setup'].sessionResumption.handle).toBe(handle);
    expect(inbound(next!, 'setup')[0]!['setup'].sessionResumption.handle).toBe(handle);
    expect(log.of('session_resumed')[0]).toMatchObject({ restored: true });
    expect(emulator.gemini.history(next).some((t) => t.text.includes('My name is Ada'))).toBe(true);
  });

  it('ignores a non-empty handle marked not resumable, over the wire', async () => {
    const { session, log, emulator, connections, inbound } = await open();
    await session.sendText('hello');
    await log.waitFor('response_done');
    await waitUntil(() => session.actor.getSnapshot().context.resumptionHandle !== undefined, 'a handle');
    const usable = session.actor.getSnapshot().context.resumptionHandle;
    emulator.gemini.inject({ type: 'handle', newHandle: 'gh_not_resumable', resumable: false });
    // A malformed frame right behind it: once its error arrives, the handle frame has been read.
    emulator.gemini.inject({ type: 'malformed' });
    await log.waitFor('error', (e) => e.error.code === 'invalid_frame');
    expect(await session.updateSession({ instructions: 'v2' })).toBe('resumed');
    expect(inbound(connections()[1]!, 'setup')[0]!['setup'].sessionResumption.handle).toBe(usable);
  });

  it('never uses a handle the server marked not resumable', async () => {
    const { session, log, emulator, connections, inbound } = await open();
    await session.sendText('hello');
    await log.waitFor('response_done');
    const first = connections()[0]!;
    const updates = emulator.context.log.entries
      .filter((e) => e.connection === first && e.direction === 'out' && (e.frame as Json)['sessionResumptionUpdate'])
      .map((e) => (e.frame as Json)['sessionResumptionUpdate']);
    expect(updates.some((u) => u.resumable === false)).toBe(true);
    expect(await session.updateSession({ instructions: 'v2' })).toBe('resumed');
    const used = inbound(connections()[1]!, 'setup')[0]!['setup'].sessionResumption.handle;
    expect(updates.filter((u) => u.resumable).map((u) => u.newHandle)).toContain(used);
    expect(used).not.toBe('');
  });
});
