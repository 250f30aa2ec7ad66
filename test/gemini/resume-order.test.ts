/**
 * Gemini resumption done right (issue 13, item 5): the replacement connection opens only once the
 * old socket has closed — its close handshake done, or the socket terminated when the handshake
 * outlasts `closeTimeoutMs` — because the service refuses a resume (1011) while an earlier socket
 * of the same session is still open. The emulator plays that rule, with a slow close handshake
 * (`closeReplyDelayMs`) so the order matters on loopback too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { record } from '../session/event-log.js';
import { adapterFor, clientFrames, serverFrames, useGeminiFixture } from './fixture.js';
import type { Emulator } from '../../emulator/index.js';

const fx = useGeminiFixture();
type Json = Record<string, any>;
let session: RealtimeSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

/** A session that has a resumable handle, then an instruction change applied by resuming. */
async function resumeOnce(emu: Emulator, closeTimeoutMs: number) {
  session = createRealtimeSession({ model: adapterFor(emu, { closeTimeoutMs }), instructions: 'Be brief.' });
  const log = record(session);
  await session.connect();
  await session.sendText('hello');
  await log.waitFor('response_done');
  // The adapter holds response_done until the turn's fresh handle has arrived (handleWaitMs).
  expect(serverFrames(emu, 'sessionResumptionUpdate').some((f) => (f['sessionResumptionUpdate'] as Json)['resumable'])).toBe(true);
  const outcome = await session.updateSession({ instructions: 'You handle billing now.' });
  const resumed = await log.waitFor('session_resumed');
  return { outcome, resumed };
}

const refusals = (emu: Emulator) => serverFrames(emu, 'close').filter((f) => (f['close'] as Json)['code'] === 1011);

describe('gemini: a resume waits for the old socket to close', () => {
  it('opens the resume socket after the close handshake, so the service does not refuse it', async () => {
    const emu = await fx.emulator({ gemini: { closeReplyDelayMs: 300 } });
    const { outcome, resumed } = await resumeOnce(emu, 2000);
    expect(outcome).toBe('resumed');
    expect(resumed).toMatchObject({ reason: 'mutation', restored: true });
    const setups = clientFrames(emu, 'setup');
    expect(setups).toHaveLength(2);
    expect((setups[1]!['setup'] as Json)['sessionResumption']?.handle).toMatch(/^gh_/);
    expect(refusals(emu)).toEqual([]);
  });

  it('a close handshake that stalls past closeTimeoutMs: the old socket is terminated, then the resume opens', async () => {
    const emu = await fx.emulator({ gemini: { closeReplyDelayMs: 5000 } });
    const started = Date.now();
    const { outcome } = await resumeOnce(emu, 200);
    expect(outcome).toBe('resumed');
    expect(clientFrames(emu, 'setup')).toHaveLength(2);
    expect(refusals(emu)).toEqual([]);
    // Bounded by the close timeout, not by the stalled peer.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('the emulator refuses a resume with 1011 while the old socket of that session is open', async () => {
    const emu = await fx.emulator({ gemini: { closeReplyDelayMs: 5000 } });
    const first = fx.start(emu);
    await first.waitForEvent('model.connected');
    first.send({ type: 'client.text', text: 'hello' });
    const handle = await first.waitForEvent('model.resumptionHandle', (e) => e.resumable && e.handle !== '');
    // A second adapter started on its own (no session ledger) resumes while the first is open.
    const second = fx.start(emu, { resumptionHandle: handle.handle, reason: 'reconnect', connectionId: 2 });
    const failed = await second.waitForEvent('model.connectFailed');
    expect(failed.error).toMatchObject({ code: 'connection_failed', providerCode: '1011' });
    expect(refusals(emu)).toHaveLength(1);
  });
});
