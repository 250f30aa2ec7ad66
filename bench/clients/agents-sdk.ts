/**
 * `@openai/agents-realtime` (dev dependency): a `RealtimeSession` with its Node WebSocket transport,
 * connected to the loopback URL (`connect({ url })`, as test/emulator/openai-official-clients.test.ts
 * does), `bench_tool` as an SDK `tool()`, audio read in the session's `audio` event.
 */
import { RealtimeAgent, RealtimeSession, tool } from '@openai/agents-realtime';
import { z } from 'zod';
import type { BenchClient } from './client.js';

export const agentsSdk: BenchClient = {
  async open(url, hooks) {
    const benchTool = tool({
      name: 'bench_tool',
      description: 'bench',
      parameters: z.object({ i: z.number() }),
      execute: async () => {
        hooks.onToolCall();
        return { ok: true };
      },
    });
    const agent = new RealtimeAgent({ name: 'bench', instructions: '', tools: [benchTool] });
    const session = new RealtimeSession(agent, { transport: 'websocket', model: 'gpt-realtime' });
    session.on('audio', (e) => hooks.onAudio(new Uint8Array(e.data)));
    session.transport.on('turn_done', () => hooks.onTurnDone());
    session.on('error', () => undefined);
    await session.connect({ apiKey: 'sk-bench', url });
    return {
      start: () => session.transport.sendEvent({ type: 'response.create' }),
      close: () => session.close(),
    };
  },
};
