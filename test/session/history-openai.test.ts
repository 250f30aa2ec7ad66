/**
 * `session.history` on OpenAI, through the public API against the emulator (issue 13, item 7):
 * spoken, text and tool items in spoken order with final transcripts, a late user transcript in
 * its place, the history kept across a resumption (voice change), `history_updated` once per step,
 * frozen snapshots, and the limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { createRuleBrain, startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { createRealtimeSession, silentLogger, type HistoryItem, type RealtimeSession } from '../../index.js';
import { record, waitUntil } from './event-log.js';
import { outline, weather } from './history-fixture.js';

const KEY = 'sk-test-history-0123456789';
let emulator: Emulator | undefined;
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

async function open(emulatorOptions: Parameters<typeof startEmulator>[0], options: Record<string, unknown> = {}) {
  emulator = await startEmulator(emulatorOptions);
  const session = createRealtimeSession({ model: openaiRealtime({ apiKey: KEY, url: emulator.openaiUrl }), instructions: 'x', tools: [weather], logger: silentLogger, ...options });
  sessions.push(session);
  const log = record(session);
  await session.connect();
  return { session, log };
}

function speak(session: RealtimeSession, words: string): void {
  const speech = synthesize(words);
  for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
  session.sendAudio(Buffer.alloc(24_000)); // 500 ms of silence ends the turn
}

/** The history as [kind, text or name] pairs, for order checks. */
describe('session.history on OpenAI', () => {
  it('a spoken turn, a text turn and a tool call in spoken order, the late user transcript in its place, kept across a voice change', async () => {
    // A transcription delay far longer than the answer takes: the question's transcript comes after its answer.
    const { session, log } = await open(
      { brain: createRuleBrain({ transcripts: ['My name is Ada'] }), openai: { transcriptionDelayMs: 1500 } },
      { voice: 'alloy', transcription: {} },
    );
    speak(session, 'my name is ada');
    await log.waitFor('response_done', undefined, 5000);
    const userFinal = await log.waitFor('transcript', (e) => e.role === 'user' && e.isFinal, 5000);
    // The service's order, reproduced: the answer was done before the question's transcript came.
    expect(log.events.indexOf(log.of('response_done')[0]!)).toBeLessThan(log.events.indexOf(userFinal));

    await session.sendText('What is the weather in Paris?').reply;
    await waitUntil(() => log.of('response_done').length >= 3, 'the tool turn and its answer');
    await waitUntil(() => session.history.at(-1)?.status === 'completed', 'the answer final');

    const before = session.history;
    expect(outline(before)).toEqual([
      'user/audio: My name is Ada',
      expect.stringMatching(/^assistant\/audio: .+/),
      'user/text: What is the weather in Paris?',
      'tool get_weather completed {"city":"Paris","sky":"sunny"}',
      expect.stringMatching(/^assistant\/audio: .*sunny/),
    ]);
    expect(before.every((i) => i.status === 'completed')).toBe(true);
    expect(before[0]).toMatchObject({ type: 'message', itemId: userFinal.itemId });
    const answers = log.of('transcript').filter((t) => t.role === 'assistant' && t.isFinal);
    expect(before.filter((i) => i.type === 'message' && i.role === 'assistant').map((i) => i.type === 'message' && i.text)).toEqual(answers.map((a) => a.text));
    expect(before[3]).toMatchObject({ type: 'tool_call', callId: log.of('tool_call')[0]!.callId, arguments: log.of('tool_call')[0]!.arguments, outcome: 'succeeded' });

    // A voice change after audio replaces the connection (OpenAI replays the conversation as text):
    // nothing lost, nothing repeated, and the next turn is appended.
    expect(await session.updateSession({ voice: 'verse' })).toBe('resumed');
    expect(session.history).toEqual(before);
    await session.sendText('Thanks').reply;
    await waitUntil(() => session.history.length === before.length + 2 && session.history.at(-1)!.status === 'completed', 'the new turn');
    expect(session.history.slice(0, before.length)).toEqual(before);
    expect(outline(session.history.slice(before.length))).toEqual(['user/text: Thanks', expect.stringMatching(/^assistant\/audio: .+/)]);
    expect(new Set(session.history.map((i) => i.itemId)).size).toBe(session.history.length);
  });

  it('history_updated follows each step with the whole history, never a transcript delta to a known item', async () => {
    const { session, log } = await open({});
    await session.sendText('Say hello').reply;
    await waitUntil(() => session.history.at(-1)?.status === 'completed', 'the answer final');
    const updates = log.of('history_updated');
    expect(updates.length).toBeGreaterThanOrEqual(3); // the text, the answer's first words, the answer final
    expect(updates.at(-1)!.history).toBe(session.history);
    const seen = new Set<string | undefined>();
    log.events.forEach((e, i) => {
      if (e.type !== 'transcript' || e.isFinal) return;
      const first = !seen.has(e.itemId);
      seen.add(e.itemId);
      if (!first) expect(log.events[i + 1]?.type).not.toBe('history_updated');
    });
    expect(seen.size).toBeGreaterThan(0);
    expect(log.of('transcript').filter((t) => !t.isFinal).length).toBeGreaterThan(1);
  });

  it('a snapshot cannot be changed by a listener, and the session keeps its own copy', async () => {
    const { session, log } = await open({});
    let tampered: string[] = [];
    session.on('history_updated', (e) => {
      const item = e.history[0] as { text?: string };
      const attempts = [
        () => ((e.history as HistoryItem[]).length = 0),
        () => (e.history as HistoryItem[]).push(e.history[0]!),
        () => (item.text = 'forged'),
      ];
      tampered = attempts.flatMap((attempt) => {
        try {
          attempt();
          return ['changed'];
        } catch (error) {
          return [error instanceof TypeError ? 'refused' : 'other'];
        }
      });
    });
    await session.sendText('Hello there', { respond: false });
    await log.waitFor('history_updated');
    expect(tampered).toEqual(['refused', 'refused', 'refused']);
    expect(session.history).toEqual([{ type: 'message', itemId: expect.any(String), role: 'user', source: 'text', status: 'completed', text: 'Hello there' }]);
  });

  it('keeps at most historyLimit items, dropping the oldest', async () => {
    const { session } = await open({}, { historyLimit: 3 });
    for (const text of ['one', 'two', 'three', 'four', 'five']) await session.sendText(text, { respond: false });
    expect(session.history.map((i) => i.type === 'message' && i.text)).toEqual(['three', 'four', 'five']);
  });

  it('refuses a historyLimit that is not a positive whole number', () => {
    expect(() => createRealtimeSession({ model: openaiRealtime({ apiKey: KEY, url: 'ws://127.0.0.1:1' }), historyLimit: 0 })).toThrow(/historyLimit/);
  });
});
