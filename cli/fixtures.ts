/**
 * The user's side of the demo: WAV files made on the fly (nothing is shipped), so a fresh clone
 * needs no generated files. The voice is the emulator's own synthesizer, the same one its
 * assistant speaks with, padded with silence so the provider's voice activity detection sees a
 * turn start and end.
 */
import { join } from 'node:path';
import { EMULATOR_OUTPUT_RATE, synthesize } from '../emulator/speech.js';
import { silence } from './stream.js';
import { writeWav } from './wav.js';

export function writeUtterance(dir: string, name: string, text: string, opts: { leadMs?: number; tailMs?: number } = {}): string {
  const rate = EMULATOR_OUTPUT_RATE;
  const pcm = Buffer.concat([silence(opts.leadMs ?? 200, rate), synthesize(text, rate), silence(opts.tailMs ?? 600, rate)]);
  const path = join(dir, `${name}.wav`);
  writeWav(path, pcm, rate);
  return path;
}
