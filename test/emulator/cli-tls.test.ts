/**
 * `voxstate emulator --tls` as a separate process: it serves wss with a self-signed certificate and
 * prints the certificate's path, which the `openai` package's OpenAIRealtimeWS (wss only) trusts
 * through its `ca` option. The certificate file goes away when the emulator stops.
 */
import { existsSync, readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, finish, killAll, start, waitForOutput } from '../e2e/processes.js';

let rt: OpenAIRealtimeWS | undefined;
afterEach(() => {
  rt?.close();
  rt = undefined;
  killAll();
});

describe('voxstate emulator --tls', () => {
  it('prints a wss URL and a certificate path that OpenAIRealtimeWS can trust, and removes the certificate on SIGTERM', async () => {
    const child = start(CLI, ['emulator', '--port', '0', '--tls']);
    const exited = finish(child, 20_000);
    exited.catch(() => undefined); // awaited below; a failed assertion before then must not leave it unhandled
    const [, port, certPath] = (await waitForOutput(child, /openai\s+wss:\/\/127\.0\.0\.1:(\d+)\/v1\/realtime\?model=gpt-realtime-2\.1\n[\s\S]*cert\s+(\S+\.pem) /))!;
    const ca = readFileSync(certPath!, 'utf8');

    const client = new OpenAI({ apiKey: 'sk-anything-1234', baseURL: `https://127.0.0.1:${port}/v1` });
    rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca } }, client);
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      rt!.on('event', resolve);
      rt!.on('error', reject);
      setTimeout(() => reject(new Error('no session.created')), 5000);
    });
    expect(first.type).toBe('session.created');
    rt.close();
    rt = undefined;

    child.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(existsSync(certPath!)).toBe(false);
  }, 25_000);
});
