/**
 * `inputSampleRate` at every supported rate, end to end: the session's audio goes through the real
 * adapter (its libsamplerate converter) to the emulator, which reports how long the committed turn
 * was at the provider's rate (24 kHz OpenAI, 16 kHz Gemini: "(spoken turn 1, N ms)"). A second of
 * audio must arrive as a second, whatever rate it was sent at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPcmResampler, createRealtimeSession, INPUT_SAMPLE_RATES, type InputSampleRate, type ModelAdapter } from '../../index.js';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { geminiLive } from '../../adapters/gemini/index.js';
import { createRuleBrain } from '../../emulator/brain.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { waitUntil } from '../session/event-log.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ brain: createRuleBrain() });
});
afterAll(() => emulator.close());

/** A 440 Hz tone, PCM16 LE mono at `rate`. */
function tone(ms: number, rate: number): Buffer {
  const samples = Math.round((rate * ms) / 1000);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  return pcm;
}

const providers: Array<[string, () => ModelAdapter]> = [
  ['openai (24 kHz)', () => openaiRealtime({ apiKey: 'sk-emulator', url: emulator.openaiUrl })],
  ['gemini (16 kHz)', () => geminiLive({ apiKey: 'emulator-key', url: emulator.geminiUrl })],
];
const cases = providers.flatMap(([name, model]) => INPUT_SAMPLE_RATES.map((rate) => [name, rate, model] as const));

describe('inputSampleRate: any supported rate reaches the provider at its own rate, with the right length', () => {
  it.each(cases)('%s from %i Hz', async (_name, rate, model) => {
    const session = createRealtimeSession({
      model: model(),
      inputSampleRate: rate as InputSampleRate,
      turnDetection: { type: 'none' }, // the test commits: the whole second is one turn
      transcription: {},
    });
    let heard = '';
    session.on('transcript', (e) => {
      if (e.role === 'user') heard += e.text;
    });
    try {
      await session.connect();
      const second = tone(1_000, rate);
      const frame = Math.round(rate / 50) * 2; // 20 ms, as a microphone sends
      for (let offset = 0; offset < second.length; offset += frame) session.sendAudio(second.subarray(offset, offset + frame));
      await session.commitAudio();
      await waitUntil(() => /spoken turn 1, \d+ ms/.test(heard), 'the user turn at the emulator', 5_000);
      const ms = Number(/spoken turn 1, (\d+) ms/.exec(heard)![1]);
      // The stateful converter holds back a few ms of filter delay until more audio comes.
      expect(ms).toBeGreaterThanOrEqual(990);
      expect(ms).toBeLessThanOrEqual(1_001);
    } finally {
      await session.close();
    }
  });

  it('refuses a rate it does not resample, naming the ones it does', () => {
    expect(() => createRealtimeSession({ model: providers[0]![1](), inputSampleRate: 11_025 as InputSampleRate })).toThrow(
      /inputSampleRate: must be one of 8000, 16000, 22050, 24000, 44100, 48000/,
    );
  });
});

describe('createPcmResampler (exported for applications)', () => {
  it('converts a stream chunk by chunk to the same length as in one piece', async () => {
    const resampler = await createPcmResampler({ from: 24_000, to: 48_000, quality: 'medium' });
    const input = tone(500, 24_000);
    let out = 0;
    for (let offset = 0; offset < input.length; offset += 480) out += resampler.process(input.subarray(offset, offset + 480)).length;
    resampler.destroy();
    const expected = 48_000 * 0.5 * 2;
    expect(out).toBeGreaterThan(expected * 0.97);
    expect(out).toBeLessThanOrEqual(expected);
    expect(() => resampler.process(input)).toThrow(/after destroy/);
    await expect(createPcmResampler({ from: 0, to: 16_000 })).rejects.toThrow(/from must be a positive integer/);
  });
});
