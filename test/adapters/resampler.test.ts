/** createPcmResampler: drain() hands out what the filter held back, so output length matches input. */
import { describe, expect, it } from 'vitest';
import { createPcmResampler, INPUT_SAMPLE_RATES } from '../../adapters/resampler.js';

function tone(ms: number, rate: number): Buffer {
  const n = Math.round((rate * ms) / 1000);
  const pcm = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  return pcm;
}

describe('PcmResampler.drain', () => {
  for (const from of INPUT_SAMPLE_RATES.filter((r) => r !== 16_000)) {
    it(`${from} Hz → 16 kHz in 20 ms chunks: process() holds some back, drain() returns exactly the rest`, async () => {
      const resampler = await createPcmResampler({ from, to: 16_000 });
      const input = tone(1000, from);
      const chunk = Math.round(from / 50) * 2;
      let outBytes = 0;
      for (let i = 0; i < input.length; i += chunk) outBytes += resampler.process(input.subarray(i, i + chunk)).length;
      const expected = Math.round((input.length / 2) * (16_000 / from)) * 2;
      expect(outBytes).toBeLessThan(expected); // the filter delay
      const tail = resampler.drain();
      expect(tail.length).toBeGreaterThan(0);
      // It is the tone, not the silence that pushed it out.
      let sum = 0;
      for (let i = 0; i < tail.length; i += 2) sum += tail.readInt16LE(i) ** 2;
      expect(Math.sqrt(sum / (tail.length / 2))).toBeGreaterThan(3000);
      expect(outBytes + tail.length).toBe(expected);
      expect(() => resampler.process(input)).toThrow(/after drain/);
      expect(resampler.drain().length).toBe(0);
      resampler.destroy();
    });
  }
});
