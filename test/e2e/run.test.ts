/**
 * `voxstate run` for real over loopback: the emulator stands in for the provider (`--url`, a dummy
 * key), the input is a 44.1 kHz stereo WAV so the resampling and downmix path runs too.
 */
import { join } from 'node:path';
import wavefile from 'wavefile';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuleBrain } from '../../emulator/brain.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { inspectWav } from '../../cli/wav.js';
import { cleanEnv, cli, killAll, tempDir } from './helpers.js';

const dir = tempDir();
let emulator: Emulator;
const input = join(dir.path, 'question-44k-stereo.wav');

/** "What's the weather in Paris?" in the emulator's voice as a 44.1 kHz stereo file (nearest-sample upsampling; the right channel at half level). */
function writeStereoInput(): void {
  const voice = synthesize("What's the weather in Paris?", 24_000);
  const mono = new Int16Array(voice.buffer, voice.byteOffset, voice.length / 2);
  const frames = Math.round((mono.length * 44_100) / 24_000) + 44_100; // plus 1 s of silence
  const left = new Int16Array(frames);
  for (let i = 0; i < frames; i++) left[i] = mono[Math.floor((i * 24_000) / 44_100)] ?? 0;
  const wav = new wavefile.WaveFile();
  wav.fromScratch(2, 44_100, '16', [left, left.map((s) => s >> 1)]);
  writeFileSync(input, wav.toBuffer());
}

beforeAll(async () => {
  writeStereoInput();
  emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ["What's the weather in Paris?"] }) });
});
afterAll(async () => {
  killAll();
  await emulator.close();
  dir.remove();
});

describe.concurrent('voxstate run against the emulator', { timeout: 60_000 }, () => {
  it.each([
    ['openai', 'OPENAI_API_KEY', () => emulator.openaiUrl],
    ['gemini', 'GEMINI_API_KEY', () => emulator.geminiUrl],
  ])('%s: streams the WAV, calls the tool, writes the spoken answer', async (provider, variable, url) => {
    const output = join(dir.path, `${provider}-reply.wav`);
    const args = ['run', '--provider', provider, '--url', url(), '--input', input, '--output', output, '--tools', 'demo', '--fast'];
    const result = await cli(args, { env: cleanEnv({ [variable]: 'dummy-key-for-the-emulator' }) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/input .*question-44k-stereo\.wav \(44100 Hz, 2 ch, 16-bit, 2\.\d s\)/);
    expect(result.stdout).toMatch(/tool\s+call get_weather\(\{"city":"Paris"\}\)/);
    expect(result.stdout).toMatch(/assistant “Here is what I found: get weather says city Paris/);
    expect(result.stdout).toMatch(/turns\s+1 user/);
    const reply = inspectWav(output);
    expect(reply).toMatchObject({ sampleRate: 24_000, channels: 1, bitDepth: '16' });
    expect(reply.durationMs).toBeGreaterThan(500);
    expect(reply.rms).toBeGreaterThan(500);
  });

  it('a key the endpoint refuses is a runtime failure (exit 1), reported in one line', async () => {
    const strict = await startEmulator({ openai: { apiKey: 'sk-the-right-one' } });
    try {
      const result = await cli(['run', '--url', strict.openaiUrl, '--input', input, '--fast'], { env: cleanEnv({ OPENAI_API_KEY: 'sk-wrong' }) });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^voxstate: .+/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain('sk-wrong');
    } finally {
      await strict.close();
    }
  });
});
