/**
 * Gemini 3.8 cancels a BLOCKING call when new input arrives, and one report says it does so without
 * `toolCallCancellation`, ignoring the late `toolResponse` (gemini-live-2026.md §2.1, [G4][G12]).
 * The emulator does that with `cancelToolCallsOnInterrupt: false`. voxstate must not wait for the
 * withdrawn call forever: the tool finishes, its output goes out (the server ignores it), and the turn
 * is free again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { geminiLive } from '../../adapters/gemini/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession, defineTool } from '../../index.js';
import { silence, tone } from '../gemini/fixture.js';
import { record, waitUntil } from '../session/event-log.js';

let emulator: Emulator | undefined;
const sessions: Array<ReturnType<typeof createRealtimeSession>> = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

describe('a blocking call Gemini 3.8 drops silently on barge-in', () => {
  it('does not hold the turn in executingTools: the call settles when the tool does, and the next request is answered', async () => {
    let release: (value: unknown) => void = () => {};
    const gate = new Promise((resolve) => (release = resolve));
    const tool = defineTool({ name: 'get_weather', description: 'Weather', parameters: z.object({ city: z.string() }), behavior: 'blocking', execute: async () => gate });
    emulator = await startEmulator({ gemini: { realtimeFactor: 20, cancelToolCallsOnInterrupt: false } });
    const session = createRealtimeSession({
      model: geminiLive({ apiKey: 'AIzaSyDROPPED-not-real-0123456789', url: emulator.geminiUrl, model: 'gemini-3.8-live' }),
      inputSampleRate: 16000,
      instructions: 'You are a helper.',
      tools: [tool],
    });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    await session.sendText('What is the weather in Paris?');
    const call = await log.waitFor('tool_call');
    // The user speaks over the call: the emulated 3.8 drops it without a toolCallCancellation.
    session.sendAudio(Buffer.concat([tone(300, 16000), silence(400, 16000)]));
    await log.waitFor('interrupted');
    release({ temperature: 21 });
    await waitUntil(() => log.of('tool_result').length === 1, 'the call settled');
    expect(log.of('tool_result')[0]).toMatchObject({ callId: call.callId, status: 'succeeded' });
    const gemini = emulator.context.log.entries.filter((e) => e.protocol === 'gemini');
    expect(gemini.some((e) => e.direction === 'out' && 'toolCallCancellation' in (e.frame as object))).toBe(false);
    await waitUntil(() => session.actor.getSnapshot().matches({ link: { connected: { turn: 'idle' } } }), 'the turn idle');
    expect((await session.sendText('Tell me a joke.').reply)?.status).toBe('completed');
  });
});
