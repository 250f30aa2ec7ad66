/** Shared fixtures for the Gemini tests: an emulator, an adapter pointed at it, PCM builders. */
import { geminiLive, type GeminiLiveOptions } from '../../adapters/gemini/index.js';
import { afterEach } from 'vitest';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/index.js';
import { startAdapter } from '../adapters/harness.js';

export const API_KEY = 'AIzaSyTEST-not-a-real-key-0123456789';
export const GEMINI = 'gemini';

export async function emulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ ...options, gemini: { realtimeFactor: 50, ...(options['gemini'] as object | undefined) } });
}

export function adapterFor(emu: Emulator, options: Partial<GeminiLiveOptions> = {}) {
  return geminiLive({ apiKey: API_KEY, url: emu.geminiUrl, handleWaitMs: 100, ...options });
}

type Harness = ReturnType<typeof startAdapter>;

/**
 * One emulator and the adapter harnesses of a test, stopped and closed after each test. Call at
 * the top of a test file.
 */
export function useGeminiFixture() {
  let running: Emulator | undefined;
  let harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses) h.stop();
    harnesses = [];
    await running?.close();
    running = undefined;
  });
  const track = (h: Harness): Harness => (harnesses.push(h), h);
  return {
    async emulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
      running = await emulator(options);
      return running;
    },
    start(e: Emulator, options: Parameters<typeof startAdapter>[1] = {}, adapterOptions: Partial<GeminiLiveOptions> = {}): Harness {
      return track(startAdapter(adapterFor(e, adapterOptions), options));
    },
    track,
  };
}

/** A sine tone (speech, to the emulator's energy detector), PCM16 LE mono. */
export function tone(ms: number, rate: number, amplitude = 8000): Buffer {
  const n = Math.round((rate * ms) / 1000);
  const pcm = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) pcm.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * 220 * i) / rate)), i * 2);
  return pcm;
}

export function silence(ms: number, rate: number): Buffer {
  return Buffer.alloc(Math.round((rate * ms) / 1000) * 2);
}

/** Splits PCM into 20 ms frames, the cadence of a microphone. */
export function frames(pcm: Buffer, rate: number, frameMs = 20): Buffer[] {
  const size = Math.round((rate * frameMs) / 1000) * 2;
  const out: Buffer[] = [];
  for (let i = 0; i < pcm.length; i += size) out.push(pcm.subarray(i, i + size));
  return out;
}

type Json = Record<string, unknown>;
/** Client→server frames the emulator received on the Gemini side, optionally only those with `key`. */
export function clientFrames(emu: Emulator, key?: string): Json[] {
  return (emu.context.log.frames('in', GEMINI) as Json[]).filter((f) => !key || key in f);
}
export function serverFrames(emu: Emulator, key?: string): Json[] {
  return (emu.context.log.frames('out', GEMINI) as Json[]).filter((f) => !key || key in f);
}

export async function until(predicate: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every user-audio byte the emulator received (`realtimeInput.audio`), in arrival order, over all connections. */
export function userAudioReceived(emu: Emulator): Buffer {
  return Buffer.concat(
    clientFrames(emu, 'realtimeInput')
      .map((f) => (f['realtimeInput'] as { audio?: { data: string } }).audio?.data)
      .filter((d): d is string => d !== undefined)
      .map((d) => Buffer.from(d, 'base64')),
  );
}
