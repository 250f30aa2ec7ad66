/**
 * A request refused because a response was already running goes back to the queue and out again
 * (OpenAI, against the emulator's server-VAD race `vadRaceResponses`), but:
 * - `request_sent` is once per request, however often it is re-sent;
 * - the retries are bounded: after `MAX_REQUEST_REFUSALS` (3) such refusals the next one fails the
 *   request with `request_refused`, instead of re-sending it forever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession, RequestFailedError, type RealtimeSession } from '../../index.js';
import { MAX_REQUEST_REFUSALS } from '../../machines/session/context.js';
import { record } from '../session/event-log.js';
import { TEST_KEY } from './fixture.js';

let emulator: Emulator | undefined;
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

async function openSession(vadRaceResponses: number) {
  emulator = await startEmulator({ openai: { realtimeFactor: 8, vadRaceResponses } });
  const session = createRealtimeSession({ model: openaiRealtime({ apiKey: TEST_KEY, url: emulator.openaiUrl }), instructions: '' });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  const creates = () =>
    emulator!.context.log.entries.filter((e) => e.protocol === 'openai' && e.direction === 'in' && (e.frame as { type?: string }).type === 'response.create').length;
  return { session, log, creates };
}

describe('a refused request goes again (OpenAI)', () => {
  it('request_sent is once per request, though each was refused and re-sent', async () => {
    const { session, log, creates } = await openSession(2);
    const first = session.sendText('First');
    const second = session.sendText('Second');
    const [a, b] = await Promise.all([first.reply, second.reply]);
    expect([a?.status, b?.status]).toEqual(['completed', 'completed']);
    expect(creates()).toBeGreaterThan(2);
    const sent = log.of('request_sent').map((e) => e.requestId);
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(2);
  }, 15_000);

  it(`is refused at most ${MAX_REQUEST_REFUSALS} times for a running response: the next refusal fails it with request_refused`, async () => {
    const { session, log, creates } = await openSession(MAX_REQUEST_REFUSALS + 5);
    const request = session.sendText('Hello?');
    const error = await request.reply.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RequestFailedError);
    expect((error as RequestFailedError).code).toBe('request_refused');
    expect((error as RequestFailedError).providerCode).toBe('conversation_already_has_active_response');
    expect(creates()).toBe(MAX_REQUEST_REFUSALS + 1);
    expect(log.of('request_sent')).toHaveLength(1);
    // The session is still usable, and nothing is re-sent later.
    await new Promise((r) => setTimeout(r, 300));
    expect(creates()).toBe(MAX_REQUEST_REFUSALS + 1);
  }, 15_000);
});
