/**
 * Requests never collide and are never lost (issue 13, item 1), through the public API against the
 * OpenAI side of the emulator, which answers a second `response.create` during a response with
 * `conversation_already_has_active_response` as the service does. A request that asks for a reply
 * while a response is active waits for it, in order; each is answered once (its `reply` settles
 * with the `response_done` that names it) or fails with a typed reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { z } from 'zod';
import { createRealtimeSession, defineTool, RequestFailedError, type RealtimeSession } from '../../index.js';
import { record } from '../session/event-log.js';
import { TEST_KEY } from './fixture.js';

let emulator: Emulator | undefined;
const sessions: RealtimeSession[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

type Json = Record<string, unknown>;

const weather = defineTool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    await new Promise((r) => setTimeout(r, 100));
    return { city, sky: 'sunny' };
  },
});

async function openSession(options: { tools?: boolean } = {}) {
  emulator = await startEmulator({ openai: { realtimeFactor: 4 } });
  const session = createRealtimeSession({
    model: openaiRealtime({ apiKey: TEST_KEY, url: emulator.openaiUrl }),
    instructions: '',
    turnDetection: { type: 'none' },
    ...(options.tools ? { tools: [weather] } : {}),
  });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  const frames = (direction: 'in' | 'out') =>
    emulator!.context.log.entries.filter((e) => e.protocol === 'openai' && e.direction === direction).map((e) => e.frame as Json);
  return { session, log, frames };
}

const finalAssistantTranscripts = (log: ReturnType<typeof record>) =>
  log.of('transcript').filter((t) => t.role === 'assistant' && t.isFinal).map((t) => t.text);

describe('requests that ask for a reply (OpenAI)', () => {
  it("sendText('First'); sendText('Second'): both answered, in order, one response at a time, no error", async () => {
    const { session, log, frames } = await openSession();
    const first = session.sendText('First');
    const second = session.sendText('Second');
    const [firstDone, secondDone] = await Promise.all([first.reply, second.reply]);
    await Promise.all([first, second]);

    expect(firstDone?.status).toBe('completed');
    expect(secondDone?.status).toBe('completed');
    expect(firstDone?.responseId).not.toBe(secondDone?.responseId);
    expect(finalAssistantTranscripts(log)).toEqual(['You said: First.', 'You said: Second.']);
    expect(log.of('error')).toEqual([]);
    expect(frames('out').filter((f) => f['type'] === 'error')).toEqual([]);
    // The second request waited, and went on the wire only after the first response was done.
    expect(log.of('request_queued').map((e) => e.requestId)).toEqual([secondDone?.requestId]);
    const entries = emulator!.context.log.entries.filter((e) => e.protocol === 'openai').map((e) => String((e.frame as Json)['type']));
    const creates = entries.flatMap((t, i) => (t === 'response.create' ? [i] : []));
    expect(creates).toHaveLength(2);
    expect(creates[1]!).toBeGreaterThan(entries.indexOf('response.done'));
  });

  it('createResponse() while a response streams waits for it and is answered after it', async () => {
    const { session, log, frames } = await openSession();
    const question = session.sendText('Tell me something');
    await log.waitFor('response_created');
    const again = session.createResponse();
    const queued = await log.waitFor('request_queued');
    const done = await again.reply;
    expect((await question.reply)?.requestId).not.toBe(done?.requestId);
    expect(done?.requestId).toBe(queued.requestId);
    expect(log.of('response_done').map((e) => e.status)).toEqual(['completed', 'completed']);
    expect(log.of('error')).toEqual([]);
    expect(frames('out').filter((f) => f['type'] === 'error')).toEqual([]);
  });

  it('a queued request fails with session_closed when the session closes before it could be sent', async () => {
    const { session, log } = await openSession();
    const first = session.sendText('First');
    await log.waitFor('response_created');
    const second = session.sendText('Second');
    await log.waitFor('request_queued');
    await session.close();
    await expect(second).rejects.toBeInstanceOf(RequestFailedError);
    await expect(second.reply).rejects.toMatchObject({ code: 'session_closed' });
    await expect(first.reply).rejects.toMatchObject({ code: 'session_closed' });
    expect(log.of('request_failed').map((e) => e.error.code)).toEqual(['session_closed', 'session_closed']);
  });

  it('a text sent with respond: false asks for nothing: on the wire at once, reply undefined', async () => {
    const { session, frames } = await openSession();
    const note = session.sendText('Just so you know', { respond: false });
    await note;
    expect(await note.reply).toBeUndefined();
    expect(frames('in').filter((f) => f['type'] === 'response.create')).toHaveLength(0);
  });

  it('a question asked while a tool runs is answered in order with the follow-up after the tool output, no collision', async () => {
    const { session, log, frames } = await openSession({ tools: true });
    const first = session.sendText('What is the weather in Paris');
    await log.waitFor('tool_call');
    const second = session.sendText('Second');
    const [firstDone, secondDone] = await Promise.all([first.reply, second.reply]);
    await log.waitFor('transcript', (t) => t.role === 'assistant' && t.isFinal && t.text.startsWith('Here is what I found'));
    await log.waitFor('response_done', (e) => e.requestId === undefined && e.status === 'completed');
    expect(firstDone?.requestId).not.toBe(secondDone?.requestId);
    expect(log.of('error')).toEqual([]);
    expect(frames('out').filter((f) => f['type'] === 'error')).toEqual([]);
    expect(finalAssistantTranscripts(log)).toContain('You said: Second.');
  });

  it('a request sent on a connection that drops fails with connection_replaced; a queued one is answered on the new connection', async () => {
    const { session, log, frames } = await openSession();
    const first = session.sendText('First');
    await log.waitFor('response_created');
    const second = session.sendText('Second');
    await log.waitFor('request_queued');
    emulator!.openai.inject({ type: 'close', code: 1011, reason: 'injected drop' });
    await expect(first.reply).rejects.toMatchObject({ name: 'RequestFailedError', code: 'connection_replaced' });
    const done = await second.reply;
    expect(done?.status).toBe('completed');
    expect(log.of('session_resumed')).toHaveLength(1);
    expect(finalAssistantTranscripts(log)).toContain('You said: Second.');
    expect(frames('out').filter((f) => f['type'] === 'error')).toEqual([]);
  });
});
