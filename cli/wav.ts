/**
 * WAV in and out for the CLI. Parsing, bit-depth conversion and writing go through `wavefile`;
 * resampling goes through libsamplerate (the band-limited sinc converter the Gemini adapter already
 * uses), so a 44.1 kHz stereo recording reaches the provider without aliasing.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import libsamplerate from '@alexanderolsen/libsamplerate-js';
import wavefile from 'wavefile';
import { UsageError } from './errors.js';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitDepth: string;
  durationMs: number;
}

export interface LoadedWav {
  /** PCM16 LE mono at the requested rate. */
  pcm: Buffer;
  source: WavInfo;
}

interface Fmt {
  sampleRate: number;
  numChannels: number;
}

/** Reads any PCM/float WAV and returns PCM16 mono at `targetRate`. */
export async function loadWav(path: string, targetRate: number): Promise<LoadedWav> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (error) {
    throw new UsageError(`${path} is not a WAV file wavefile can read (${error instanceof Error ? error.message : String(error)})`);
  }
  const fmt = wav.fmt as Fmt;
  const source: WavInfo = { sampleRate: fmt.sampleRate, channels: fmt.numChannels, bitDepth: wav.bitDepth, durationMs: 0 };
  const scale = fullScale(source.bitDepth);
  if (scale === undefined) throw new UsageError(`${path}: unsupported WAV sample format (${describeBitDepth(source.bitDepth)}); use PCM or float`);
  // wavefile's own toBitDepth() is ~10× slower than scaling the decoded samples here.
  const channels = wav.getSamples(false, Float32Array) as unknown as Float32Array[] | Float32Array;
  const mono = downmix(Array.isArray(channels) ? channels : [channels], scale);
  if (mono.length === 0) throw new UsageError(`${path} has no audio samples`);
  source.durationMs = (mono.length / source.sampleRate) * 1000;
  const resampled = source.sampleRate === targetRate ? mono : await resample(mono, source.sampleRate, targetRate);
  return { pcm: floatToPcm16(resampled), source };
}

/** wavefile's bit depth in words: '16' → '16-bit', '32f' → '32-bit float', '64' → '64-bit float'. */
export function describeBitDepth(bitDepth: string): string {
  if (bitDepth === '32f' || bitDepth === '64') return `${parseInt(bitDepth, 10)}-bit float`;
  return `${bitDepth}-bit`;
}

/** Decoded sample value → [-1, 1]: the offset and divisor of each WAV sample format. */
function fullScale(bitDepth: string): { offset: number; divisor: number } | undefined {
  if (bitDepth === '32f' || bitDepth === '64') return { offset: 0, divisor: 1 };
  if (bitDepth === '8') return { offset: 128, divisor: 128 }; // 8-bit WAV is unsigned
  const bits = Number(bitDepth);
  return Number.isInteger(bits) && bits > 8 && bits <= 32 ? { offset: 0, divisor: 2 ** (bits - 1) } : undefined;
}

function downmix(channels: Float32Array[], scale: { offset: number; divisor: number }): Float32Array {
  const out = new Float32Array(channels[0]!.length);
  const divisor = scale.divisor * channels.length;
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i]! += (ch[i]! - scale.offset) / divisor;
  return out;
}

async function resample(samples: Float32Array, from: number, to: number): Promise<Float32Array> {
  const converter = await libsamplerate.create(1, from, to, { converterType: libsamplerate.ConverterType.SRC_SINC_MEDIUM_QUALITY });
  try {
    return converter.full(samples);
  } finally {
    converter.destroy();
  }
}

function floatToPcm16(samples: Float32Array): Buffer {
  const pcm = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767), i * 2);
  }
  return pcm;
}

/** Checks, before any work, that `path` can be written as a file (creating its folder). */
export function prepareOutput(path: string, flag = '--output'): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? `${dir} is not a folder` : (code ?? String(error));
    throw new UsageError(`${flag} ${path}: cannot write there (${why})`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${flag} ${path} is a folder, not a file`);
}

/** Writes PCM16 LE mono as a WAV file, creating the folder. */
export function writeWav(path: string, pcm: Buffer, sampleRate: number): void {
  const wav = new wavefile.WaveFile();
  const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.length & ~1)));
  wav.fromScratch(1, sampleRate, '16', samples);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, wav.toBuffer());
}

/** Header facts and the level of a WAV file (for tests and the demo summary). */
export function inspectWav(path: string): WavInfo & { rms: number } {
  const wav = new wavefile.WaveFile(readFileSync(path));
  const fmt = wav.fmt as Fmt;
  const samples = wav.getSamples(true, Float64Array) as unknown as Float64Array;
  let sum = 0;
  for (const s of samples) sum += s * s;
  const frames = samples.length / fmt.numChannels;
  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.numChannels,
    bitDepth: wav.bitDepth,
    durationMs: (frames / fmt.sampleRate) * 1000,
    rms: samples.length ? Math.sqrt(sum / samples.length) : 0,
  };
}
