/**
 * The playback tracker on a simulated clock (adapters/playback.ts): what the audio plane believes
 * was heard. The emulator sends one audio item per response, so the order of several items of one
 * response (a preamble, then the answer) is checked here, on the tracker the session uses.
 */
import { describe, expect, it } from 'vitest';
import { PlaybackTracker } from '../../adapters/playback.js';

const RATE = 24_000;
/** PCM16 mono bytes for `ms` at 24 kHz. */
const bytes = (ms: number) => (ms * RATE * 2) / 1000;

describe('PlaybackTracker (wallClock)', () => {
  it('a second item of a response starts playing when the first has played to its end, not at its first delta', () => {
    let now = 0;
    const tracker = new PlaybackTracker('wallClock', () => now);
    tracker.received('preamble', 'r1', bytes(2000), RATE); // 2 s of preamble at t=0
    now = 500;
    tracker.received('answer', 'r1', bytes(3000), RATE); // the answer arrives at t=500 while the preamble plays
    now = 1000;
    expect(tracker.playedMs('preamble')).toBe(1000);
    expect(tracker.playedMs('answer')).toBe(0);
    expect(tracker.cut()).toEqual([
      { itemId: 'preamble', playedMs: 1000, receivedMs: 2000 },
      { itemId: 'answer', playedMs: 0, receivedMs: 3000 },
    ]);
  });

  it('the answer plays from the end of the preamble on', () => {
    let now = 0;
    const tracker = new PlaybackTracker('wallClock', () => now);
    tracker.received('preamble', 'r1', bytes(2000), RATE);
    now = 500;
    tracker.received('answer', 'r1', bytes(3000), RATE);
    now = 2700;
    expect(tracker.playedMs('preamble')).toBe(2000);
    expect(tracker.playedMs('answer')).toBe(700);
    expect(tracker.cut()).toEqual([{ itemId: 'answer', playedMs: 700, receivedMs: 3000 }]);
  });

  it('audio arriving for an item already cut is not counted (it was never played)', () => {
    let now = 0;
    const tracker = new PlaybackTracker('wallClock', () => now);
    tracker.received('a', 'r1', bytes(1000), RATE);
    now = 200;
    expect(tracker.cut()).toEqual([{ itemId: 'a', playedMs: 200, receivedMs: 1000 }]);
    tracker.received('a', 'r1', bytes(1000), RATE);
    now = 5000;
    expect(tracker.playedMs('a')).toBe(200);
    expect(tracker.hasUnheard()).toBe(false);
    expect(tracker.cut()).toEqual([]);
  });

  it('late audio of a cut item does not make its response the one the next interruption cuts', () => {
    let now = 0;
    const tracker = new PlaybackTracker('wallClock', () => now);
    tracker.received('a', 'r1', bytes(1000), RATE);
    now = 100;
    tracker.cut();
    tracker.received('b', 'r2', bytes(1000), RATE);
    tracker.received('a', 'r1', bytes(500), RATE); // still in flight when r1 was cut
    now = 300;
    expect(tracker.cut()).toEqual([{ itemId: 'b', playedMs: 200, receivedMs: 1000 }]);
  });

  it('the current item of a response still generating is cut at what was received even when all of it was played', () => {
    let now = 0;
    const tracker = new PlaybackTracker('wallClock', () => now);
    tracker.received('a', 'r1', bytes(300), RATE);
    now = 1000;
    expect(tracker.hasUnheard()).toBe(false);
    expect(new PlaybackTracker('wallClock', () => now).cut(500, true)).toEqual([]);
    expect(tracker.cut(500, true)).toEqual([{ itemId: 'a', playedMs: 300, receivedMs: 300 }]);
  });
});
