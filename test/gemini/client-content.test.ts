/**
 * Gemini 3.8 Live accepts `clientContent` with roles for the whole session (issue 13, item 5), so
 * `sendText` goes as `clientContent` there (with `turnComplete: false` for text that asks for no
 * reply), while 3.1 keeps `realtimeInput.text`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { record } from '../session/event-log.js';
import { adapterFor, clientFrames, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
let session: RealtimeSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe('gemini: mid-session text by model', () => {
  it('gemini-3.8-live: clientContent with the user role; respond:false does not complete the turn', async () => {
    const emu = await fx.emulator();
    session = createRealtimeSession({ model: adapterFor(emu, { model: 'gemini-3.8-live' }) });
    const log = record(session);
    await session.connect();
    await session.sendText('Remember: the order number is 42.', { respond: false });
    await session.sendText('hello');
    await log.waitFor('response_done');
    expect(clientFrames(emu, 'clientContent')).toEqual([
      { clientContent: { turns: [{ role: 'user', parts: [{ text: 'Remember: the order number is 42.' }] }], turnComplete: false } },
      { clientContent: { turns: [{ role: 'user', parts: [{ text: 'hello' }] }], turnComplete: true } },
    ]);
    expect(clientFrames(emu, 'realtimeInput').filter((f) => 'text' in (f['realtimeInput'] as object))).toEqual([]);
    expect(log.of('response_done')).toHaveLength(1);
  });

  it('gemini-3.1-flash-live-preview keeps realtimeInput.text', async () => {
    const emu = await fx.emulator();
    session = createRealtimeSession({ model: adapterFor(emu, { model: 'gemini-3.1-flash-live-preview' }) });
    const log = record(session);
    await session.connect();
    await session.sendText('hello');
    await log.waitFor('response_done');
    expect(clientFrames(emu, 'realtimeInput')).toContainEqual({ realtimeInput: { text: 'hello' } });
    expect(clientFrames(emu, 'clientContent')).toEqual([]);
  });
});
