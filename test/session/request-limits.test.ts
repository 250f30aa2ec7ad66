/**
 * Requests that ask for a reply are bounded: while a response is active at most 100 wait; one more
 * fails at once, visibly, with `request_dropped` (issue 13, item 1: "answered once or fails with a
 * typed reason"). A scripted model that never answers keeps the first request's response pending.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, RequestFailedError, type RealtimeSession } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { record } from './event-log.js';

const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('request limits', () => {
  it('the 101st request waiting for the active response fails with request_dropped; the others wait', async () => {
    const session = createRealtimeSession({ model: createScriptedModel({ autoRespond: false }) });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    await session.createResponse(); // on the wire; its response never starts
    const waiting = Array.from({ length: 100 }, (_, i) => session.sendText(`question ${i}`));
    const dropped = session.sendText('one too many');
    await expect(dropped).rejects.toBeInstanceOf(RequestFailedError);
    await expect(dropped.reply).rejects.toMatchObject({ code: 'request_dropped' });
    expect(log.of('request_queued')).toHaveLength(100);
    expect(log.of('request_failed').map((e) => e.error.code)).toEqual(['request_dropped']);
    expect(session.actor.getSnapshot().context.requests.filter((r) => r.status === 'queued')).toHaveLength(100);
    // Closing fails every one of them visibly.
    await session.close();
    const results = await Promise.allSettled(waiting.map((w) => w.reply));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as RequestFailedError).code === 'session_closed')).toBe(true);
  });
});
