/**
 * Corrupted audio from Gemini (issue 11, item 11): an `inlineData` part whose base64 is corrupted,
 * or whose bytes are not whole PCM16 samples, becomes a typed `invalid_frame` error and never
 * reaches `audio` listeners. The forms proto3 JSON allows for `bytes` (URL-safe alphabet, no
 * padding) are audio like any other. Frames come from the emulator over loopback; the session,
 * its statechart and the adapter are real.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';
import { adapterFor, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
let sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

const audioPart = (data: string) => ({
  serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data } }] } },
});

async function open() {
  const emu = await fx.emulator();
  const session = createRealtimeSession({ model: adapterFor(emu), instructions: 'You are a test.' });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  return { emu, session, log };
}

describe('gemini: audio parts are checked before they reach listeners', () => {
  it('corrupted base64 and odd-length PCM are invalid_frame errors; the audio never plays', async () => {
    const { emu, log } = await open();
    // "AA!!AAAA": two characters outside the alphabet (Buffer.from would skip them and decode 4 bytes).
    // "AAEC": 3 bytes, an odd length. "AAECAw==": 4 bytes, good, sent last as a marker.
    for (const data of ['AA!!AAAA', 'AAEC', 'AAECAw==']) emu.gemini.inject({ type: 'frame', frame: audioPart(data) });
    await log.waitFor('audio');
    await waitUntil(() => log.of('error').length >= 2, 'two errors');

    expect(log.of('audio').map((e) => [...e.audio])).toEqual([[0, 1, 2, 3]]);
    const errors = log.of('error').map((e) => e.error);
    expect(errors.map((e) => e.code)).toEqual(['invalid_frame', 'invalid_frame']);
    expect(errors[0]!.message).toMatch(/not valid base64 \(8 chars\)/);
    expect(errors[1]!.message).toMatch(/odd length \(3 bytes\)/);
  });

  it('URL-safe and unpadded base64 (allowed by proto3 JSON) are decoded as audio', async () => {
    const { emu, log } = await open();
    // Bytes fb ff 00 01 in four spellings: standard padded, URL-safe padded, standard unpadded, URL-safe unpadded.
    const bytes = Buffer.from([0xfb, 0xff, 0x00, 0x01]);
    const standard = bytes.toString('base64'); // "+/8AAQ=="
    const spellings = [standard, standard.replace(/\+/g, '-').replace(/\//g, '_'), standard.replace(/=+$/, ''), bytes.toString('base64url')];
    expect(new Set(spellings).size).toBe(4);
    for (const data of spellings) emu.gemini.inject({ type: 'frame', frame: audioPart(data) });
    await waitUntil(() => log.of('audio').length === 4, 'four audio chunks');
    expect(log.of('audio').map((e) => e.audio.equals(bytes))).toEqual([true, true, true, true]);
    expect(log.of('error')).toEqual([]);
  });

  it('padding inside the text, whitespace and a dangling character are refused', async () => {
    const { emu, log } = await open();
    // Each decodes to fewer bytes than its length promises (Node stops at "=" and skips the rest).
    for (const data of ['AA==AAAA', 'AAE CAw==', 'AAAAA']) emu.gemini.inject({ type: 'frame', frame: audioPart(data) });
    await waitUntil(() => log.of('error').length === 3, 'three errors');
    expect(log.of('error').map((e) => e.error.code)).toEqual(['invalid_frame', 'invalid_frame', 'invalid_frame']);
    expect(log.of('audio')).toEqual([]);
  });
});
