/**
 * What the user has heard of the model's audio, per assistant item, kept on the audio plane (never
 * per frame through the chart). For each item: the audio received (ms, from PCM bytes and rate),
 * when its first delta arrived, and the position the application reported
 * (`session.reportPlayback`). The played position is
 * - `wallClock` (default): min(received, time since the item started playing), what the OpenAI
 *   Agents SDK sends as `audio_end_ms` (openai-realtime-2026.md §6). An item starts playing at its
 *   first delta, or when the item before it has played to its end if that is later: a player
 *   plays the items of a response one after the other, not at once;
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
  /** Where the item stopped playing when it was cut (its playback ends there for the next item). */
  cutAtMs: number | undefined;
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
      item = { responseId, receivedMs: 0, firstDeltaAt: this.now(), reportedMs: undefined, cut: false, cutAtMs: undefined };
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
   * True when an item of the response whose audio came last is not cut and not yet heard to its
   * end: what a barge-in after `response.done` cuts (the answer still plays).
   */
  hasUnheard(): boolean {
    return [...this.items.values()].some((item) => !item.cut && item.responseId === this.lastResponseId && this.playedOf(item) < item.receivedMs);
  }

  /**
   * The items of the interrupted response (the one whose audio came last) not heard to the end,
   * each marked cut so a later interruption does not cut it again. `overrideMs` (from
   * `interrupt({ playedMs })`) is the played position of the current (last) item.
   * `responseActive`: the response is still generating, so its current item is cut even when all
   * the audio received was played (the server has generated more than arrived), at what was received.
   */
  cut(overrideMs?: number, responseActive = false): PlaybackCut[] {
    const candidates = [...this.items].filter(([, item]) => !item.cut && item.responseId === this.lastResponseId);
    const cuts: PlaybackCut[] = [];
    const played = candidates.map(([, item], index) =>
      index === candidates.length - 1 && overrideMs !== undefined && overrideMs >= 0 ? Math.min(overrideMs, item.receivedMs) : this.playedOf(item),
    );
    candidates.forEach(([itemId, item], index) => {
      const isCurrent = index === candidates.length - 1;
      item.cut = true;
      item.cutAtMs = played[index]!;
      if (played[index]! >= item.receivedMs && !(isCurrent && responseActive)) return; // heard to the end: nothing to cut
      cuts.push({ itemId, playedMs: Math.floor(played[index]!), receivedMs: item.receivedMs });
    });
    return cuts;
  }

  toJSON(): { mode: PlaybackMode; items: number } {
    return { mode: this.mode, items: this.items.size };
  }

  private playedOf(item: ItemPlayback): number {
    if (item.cutAtMs !== undefined) return item.cutAtMs;
    const position = this.mode === 'reported' ? (item.reportedMs ?? 0) : this.now() - this.startOf(item);
    return Math.max(0, Math.min(position, item.receivedMs));
  }

  /** When an item started playing (wall clock): its first delta, or the end of the item before it if later. */
  private startOf(target: ItemPlayback): number {
    let previousEnd = -Infinity;
    for (const item of this.items.values()) {
      const start = Math.max(item.firstDeltaAt, previousEnd);
      if (item === target) return start;
      previousEnd = start + (item.cutAtMs ?? item.receivedMs);
    }
    return target.firstDeltaAt;
  }
}
