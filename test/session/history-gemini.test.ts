/**
 * `session.history` on Gemini Live, through the public API against the emulator (issue 13, item
 * 7): a spoken turn, a text turn and a tool call in spoken order with final transcripts, kept
 * across an update resumption without loss or duplicates.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { geminiLive } from '../../adapters/gemini/index.js';
import { createRuleBrain, startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { createRealtimeSession, silentLogger, type RealtimeSession } from '../../index.js';
import { record, waitUntil } from './event-log.js';
import { outline, weather } from './history-fixture.js';

const KEY = 'AIzaSyHISTORY-not-real-0123456789';
let emulator: Emulator | undefined;
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

describe('session.history on Gemini', () => {
  it('a spoken turn, a text turn and a tool call in spoken order, kept across an update resumption', async () => {
    emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ['My name is Ada'] }), gemini: { realtimeFactor: 20 } });
    const session = createRealtimeSession({
      // A 2.5 model: text goes as clientContent.
      model: geminiLive({ apiKey: KEY, url: emulator.geminiUrl, handleWaitMs: 200, model: 'gemini-2.5-flash-native-audio-preview-12-2025' }),
      instructions: 'You are triage.',
      tools: [weather],
      transcription: {},
      logger: silentLogger,
    });
    sessions.push(session);
    const log = record(session);
    await session.connect();

    const speech = synthesize('my name is ada');
    for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
    session.sendAudio(Buffer.alloc(24_000));
    await log.waitFor('transcript', (e) => e.role === 'user' && e.isFinal, 5000);
    await log.waitFor('response_done');

    await session.sendText('What is the weather in Paris?').reply;
    await waitUntil(() => log.of('tool_result').length === 1 && session.history.at(-1)?.type === 'message' && session.history.at(-1)?.status === 'completed', 'the answer after the tool');

    const before = session.history;
    expect(outline(before)).toEqual([
      'user/audio: My name is Ada',
      expect.stringMatching(/^assistant\/audio: .+/),
      'user/text: What is the weather in Paris?',
      'tool get_weather completed {"city":"Paris","sky":"sunny"}',
      expect.stringMatching(/^assistant\/audio: .*sunny/),
    ]);
    expect(before.every((i) => i.status === 'completed')).toBe(true);
    expect(log.of('history_updated').at(-1)!.history).toBe(before);

    // Instructions cannot change on an open Gemini connection: the idle session resumes with its handle.
    expect(await session.updateSession({ instructions: 'You are billing.' })).toBe('resumed');
    expect(log.of('session_resumed')).toHaveLength(1);
    expect(session.history).toEqual(before);
    await session.sendText('Thanks').reply;
    await waitUntil(() => session.history.length === before.length + 2 && session.history.at(-1)!.status === 'completed', 'the turn after the resumption');
    expect(session.history.slice(0, before.length)).toEqual(before);
    expect(outline(session.history.slice(before.length))).toEqual(['user/text: Thanks', expect.stringMatching(/^assistant\/audio: .+/)]);
    expect(new Set(session.history.map((i) => i.itemId)).size).toBe(session.history.length);
  });

  it('a spoken turn whose transcript Gemini sends after the answer keeps its place before the answer', async () => {
    emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ['What is one?'] }), gemini: { realtimeFactor: 20, lateInputTranscription: true } });
    const session = createRealtimeSession({
      model: geminiLive({ apiKey: KEY, url: emulator.geminiUrl, handleWaitMs: 200 }),
      instructions: 'x',
      transcription: {},
      logger: silentLogger,
    });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    const speech = synthesize('what is one');
    for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
    session.sendAudio(Buffer.alloc(24_000));
    const userFinal = await log.waitFor('transcript', (e) => e.role === 'user' && e.isFinal, 5000);
    // The provider's order, reproduced: the first piece of the question came after the whole answer.
    const firstPiece = log.events.findIndex((e) => e.type === 'transcript' && e.role === 'user');
    const answerFinal = log.events.findIndex((e) => e.type === 'transcript' && e.role === 'assistant' && e.isFinal);
    expect(answerFinal).toBeGreaterThanOrEqual(0);
    expect(firstPiece).toBeGreaterThan(answerFinal);
    expect(outline(session.history)).toEqual(['user/audio: What is one?', expect.stringMatching(/^assistant\/audio: .+/)]);
    expect(session.history[0]!.itemId).toBe(userFinal.itemId);
  });
});
