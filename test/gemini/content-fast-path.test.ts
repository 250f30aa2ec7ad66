/**
 * Gemini content messages (audio parts, transcriptions) pass a hand-written check instead of zod's
 * `safeParse` (issue 15): valid ones never reach zod, and whatever the check accepts is what zod
 * would accept, unchanged. Messages the check refuses still go through zod and become the same
 * `invalid_frame` error. Frames come from the emulator over loopback; the session is real.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { contentMessage } from '../../adapters/gemini/content-check.js';
import { ServerMessageSchema } from '../../adapters/gemini/wire.js';
import { record, waitUntil } from '../session/event-log.js';
import { adapterFor, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
let sessions: RealtimeSession[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of sessions.splice(0)) await s.close();
});

const audio = { inlineData: { mimeType: 'audio/pcm;rate=24000', data: 'AAECAw==' } };

/** Valid and invalid messages around the content shape. */
const SAMPLES: unknown[] = [
  { serverContent: { modelTurn: { parts: [audio] } } },
  { serverContent: { modelTurn: { role: 'model', parts: [audio, { text: 'hi' }, { text: 'x', thought: true }, {}] } } },
  { serverContent: { outputTranscription: { text: 'Hel' } }, usageMetadata: { totalTokenCount: 3 } },
  { serverContent: { inputTranscription: {}, turnComplete: true, turnCompleteReason: 'DONE', waitingForInput: false, extra: [1] }, other: 1 },
  { serverContent: { interrupted: true, generationComplete: true } },
  { serverContent: {} },
  { serverContent: { modelTurn: {} } },
  { serverContent: { modelTurn: { parts: [{ inlineData: { data: 5 } }] } } },
  { serverContent: { modelTurn: { parts: [null] } } },
  { serverContent: { modelTurn: { parts: {} } } },
  { serverContent: { modelTurn: [] } },
  { serverContent: { turnComplete: 'yes' } },
  { serverContent: { outputTranscription: { text: null } } },
  { serverContent: { inputTranscription: 'hi' } },
  { serverContent: null },
  { serverContent: [] },
  { serverContent: 'x' },
  { serverContent: {}, usageMetadata: { totalTokenCount: '3' } },
  { serverContent: {}, usageMetadata: null },
  { serverContent: {}, toolCall: { functionCalls: [] } },
  { serverContent: {}, setupComplete: {} },
  { setupComplete: {} },
  [],
  null,
];

describe('gemini: the content fast path', () => {
  it('accepts only what zod accepts, and returns what zod would', () => {
    let accepted = 0;
    for (const sample of SAMPLES) {
      const fast = contentMessage(sample);
      if (fast === undefined) continue;
      accepted++;
      const slow = ServerMessageSchema.safeParse(sample);
      expect(slow.success, JSON.stringify(sample)).toBe(true);
      expect(fast).toEqual(slow.data);
    }
    expect(accepted).toBe(7); // the first seven
  });

  it('plays audio and transcripts without zod, and still reports a bad content message as invalid_frame', async () => {
    const emu = await fx.emulator();
    const session = createRealtimeSession({ model: adapterFor(emu), instructions: 'You are a test.' });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    const zod = vi.spyOn(ServerMessageSchema, 'safeParse');
    emu.gemini.inject({ type: 'frame', frame: { serverContent: { modelTurn: { parts: [audio] }, outputTranscription: { text: 'Hel' } } } });
    emu.gemini.inject({ type: 'frame', frame: { serverContent: { modelTurn: { parts: [{ inlineData: { data: 5 } }] } } } });
    await waitUntil(() => log.of('audio').length === 1 && log.of('error').length === 1, 'the audio and the error');
    expect(log.of('audio').map((e) => [...e.audio])).toEqual([[0, 1, 2, 3]]);
    expect(log.of('transcript')).toMatchObject([{ role: 'assistant', text: 'Hel', isFinal: false }]);
    const [error] = log.of('error').map((e) => e.error);
    expect(error).toEqual({ code: 'invalid_frame', message: 'Gemini sent an unexpected message: serverContent.modelTurn.parts.0.inlineData.data: Invalid input: expected string, received number' });
    // Only the bad message went through zod.
    expect(zod).toHaveBeenCalledTimes(1);
  });
});
