/**
 * A queued update reports its completion by its request: `updateSession(...)` still resolves
 * `'queued'` first, and its `completion` settles when the change is in effect ('resumed') or
 * rejects with the reason it never will be. Against the Gemini side of the emulator, where new
 * instructions need a new connection, so a change made while the model speaks is queued.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { geminiLive } from '../../adapters/gemini/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession, UpdateFailedError } from '../../index.js';
import { record } from './event-log.js';

const KEY = 'AIzaSyCOMPLETION-not-real-0123456789';
let emulator: Emulator | undefined;
const sessions: Array<ReturnType<typeof createRealtimeSession>> = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

type Json = Record<string, any>;

/** A Gemini session on the emulator that has just started answering a question (the turn is busy). */
async function busySession() {
  emulator = await startEmulator({ gemini: { realtimeFactor: 4 } });
  const session = createRealtimeSession({
    model: geminiLive({ apiKey: KEY, url: emulator.geminiUrl, handleWaitMs: 100 }),
    instructions: 'You are triage.',
    maxResumeAttempts: 3,
  });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  await session.sendText('Tell me about the weather in Paris');
  await log.waitFor('response_created');
  const setups = () =>
    emulator!.context.log.entries
      .filter((e) => e.protocol === 'gemini' && e.direction === 'in' && 'setup' in (e.frame as Json))
      .map((e) => (e.frame as Json)['setup']);
  return { session, log, emulator, setups };
}

const instructionsOf = (setup: Json) => JSON.stringify(setup['systemInstruction'] ?? '');

describe('completion of a queued update', () => {
  it("resolves 'resumed' once the queued change is running on the new connection", async () => {
    const { session, log, setups } = await busySession();
    const update = session.updateSession({ instructions: 'You are billing.' });
    expect(await update).toBe('queued');
    expect(await update.completion).toBe('resumed');
    // By then the new connection is up with the new instructions.
    expect(log.of('session_resumed')).toHaveLength(1);
    expect(setups()).toHaveLength(2);
    expect(instructionsOf(setups()[1]!)).toContain('You are billing.');
    // The same request settles twice on the event stream: 'queued', then 'resumed'.
    expect(log.of('session_updated').map((e) => e.outcome)).toEqual(['queued', 'resumed']);
    expect(new Set(log.of('session_updated').map((e) => e.requestId)).size).toBe(1);
  });

  it('rejects with the reason when every resumption attempt fails (the change is dropped)', async () => {
    const { session, log, emulator, setups } = await busySession();
    emulator.gemini.refuseSetups(3, 1011, 'Internal error encountered.');
    const update = session.updateSession({ instructions: 'You are billing.' });
    expect(await update).toBe('queued');
    const failure = await update.completion.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpdateFailedError);
    expect(failure).toMatchObject({ code: 'resumption_failed' });
    expect((failure as Error).message).toMatch(/after 3 attempts.*Internal error encountered/);
    expect(log.of('update_failed')).toHaveLength(1);
    // The session restores the old config on a new connection and keeps going.
    await log.waitFor('session_resumed', (e) => e.reason === 'restore', 5000);
    expect(instructionsOf(setups().at(-1)!)).toContain('You are triage.');
    expect(session.connected).toBe(true);
  });

  it("settles at once for an update that did not queue, and rejects for a bad one without an unhandled rejection", async () => {
    const { session } = await busySession();
    const noChange = session.updateSession({ instructions: 'You are triage.' });
    expect(await noChange).toBe('applied');
    expect(await noChange.completion).toBe('applied');
    const bad = session.updateSession({ temperature: 'hot' as never });
    await expect(bad).rejects.toMatchObject({ code: 'invalid_config' });
    await expect(bad.completion).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
