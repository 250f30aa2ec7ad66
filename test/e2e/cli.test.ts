/** The CLI's contract: --help everywhere, exit codes, one-line errors without stack traces. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, cli, killAll, ROOT } from './processes.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { createRuleBrain } from '../../emulator/brain.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), 'voxstate-cli-'));
beforeAll(async () => {
  emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ["What's the weather in Paris?"] }) });
});
afterAll(async () => {
  killAll();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const USAGE_LINE = /\nusage: voxstate .+\n$/;

describe('voxstate CLI', { timeout: 30_000 }, () => {
  it.each([[[]], [['--help']], [['demo', '--help']], [['run', '--help']], [['emulator', '--help']]])('%j prints help and exits 0', async (args) => {
    const result = await cli(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: voxstate/);
  });

  it('every command documents each of its flags in --help', async () => {
    const help = (await cli(['run', '--help'])).stdout;
    for (const flag of ['--provider', '--input', '--output', '--instructions', '--voice', '--tools', '--model', '--url', '--fast', '--inspect']) {
      expect(help).toContain(flag);
    }
  });

  it('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await cli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('the help names a docs page that exists', async () => {
    const docs = (await cli(['--help'])).stdout.match(/Docs: (.+)/)?.[1];
    expect(docs).toBe(join(ROOT, 'docs', 'cli.md'));
    expect(readFileSync(docs!, 'utf8')).toMatch(/^# The `voxstate` command line/);
  });

  it.each([
    [['demo', '--bogus'], /unknown option '--bogus'/],
    [['emulator', '--port', '-1'], /--port must be an integer from 0 to 65535, got "-1"/],
    [['emulator', '--port=-8'], /--port must be an integer from 0 to 65535, got "-8"/],
    [['emulator', '--port', '70000'], /--port must be an integer from 0 to 65535, got "70000"/],
    [['demo', '--speed', '-2'], /--speed must be an integer ≥ 1, got "-2"/],
    [['run', '--input', 'x.wav', '--tools', 'all'], /--tools takes "demo", got "all"/],
    [['run', '--input', 'x.wav', '--url', 'http://example.com'], /--url must start with ws:\/\/ or wss:\/\//],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['demo', '--provider', 'claude'], /unknown provider "claude"/],
    [['run', '--provider', 'openai'], /--input <wav> is required/],
    [['emulator', '--host', '0.0.0.0', '--port', '0'], /refusing to bind 0\.0\.0\.0.*--allow-non-loopback/],
    [['demo', '--speed', '0'], /--speed must be an integer ≥ 1, got "0"/],
    [['run', '--provider', 'openai', '--input', 'x.wav', '--timeout', '0'], /--timeout must be an integer ≥ 1, got "0"/],
    [['demo', '--output', 'package.json/reply.wav'], /--output package\.json\/reply\.wav: cannot write there \(package\.json is not a folder\)/],
  ])('%j is a usage error: exit 2, one line and the usage line, no stack', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(message);
    const command = args[0]!.startsWith('-') || !['demo', 'run', 'emulator'].includes(args[0]!) ? '<command>' : args[0]!;
    expect(lines[1]).toMatch(new RegExp(`^usage: voxstate ${command}`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['openai', 'OPENAI_API_KEY'],
    ['gemini', 'GEMINI_API_KEY'],
  ])('run --provider %s without a key exits 2 and names %s', async (provider, variable) => {
    const result = await cli(['run', '--provider', provider, '--input', 'missing.wav']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^voxstate: ${variable} is not set.*${USAGE_LINE.source}`));
  });

  it('an empty WAV is a usage error, before any connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxstate-empty-'));
    const path = join(dir, 'empty.wav');
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 16_000, '16', new Int16Array(0));
    writeFileSync(path, wav.toBuffer());
    const result = await cli(['run', '--provider', 'openai', '--input', path, '--url', 'ws://127.0.0.1:9/none'], { env: { ...process.env, OPENAI_API_KEY: 'sk-dummy' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path} has no audio samples`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unreadable input is a usage error, a stack trace only with --debug', async () => {
    const env = { ...process.env, OPENAI_API_KEY: 'sk-dummy' };
    const plain = await cli(['run', '--input', '/nonexistent/in.wav'], { env });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/cannot read \/nonexistent\/in\.wav: ENOENT/);
    const debug = await cli(['run', '--input', '/nonexistent/in.wav', '--debug'], { env });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('--timeout holds while streaming: a real-time file longer than the budget stops at the budget (exit 1)', async () => {
    const path = join(dir, 'a-minute-of-silence.wav');
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 24_000, '16', new Int16Array(24_000 * 60));
    writeFileSync(path, wav.toBuffer());
    // Without the budget applying to streaming, the run would stream for a minute: past this bound.
    const result = await cli(['run', '--url', emulator.openaiUrl, '--input', path, '--output', join(dir, 'none.wav'), '--timeout', '2'], {
      env: cleanEnv({ OPENAI_API_KEY: 'dummy-key-for-the-emulator' }),
      timeoutMs: 25_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^voxstate: --timeout 2 s ran out while streaming the input\n/);
  });

  it('a 32-bit float WAV is described as such, and one response is "1 response"', async () => {
    const voice = synthesize("What's the weather in Paris?", 24_000);
    const pcm = new Int16Array(voice.buffer, voice.byteOffset, voice.length / 2);
    const float = new Float32Array(pcm.length + 24_000); // plus 1 s of silence
    pcm.forEach((s, i) => (float[i] = s / 32768));
    const path = join(dir, 'float.wav');
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 24_000, '32f', float);
    writeFileSync(path, wav.toBuffer());
    const result = await cli(['run', '--url', emulator.openaiUrl, '--input', path, '--output', join(dir, 'float-reply.wav'), '--fast'], {
      env: cleanEnv({ OPENAI_API_KEY: 'dummy-key-for-the-emulator' }),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\(24000 Hz, 1 ch, 32-bit float, 2\.\d s\)/);
    expect(result.stdout).not.toContain('32f');
    expect(result.stdout).toMatch(/turns\s+1 user, 1 response \(0 interrupted\)/);
  });
});
