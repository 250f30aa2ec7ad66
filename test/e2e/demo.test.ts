/**
 * `npm start` (`tsx cli/main.ts demo`) end to end: it exits 0, prints the timeline of the whole
 * conversation and writes a real, non-silent 24 kHz mono WAV. Loopback only (in-process emulator).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectWav } from '../../cli/wav.js';
import type { SessionReport } from '../../index.js';
import { cli, killAll, tempDir } from './processes.js';

const dir = tempDir();
afterAll(() => {
  killAll();
  dir.remove();
});

function expectValidReply(path: string): void {
  const wav = inspectWav(path);
  expect(wav).toMatchObject({ sampleRate: 24_000, channels: 1, bitDepth: '16' });
  expect(wav.durationMs).toBeGreaterThan(500);
  expect(wav.rms).toBeGreaterThan(500);
}

describe('voxstate demo', { timeout: 60_000 }, () => {
  it('openai: tool call, spoken answer, barge-in, instruction change applied in place', async () => {
    const output = join(dir.path, 'openai.wav');
    const reportFile = join(dir.path, 'openai-report.json');
    const result = await cli(['demo', '--output', output, '--report', reportFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/state\s+link\.connected\(turn: idle, backgroundCalls: none, floor: open, resumption: none\)/);
    expect(out).toMatch(/user\s+“What's the weather in Paris\?”/);
    expect(out).toMatch(/tool\s+call get_weather\(\{"city":"Paris"\}\)/);
    expect(out).toMatch(/tool\s+get_weather → \{"city":"Paris","sky":"sunny","celsius":21\} \(succeeded/);
    expect(out).toMatch(/assistant “Here is what I found: get weather says city Paris/);
    expect(out).toMatch(/barge-in\s+assistant interrupted \(by user\)/);
    expect(out).toMatch(/tool\s+approved book_table/);
    expect(out).toMatch(/config\s+update applied: instructions/);
    expect(out).toMatch(/assistant “You said: Thank you, that is all.*\(You are now the hotel concierge\)”/);
    // A later turn may also cut the answer still playing after its response.done (a barge-in over playback).
    expect(out).toMatch(/turns\s+4 user, \d+ responses \([1-9] interrupted\)/);
    expect(out).toMatch(/tool calls\s+2 \(get_weather, book_table\)/);
    expect(out).toMatch(/first audio\s+\d+ ms/);
    expectValidReply(output);
    // --report: the session's final report as JSON, and a line in the summary saying where.
    expect(out).toContain(`report       session report → ${reportFile}`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as SessionReport;
    const responses = Number(/turns\s+4 user, (\d+) responses/.exec(out)![1]);
    expect(report.turns.responses).toBe(responses);
    expect(report.tools['get_weather']!.calls).toBe(1);
    expect(report.tools['book_table']!.calls).toBe(1);
    expect(report.endedAt).toBeDefined();
  });

  it('gemini: the same conversation, the instruction change queued then resumed', async () => {
    const output = join(dir.path, 'gemini.wav');
    const result = await cli(['demo', '--provider', 'gemini', '--output', output]);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/tool\s+call get_weather/);
    expect(out).toMatch(/barge-in\s+assistant interrupted/);
    expect(out).toMatch(/resume\s+queued until the turn ends \(mutation: instructions\)/);
    expect(out).toMatch(/state\s+link\.resuming/);
    expect(out).toMatch(/resume\s+resumed on connection 2 \(mutation\)/);
    // The queued update, then the same request again once its resumption ran.
    expect(out).toMatch(/config\s+queued → resumed, 1 resumption/);
    expectValidReply(output);
  });

  it('--inspect prints a loopback inspector URL and still finishes', async () => {
    const result = await cli(['demo', '--inspect', '--output', join(dir.path, 'inspect.wav')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/inspector: open http:\/\/127\.0\.0\.1:\d+ /);
  });
});
