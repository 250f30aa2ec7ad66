/**
 * A repeated `response.function_call_arguments.done` (same call_id) after the call was answered
 * (issue 11, item 10; review finding 4): the tool runs once, one output goes out, and the history
 * the adapter replays to the next connection holds the call once, so the new server session does
 * not get two function_call items for one call_id and a single output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession, defineTool, type RealtimeSession } from '../../index.js';
import { record, tick, waitUntil } from '../session/event-log.js';
import { TEST_KEY } from './fixture.js';

let emulator: Emulator | undefined;
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

type Frame = Record<string, unknown> & { type?: string; item?: { type?: string; call_id?: string } };
const frames = (emu: Emulator, direction: 'in' | 'out', connection?: number): Frame[] =>
  emu.context.log.entries
    .filter((e) => e.direction === direction && e.protocol === 'openai' && (connection === undefined || e.connection === connection))
    .map((e) => e.frame as Frame);

describe('openai: a repeated function-call frame', () => {
  it('runs the tool once and is replayed once after a reconnect', async () => {
    emulator = await startEmulator({ openai: { realtimeFactor: 50 } });
    const emu = emulator;
    const runs: string[] = [];
    const weather = defineTool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: ({ city }, { callId }) => {
        runs.push(callId);
        return { city, celsius: 21 };
      },
    });
    const session = createRealtimeSession({ model: openaiRealtime({ apiKey: TEST_KEY, url: emu.openaiUrl }), tools: [weather], instructions: 'You are a test.' });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    await session.sendText('what is the weather in Paris');
    await log.waitFor('tool_result');
    // The response with the call, then the one that answers with its result.
    await waitUntil(() => log.of('response_done').length === 2, 'the follow-up response');

    // The server repeats the call frame after it was answered.
    const original = frames(emu, 'out').find((f) => f.type === 'response.function_call_arguments.done')!;
    const { event_id: _eventId, ...repeat } = original;
    emu.openai.inject({ type: 'frame', frame: repeat });
    await log.waitFor('error', (e) => e.error.message.includes(String(original['call_id'])));

    // A drop: the next connection gets the conversation replayed as items.
    const [first] = emu.openai.connections();
    emu.openai.inject({ type: 'close', code: 1011, reason: 'Internal error' });
    await log.waitFor('session_resumed');
    await tick(20);

    const onSecond = emu.context.log.entries
      .filter((e) => e.direction === 'in' && e.protocol === 'openai' && e.connection !== first)
      .map((e) => e.frame as Frame)
      .filter((f) => f.type === 'conversation.item.create');
    expect(onSecond.length).toBeGreaterThan(0);
    expect(runs).toHaveLength(1);
    expect(onSecond.filter((f) => f.item?.type === 'function_call' && f.item.call_id === original['call_id'])).toHaveLength(1);
    expect(onSecond.filter((f) => f.item?.type === 'function_call_output' && f.item.call_id === original['call_id'])).toHaveLength(1);
    // The new server session accepted the replay.
    expect(frames(emu, 'out').filter((f) => f.type === 'error')).toHaveLength(0);
  });
});
