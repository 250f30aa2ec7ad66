/** The emulators' shared voice detector: an energy threshold and a silence limit. */
import { describe, expect, it } from 'vitest';
import { VoiceDetector } from '../../emulator/voice-detector.js';

const frame = (level: number) => {
  const pcm = Buffer.alloc(480 * 2); // 20 ms at 24 kHz
  for (let i = 0; i < 480; i++) pcm.writeInt16LE(i % 2 ? level : -level, i * 2);
  return pcm;
};
const loud = frame(2_000);
const quiet = frame(10);

describe('VoiceDetector', () => {
  it('starts on a loud frame and ends after the silence limit of quiet frames', () => {
    const vad = new VoiceDetector(500);
    expect(vad.hear(quiet, 20, 60)).toBeUndefined();
    expect(vad.hear(loud, 20, 60)).toBe('speechStarted');
    expect(vad.hear(loud, 20, 60)).toBeUndefined();
    expect(vad.hear(quiet, 20, 60)).toBeUndefined();
    expect(vad.hear(quiet, 20, 60)).toBeUndefined();
    expect(vad.speaking).toBe(true);
    expect(vad.hear(quiet, 20, 60)).toBe('speechEnded');
    expect(vad.speaking).toBe(false);
    expect(vad.speechMs).toBe(40); // loud frames only
  });

  it('a loud frame resets the silence counted so far', () => {
    const vad = new VoiceDetector(500);
    vad.hear(loud, 20, 60);
    vad.hear(quiet, 20, 60);
    vad.hear(quiet, 20, 60);
    vad.hear(loud, 20, 60);
    expect(vad.hear(quiet, 20, 60)).toBeUndefined();
    expect(vad.hear(quiet, 20, 60)).toBeUndefined();
    expect(vad.hear(quiet, 20, 60)).toBe('speechEnded');
  });

  it('manual activity: start, extend and end whatever the level', () => {
    const vad = new VoiceDetector(500);
    vad.extend(20);
    expect(vad.speechMs).toBe(0);
    vad.start();
    vad.extend(20);
    vad.extend(30);
    expect(vad.speechMs).toBe(50);
    vad.end();
    expect(vad.speaking).toBe(false);
  });
});
