/**
 * What the user has heard of the model's audio, per assistant item, kept on the audio plane (never
 * per frame through the chart). For each item: the audio received (ms, from PCM bytes and rate),
 * when its first delta arrived, and the position the application reported
 * (`session.reportPlayback`). The played position is
 * - `wallClock` (default): min(received, time since the item's first delta), what the OpenAI
 *   Agents SDK sends as `audio_end_ms` (openai-realtime-2026.md §6);
 * - `reported`: min(reported, received), 0 while the application has reported nothing (for
 *   transports that echo playback, e.g. Twilio `mark`s).
 *
 * On an interruption the chart asks `cut()` for the items of the interrupted response that were
 * not heard to the end; each item is cut once.
 */

export type PlaybackMode = 'wallClock' | 'reported';

/** One assistant item cut short: what was played and what had been received, in ms. */
export interface PlaybackCut {
  itemId: string;
  playedMs: number;
  receivedMs: number;
}

/** The outcome of `reportPlayback`: recorded, or ignored with the reason (never thrown). */
export type PlaybackReport = { ok: true } | { ok: false; reason: 'unknown_item' | 'invalid_position' };

interface ItemPlayback {
  responseId: string | undefined;
  receivedMs: number;
  firstDeltaAt: number;
  reportedMs: number | undefined;
  cut: boolean;
}

/** Items kept (oldest forgotten first): a response rarely has more than a few. */
const MAX_ITEMS = 32;

export class PlaybackTracker {
  private readonly items = new Map<string, ItemPlayback>();
  /** The response whose audio arrived last: the one an interruption cuts. */
  private lastResponseId: string | undefined;

  constructor(
    readonly mode: PlaybackMode = 'wallClock',
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Hot path: one audio frame of `bytes` PCM16 mono at `sampleRate` for `itemId`. */
  received(itemId: string, responseId: string | undefined, bytes: number, sampleRate: number): void {
    let item = this.items.get(itemId);
    if (!item) {
      item = { responseId, receivedMs: 0, firstDeltaAt: this.now(), reportedMs: undefined, cut: false };
      this.items.set(itemId, item);
      if (this.items.size > MAX_ITEMS) this.items.delete(this.items.keys().next().value!);
    }
    if (item.cut) return; // audio of an item already cut was never played
    item.receivedMs += (bytes / 2) * (1000 / sampleRate);
    this.lastResponseId = responseId;
  }

  /** The application's played position for an item (`reported` mode reads it; `wallClock` keeps it too). */
  report(itemId: string, playedMs: number): PlaybackReport {
    if (typeof playedMs !== 'number' || !Number.isFinite(playedMs) || playedMs < 0) return { ok: false, reason: 'invalid_position' };
    const item = this.items.get(itemId);
    if (!item) return { ok: false, reason: 'unknown_item' };
    item.reportedMs = playedMs;
    return { ok: true };
  }

  /** The played position of an item now, never beyond what was received. */
  playedMs(itemId: string): number | undefined {
    const item = this.items.get(itemId);
    return item ? this.playedOf(item) : undefined;
  }

  /**
   * The items of the interrupted response (the one whose audio came last) not heard to the end,
   * each marked cut so a later interruption does not cut it again. `overrideMs` (from
   * `interrupt({ playedMs })`) is the played position of the current (last) item.
   */
  cut(overrideMs?: number): PlaybackCut[] {
    const candidates = [...this.items].filter(([, item]) => !item.cut && item.responseId === this.lastResponseId);
    const cuts: PlaybackCut[] = [];
    candidates.forEach(([itemId, item], index) => {
      const isCurrent = index === candidates.length - 1;
      const played = isCurrent && overrideMs !== undefined && overrideMs >= 0 ? Math.min(overrideMs, item.receivedMs) : this.playedOf(item);
      item.cut = true;
      if (played >= item.receivedMs) return; // heard to the end: nothing to cut
      cuts.push({ itemId, playedMs: Math.floor(played), receivedMs: item.receivedMs });
    });
    return cuts;
  }

  toJSON(): { mode: PlaybackMode; items: number } {
    return { mode: this.mode, items: this.items.size };
  }

  private playedOf(item: ItemPlayback): number {
    const position = this.mode === 'reported' ? (item.reportedMs ?? 0) : this.now() - item.firstDeltaAt;
    return Math.max(0, Math.min(position, item.receivedMs));
  }
}
