/**
 * No user audio is lost by the Gemini adapter (issue 11, item 9): a batch remainder (< 40 ms) is
 * sent within one batch period after the user pauses, and survives a planned connection swap, an
 * unexpected drop and close(). Byte counting: what the emulator received, over every connection,
 * is exactly what the application sent, in order. The session, its statechart and the adapter
 * run for real against the emulator over loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';
import { adapterFor, userAudioReceived as received, useGeminiFixture } from './fixture.js';
import { quietAudio } from '../adapters/quiet-audio.js';
import type { Emulator } from '../../emulator/index.js';

const fx = useGeminiFixture();
const RATE = 16_000;
const FRAME_BYTES = (RATE * 2 * 20) / 1000; // 20 ms, a microphone's cadence
let sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});



async function open(emu: Emulator) {
  const session = createRealtimeSession({ model: adapterFor(emu), inputSampleRate: RATE, instructions: 'You are a test.' });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  const sent: Buffer[] = [];
  const state = { next: 0 };
  const send = (bytes: number) => {
    const pcm = quietAudio(state, bytes);
    sent.push(pcm);
    session.sendAudio(pcm);
  };
  return { session, log, sent, send, all: () => Buffer.concat(sent) };
}

describe('gemini: user audio survives pauses, swaps, drops and close', () => {
  it('a remainder under 40 ms is sent after the user pauses', async () => {
    const emu = await fx.emulator();
    const { send, all } = await open(emu);
    // 70 ms in microphone frames: one 40 ms batch and a 30 ms remainder, then nothing from the app.
    for (const bytes of [FRAME_BYTES, FRAME_BYTES, FRAME_BYTES, 320]) send(bytes);
    await waitUntil(() => received(emu).length === all().length, 'the remainder', 1000);
    expect(received(emu).equals(all())).toBe(true);
  });

  it('a planned swap (an update that needs a new connection) loses nothing', async () => {
    const emu = await fx.emulator();
    const { session, log, send, all } = await open(emu);
    for (let i = 0; i < 7; i++) send(FRAME_BYTES); // 140 ms: three batches and a 20 ms remainder
    const update = session.updateSession({ instructions: 'You are another test.' });
    for (let i = 0; i < 5; i++) send(FRAME_BYTES); // held while the connection is replaced
    await log.waitFor('session_resumed');
    await update;
    send(FRAME_BYTES * 2);
    await waitUntil(() => received(emu).length >= all().length, 'every byte', 1000);
    expect(emu.gemini.connections().length).toBe(1);
    expect(new Set(emu.context.log.entries.filter((e) => e.direction === 'in').map((e) => e.connection)).size).toBe(2);
    expect(received(emu).equals(all())).toBe(true);
  });

  it('24 kHz input: the resampler\'s held-back tail goes to the next connection too', async () => {
    const emu = await fx.emulator();
    const session = createRealtimeSession({ model: adapterFor(emu), inputSampleRate: 24_000, instructions: 'You are a test.' });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    const state = { next: 0 };
    let samples = 0;
    const send = () => {
      const pcm = quietAudio(state, 960); // 20 ms at 24 kHz
      samples += 480;
      session.sendAudio(pcm);
    };
    for (let i = 0; i < 7; i++) send();
    const update = session.updateSession({ instructions: 'You are another test.' });
    await log.waitFor('session_resumed');
    await update;
    for (let i = 0; i < 3; i++) send();
    await session.close();
    // 16 kHz out for 24 kHz in, give or take a sample of rounding per connection; without the
    // drain about 20 samples (1.2 ms) per connection stay in the filter.
    const expected = Math.round(samples * (16 / 24));
    expect(Math.abs(received(emu).length / 2 - expected)).toBeLessThanOrEqual(2);
  });

  it('an unexpected drop loses nothing', async () => {
    const emu = await fx.emulator();
    const { log, send, all } = await open(emu);
    for (let i = 0; i < 5; i++) send(FRAME_BYTES); // two batches, a 20 ms remainder
    await waitUntil(() => received(emu).length === FRAME_BYTES * 4, 'the full batches');
    emu.gemini.inject({ type: 'close', code: 1011, reason: 'Internal error encountered.' });
    await log.waitFor('session_resumed');
    send(FRAME_BYTES * 3);
    await waitUntil(() => received(emu).length >= all().length, 'every byte', 1000);
    expect(received(emu).equals(all())).toBe(true);
  });

  it('close() flushes what the application sent before closing', async () => {
    const emu = await fx.emulator();
    const { session, send, all } = await open(emu);
    for (const bytes of [FRAME_BYTES, FRAME_BYTES, 320]) send(bytes); // one batch and a 10 ms remainder
    await session.close();
    expect(received(emu).equals(all())).toBe(true);
    // Nothing is kept behind after close.
    expect(session.actor.getSnapshot().context.audio.bufferedBytes).toBe(0);
  });
});
