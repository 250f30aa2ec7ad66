/**
 * A request refused before it reaches the session (not live; `createResponse()` on a provider with
 * no frame that asks for a response) is never an unhandled rejection: an application that does not
 * await it (fire and forget) keeps running, and one that awaits still sees the error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, NotConnectedError, RequestFailedError, silentLogger, type RealtimeSession } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { adapterFor, useGeminiFixture } from '../gemini/fixture.js';

const fx = useGeminiFixture();
const sessions: RealtimeSession[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  unhandled.length = 0;
  for (const s of sessions.splice(0)) await s.close();
});

/** Runs `fire` without awaiting what it returns, then lets the event loop report unhandled rejections. */
async function fireAndForget(fire: () => void): Promise<unknown[]> {
  process.on('unhandledRejection', onUnhandled);
  fire();
  await new Promise((resolve) => setTimeout(resolve, 50));
  return [...unhandled];
}

describe('refused requests, fire and forget', () => {
  it('createResponse() on Gemini (response_request_unsupported) is no unhandled rejection; awaiting still sees the error', async () => {
    const emu = await fx.emulator();
    const session = createRealtimeSession({ model: adapterFor(emu), logger: silentLogger });
    sessions.push(session);
    await session.connect();
    expect(await fireAndForget(() => void session.createResponse())).toEqual([]);
    const error = await session.createResponse().reply.then(() => undefined, (e: unknown) => e);
    expect((error as RequestFailedError).code).toBe('response_request_unsupported');
  });

  it('sendText() and createResponse() before connect() are no unhandled rejection; awaiting still sees NotConnectedError', async () => {
    const session = createRealtimeSession({ model: createScriptedModel(), logger: silentLogger });
    sessions.push(session);
    expect(await fireAndForget(() => {
      void session.sendText('Hello?');
      void session.createResponse();
    })).toEqual([]);
    await expect(session.sendText('Hello?')).rejects.toBeInstanceOf(NotConnectedError);
    await expect(session.createResponse().reply).rejects.toBeInstanceOf(NotConnectedError);
  });
});
