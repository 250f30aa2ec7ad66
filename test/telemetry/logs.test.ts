/**
 * Structured log records (issue 18): each record a session writes carries its session id,
 * connection id and state after its own fields; connecting, a swap, a tool's outcome and closing
 * each get a record at a useful level, in pino's `(fields, message)` shape. No secret, no arguments.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator } from '../../emulator/index.js';
import { createRealtimeSession, defineTool, type Logger } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';

const KEY = 'sk-test-LOGS-0123456789abcdef';

describe('structured logs', () => {
  it('connect, swap, tool outcome and close as records with sessionId, connectionId and state', async () => {
    const emulator = await startEmulator();
    const lines: Array<{ level: string; fields: Record<string, unknown>; msg: string | undefined }> = [];
    const logger = Object.fromEntries(
      (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (fields: unknown, msg?: string) => void lines.push({ level, fields: fields as Record<string, unknown>, msg })]),
    ) as unknown as Logger;
    const weather = defineTool({ name: 'get_weather', description: 'Weather', parameters: z.object({ city: z.string() }), execute: () => { throw new Error('backend down'); } });
    try {
      const session = createRealtimeSession({ model: openaiRealtime({ apiKey: KEY, url: emulator.openaiUrl }), tools: [weather], voice: 'alloy', logger });
      const log = record(session);
      await session.connect();
      await session.sendText('What is the weather in Paris?').reply;
      await log.waitFor('tool_result');
      await waitUntil(() => log.of('response_done').length >= 2, 'the answer after the tool');
      await session.sendText('Say something').reply;
      await waitUntil(() => log.of('response_done').length >= 3, 'audio on this connection');
      expect(await session.updateSession({ voice: 'verse' })).toBe('resumed');
      await session.close();

      const id = session.sessionId;
      const at = (msg: string) => lines.find((l) => l.msg === msg);
      expect(at('connected')).toMatchObject({ level: 'info', fields: { sessionId: id, connectionId: 1, state: expect.stringContaining('connected') } });
      expect(at('connection replaced (mutation)')).toMatchObject({ level: 'info', fields: { sessionId: id, connectionId: 2, reason: 'mutation' } });
      expect(at('tool get_weather failed')).toMatchObject({ level: 'warn', fields: { sessionId: id, connectionId: 1, tool: 'get_weather', status: 'failed' } });
      expect(at('closed')).toMatchObject({ level: 'info', fields: { sessionId: id, state: 'closed', code: 1000 } });
      // Every record, voxstate's debug lines included, carries the three fields.
      expect(lines.every((l) => l.fields['sessionId'] === id && typeof l.fields['connectionId'] === 'number' && typeof l.fields['state'] === 'string')).toBe(true);
      const text = JSON.stringify(lines);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('Paris');
    } finally {
      await emulator.close();
    }
  });
});
