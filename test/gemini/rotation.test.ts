/**
 * Forced rotation near a Gemini connection's lifetime cap (issue 13, item 5): `maxConnectionMs`
 * before the cap by `rotationNoticeMs`, the adapter reports a goAway of its own and the session
 * swaps to a resumed connection, as it does for the server's goAway.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { geminiLive } from '../../adapters/gemini/index.js';
import { record } from '../session/event-log.js';
import { adapterFor, clientFrames, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
type Json = Record<string, any>;
let session: RealtimeSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe('gemini: proactive rotation before the connection cap', () => {
  it('announces a goAway of its own and resumes on a new connection before the cap', async () => {
    const emu = await fx.emulator();
    session = createRealtimeSession({ model: adapterFor(emu, { maxConnectionMs: 1500, rotationNoticeMs: 500 }), instructions: 'Be brief.' });
    const log = record(session);
    await session.connect();
    const connectedAt = Date.now();
    await session.sendText('hello');
    await log.waitFor('response_done');
    const goAway = await log.waitFor('go_away');
    expect(goAway.timeLeftMs).toBe(500);
    const resumed = await log.waitFor('session_resumed');
    expect(resumed).toMatchObject({ reason: 'reconnect', connectionId: 2, restored: true });
    expect(Date.now() - connectedAt).toBeLessThan(1500);
    expect((clientFrames(emu, 'setup')[1]!['setup'] as Json)['sessionResumption']?.handle).toMatch(/^gh_/);
    // The server never cut the connection: the swap closed it.
    expect(log.of('error')).toEqual([]);
  });

  it('maxConnectionMs: 0 turns it off', async () => {
    const emu = await fx.emulator();
    session = createRealtimeSession({ model: adapterFor(emu, { maxConnectionMs: 0, rotationNoticeMs: 10 }) });
    const log = record(session);
    await session.connect();
    await new Promise((r) => setTimeout(r, 200));
    expect(log.of('go_away')).toEqual([]);
    expect(clientFrames(emu, 'setup')).toHaveLength(1);
  });
});

describe('rotation bounds', () => {
  it('refuses a maxConnectionMs a timer cannot hold (Infinity, negative, past 2^31-1) and a notice not below it', () => {
    for (const maxConnectionMs of [Infinity, -1, 2 ** 31, 1.5]) {
      expect(() => geminiLive({ apiKey: 'test-key', maxConnectionMs })).toThrow(expect.objectContaining({ code: 'invalid_config', field: 'maxConnectionMs' }));
    }
    expect(() => geminiLive({ apiKey: 'test-key', maxConnectionMs: 60_000, rotationNoticeMs: 60_000 })).toThrow(
      expect.objectContaining({ code: 'invalid_config', field: 'rotationNoticeMs' }),
    );
    expect(() => geminiLive({ apiKey: 'test-key', maxConnectionMs: 0 })).not.toThrow();
  });
});
