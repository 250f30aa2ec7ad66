/**
 * The typed failures of a request that asks for a reply, reaching its `reply` through the public
 * API: `connection_failed` against the emulator (a request waiting when the provider goes away and
 * every reconnect fails), and `response_not_started` with the scripted model (the emulator always
 * starts a response, so a request whose response never starts needs a model that stays silent;
 * fake timers skip the 15 s `responseStartTimeout`).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator } from '../../emulator/index.js';
import { createRealtimeSession, RequestFailedError, silentLogger, type RealtimeSession } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { TEST_KEY } from '../openai/fixture.js';
import { record } from './event-log.js';

const sessions: RealtimeSession[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const s of sessions.splice(0)) await s.close();
});

describe('request failures through the public API', () => {
  it('connection_failed: a request waiting behind a response when the provider goes away and no reconnect succeeds', async () => {
    const emulator = await startEmulator({ openai: { realtimeFactor: 1 } });
    const session = createRealtimeSession({
      model: openaiRealtime({ apiKey: TEST_KEY, url: emulator.openaiUrl, connectTimeoutMs: 1_000 }),
      turnDetection: { type: 'none' },
      maxResumeAttempts: 1,
      logger: silentLogger,
    });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    const first = session.sendText('Tell me a long story about the sea');
    await log.waitFor('response_created');
    const second = session.sendText('And another');
    await log.waitFor('request_queued');
    await emulator.close(); // the socket drops; the reconnect finds nobody listening
    const [firstError, secondError] = await Promise.all([first.reply.catch((e: unknown) => e), second.reply.catch((e: unknown) => e)]);
    expect(secondError).toBeInstanceOf(RequestFailedError);
    expect((secondError as RequestFailedError).code).toBe('connection_failed');
    // The one being answered went with the socket.
    expect((firstError as RequestFailedError).code).toBe('connection_replaced');
    expect(session.actor.getSnapshot().matches('failed')).toBe(true);
  });

  it('response_not_started: a request whose response never starts fails after responseStartTimeout and frees the turn', async () => {
    const session = createRealtimeSession({ model: createScriptedModel({ autoRespond: false }), logger: silentLogger });
    sessions.push(session);
    await session.connect();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const request = session.createResponse();
    await request; // on the wire
    const outcome = request.reply.catch((e: unknown) => e);
    vi.advanceTimersByTime(14_000);
    expect(session.actor.getSnapshot().context.requests).toHaveLength(1);
    vi.advanceTimersByTime(1_001);
    const error = await outcome;
    expect(error).toBeInstanceOf(RequestFailedError);
    expect((error as RequestFailedError).code).toBe('response_not_started');
    expect(session.actor.getSnapshot().matches({ link: { connected: { turn: 'idle' } } })).toBe(true);
  });
});
