/**
 * AudioInput (adapters/audio.ts) with its real libsamplerate converters: order is kept while a
 * converter loads, and a clear never swallows a commit that was asked for before it.
 */
import { describe, expect, it } from 'vitest';
import { AudioInput } from '../../adapters/audio.js';
import { waitUntil } from '../session/event-log.js';

type Sent = { audio: number } | { marker: string };

function input(minBatchBytes = 0) {
  const sent: Sent[] = [];
  const errors: string[] = [];
  const audio = new AudioInput((pcm) => sent.push({ audio: pcm.length }), (m) => errors.push(m), { targetRate: 24_000, minBatchBytes });
  return { audio, sent, errors, mark: (marker: string) => () => sent.push({ marker }) };
}

const tone = (samples: number) => {
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin(i / 5)), i * 2);
  return pcm;
};

describe('AudioInput', () => {
  it('a commit queued behind a loading resampler survives a clear that follows it, in order', async () => {
    const { audio, sent, errors, mark } = input();
    audio.push(tone(320), 16_000); // 20 ms at 16 kHz: its converter starts loading
    audio.flush(mark('commit'));
    audio.push(tone(320), 16_000); // after the commit: the clear drops it
    audio.clear(mark('clear'));
    expect(sent).toEqual([]); // everything waits for the converter
    await waitUntil(() => sent.some((s) => 'marker' in s && s.marker === 'clear'), 'the clear');
    const markers = sent.map((s) => ('marker' in s ? s.marker : 'audio'));
    expect(markers).toEqual(['audio', 'commit', 'clear']);
    expect((sent[0] as { audio: number }).audio).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    audio.close();
  });

  it('a clear with nothing queued drops the unsent batch and runs at once', () => {
    const { audio, sent, mark } = input(10_000);
    audio.push(tone(480), 24_000); // at the target rate: batched, under the batch size
    expect(audio.bufferedBytes).toBe(960);
    audio.clear(mark('clear'));
    expect(audio.bufferedBytes).toBe(0);
    expect(sent).toEqual([{ marker: 'clear' }]);
    audio.close();
  });
});
