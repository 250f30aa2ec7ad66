/**
 * gemini-3.8-live-extended-thinking ends each part of one request with `turnComplete` and
 * `interactionStatus: IN_PROGRESS`, and the whole task with `IDLE` (gemini-live-2026.md §4): the
 * response runs until IDLE, so the request is answered by the whole task, the turn is not idle in
 * between, and a queued resumption does not replace the connection mid-task. The emulator plays
 * the model (a filler, IN_PROGRESS, the answer, IDLE).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, silentLogger, type RealtimeSession } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';
import { adapterFor, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('gemini 3.8 extended thinking: IN_PROGRESS until IDLE', () => {
  it('one response answers the request; the turn stays busy and a queued resumption waits for IDLE', async () => {
    const emu = await fx.emulator({ gemini: { realtimeFactor: 4 } });
    const session = createRealtimeSession({
      model: adapterFor(emu, { model: 'gemini-3.8-live-extended-thinking' }),
      instructions: 'x',
      logger: silentLogger,
    });
    sessions.push(session);
    const log = record(session);
    await session.connect();
    const question = session.sendText('What is the weather in Paris');
    const inProgress = () =>
      emu.context.log.entries.some((e) => e.direction === 'out' && (e.frame as { serverContent?: { interactionStatus?: string } }).serverContent?.interactionStatus === 'IN_PROGRESS');
    await waitUntil(inProgress, 'turnComplete with IN_PROGRESS');
    // Mid-task: the request is not answered yet, the turn is not idle, and an update is queued.
    await new Promise((resolve) => setTimeout(resolve, 30)); // the frame reaches the session
    expect(log.of('response_done')).toEqual([]);
    expect(session.actor.getSnapshot().matches({ link: { connected: { turn: 'idle' } } })).toBe(false);
    const update = session.updateSession({ instructions: 'y' });
    const reply = await question.reply;
    await update;
    await log.waitFor('session_resumed');

    const done = log.of('response_done');
    expect(done).toHaveLength(1);
    expect(reply?.responseId).toBe(done[0]!.responseId);
    const answers = log.of('transcript').filter((t) => t.role === 'assistant' && t.isFinal);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.text).toMatch(/^Let me think about that\. \S/);
    const types = log.types();
    expect(types.indexOf('response_done')).toBeLessThan(types.indexOf('session_resumed'));
  });
});
