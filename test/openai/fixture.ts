/** Shared setup for the OpenAI adapter tests: an emulator on loopback plus adapter harnesses. */
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/index.js';
import { openaiRealtime, type OpenAIRealtimeOptions } from '../../adapters/openai/index.js';
import { startAdapter, type HarnessOptions } from '../adapters/harness.js';

export const TEST_KEY = 'sk-test-0123456789abcdefSECRET';

export type Harness = ReturnType<typeof startAdapter>;

export interface Fixture {
  emulator: Emulator;
  harnesses: Harness[];
  adapter(options?: Partial<OpenAIRealtimeOptions>): ReturnType<typeof openaiRealtime>;
  start(adapter: ReturnType<typeof openaiRealtime>, options?: HarnessOptions): Harness;
  /** Client frames the emulator received (optionally of one type, one connection). */
  inbound(type?: string, connection?: number): Array<Record<string, unknown>>;
  outbound(type?: string, connection?: number): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function fixture(options: StartEmulatorOptions = {}): Promise<Fixture> {
  const emulator = await startEmulator(options);
  const harnesses: Harness[] = [];
  const frames = (direction: 'in' | 'out', type?: string, connection?: number) =>
    emulator.context.log.entries
      .filter((e) => e.direction === direction && e.protocol === 'openai' && (connection === undefined || e.connection === connection))
      .map((e) => e.frame as Record<string, unknown>)
      .filter((f) => typeof f === 'object' && (type === undefined || f['type'] === type));
  return {
    emulator,
    harnesses,
    adapter: (options = {}) => openaiRealtime({ apiKey: TEST_KEY, url: emulator.openaiUrl, ...options }),
    start(adapter, options) {
      const harness = startAdapter(adapter, options);
      harnesses.push(harness);
      return harness;
    },
    inbound: (type, connection) => frames('in', type, connection),
    outbound: (type, connection) => frames('out', type, connection),
    async close() {
      for (const h of harnesses) h.stop();
      await emulator.close();
    },
  };
}

/** Polls until `check` returns a value other than undefined/false (bounded). */
export async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 8000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
export const timeTool = {
  name: 'get_time',
  description: 'Local time in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** A loud PCM16 tone (speech for the emulator's energy VAD), 24 kHz unless told. */
export function tone(ms: number, rate = 24000, amplitude = 8000): Buffer {
  const n = Math.round((rate * ms) / 1000);
  const pcm = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) pcm.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * 220 * i) / rate)), i * 2);
  return pcm;
}

export function silence(ms: number): Buffer {
  return Buffer.alloc(Math.round((24000 * ms) / 1000) * 2);
}

/** Every user-audio byte the emulator received (`input_audio_buffer.append`), in arrival order, over all connections. */
export function userAudioReceived(emu: Emulator): Buffer {
  return Buffer.concat(
    emu.context.log.entries
      .filter((e) => e.direction === 'in' && e.protocol === 'openai')
      .map((e) => e.frame as { type?: string; audio?: string })
      .filter((f) => f.type === 'input_audio_buffer.append' && typeof f.audio === 'string')
      .map((f) => Buffer.from(f.audio!, 'base64')),
  );
}
