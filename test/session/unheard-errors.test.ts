/**
 * An `error` event with nobody listening (review finding 8) is written as a warning by the default
 * logger (stderr), so it leaves a trace; with an `error` listener the application has it and the
 * line is not written. The error is a real one: a corrupted audio frame from the Gemini emulator.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRealtimeSession } from '../../index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { geminiLive } from '../../adapters/gemini/index.js';
import { waitUntil } from './event-log.js';
import { captureStderr } from './stderr-capture.js';

let emu: Emulator | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await emu?.close();
  emu = undefined;
});


const corruptAudio = { serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data: 'AA!!AAAA' } }] } } };

async function connectedSession() {
  emu = await startEmulator({ gemini: { realtimeFactor: 50 } });
  const session = createRealtimeSession({ model: geminiLive({ apiKey: 'AIzaSyTEST-not-a-real-key-0123456789', url: emu.geminiUrl }), instructions: 'You are a test.' });
  await session.connect();
  return { emu, session };
}

describe('an error event nobody listens to', () => {
  it('is written to stderr as a warning with its code and message', async () => {
    const saved = process.env['VOXSTATE_LOG'];
    delete process.env['VOXSTATE_LOG'];
    try {
      const lines = captureStderr();
      const { emu, session } = await connectedSession();
      emu.gemini.inject({ type: 'frame', frame: corruptAudio });
      await waitUntil(() => lines.some((l) => l.includes('no "error" listener')), 'the warning');
      const line = lines.find((l) => l.includes('no "error" listener'))!;
      expect(line).toMatch(/^voxstate warn: /);
      expect(line).toContain('invalid_frame');
      expect(line).toContain('not valid base64');
      expect(line).not.toContain('AIzaSyTEST');
      await session.close();
    } finally {
      if (saved !== undefined) process.env['VOXSTATE_LOG'] = saved;
    }
  });

  it('is not written when the application listens for errors', async () => {
    const lines = captureStderr();
    const { emu, session } = await connectedSession();
    const errors: string[] = [];
    session.on('error', (e) => errors.push(e.error.code));
    emu.gemini.inject({ type: 'frame', frame: corruptAudio });
    await waitUntil(() => errors.length === 1, 'the error event');
    expect(errors).toEqual(['invalid_frame']);
    expect(lines.filter((l) => l.includes('no "error" listener'))).toEqual([]);
    await session.close();
  });
});
