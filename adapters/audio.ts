/**
 * User audio on its way to a provider: PCM16 at the provider's input rate (Gemini 16 kHz, OpenAI
 * 24 kHz), optionally batched (Gemini: ≥ 40 ms messages, so a 20 ms microphone cadence does not
 * double the frame count). Other rates are resampled with libsamplerate (WASM, adapters/resampler.ts),
 * one stateful converter per input rate, so the filter state carries across chunks and there are no
 * clicks at chunk boundaries. Audio at the target rate passes through untouched.
 */
import { createPcmResampler, type PcmResampler } from './resampler.js';

export interface AudioInputOptions {
  /** The rate the provider takes. */
  targetRate: number;
  /** Send once this many bytes are batched; 0 sends every chunk at once. */
  minBatchBytes: number;
  /**
   * A remainder under `minBatchBytes` (the user paused) goes out after at most this long, so the
   * last words of a turn do not wait for the next ones. Default: no timer (only `flush` sends it).
   */
  maxBatchDelayMs?: number;
}

export class AudioInput {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private readonly converters = new Map<number, Promise<PcmResampler>>();
  private readonly ready = new Map<number, PcmResampler>();
  /** Input waiting for its converter to load (first chunks at a new rate), in arrival order. */
  private waiting: Array<{ pcm: Buffer; rate: number } | { then: () => void }> = [];
  private closed = false;
  private batchTimer: NodeJS.Timeout | undefined;

  private readonly targetRate: number;
  private readonly minBatchBytes: number;
  private readonly maxBatchDelayMs: number | undefined;

  constructor(
    private readonly send: (pcm: Buffer) => void,
    private readonly onError: (message: string) => void,
    options: AudioInputOptions,
  ) {
    this.targetRate = options.targetRate;
    this.minBatchBytes = options.minBatchBytes;
    this.maxBatchDelayMs = options.maxBatchDelayMs;
  }

  /** Hot path. */
  push(pcm: Buffer, sampleRate: number): void {
    if (this.closed) return;
    this.accept(pcm, sampleRate);
    if (this.maxBatchDelayMs !== undefined && this.batchTimer === undefined && this.hasUnsent) {
      this.batchTimer = setTimeout(() => {
        this.batchTimer = undefined;
        this.flush();
      }, this.maxBatchDelayMs);
    }
  }

  private accept(pcm: Buffer, sampleRate: number): void {
    if (pcm.length < 2) return;
    if (sampleRate === this.targetRate && this.waiting.length === 0) return this.append(pcm);
    if (sampleRate === this.targetRate) {
      this.waiting.push({ pcm, rate: sampleRate });
      return;
    }
    const converter = this.ready.get(sampleRate);
    if (converter && this.waiting.length === 0) return this.append(converter.process(pcm));
    this.waiting.push({ pcm, rate: sampleRate });
    this.load(sampleRate);
  }

  /**
   * Sends whatever is batched, even under 40 ms, then runs `then` (activityEnd, audioStreamEnd):
   * both wait for audio still in a loading resampler, so nothing overtakes it.
   */
  flush(then?: () => void): void {
    this.afterWaiting(() => {
      this.sendBatch();
      then?.();
    });
  }

  /**
   * The input is over (the connection closes): like `flush`, but the resamplers first hand out the
   * few milliseconds their filters hold back, so the last words are sent whole. No `push` after it.
   */
  finish(then?: () => void): void {
    this.afterWaiting(() => {
      for (const tail of this.drainResamplers()) this.append(tail);
      this.sendBatch();
      then?.();
    });
  }

  /** What the resamplers still hold, at the target rate; the resamplers end with it. */
  private drainResamplers(): Buffer[] {
    const tails: Buffer[] = [];
    for (const [rate, converter] of this.ready) {
      const tail = converter.drain();
      if (tail.length > 0) tails.push(tail);
      this.ready.delete(rate);
      this.converters.delete(rate);
      converter.destroy();
    }
    return tails;
  }

  /** Runs `step` now, or after the input still waiting for a loading resampler. */
  private afterWaiting(step: () => void): void {
    if (this.waiting.length > 0) this.waiting.push({ then: step });
    else step();
  }

  private sendBatch(): void {
    if (this.bytes === 0) return;
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    this.chunks = [];
    this.bytes = 0;
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.send(data);
  }

  /**
   * Drops audio not yet sent, then runs `then` (the provider's own clear). What a queued `flush`
   * was waiting for (a commit, activityEnd) is kept: it was asked for before the clear, and the
   * clear waits behind it so nothing reaches the wire out of order.
   */
  clear(then?: () => void): void {
    let keep = this.waiting.length;
    while (keep > 0 && !('then' in this.waiting[keep - 1]!)) keep--;
    this.waiting.length = keep;
    this.afterWaiting(() => {
      this.dropBatch();
      then?.();
    });
  }

  private dropBatch(): void {
    this.chunks = [];
    this.bytes = 0;
  }

  /**
   * Everything accepted and not sent, oldest first, and forgets it: the batch (at the target rate),
   * the resamplers' held-back tails (at the target rate; the resamplers end there) and input still
   * waiting for its resampler (at its own rate). A connection that ends hands this
   * to the audio plane, which carries it to the next connection instead of dropping it.
   */
  takeUnsent(): Array<{ pcm: Buffer; sampleRate: number }> {
    const unsent: Array<{ pcm: Buffer; sampleRate: number }> = [];
    if (this.bytes > 0) unsent.push({ pcm: Buffer.concat(this.chunks, this.bytes), sampleRate: this.targetRate });
    // What the resamplers still hold (a few ms of filter delay) comes next; they end with it.
    for (const tail of this.drainResamplers()) unsent.push({ pcm: tail, sampleRate: this.targetRate });
    for (const entry of this.waiting) if ('pcm' in entry) unsent.push({ pcm: entry.pcm, sampleRate: entry.rate });
    this.waiting = [];
    this.dropBatch();
    return unsent;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.batchTimer);
    this.waiting = [];
    this.dropBatch();
    for (const pending of this.converters.values()) void pending.then((c) => c.destroy(), () => undefined);
    this.converters.clear();
    this.ready.clear();
  }

  get bufferedBytes(): number {
    return this.bytes;
  }

  /** True while anything accepted is not sent yet: a batch remainder, or input waiting for its resampler. */
  get hasUnsent(): boolean {
    return this.bytes > 0 || this.waiting.some((entry) => 'pcm' in entry);
  }

  private append(pcm: Buffer): void {
    if (pcm.length === 0) return;
    this.chunks.push(pcm);
    this.bytes += pcm.length;
    if (this.bytes >= this.minBatchBytes) this.sendBatch();
  }

  private load(rate: number): void {
    if (this.converters.has(rate)) return;
    const pending = createPcmResampler({ from: rate, to: this.targetRate, quality: 'fastest' });
    this.converters.set(rate, pending);
    pending.then(
      (converter) => {
        if (this.closed) return converter.destroy();
        this.ready.set(rate, converter);
        this.drain();
      },
      (error: unknown) => {
        this.converters.delete(rate);
        this.waiting = this.waiting.filter((w) => !('rate' in w) || w.rate !== rate);
        this.drain();
        this.onError(`Could not load the ${rate} Hz → ${this.targetRate} Hz resampler: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  /** Keeps arrival order: stops at the first chunk whose converter is still loading. */
  private drain(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      if ('then' in next) next.then();
      else if (next.rate === this.targetRate) this.append(next.pcm);
      else {
        const converter = this.ready.get(next.rate);
        if (!converter) return;
        this.append(converter.process(next.pcm));
      }
      this.waiting.shift();
    }
  }
}

/**
 * Whether PCM16 LE audio is louder than a quiet room: RMS above `threshold` (500 of 32767, about
 * -36 dBFS, well above a microphone's noise floor). Used off the hot path only, while an adapter
 * needs to know whether the user has started speaking again.
 */
export function isAudible(pcm: Buffer, threshold = 500): boolean {
  const samples = pcm.length >> 1;
  if (samples === 0) return false;
  let sum = 0;
  for (let i = 0; i < samples; i++) {
    const s = pcm.readInt16LE(i * 2);
    sum += s * s;
  }
  return Math.sqrt(sum / samples) > threshold;
}
