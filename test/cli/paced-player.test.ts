/** The demo's paced player: positions reported at ×speed, items one after another, never beyond what arrived. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportPacedPlayback } from '../../cli/paced-player.js';
import type { RealtimeSession } from '../../index.js';

type AudioListener = (e: { audio: Buffer; sampleRate: number; itemId: string | undefined }) => void;

function fakeSession() {
  let listener: AudioListener | undefined;
  const reports: Array<[string, number]> = [];
  const session = {
    on: (type: string, l: AudioListener) => {
      expect(type).toBe('audio');
      listener = l;
      return () => (listener = undefined);
    },
    reportPlayback: (itemId: string, ms: number) => {
      reports.push([itemId, ms]);
      return { ok: true };
    },
  } as unknown as RealtimeSession;
  // 100 ms of 24 kHz PCM16 mono.
  const audio = (itemId: string) => listener?.({ audio: Buffer.alloc(4800), sampleRate: 24_000, itemId });
  const last = (itemId: string) => reports.filter(([id]) => id === itemId).at(-1)?.[1];
  return { session, audio, last, listening: () => listener !== undefined };
}

describe('reportPacedPlayback (cli/paced-player.ts)', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('reports speed × elapsed, capped at the audio received', () => {
    const f = fakeSession();
    const stop = reportPacedPlayback(f.session, 10);
    f.audio('a'); // 100 ms received at t=0
    vi.advanceTimersByTime(5); // ×10: 50 ms played (reported at the next tick)
    vi.advanceTimersByTime(15);
    expect(f.last('a')).toBe(100); // 20 ms × 10 = 200, capped at 100 received
    f.audio('a'); // 200 ms received
    vi.advanceTimersByTime(20); // 40 ms × 10 = 400, capped at 200
    expect(f.last('a')).toBe(200);
    stop();
    expect(f.listening()).toBe(false);
  });

  it('a second item starts when the first has played out', () => {
    const f = fakeSession();
    reportPacedPlayback(f.session, 1);
    for (let i = 0; i < 10; i++) f.audio('preamble'); // 1000 ms at t=0
    vi.advanceTimersByTime(500);
    f.audio('answer'); // arrives at t=500, starts playing at t=1000
    vi.advanceTimersByTime(480);
    expect(f.last('answer')).toBeUndefined();
    expect(f.last('preamble')).toBeCloseTo(980, 0);
    vi.advanceTimersByTime(60);
    expect(f.last('answer')).toBeGreaterThan(0);
    expect(f.last('answer')).toBeLessThanOrEqual(100);
  });
});
