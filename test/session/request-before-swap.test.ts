/**
 * No queued resumption replaces a connection while a reply is owed on it (issue 13, item 1; the
 * trial "a question while a resumption is queued on Gemini"). Against the Gemini side of the
 * emulator: new instructions need a new connection, so a change made while the model speaks is
 * queued; a question sent then interrupts the answer, and the interrupted answer's `turnComplete`
 * must not let the swap replace the connection that is about to answer the question.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { geminiLive } from '../../adapters/gemini/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { record } from './event-log.js';

const KEY = 'AIzaSyREQUESTS-not-real-0123456789ab';
let emulator: Emulator | undefined;
const sessions: RealtimeSession[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

describe('a question asked while a resumption is queued (Gemini)', () => {
  it('is answered on the connection it was sent on; the swap runs after the answer', async () => {
    emulator = await startEmulator({ gemini: { realtimeFactor: 4 } });
    const session = createRealtimeSession({
      model: geminiLive({ apiKey: KEY, url: emulator.geminiUrl, handleWaitMs: 100 }),
      instructions: 'You are triage.',
    });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    void session.sendText('Tell me about the weather in Paris');
    await log.waitFor('response_created');
    const update = session.updateSession({ instructions: 'You are billing.' });
    expect(await update).toBe('queued');
    const question = session.sendText('What is my balance');
    await question; // Gemini answers by itself: the message goes on the wire at once.

    expect(await update.completion).toBe('resumed');
    const answer = await question.reply;
    expect(answer?.status).toBe('completed');
    // The answer came on the first connection, before the swap.
    const types = log.events.map((e) => (e.type === 'transcript' && e.role === 'assistant' && e.isFinal ? `said:${e.text}` : e.type));
    const answered = types.findIndex((t) => t.startsWith('said:You said: What is my balance.'));
    expect(answered).toBeGreaterThanOrEqual(0);
    expect(answered).toBeLessThan(types.indexOf('session_resumed'));
    expect(log.of('request_failed')).toEqual([]);
  });
});
