/**
 * `createResponse()` on Gemini Live: the protocol has no frame that asks for a response (each turn
 * is answered by itself), so the request is refused at once with a typed error instead of waiting
 * `responseStartTimeout` for a reply that never comes; nothing is sent and the session stays usable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, RequestFailedError, silentLogger, type RealtimeSession } from '../../index.js';
import { adapterFor, clientFrames, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('gemini: createResponse()', () => {
  it('is refused at once with response_request_unsupported; nothing goes on the wire and a text is still answered', async () => {
    const emu = await fx.emulator();
    const session = createRealtimeSession({ model: adapterFor(emu), logger: silentLogger });
    sessions.push(session);
    await session.connect();
    const before = clientFrames(emu).length;
    const started = Date.now();
    const request = session.createResponse();
    const error = await request.reply.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RequestFailedError);
    expect((error as RequestFailedError).code).toBe('response_request_unsupported');
    expect(await request.then(() => undefined, (e: unknown) => e)).toBe(error);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(clientFrames(emu)).toHaveLength(before);
    expect(session.actor.getSnapshot().context.requests).toEqual([]);
    const answer = await session.sendText('Hello there').reply;
    expect(answer?.status).toBe('completed');
  });
});
