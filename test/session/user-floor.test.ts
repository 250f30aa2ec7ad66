/**
 * The user has the floor, on the real chart with the scripted model: a request that asks for a
 * reply is not sent while the user speaks (a queued one, and a new one made from an idle turn),
 * and the wait is bounded: if speech_stopped never comes (a lost frame), requests go out after
 * `userFloorTimeout` (20 s). With server VAD creating responses, the floor stays the user's after
 * speech_stopped until the server's response starts, for at most `userTurnResponseTimeout` (3 s).
 * Fake timers stand in for the waits; the emulator cannot lose a frame.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { record } from './event-log.js';

afterEach(() => {
  vi.useRealTimers();
});

/** `close()` waits on the model's close with the session's close timeout: run the fake clock past it. */
async function closeWithFakeTimers(session: RealtimeSession): Promise<void> {
  const closed = session.close();
  await vi.advanceTimersByTimeAsync(3_000);
  await closed;
}

async function start() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const model = createScriptedModel({ responses: [{ transcript: 'One.' }, { transcript: 'Two.' }] });
  const session = createRealtimeSession({ model });
  const log = record(session);
  const connected = session.connect();
  await vi.advanceTimersByTimeAsync(10);
  await connected;
  const requestsSent = () => model.current().intents.filter((i) => i.type === 'client.text' && i.respond).length;
  return { model, session, log, requestsSent };
}

describe('the user has the floor', () => {
  it('a request made while the user speaks waits for speech_stopped, then goes out', async () => {
    const { session, log, requestsSent } = await start();
    session.actor.send({ type: 'model.speechStarted', itemId: 'u1' });
    const request = session.sendText('Hello?');
    await vi.advanceTimersByTimeAsync(50);
    expect(log.of('request_queued')).toHaveLength(1);
    expect(requestsSent()).toBe(0);
    session.actor.send({ type: 'model.speechStopped', itemId: 'u1' });
    await vi.advanceTimersByTimeAsync(50);
    // Server VAD with createResponse (the default): the server answers the spoken turn by itself,
    // so the request waits until that response has started, then for it to be done.
    expect(requestsSent()).toBe(0);
    session.actor.send({ type: 'model.responseCreated', responseId: 'resp_vad' });
    await vi.advanceTimersByTimeAsync(50);
    expect(requestsSent()).toBe(0);
    session.actor.send({ type: 'model.responseDone', responseId: 'resp_vad', status: 'completed' });
    await vi.advanceTimersByTimeAsync(50);
    expect(requestsSent()).toBe(1);
    await vi.advanceTimersByTimeAsync(50);
    await request;
    expect(log.of('response_done').map((r) => [r.responseId === 'resp_vad', r.requestId])).toEqual([[true, undefined], [false, log.of('request_sent')[0]!.requestId]]);
    expect(log.types().indexOf('speech_stopped')).toBeLessThan(log.types().indexOf('request_sent'));
    await closeWithFakeTimers(session);
  });

  it('after speech_stopped a server response that never starts holds the floor for userTurnResponseTimeout (3 s), not longer', async () => {
    const { session, log, requestsSent } = await start();
    session.actor.send({ type: 'model.speechStarted', itemId: 'u1' });
    const request = session.sendText('Hello?');
    session.actor.send({ type: 'model.speechStopped', itemId: 'u1' });
    await vi.advanceTimersByTimeAsync(2_900);
    expect(requestsSent()).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(requestsSent()).toBe(1);
    await vi.advanceTimersByTimeAsync(50);
    await request;
    expect(log.of('response_done')).toEqual([expect.objectContaining({ status: 'completed', requestId: log.of('request_sent')[0]!.requestId })]);
    await closeWithFakeTimers(session);
  });

  it('without speech_stopped the floor is released after userFloorTimeout (20 s), not before', async () => {
    const { session, log, requestsSent } = await start();
    session.actor.send({ type: 'model.speechStarted', itemId: 'u1' });
    const request = session.sendText('Hello?');
    await vi.advanceTimersByTimeAsync(19_900);
    expect(requestsSent()).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(requestsSent()).toBe(1);
    await vi.advanceTimersByTimeAsync(50);
    await request;
    expect(log.of('response_done')).toEqual([expect.objectContaining({ status: 'completed', requestId: log.of('request_sent')[0]!.requestId })]);
    expect(log.of('speech_stopped')).toHaveLength(0);
    await closeWithFakeTimers(session);
  });
});
