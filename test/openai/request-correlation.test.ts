/**
 * Each response answers the request that asked for it (issue 13, item 1), through the public API
 * against the emulator. voxstate's `response.create` names its request in `event_id` and
 * `response.metadata`; the service echoes the metadata on the response it starts and the event id
 * on an `error` that refuses it. So a response server VAD starts by itself as voxstate sends its
 * own answers no request, the refused request goes again once that response is done, and a
 * request refused for any other reason fails at once with `request_refused`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/index.js';
import { createRealtimeSession, RequestFailedError, type RealtimeSession, type RealtimeSessionOptions } from '../../index.js';
import { record } from '../session/event-log.js';
import { TEST_KEY } from './fixture.js';

let emulator: Emulator | undefined;
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

type Json = Record<string, any>;

async function openSession(emulatorOptions: StartEmulatorOptions['openai'], options: Partial<RealtimeSessionOptions> = {}) {
  emulator = await startEmulator({ openai: { realtimeFactor: 4, ...emulatorOptions } });
  const session = createRealtimeSession({ model: openaiRealtime({ apiKey: TEST_KEY, url: emulator.openaiUrl }), instructions: '', ...options });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  const frames = (direction: 'in' | 'out', type: string) =>
    emulator!.context.log.entries.filter((e) => e.protocol === 'openai' && e.direction === direction && (e.frame as Json)['type'] === type).map((e) => e.frame as Json);
  return { session, log, frames };
}

const answers = (log: ReturnType<typeof record>) => log.of('transcript').filter((t) => t.role === 'assistant' && t.isFinal).map((t) => t.text);

describe('requests and the responses that answer them (OpenAI)', () => {
  it('two questions back to back while server VAD starts a response of its own: both are answered, each by its own response', async () => {
    const { session, log, frames } = await openSession({ vadRaceResponses: 1 });
    const first = session.sendText('First');
    const second = session.sendText('Second');
    const [firstDone, secondDone] = await Promise.all([first.reply, second.reply]);

    // The server's own response (a spoken turn) came first and answered neither question.
    expect(answers(log)).toEqual(['You said: what time is it.', 'You said: First.', 'You said: Second.']);
    const created = log.of('response_created').map((e) => e.responseId);
    expect(created).toHaveLength(3);
    expect(firstDone).toMatchObject({ status: 'completed', responseId: created[1], requestId: log.of('request_sent')[0]!.requestId });
    expect(secondDone).toMatchObject({ status: 'completed', responseId: created[2] });
    expect(log.of('response_done')[0]!.requestId).toBeUndefined();
    // The refusal was the service's, named voxstate's frame, and reached the application as nothing but the retry.
    const refusals = frames('out', 'error');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!['error']).toMatchObject({ code: 'conversation_already_has_active_response' });
    const creates = frames('in', 'response.create');
    expect(refusals[0]!['error'].event_id).toBe(creates[0]!['event_id']);
    expect(log.of('error')).toEqual([]);
    expect(log.of('request_failed')).toEqual([]);
    // The first question went again as a bare request (its message was already in the conversation), under the same id.
    expect(frames('in', 'conversation.item.create').map((f) => f['item'].content[0].text)).toEqual(['First', 'Second']);
    expect(creates.map((f) => f['response']?.metadata?.voxstate_request)).toEqual([creates[0]!['event_id'], creates[0]!['event_id'], creates[2]!['event_id']]);
    // Each response.created echoed the metadata of the request it answers; the server's own had none.
    expect(frames('out', 'response.created').map((f) => f['response'].metadata?.voxstate_request ?? null)).toEqual([null, creates[0]!['event_id'], creates[2]!['event_id']]);
  });

  it('a request refused for another reason fails at once with request_refused, and the next one goes out', async () => {
    const { session, log } = await openSession({ faults: [{ on: 'response.create', fault: { type: 'refuse', code: 'invalid_value', message: 'Invalid response' } }] }, { turnDetection: { type: 'none' } });
    const started = Date.now();
    const first = session.sendText('First');
    const second = session.sendText('Second');
    const failure = await first.reply.then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(RequestFailedError);
    expect(failure).toMatchObject({ code: 'request_refused', providerCode: 'invalid_value' });
    const secondDone = await second.reply;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(secondDone?.status).toBe('completed');
    expect(answers(log)).toEqual(['You said: Second.']);
    expect(session.actor.getSnapshot().context.requests).toEqual([]);
  });
});
