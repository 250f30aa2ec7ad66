/**
 * Audio the session holds while it swaps connections (issue 11, item 9; review finding 5).
 * `close()` during a swap or a backoff has no next connection to give held audio to: it discards
 * it, and the discarded bytes count in `audio.stats.droppedBytes`, so no byte goes unaccounted
 * for. The session, its statechart and the Gemini adapter run for real against the emulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { record, statePaths, waitUntil } from '../session/event-log.js';
import { adapterFor, userAudioReceived as received, useGeminiFixture } from './fixture.js';
import { quietAudio } from '../adapters/quiet-audio.js';
import type { Emulator } from '../../emulator/index.js';

const fx = useGeminiFixture();
let sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});



describe('gemini: audio held during a swap', () => {
  it('close() during a resumption backoff discards held audio and counts it in droppedBytes', async () => {
    const emu = await fx.emulator();
    const session = createRealtimeSession({ model: adapterFor(emu), inputSampleRate: 16_000, instructions: 'You are a test.' });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    const state = { next: 0 };
    let sent = 0;
    const send = (bytes: number) => {
      session.sendAudio(quietAudio(state, bytes));
      sent += bytes;
    };
    for (let i = 0; i < 2; i++) send(640); // 40 ms: one whole batch, no remainder
    await waitUntil(() => received(emu).length === 1280, 'the first batch');
    // The connection drops and every new setup is refused: the session waits in its backoff.
    emu.gemini.refuseSetups(5, 1013, 'The service is currently unavailable.');
    emu.gemini.inject({ type: 'close', code: 1011, reason: 'Internal error encountered.' });
    await waitUntil(() => statePaths(session).includes('resumeBackoff'), 'the resumption backoff');
    for (let i = 0; i < 4; i++) send(640); // held: there is no connection to send it on
    expect(session.audio.bufferedBytes).toBeGreaterThan(0);

    await session.close();
    expect(session.audio.bufferedBytes).toBe(0);
    // Every byte the application sent either reached the service or is counted as dropped.
    expect(received(emu).length + session.audio.stats.droppedBytes).toBe(sent);
    expect(session.audio.stats.droppedBytes).toBe(4 * 640);
    expect(log.types()).toContain('closed');
  });
});
