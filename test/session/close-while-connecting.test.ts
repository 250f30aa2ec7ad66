/**
 * `close()` while the first connection is still opening (a server that accepts TCP and never
 * answers the upgrade): the adapter has nothing to hand-shake with, so the session is closed by the
 * adapter's own report at once, not by the session's close timeout. Both adapters.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { geminiLive } from '../../adapters/gemini/index.js';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { createRealtimeSession, silentLogger } from '../../index.js';

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy());
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function silentServer(): Promise<number> {
  server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('close() while the connection is still opening', () => {
  for (const provider of ['openai', 'gemini'] as const) {
    it(`${provider}: the adapter reports the close itself (no wait for the close timeout)`, async () => {
      const port = await silentServer();
      const url = provider === 'openai' ? `ws://127.0.0.1:${port}/v1/realtime` : `ws://127.0.0.1:${port}/ws/gemini`;
      const model = provider === 'openai' ? openaiRealtime({ apiKey: 'sk-test', url }) : geminiLive({ apiKey: 'test-key', url });
      const session = createRealtimeSession({ model, logger: silentLogger });
      const connecting = session.connect().catch((e: unknown) => e);
      await new Promise<void>((resolve) => {
        const check = () => (sockets.length > 0 ? resolve() : setTimeout(check, 5));
        check();
      });
      await session.close();
      await connecting;
      const snapshot = session.actor.getSnapshot();
      expect(snapshot.status).toBe('done');
      // Closed by the adapter's report; the close timeout would leave no reason of its own.
      expect(snapshot.output).toMatchObject({ code: 1000, reason: 'closed before the connection was ready' });
    });
  }
});
