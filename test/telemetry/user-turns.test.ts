/**
 * The report's user turns (issue 18 review): Gemini sends no end of speech, so a spoken turn is
 * counted by the user's final transcript; on OpenAI the end of speech and the transcript of the
 * same item count once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { geminiLive } from '../../adapters/gemini/index.js';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { createRuleBrain, startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { createRealtimeSession, silentLogger, type RealtimeSession } from '../../index.js';
import { record } from '../session/event-log.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function speakTwice(session: RealtimeSession, log: ReturnType<typeof record>): Promise<void> {
  for (const words of ['my name is ada', 'what time is it']) {
    const done = log.of('response_done').length;
    const speech = synthesize(words);
    for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
    session.sendAudio(Buffer.alloc(48_000));
    await log.waitFor('response_done', () => log.of('response_done').length > done);
  }
}

const finalUserTranscripts = (log: ReturnType<typeof record>) => log.of('transcript').filter((t) => t.role === 'user' && t.isFinal).length;

describe('report: user turns', () => {
  it('Gemini: two spoken turns count two (by their final user transcripts)', async () => {
    emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ['My name is Ada', 'What time is it'] }), gemini: { realtimeFactor: 8 } });
    const session = createRealtimeSession({ model: geminiLive({ apiKey: 'AIzaTURNS-not-real', url: emulator.geminiUrl }), transcription: {}, logger: silentLogger });
    const log = record(session);
    await session.connect();
    await speakTwice(session, log);
    await session.close();
    expect(log.of('speech_stopped')).toHaveLength(0);
    expect(finalUserTranscripts(log)).toBe(2);
    expect(session.report().turns.user).toBe(2);
  });

  it('OpenAI: end of speech and the transcript of the same item count once', async () => {
    emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ['My name is Ada', 'What time is it'] }), openai: { realtimeFactor: 8 } });
    const session = createRealtimeSession({ model: openaiRealtime({ apiKey: 'sk-turns', url: emulator.openaiUrl }), transcription: {}, logger: silentLogger });
    const log = record(session);
    await session.connect();
    await speakTwice(session, log);
    await session.close();
    expect(log.of('speech_stopped')).toHaveLength(2);
    expect(finalUserTranscripts(log)).toBe(2);
    expect(session.report().turns.user).toBe(2);
  });
});
