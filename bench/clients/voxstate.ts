/**
 * voxstate through its public API: `createRealtimeSession` with the OpenAI or the Gemini adapter
 * pointed at the loopback URL, `bench_tool` from `defineTool`, audio read in the `audio` event.
 * `start()` is `sendText('go')`, the request a user turn makes on both providers.
 */
import { z } from 'zod';
import { createRealtimeSession, defineTool, silentLogger, type TelemetryOptions } from '../../index.js';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { geminiLive } from '../../adapters/gemini/index.js';
import type { BenchClient } from './client.js';

export function voxstate(provider: 'openai' | 'gemini', telemetry?: () => TelemetryOptions): BenchClient {
  return {
    async open(url, hooks) {
      const benchTool = defineTool({
        name: 'bench_tool',
        description: 'bench',
        parameters: z.object({ i: z.number() }),
        execute: async () => {
          hooks.onToolCall();
          return { ok: true };
        },
      });
      const model = provider === 'openai' ? openaiRealtime({ apiKey: 'sk-bench', url }) : geminiLive({ apiKey: 'bench', url });
      const session = createRealtimeSession({ model, tools: [benchTool], logger: silentLogger, ...(telemetry ? { telemetry: telemetry() } : {}) });
      session.on('audio', (e) => hooks.onAudio(e.audio));
      session.on('response_done', () => hooks.onTurnDone());
      session.on('error', () => undefined);
      await session.connect();
      return {
        start: () => {
          const request = session.sendText('go');
          request.catch(() => undefined);
          request.reply.catch(() => undefined);
        },
        close: () => session.close(),
      };
    },
  };
}

export const voxstateOpenAI = voxstate('openai');
export const voxstateGemini = voxstate('gemini');
