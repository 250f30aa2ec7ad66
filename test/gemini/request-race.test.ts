/**
 * A question sent while the model is finishing a spoken answer (after its last words, before the
 * adapter reports the turn done): the response that was already running never saw it, so it does
 * not count as its answer. The question's reply is the response that follows, and a queued swap
 * waits for it (issue 13, item 1; a reviewer's race).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { synthesize } from '../../emulator/speech.js';
import { createRealtimeSession, silentLogger, type ReplyRequest, type RealtimeSession } from '../../index.js';
import { record } from '../session/event-log.js';
import { adapterFor, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function speakThenAskAsTheAnswerEnds(options: { queueUpdate: boolean }) {
  const emu = await fx.emulator({ gemini: { realtimeFactor: 4 } });
  const session = createRealtimeSession({ model: adapterFor(emu), instructions: 'x', logger: silentLogger });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  let question: ReplyRequest | undefined;
  session.on('transcript', (t) => {
    if (t.role === 'assistant' && t.isFinal && !question) {
      if (options.queueUpdate) void session.updateSession({ instructions: 'y' }).catch(() => undefined);
      question = session.sendText('What is my balance');
    }
  });
  const speech = synthesize('what is the weather in Paris');
  for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
  session.sendAudio(Buffer.alloc(24_000));
  await log.waitFor('transcript', (t) => t.role === 'assistant' && t.isFinal);
  const reply = await question!.reply;
  if (!reply) throw new Error('a text that asks for a reply has one');
  return { log, reply, session };
}

describe('gemini: a question that arrives as a spoken answer ends', () => {
  it('is answered by the next response, not by the one that was ending', async () => {
    const { log, reply } = await speakThenAskAsTheAnswerEnds({ queueUpdate: false });
    const first = log.of('response_done')[0]!;
    expect(reply.responseId).not.toBe(first.responseId);
    const answers = log.of('transcript').filter((t) => t.role === 'assistant' && t.isFinal).map((t) => t.text);
    expect(answers.some((text) => /What is my balance/i.test(text))).toBe(true);
  });

  it('a queued swap waits until the question is answered on its connection', async () => {
    const { log, reply } = await speakThenAskAsTheAnswerEnds({ queueUpdate: true });
    const answered = log.events.findIndex((e) => e.type === 'transcript' && e.role === 'assistant' && e.isFinal && /What is my balance/i.test(e.text));
    await log.waitFor('session_resumed');
    expect(answered).toBeGreaterThanOrEqual(0);
    expect(answered).toBeLessThan(log.events.findIndex((e) => e.type === 'session_resumed'));
    expect(reply.responseId).not.toBe(log.of('response_done')[0]!.responseId);
  });
});
