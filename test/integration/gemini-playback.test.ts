/**
 * Barge-in on Gemini through the public API, against the emulator: the Live API has no truncate
 * message (protocols.md §2), so the session reports what was heard (`truncated`, the played
 * position) and sends nothing for it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { geminiLive } from '../../adapters/gemini/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';

const KEY = 'AIzaSyPLAYBACK-not-real-0123456789';
let emulator: Emulator | undefined;
const sessions: Array<ReturnType<typeof createRealtimeSession>> = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

describe('barge-in on Gemini (emulator)', () => {
  it('interrupt({ playedMs }) while the model speaks: one truncated event at the played position, no frame for it', async () => {
    emulator = await startEmulator({ gemini: { realtimeFactor: 4 } });
    const session = createRealtimeSession({
      model: geminiLive({ apiKey: KEY, url: emulator.geminiUrl, model: 'gemini-2.5-flash-native-audio-preview-12-2025' }),
    });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    await session.sendText('Please tell me a long story about a lighthouse keeper and her cat');
    await waitUntil(() => log.of('audio').length >= 3, 'model audio');
    const itemId = log.of('audio')[0]!.itemId!;
    const received = log.of('audio').filter((a) => a.itemId === itemId).reduce((n, a) => n + a.audio.length / 2 / (a.sampleRate / 1000), 0);
    const framesBefore = emulator.context.log.entries.filter((e) => e.protocol === 'gemini' && e.direction === 'in').length;
    await session.interrupt({ playedMs: 40 });
    const truncated = await log.waitFor('truncated');
    expect(truncated).toEqual({ type: 'truncated', itemId, playedMs: 40, receivedMs: expect.any(Number) });
    expect(truncated.receivedMs).toBeGreaterThanOrEqual(received);
    await log.waitFor('interrupted');
    expect(log.of('truncated')).toHaveLength(1);
    // Nothing about the cut went on the wire (a manual-activity interrupt would; automatic VAD sends nothing).
    const after = emulator.context.log.entries.filter((e) => e.protocol === 'gemini' && e.direction === 'in').slice(framesBefore);
    expect(after.map((e) => Object.keys(e.frame as object)[0])).not.toContain('clientContent');
    expect(log.of('error')).toEqual([]);
  });
});
