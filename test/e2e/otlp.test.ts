/**
 * `voxstate demo --otlp URL` end to end (issue 18): the CLI process exports its session's trace
 * over OTLP/HTTP to a receiver this test starts on 127.0.0.1; the trace holds the conversation
 * (tool calls, the barge-in, the resumption on Gemini). A bad URL is a usage error (exit 2); an
 * unreachable collector is one warning, exit 0.
 */
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { receiver, spansOf } from '../telemetry/otlp-receiver.js';
import { cli, killAll, tempDir } from './processes.js';

const dir = tempDir();
afterAll(() => {
  killAll();
  dir.remove();
});

describe('voxstate demo --otlp', { timeout: 60_000 }, () => {
  it('exports the conversation as one trace', async () => {
    const collector = await receiver();
    try {
      const result = await cli(['demo', '--provider', 'gemini', '--otlp', collector.url, '--output', join(dir.path, 'otlp.wav')]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`otlp: exporting traces and metrics to ${collector.url}`);
      const spans = spansOf(collector.posts);
      const names = spans.map((s) => s['name']);
      expect(names).toContain('voxstate.session');
      expect(names).toContain('execute_tool get_weather');
      expect(names).toContain('execute_tool book_table');
      expect(names).toContain('voxstate.tool.approval');
      expect(names).toContain('voxstate.resumption');
      expect(names.filter((n) => n === 'voxstate.connection')).toHaveLength(2);
      expect(new Set(spans.map((s) => s['traceId'])).size).toBe(1);
      expect(collector.posts.some((p) => p.path === '/v1/metrics')).toBe(true);
    } finally {
      await collector.close();
    }
  });

  it('an unreachable collector: one warning on stderr, exit 0 (the conversation worked)', async () => {
    // A loopback port nothing listens on: taken, then released.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await cli(['demo', '--otlp', `http://127.0.0.1:${port}`, '--output', join(dir.path, 'unreachable.wav')], { timeoutMs: 50_000 });
    expect(result.code).toBe(0);
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('warning: --otlp: could not export'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`127.0.0.1:${port}`);
  });

  it('a URL that is not http(s) is a usage error', async () => {
    const result = await cli(['demo', '--otlp', 'localhost:4318']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--otlp must be an http(s) URL');
  });
});
