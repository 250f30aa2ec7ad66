/**
 * PCM16 sample-rate conversion with libsamplerate (compiled to WASM by
 * `@alexanderolsen/libsamplerate-js`, a dependency already): the converter the adapters use for
 * user audio at a rate the provider does not take, exported for applications that need the same
 * (e.g. playing the model's 24 kHz audio on a 48 kHz device).
 */
import libsamplerate from '@alexanderolsen/libsamplerate-js';

/** The rates `inputSampleRate` accepts; audio at any of them is resampled to the provider's rate. */
export const INPUT_SAMPLE_RATES = [8_000, 16_000, 22_050, 24_000, 44_100, 48_000] as const;
export type InputSampleRate = (typeof INPUT_SAMPLE_RATES)[number];

/** libsamplerate's sinc converters: `fastest` (the adapters' choice, ~4 ms delay) to `best`. */
export type ResamplerQuality = 'fastest' | 'medium' | 'best';

const CONVERTER = {
  fastest: libsamplerate.ConverterType.SRC_SINC_FASTEST,
  medium: libsamplerate.ConverterType.SRC_SINC_MEDIUM_QUALITY,
  best: libsamplerate.ConverterType.SRC_SINC_BEST_QUALITY,
} as const;

export interface PcmResamplerOptions {
  /** Rate of the PCM16 you pass in, in Hz. */
  from: number;
  /** Rate you get out, in Hz. */
  to: number;
  /** Default `fastest`. */
  quality?: ResamplerQuality;
}

/**
 * A streaming PCM16 LE mono resampler. The filter state carries from one `process` call to the
 * next, so a stream cut into chunks has no clicks at the boundaries; the filter holds back a few
 * milliseconds of audio until more arrives.
 */
export interface PcmResampler {
  readonly from: number;
  readonly to: number;
  /** Converts the next chunk of the stream (an odd trailing byte is ignored). */
  process(pcm: Buffer): Buffer;
  /**
   * Ends the stream: returns the audio still inside the filter (the few milliseconds `process`
   * held back), so the output is as long as the input. `process` must not be called afterwards.
   */
  drain(): Buffer;
  /** Frees the WASM converter; `process` must not be called afterwards. */
  destroy(): void;
}

/** Loads a converter (WASM, asynchronous the first time). */
export async function createPcmResampler(options: PcmResamplerOptions): Promise<PcmResampler> {
  const { from, to } = options;
  for (const [name, rate] of [['from', from], ['to', to]] as const) {
    if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`createPcmResampler: ${name} must be a positive integer rate in Hz, got ${rate}`);
  }
  const converter = await libsamplerate.create(1, from, to, { converterType: CONVERTER[options.quality ?? 'fastest'] });
  let destroyed = false;
  let drained = false;
  // Sample counts in and out, so drain() knows how much output the real input still owes.
  let samplesIn = 0;
  let samplesOut = 0;
  return {
    from,
    to,
    process(pcm) {
      if (destroyed || drained) throw new Error(`PcmResampler: process() after ${destroyed ? 'destroy' : 'drain'}()`);
      const out = converter.full(pcm16ToFloat(pcm));
      samplesIn += pcm.length >> 1;
      samplesOut += out.length;
      return floatToPcm16(out);
    },
    drain() {
      if (destroyed || drained) return Buffer.alloc(0);
      drained = true;
      const owed = Math.round((samplesIn * to) / from) - samplesOut;
      if (owed <= 0) return Buffer.alloc(0);
      // This binding has no end-of-input call: silence pushes the tail out (50 ms is longer than
      // any of the sinc filters' delay), and only what the real input owes is kept.
      const tail = converter.full(new Float32Array(Math.ceil(from / 20)));
      return floatToPcm16(tail.subarray(0, Math.min(owed, tail.length)));
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      converter.destroy();
    },
  };
}

function pcm16ToFloat(pcm: Buffer): Float32Array {
  const samples = pcm.length >> 1;
  const out = new Float32Array(samples);
  for (let i = 0; i < samples; i++) out[i] = pcm.readInt16LE(i * 2) / 32768;
  return out;
}

function floatToPcm16(samples: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.round(samples[i]! * 32768);
    out.writeInt16LE(s > 32767 ? 32767 : s < -32768 ? -32768 : s, i * 2);
  }
  return out;
}
