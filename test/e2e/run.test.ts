/**
 * `voxstate run` for real over loopback: the emulator stands in for the provider (`--url`, a dummy
 * key), the input is a 44.1 kHz stereo WAV so the resampling and downmix path runs too.
 */
import { join } from 'node:path';
import wavefile from 'wavefile';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuleBrain } from '../../emulator/brain.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { inspectWav } from '../../cli/wav.js';
import type { SessionReport } from '../../index.js';
import { cleanEnv, cli, killAll, tempDir } from './processes.js';

const dir = tempDir();
let emulator: Emulator;
const input = join(dir.path, 'question-44k-stereo.wav');
const toTheEnd = join(dir.path, 'speech-to-the-last-sample.wav');

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

/** The same question at 24 kHz with no silence after it: the file ends inside the last word. */
function writeSpeechToTheEnd(): void {
  const voice = synthesize("What's the weather in Paris?", 24_000);
  const mono = new Int16Array(voice.buffer, voice.byteOffset, voice.length / 2);
  let end = mono.length;
  while (end > 0 && Math.abs(mono[end - 1]!) < 200) end--; // trailing silence off…
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 24_000, '16', mono.slice(0, end - 2_400)); // …and 100 ms into the last word
  writeFileSync(toTheEnd, wav.toBuffer());
}

beforeAll(async () => {
  writeStereoInput();
  writeSpeechToTheEnd();
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

  it('openai --fast, speech to the last sample: one user turn, no phantom second turn, no provider error', async () => {
    const output = join(dir.path, 'to-the-end-reply.wav');
    const args = ['run', '--url', emulator.openaiUrl, '--input', toTheEnd, '--output', output, '--fast'];
    const result = await cli(args, { env: cleanEnv({ OPENAI_API_KEY: 'dummy-key-for-the-emulator' }) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The emulator names an unscripted spoken turn "(spoken turn N, M ms)": a phantom turn shows up.
    expect(result.stdout).not.toContain('spoken turn 2');
    expect(result.stdout).not.toMatch(/^\s*[\d.]+s\s+error/m);
    expect(result.stdout).not.toContain('committing the turn');
    expect(result.stdout).toMatch(/user\s+“What's the weather in Paris\?”/);
    expect(result.stdout).toMatch(/turns\s+1 user, 1 response \(/);
  });

  it('an error the provider reports during the turn makes run exit 1, after writing the reply', async () => {
    const faulty = await startEmulator({
      brain: createRuleBrain({ transcripts: ["What's the weather in Paris?"] }),
      openai: { faults: [{ on: 'input_audio_buffer.append', fault: { type: 'error', errorType: 'server_error', code: 'internal_error', message: 'The server had an error.' } }] },
    });
    try {
      const output = join(dir.path, 'faulty-reply.wav');
      const result = await cli(['run', '--url', faulty.openaiUrl, '--input', input, '--output', output, '--fast'], { env: cleanEnv({ OPENAI_API_KEY: 'dummy-key-for-the-emulator' }) });
      expect(result.stdout).toMatch(/error\s+server_error: The server had an error\./);
      expect(result.stdout).toMatch(/assistant “/); // the answer still came…
      expect(inspectWav(output).durationMs).toBeGreaterThan(500); // …and was written
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^voxstate: the provider reported an error the run could not recover from: internal_error: The server had an error\./);
    } finally {
      await faulty.close();
    }
  });

  it('a response the provider ends as failed (quota) makes run exit 1', async () => {
    const failing = await startEmulator({
      brain: createRuleBrain({ transcripts: ["What's the weather in Paris?"] }),
      openai: {
        faults: [
          {
            on: 'input_audio_buffer.append',
            fault: {
              type: 'frame',
              frame: {
                type: 'response.done',
                event_id: 'event_quota',
                response: {
                  object: 'realtime.response', id: 'resp_quota', status: 'failed', output: [], usage: null,
                  status_details: { type: 'failed', error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota.' } },
                },
              },
            },
          },
        ],
      },
    });
    try {
      const output = join(dir.path, 'failed-reply.wav');
      const result = await cli(['run', '--url', failing.openaiUrl, '--input', input, '--output', output, '--fast'], { env: cleanEnv({ OPENAI_API_KEY: 'dummy-key-for-the-emulator' }) });
      expect(result.stdout).toMatch(/error\s+response_failed: OpenAI response resp_quota failed: You exceeded your current quota\./);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^voxstate: the provider reported an error the run could not recover from: insufficient_quota:/);
    } finally {
      await failing.close();
    }
  });

  it('a key in the --url (query string or user info) never reaches the output', async () => {
    const secret = 'sk-proj-SECRETSECRET1234567890';
    const url = new URL(emulator.openaiUrl);
    url.searchParams.set('api_key', secret);
    url.username = 'user';
    url.password = 'sk-other-SECRET-0987654321';
    const output = join(dir.path, 'redacted-reply.wav');
    const result = await cli(['run', '--url', url.toString(), '--input', input, '--output', output, '--fast'], { env: cleanEnv({ OPENAI_API_KEY: 'dummy-key-for-the-emulator' }) });
    expect(result.stdout).toMatch(/voxstate run: openai at ws:\/\/\[redacted\]@127\.0\.0\.1:\d+\/v1\/realtime\?model=gpt-realtime-2\.1&api_key=\[redacted\]/);
    expect(result.stdout + result.stderr).not.toContain('SECRET');
  });

  it('a key the endpoint refuses is a runtime failure (exit 1), reported in one line', async () => {
    const strict = await startEmulator({ openai: { apiKey: 'sk-the-right-one' } });
    try {
      const reportFile = join(dir.path, 'refused-report.json');
      const result = await cli(['run', '--url', strict.openaiUrl, '--input', input, '--fast', '--report', reportFile], { env: cleanEnv({ OPENAI_API_KEY: 'sk-wrong' }) });
      expect(result.code).toBe(1);
      // --report: written on failure too, with the error, never the key.
      expect(result.stdout).toContain(`session report → ${reportFile}`);
      const text = readFileSync(reportFile, 'utf8');
      expect(text).not.toContain('sk-wrong');
      const report = JSON.parse(text) as SessionReport;
      expect(report.errors.length).toBeGreaterThanOrEqual(1);
      expect(report.turns.responses).toBe(0);
      expect(result.stderr).toMatch(/^voxstate: .+/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain('sk-wrong');
    } finally {
      await strict.close();
    }
  });
});
