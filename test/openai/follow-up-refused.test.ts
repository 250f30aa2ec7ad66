/**
 * The follow-up `response.create` after tool outputs is a request like any other (it names itself
 * in `event_id`), so a refusal of it is handled, never surfaced as the service's error or left to
 * hold the turn (OpenAI, against the emulator; issue 13: voxstate never causes
 * `conversation_already_has_active_response`):
 * - refused because the server just started a response of its own (server VAD, the emulator's
 *   `vadRaceResponses`): dropped, that response reads the outputs (openai-realtime-2026.md §5);
 * - refused for another reason (a `refuse` fault): the turn is free at once, not after
 *   `responseStartTimeout` (15 s).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/index.js';
import { createRealtimeSession, defineTool } from '../../index.js';
import { silence, tone } from './fixture.js';
import { record } from '../session/event-log.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function spokenToolTurn(options: StartEmulatorOptions['openai']) {
  emulator = await startEmulator({ openai: { realtimeFactor: 8, ...options } });
  const tool = defineTool({ name: 'spoken_lookup', description: 'Looks something up', parameters: z.object({}), execute: async () => 'ok' });
  const session = createRealtimeSession({
    model: openaiRealtime({ apiKey: 'sk-test-followup', url: emulator.openaiUrl }),
    tools: [tool],
    turnDetection: { type: 'server_vad', silenceDurationMs: 120 },
  });
  const log = record(session);
  await session.connect();
  // A spoken turn: the server creates the response (with the tool call) by itself.
  for (let i = 0; i < 6; i++) session.sendAudio(tone(40));
  for (let i = 0; i < 8; i++) session.sendAudio(silence(40));
  await log.waitFor('tool_result');
  const creates = () =>
    emulator!.context.log.entries
      .filter((e) => e.direction === 'in' && e.protocol === 'openai' && (e.frame as { type?: string }).type === 'response.create')
      .map((e) => e.frame as { event_id?: string });
  return { session, log, creates };
}

describe('the follow-up after tool outputs, refused', () => {
  it('while the server runs a response of its own: dropped, no error reaches the application, the next question is answered', async () => {
    const { session, log, creates } = await spokenToolTurn({ vadRaceResponses: 1 });
    await log.waitFor('response_done', (r) => r.requestId === undefined && log.of('response_done').length >= 2);
    const started = Date.now();
    const reply = await session.sendText('Are you there?').reply;
    expect(reply?.status).toBe('completed');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(creates()[0]?.event_id).toMatch(/^vx_req_/);
    expect(log.of('error')).toEqual([]);
    await session.close();
  }, 20_000);

  it('for another reason: the turn is free at once, the next question goes out without waiting responseStartTimeout', async () => {
    const { session, log, creates } = await spokenToolTurn({ faults: [{ on: 'response.create', fault: { type: 'refuse', code: 'invalid_value' } }] });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const reply = await session.sendText('Are you there?').reply;
    expect(reply?.status).toBe('completed');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(creates()[0]?.event_id).toMatch(/^vx_req_/);
    expect(log.of('error')).toEqual([]);
    await session.close();
  }, 25_000);
});
