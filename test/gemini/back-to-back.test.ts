/**
 * Two texts sent back to back on Gemini are both answered, in order. `clientContent` with
 * `turnComplete:true` interrupts the active generation (gemini-live-2026.md "Mid-session text"),
 * so the second waits in the request queue until the first answer is done (capability
 * `requestInterruptsResponse`) instead of cancelling it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, silentLogger, type RealtimeSession } from '../../index.js';
import { record } from '../session/event-log.js';
import { adapterFor, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('gemini: two texts back to back', () => {
  it('both are answered, in order, and neither answer is interrupted', async () => {
    const emu = await fx.emulator({ gemini: { realtimeFactor: 4 } });
    const session = createRealtimeSession({ model: adapterFor(emu), instructions: 'x', logger: silentLogger });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    const first = session.sendText('Please tell me a long story about a lighthouse keeper and her cat');
    const second = session.sendText('What is my balance');
    const [a, b] = await Promise.all([first.reply, second.reply]);
    expect(a?.status).toBe('completed');
    expect(b?.status).toBe('completed');
    expect(a?.responseId).not.toBe(b?.responseId);
    expect(log.of('request_queued')).toHaveLength(1);
    expect(log.of('interrupted')).toHaveLength(0);
    const answers = log.of('transcript').filter((t) => t.role === 'assistant' && t.isFinal).map((t) => t.text);
    expect(answers).toHaveLength(2);
    expect(answers[1]).toMatch(/balance/i);
    // The second text reached the server only after the first answer's turnComplete.
    const frames = emu.context.log.entries.filter((e) => e.protocol === 'gemini').map((e) => e.frame as Record<string, unknown>);
    const secondSent = frames.findIndex((f) => JSON.stringify(f['clientContent'] ?? '').includes('balance'));
    const firstDone = frames.findIndex((f) => (f['serverContent'] as { turnComplete?: boolean } | undefined)?.turnComplete === true);
    expect(firstDone).toBeGreaterThanOrEqual(0);
    expect(secondSent).toBeGreaterThan(firstDone);
  });
});
