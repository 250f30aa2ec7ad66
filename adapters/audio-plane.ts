/**
 * The audio plane: the path audio (and text/transcript deltas) takes *around* the statechart.
 * One per session. Model output goes adapter → `deliver` → listeners; user audio goes facade →
 * `sendUserAudio` → the attached adapter sink, or into a bounded buffer while the session is
 * resuming, flushed in order to the next connection. The statechart only tells the plane when to
 * hold and when to release.
 */
import type { AudioPort, UserAudioSink } from './audio-port.js';
import type { DataEvent } from './events.js';
import { PlaybackTracker, type PlaybackMode } from './playback.js';

export type UserAudioOutcome = 'sent' | 'buffered' | 'rejected';

export interface AudioPlaneOptions {
  /** How much user audio to keep while resuming, in milliseconds of audio (each chunk at its own rate). Default 5000. */
  maxBufferedMs?: number;
  /** Called once per resumption if the buffer overflowed (oldest audio was dropped). */
  onOverflow?: (droppedBytes: number) => void;
  /** How the played position of the model's audio is known (see playback.ts). Default `wallClock`. */
  playback?: PlaybackMode;
}

export interface AudioPlaneStats {
  framesIn: number;
  bytesIn: number;
  framesOut: number;
  bytesOut: number;
  /** User audio never sent: trimmed beyond `maxBufferedMs`, or discarded at close or failure. */
  droppedBytes: number;
}

/** One per session; adapters see it only through its `AudioPort` side. */
/** How much user audio a swap may hold by default (`maxBufferedAudioMs`). */
export const DEFAULT_MAX_BUFFERED_MS = 5_000;

export class AudioPlane implements AudioPort {
  private listeners: Array<(event: DataEvent) => void> = [];
  private sink: UserAudioSink | undefined;
  private sinkConnection = -1;
  private holding = false;
  private held: Array<{ pcm: Buffer; sampleRate: number }> = [];
  private heldBytes = 0;
  /** Duration of `held`, summed per chunk: chunks can have different rates (see `returnUnsent`). */
  private heldMs = 0;
  private droppedSinceHold = 0;
  private readonly maxBufferedMs: number;
  private readonly onOverflow: ((droppedBytes: number) => void) | undefined;
  readonly stats: AudioPlaneStats = { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0, droppedBytes: 0 };
  /** What the user has heard of each assistant item: fed here, read by the chart on an interruption. */
  readonly playback: PlaybackTracker;

  constructor(options: AudioPlaneOptions = {}) {
    this.maxBufferedMs = options.maxBufferedMs ?? DEFAULT_MAX_BUFFERED_MS;
    this.onOverflow = options.onOverflow;
    this.playback = new PlaybackTracker(options.playback);
  }

  /**
   * The session's context holds this plane, so snapshots (`getSnapshot()`, `getPersistedSnapshot()`,
   * a raw `inspect` observer) serialize it: they get counters, never the audio it holds.
   */
  toJSON(): { holding: boolean; heldBytes: number; stats: AudioPlaneStats } {
    return { holding: this.holding, heldBytes: this.heldBytes, stats: { ...this.stats } };
  }

  // ── model output ──

  onOutput(listener: (event: DataEvent) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Hot path: called by adapters for every output frame. */
  deliver(event: DataEvent): void {
    if (event.type === 'audio') {
      this.stats.framesOut++;
      this.stats.bytesOut += event.audio.length;
      if (event.itemId !== undefined) this.playback.received(event.itemId, event.responseId, event.audio.length, event.sampleRate);
    }
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(event);
  }

  // ── user input ──

  /** An adapter whose connection can carry audio attaches here; buffered audio is flushed to it. */
  attach(sink: UserAudioSink, connectionId: number): void {
    this.sink = sink;
    this.sinkConnection = connectionId;
    if (!this.holding) this.flush();
  }

  /** Detaching is per connection, so a closing old connection cannot detach its successor. */
  detach(connectionId: number): void {
    if (this.sinkConnection === connectionId) {
      this.sink = undefined;
      this.sinkConnection = -1;
    }
  }

  /** Start buffering user audio (the session is swapping connections). */
  hold(): void {
    this.holding = true;
    this.droppedSinceHold = 0;
  }

  /** Stop buffering and flush what was held to the attached sink, in order. */
  release(): void {
    this.holding = false;
    this.flush();
    if (this.droppedSinceHold > 0) this.onOverflow?.(this.droppedSinceHold);
    this.droppedSinceHold = 0;
  }

  /**
   * Audio an adapter accepted but could not send before its connection ended (a batch remainder,
   * input written while the socket was closing). It goes ahead of anything held, so order is kept,
   * and reaches the next connection like held audio; `discard()` (close, failure) drops it.
   */
  returnUnsent(chunks: ReadonlyArray<{ pcm: Buffer; sampleRate: number }>): void {
    if (chunks.length === 0) return;
    this.held = [...chunks, ...this.held];
    for (const chunk of chunks) {
      this.heldBytes += chunk.pcm.length;
      this.heldMs += durationMs(chunk);
    }
    this.trim();
    if (!this.holding && this.sink) this.flush();
  }

  /**
   * Drop anything held (the session closed or failed: there is no next connection). Not silent:
   * the bytes count in `stats.droppedBytes`, and are returned.
   */
  discard(): number {
    const dropped = this.heldBytes;
    this.stats.droppedBytes += dropped;
    this.holding = false;
    this.held = [];
    this.heldBytes = 0;
    this.heldMs = 0;
    return dropped;
  }

  get isHolding(): boolean {
    return this.holding;
  }

  get bufferedBytes(): number {
    return this.heldBytes;
  }

  sendUserAudio(pcm: Buffer, sampleRate: number): UserAudioOutcome {
    this.stats.framesIn++;
    this.stats.bytesIn += pcm.length;
    if (!this.holding && this.sink) {
      this.sink.sendAudio(pcm, sampleRate);
      return 'sent';
    }
    if (!this.holding) return 'rejected';
    const chunk = { pcm, sampleRate };
    this.held.push(chunk);
    this.heldBytes += pcm.length;
    this.heldMs += durationMs(chunk);
    this.trim();
    return 'buffered';
  }

  /**
   * Keeps at most `maxBufferedMs` of audio, dropping the oldest first. Measured in time, chunk by
   * chunk: an adapter hands back audio at its wire rate (16 kHz for Gemini) ahead of audio held at
   * the application's rate (say 48 kHz), and a byte limit for either rate would be wrong for the other.
   */
  private trim(): void {
    while (this.heldMs > this.maxBufferedMs && this.held.length > 1) {
      const dropped = this.held.shift()!;
      this.heldBytes -= dropped.pcm.length;
      this.heldMs -= durationMs(dropped);
      this.droppedSinceHold += dropped.pcm.length;
      this.stats.droppedBytes += dropped.pcm.length;
    }
  }

  private flush(): void {
    if (!this.sink) return;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.heldMs = 0;
    for (const chunk of held) this.sink.sendAudio(chunk.pcm, chunk.sampleRate);
  }
}

/** Milliseconds of PCM16 mono audio (samples × 1000 / rate: exact for whole milliseconds). */
function durationMs(chunk: { pcm: Buffer; sampleRate: number }): number {
  return ((chunk.pcm.length / 2) * 1000) / chunk.sampleRate;
}
