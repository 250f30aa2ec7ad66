/**
 * Audio the emulated model speaks. This is a clearly synthetic signal, not speech: one short
 * tone burst per word (pitch from the word's letters) separated by silence, PCM16 LE mono, so
 * tests can check duration, order and non-silence, and a listener hears "syllables".
 */

export const EMULATOR_OUTPUT_RATE = 24_000;

export function synthesize(text: string, sampleRate = EMULATOR_OUTPUT_RATE): Buffer {
  const words = text.split(/\s+/).filter(Boolean);
  const wordMs = 180;
  const gapMs = 60;
  const samplesPerWord = Math.round((sampleRate * wordMs) / 1000);
  const samplesPerGap = Math.round((sampleRate * gapMs) / 1000);
  const total = Math.max(1, words.length) * (samplesPerWord + samplesPerGap);
  const pcm = Buffer.alloc(total * 2);
  let offset = 0;
  for (const word of words.length ? words : ['…']) {
    let code = 0;
    for (const ch of word) code = (code * 31 + ch.charCodeAt(0)) % 997;
    const freq = 140 + (code % 160);
    for (let i = 0; i < samplesPerWord; i++) {
      const envelope = Math.sin((Math.PI * i) / samplesPerWord);
      const sample = Math.round(9000 * envelope * Math.sin((2 * Math.PI * freq * i) / sampleRate));
      pcm.writeInt16LE(sample, offset);
      offset += 2;
    }
    offset += samplesPerGap * 2;
  }
  return pcm;
}

/** Root-mean-square level of PCM16 LE audio, 0..32767. */
export function rms(pcm: Buffer): number {
  const n = Math.floor(pcm.length / 2);
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = pcm.readInt16LE(i * 2);
    sum += s * s;
  }
  return Math.sqrt(sum / n);
}
