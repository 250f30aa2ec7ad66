/**
 * `npm run bench` runs end to end: the loopback servers start, every client process connects and
 * measures, and the report has a number in every cell. A correctness smoke test of the harness,
 * never a timed assertion (the numbers themselves are not checked).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENTS } from '../../bench/clients/client.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function runBench(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', 'bench', '--silent', '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run bench', () => {
  it('--quick --scenario S1 --rounds 1 reports a number for every client and metric', async () => {
    dir = mkdtempSync(join(tmpdir(), 'voxstate-bench-'));
    const out = join(dir, 'latest.md');
    const { code, stdout, stderr } = await runBench(['--quick', '--scenario', 'S1', '--rounds', '1', '--out', out], 100_000);
    expect(stderr).not.toMatch(/failed|killed/i);
    expect(code).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(stdout).toContain(written.trim());
    expect(written).toContain('### S1 — one session flat out');
    expect(written).toMatch(/Server headroom: at most \d+ % of one core/);
    const rows = written.split('\n').filter((line) => /^\| (bare|agents|voxstate)-?/.test(line));
    expect(rows.map((r) => r.split(' ')[1])).toEqual([...CLIENTS]);
    for (const row of rows) {
      // client | CPU µs/event (min–max) | ×bare | events/s (min–max) | ×bare
      const cells = row.split('|').slice(2, -1).map((c) => c.trim());
      expect(cells).toHaveLength(4);
      for (const cell of cells) expect(cell, row).toMatch(/^[\d,.]+(×| \([\d,.]+–[\d,.]+\))$/);
    }
  }, 110_000);

  it('refuses an unknown scenario with exit code 2 and the usage', async () => {
    const { code, stderr } = await runBench(['--scenario', 'S9'], 30_000);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown scenario S9');
    expect(stderr).toContain('--quick');
  }, 40_000);
});
