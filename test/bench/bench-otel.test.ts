/**
 * The bench's `voxstate-openai-otel` client (issue 18: the overhead of telemetry): named in
 * `--clients`, it runs and reports a number in every cell; it is not in a default run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENTS } from '../../bench/clients/client.js';

describe('npm run bench --clients voxstate-openai-otel', () => {
  it('runs voxstate with telemetry on next to the bare client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxstate-bench-otel-'));
    try {
      const out = join(dir, 'latest.md');
      const args = ['run', 'bench', '--silent', '--', '--quick', '--scenario', 'S1', '--rounds', '1', '--clients', 'bare-openai,voxstate-openai-otel', '--out', out];
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn('npm', args, { stdio: 'ignore' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
        child.on('close', (c) => (clearTimeout(timer), resolve(c)));
      });
      expect(code).toBe(0);
      const rows = readFileSync(out, 'utf8').split('\n').filter((line) => /^\| (bare|voxstate)-/.test(line));
      expect(rows.map((r) => r.split(' ')[1])).toEqual(['bare-openai', 'voxstate-openai-otel']);
      for (const cell of rows[1]!.split('|').slice(2, -1).map((c) => c.trim())) expect(cell).toMatch(/^[\d,.]+(×| \([\d,.]+–[\d,.]+\))$/);
      expect(CLIENTS).not.toContain('voxstate-openai-otel');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
