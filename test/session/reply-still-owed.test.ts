/**
 * A response that did not answer the request on the wire (a response the server started by itself,
 * on a provider that names the request a response answers) leaves that request owed: the turn
 * waits for its response again (`generating.requested`, guard `isReplyStillOwed`), so the wait is
 * bounded by `responseStartTimeout` (15 s) and the request fails visibly if its response never
 * starts. On the real chart with the scripted model; fake timers stand in for the 15 s.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRealtimeSession, RequestFailedError } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { record } from './event-log.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('a reply still owed after a response that did not answer it', () => {
  it('is waited for again, within responseStartTimeout: then the request fails with response_not_started', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const model = createScriptedModel({ autoRespond: false, correlatesResponses: true });
    const session = createRealtimeSession({ model, turnDetection: { type: 'none' } });
    const log = record(session);
    const connected = session.connect();
    await vi.advanceTimersByTimeAsync(10);
    await connected;
    const request = session.sendText('Hello?');
    await vi.advanceTimersByTimeAsync(10);
    await request;
    // The server's own response (it names no request) starts and ends while the request is on the wire.
    session.actor.send({ type: 'model.responseCreated', responseId: 'resp_server' });
    session.actor.send({ type: 'model.responseDone', responseId: 'resp_server', status: 'completed' });
    expect(session.actor.getSnapshot().matches({ link: { connected: { turn: { generating: 'requested' } } } })).toBe(true);
    const failure = request.reply.then(() => undefined, (e: unknown) => e);
    await vi.advanceTimersByTimeAsync(15_100);
    const error = await failure;
    expect(error).toBeInstanceOf(RequestFailedError);
    expect((error as RequestFailedError).code).toBe('response_not_started');
    expect(log.of('request_failed')).toHaveLength(1);
    const closed = session.close();
    await vi.advanceTimersByTimeAsync(3_000);
    await closed;
  });
});
