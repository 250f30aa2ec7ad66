/**
 * The CLI's "player": the assistant's audio goes to a WAV file, played by nobody, while the demo
 * paces the conversation `speed` times faster than real time. With `playback: 'reported'`, this
 * reports each item as played at `speed` × the time since its first audio (never beyond what
 * arrived; an item starts when the one before it has played out), the way a real player reports its position — so a barge-in cuts what a listener at that
 * pace would have heard, and wall-clock playback at ×1 is not mistaken for a ×10 conversation.
 * A position is reported every `tickMs` while an item is still "playing".
 */
import type { RealtimeSession } from '../index.js';

interface Playing {
  /** When it starts playing: its first audio, or when the item before it ends, whichever is later. */
  firstAt: number;
  receivedMs: number;
  reportedMs: number;
}

export function reportPacedPlayback(session: RealtimeSession, speed: number, tickMs = 20): () => void {
  const items = new Map<string, Playing>();
  let last: Playing | undefined;
  const report = (now: number): void => {
    for (const [itemId, item] of items) {
      const played = Math.min(item.receivedMs, Math.max(0, now - item.firstAt) * speed);
      if (played > item.reportedMs) {
        item.reportedMs = played;
        session.reportPlayback(itemId, played);
      }
    }
  };
  const off = session.on('audio', (e) => {
    if (e.itemId === undefined) return;
    const now = performance.now();
    let item = items.get(e.itemId);
    if (!item) {
      const previousEnd = last ? last.firstAt + last.receivedMs / speed : now;
      item = { firstAt: Math.max(now, previousEnd), receivedMs: 0, reportedMs: 0 };
      items.set(e.itemId, item);
      last = item;
    }
    item.receivedMs += (e.audio.length / 2 / e.sampleRate) * 1000;
    report(now);
  });
  const timer = setInterval(() => report(performance.now()), tickMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    off();
  };
}
