/**
 * The audio plane's `maxBufferedMs` is a duration (review finding 9). An ending connection hands
 * back what it had not sent at its wire rate (Gemini: 16 kHz) ahead of audio held at the
 * application's rate (say 48 kHz); trimming all of it by a byte limit taken at one rate would drop
 * 48 kHz audio far inside the limit (or keep 16 kHz audio beyond it). The plane, its options and a
 * sink that records what reaches it are the real ones.
 */
import { describe, expect, it } from 'vitest';
import { AudioPlane } from '../../adapters/audio-plane.js';

/** `ms` of PCM16 mono at `rate`, samples counting up (so order shows). */
function pcm(ms: number, rate: number, start = 0): Buffer {
  const out = Buffer.alloc(((rate * ms) / 1000) * 2);
  for (let i = 0; i < out.length / 2; i++) out.writeInt16LE((start + i) % 30_000, i * 2);
  return out;
}

function planeWithSink(maxBufferedMs: number) {
  const overflows: number[] = [];
  const plane = new AudioPlane({ maxBufferedMs, onOverflow: (bytes) => overflows.push(bytes) });
  const received: Array<{ bytes: number; sampleRate: number }> = [];
  const attach = () => plane.attach({ sendAudio: (chunk, sampleRate) => received.push({ bytes: chunk.length, sampleRate }) }, 2);
  return { plane, overflows, received, attach };
}

describe('AudioPlane: the held-audio limit is measured in time, per chunk', () => {
  it('a 16 kHz remainder handed back ahead of 48 kHz held audio drops nothing inside the limit', () => {
    const { plane, overflows, received, attach } = planeWithSink(300);
    plane.hold();
    for (let i = 0; i < 10; i++) expect(plane.sendUserAudio(pcm(20, 48_000, i * 960), 48_000)).toBe('buffered'); // 200 ms
    plane.returnUnsent([{ pcm: pcm(20, 16_000), sampleRate: 16_000 }]); // 20 ms: 220 ms in all
    expect(plane.stats.droppedBytes).toBe(0);
    attach();
    plane.release();
    expect(received).toEqual([{ bytes: 640, sampleRate: 16_000 }, ...Array.from({ length: 10 }, () => ({ bytes: 1920, sampleRate: 48_000 }))]);
    expect(overflows).toEqual([]);
  });

  it('beyond the limit, the oldest audio goes first, whatever its rate', () => {
    const { plane, overflows, received, attach } = planeWithSink(300);
    plane.hold();
    plane.returnUnsent([{ pcm: pcm(40, 16_000), sampleRate: 16_000 }]); // 40 ms
    for (let i = 0; i < 14; i++) plane.sendUserAudio(pcm(20, 48_000), 48_000); // 280 ms: 320 ms in all
    // The 40 ms at 16 kHz is the oldest: dropping it brings the held audio to 280 ms.
    expect(plane.stats.droppedBytes).toBe(1280);
    attach();
    plane.release();
    expect(received.map((r) => r.sampleRate)).toEqual(Array.from({ length: 14 }, () => 48_000));
    expect(overflows).toEqual([1280]);
  });

  it('discard() counts what it drops in droppedBytes', () => {
    const { plane } = planeWithSink(300);
    plane.hold();
    plane.sendUserAudio(pcm(20, 48_000), 48_000);
    plane.returnUnsent([{ pcm: pcm(10, 16_000), sampleRate: 16_000 }]);
    expect(plane.discard()).toBe(1920 + 320);
    expect(plane.stats.droppedBytes).toBe(1920 + 320);
    expect(plane.bufferedBytes).toBe(0);
  });
});
