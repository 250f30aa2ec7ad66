/** The CLI's contract: --help everywhere, exit codes, one-line errors without stack traces. */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, killAll } from './helpers.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';

afterAll(killAll);

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

  it.each([
    [['demo', '--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['demo', '--provider', 'claude'], /unknown provider "claude"/],
    [['run', '--provider', 'openai'], /--input <wav> is required/],
    [['emulator', '--host', '0.0.0.0', '--port', '0'], /refusing to bind 0\.0\.0\.0.*--allow-non-loopback/],
    [['demo', '--speed', '0'], /--speed must be an integer ≥ 1, got "0"/],
    [['run', '--provider', 'openai', '--input', 'x.wav', '--timeout', '0'], /--timeout must be an integer ≥ 1, got "0"/],
    [['demo', '--output', 'package.json/reply.wav'], /--output package\.json\/reply\.wav: cannot write there \(package\.json is not a folder\)/],
  ])('%j is a usage error: exit 2, one line, no stack', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['openai', 'OPENAI_API_KEY'],
    ['gemini', 'GEMINI_API_KEY'],
  ])('run --provider %s without a key exits 2 and names %s', async (provider, variable) => {
    const result = await cli(['run', '--provider', provider, '--input', 'missing.wav']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${variable} is not set`);
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
});
