/**
 * Barge-in findings of the issue-13 review (R2), through the public API against the emulator:
 * a barge-in after `response.done` while the answer still plays is cut; an `interrupted` listener
 * calling `interrupt()` does not loop; `interrupted` comes before `truncated` on every path; no
 * redundant `response.cancel` in the server-VAD window; `interrupt({ playedMs })` beyond what was
 * received still cuts an active response; a Gemini server `interrupted` cuts what was heard.
 */
import { describe, expect, it } from 'vitest';
import { geminiLive } from '../../adapters/gemini/index.js';
import { createRealtimeSession } from '../../index.js';
import { silence, tone } from '../openai/fixture.js';
import { openaiEmulatorSessions } from './openai-emulator-sessions.js';
import { record, tick, waitUntil } from '../session/event-log.js';

const KEY = 'sk-test-bargein-0123456789';
const LONG = 'Please tell me a long and winding story about a lighthouse keeper, her cat, and the storm that came at night';
const { open, start, track, emulator } = openaiEmulatorSessions(KEY);

describe('barge-in after response.done (OpenAI, emulator)', () => {
  it('server VAD speech while the finished answer still plays: interrupted, then one truncate at the played position, no cancel; the replay carries the heard part', async () => {
    // Audio 20x faster than real time: the answer is done long before it has been heard.
    const { session, log, inbound, outbound, receivedMs } = await open(
      { openai: { realtimeFactor: 20 } },
      { turnDetection: { type: 'server_vad', silenceDurationMs: 80 }, voice: 'alloy' },
    );
    const answer = await session.sendText(LONG).reply;
    expect(answer?.status).toBe('completed');
    const itemId = log.of('audio')[0]!.itemId!;
    const received = receivedMs(itemId);
    expect(received).toBeGreaterThan(2000);
    for (let i = 0; i < 5; i++) session.sendAudio(tone(40));
    const truncated = await log.waitFor('truncated');
    await waitUntil(() => outbound('conversation.item.truncated').length === 1, 'truncation ack');

    expect(truncated).toEqual({ type: 'truncated', itemId, playedMs: expect.any(Number), receivedMs: expect.any(Number) });
    expect(truncated.playedMs).toBeLessThan(received);
    expect(inbound('conversation.item.truncate')).toEqual([expect.objectContaining({ item_id: itemId, audio_end_ms: truncated.playedMs })]);
    expect(log.of('interrupted')).toEqual([{ type: 'interrupted', source: 'user' }]);
    const types = log.types();
    expect(types.indexOf('speech_started')).toBeLessThan(types.indexOf('interrupted'));
    expect(types.indexOf('interrupted')).toBeLessThan(types.indexOf('truncated'));
    // Nothing was running: no cancel of ours, no error.
    expect(inbound('response.cancel')).toHaveLength(0);
    expect(log.of('error')).toEqual([]);
    for (let i = 0; i < 8; i++) session.sendAudio(silence(40));
    await log.waitFor('speech_stopped');

    // A voice change replays the conversation: the assistant's answer as heard, not in full.
    const said = log.of('transcript').find((t) => t.role === 'assistant' && t.isFinal && t.itemId === itemId)!.text;
    expect(await session.updateSession({ voice: 'verse' })).not.toBe('rejected');
    await waitUntil(() => Math.max(...emulator().context.log.entries.map((e) => e.connection)) > 1, 'second connection', 8000);
    const conn2 = Math.max(...emulator().context.log.entries.map((e) => e.connection));
    await waitUntil(() => inbound('conversation.item.create', conn2).some((f) => (f['item'] as { role?: string }).role === 'assistant'), 'replayed answer');
    const replayed = inbound('conversation.item.create', conn2)
      .map((f) => f['item'] as { role: string; content: Array<{ text: string }> })
      .filter((i) => i.role === 'assistant')
      .map((i) => i.content[0]!.text);
    expect(replayed[0]!.endsWith('…')).toBe(true);
    expect(replayed[0]!.length).toBeLessThan(said.length);
  });

  it('interrupt() while the finished answer still plays: interrupted then truncated, no cancel', async () => {
    const { session, log, inbound } = await open({ openai: { realtimeFactor: 20 } }, { turnDetection: { type: 'none' } });
    await session.sendText(LONG).reply;
    await session.interrupt();
    await log.waitFor('truncated');
    expect(log.of('interrupted')).toEqual([{ type: 'interrupted', source: 'client' }]);
    expect(log.types().indexOf('interrupted')).toBeLessThan(log.types().indexOf('truncated'));
    await waitUntil(() => inbound('conversation.item.truncate').length === 1, 'truncation on the wire');
    expect(inbound('response.cancel')).toHaveLength(0);
  });
});

describe('a truncation after a connection swap (OpenAI, emulator)', () => {
  it('an answer still playing across a voice-change swap is cut by interrupt(): the next replay carries the heard part', async () => {
    const { session, log, inbound } = await open({ openai: { realtimeFactor: 20 } }, { turnDetection: { type: 'none' }, voice: 'alloy' });
    await session.sendText(LONG).reply;
    const lastConnection = () => Math.max(...emulator().context.log.entries.map((e) => e.connection));
    const assistantReplay = (c: number) =>
      inbound('conversation.item.create', c)
        .map((f) => f['item'] as { role: string; content: Array<{ text: string }> })
        .filter((i) => i.role === 'assistant')
        .map((i) => i.content[0]!.text);
    expect(await session.updateSession({ voice: 'verse' })).toBe('resumed');
    // The answer was not cut yet: the second connection gets it whole.
    await waitUntil(() => assistantReplay(lastConnection()).length === 1, 'replay on the second connection');
    expect(assistantReplay(lastConnection())[0]!.endsWith('…')).toBe(false);
    await session.interrupt();
    const truncated = await log.waitFor('truncated');
    expect(truncated.playedMs).toBeLessThan(truncated.receivedMs);
    // This connection never carried the item's audio: nothing to truncate on its wire.
    expect(inbound('conversation.item.truncate', lastConnection())).toHaveLength(0);
    // Audio on the second connection, so the next voice change needs a third one.
    await session.sendText('Hi').reply;
    expect(await session.updateSession({ voice: 'alloy' })).toBe('resumed');
    await waitUntil(() => lastConnection() === 3 && assistantReplay(3).length === 2, 'replay on the third connection');
    expect(assistantReplay(3)[0]!.endsWith('…')).toBe(true);
  });
});

describe('interrupt() (OpenAI, emulator)', () => {
  it('called from an interrupted listener does not loop: one interrupted, one cancel, interrupted before truncated', async () => {
    const { session, log, inbound } = await open({ openai: { realtimeFactor: 4 } }, { turnDetection: { type: 'none' } });
    session.sendText(LONG);
    await waitUntil(() => log.of('audio').length >= 3, 'assistant audio');
    let calls = 0;
    session.on('interrupted', () => {
      if (++calls < 50) void session.interrupt();
    });
    await session.interrupt();
    await log.waitFor('response_done', (e) => e.status === 'cancelled');
    await tick(100);
    expect(log.of('interrupted')).toEqual([{ type: 'interrupted', source: 'client' }]);
    expect(calls).toBe(1);
    expect(inbound('response.cancel')).toHaveLength(1);
    expect(log.types().indexOf('interrupted')).toBeLessThan(log.types().indexOf('truncated'));
  });

  it('called in the server-VAD window (the server already cancelled) sends no response.cancel and reports nothing again', async () => {
    const { session, log, inbound, outbound } = await open(
      { openai: { realtimeFactor: 4 } },
      { turnDetection: { type: 'server_vad', silenceDurationMs: 80 } },
    );
    session.sendText(LONG);
    await waitUntil(() => log.of('audio').length >= 4, 'assistant audio');
    // Right on the server's barge-in, before its response.done arrives.
    session.on('interrupted', () => void session.interrupt({ playedMs: 10 }));
    for (let i = 0; i < 5; i++) session.sendAudio(tone(40));
    await log.waitFor('response_done', (e) => e.status === 'cancelled');
    await tick(100);
    expect(log.of('interrupted')).toEqual([{ type: 'interrupted', source: 'user' }]);
    expect(inbound('response.cancel')).toHaveLength(0);
    expect(outbound('error')).toEqual([]);
  });

  it('interrupt({ playedMs }) beyond the audio received of a streaming response still truncates, at what was received', async () => {
    const { session, log, inbound, receivedMs } = await open({ openai: { realtimeFactor: 1 } }, { turnDetection: { type: 'none' } });
    session.sendText(LONG);
    await waitUntil(() => log.of('audio').length >= 2, 'assistant audio');
    const itemId = log.of('audio')[0]!.itemId!;
    await session.interrupt({ playedMs: 1_000_000 });
    const truncated = await log.waitFor('truncated');
    await waitUntil(() => inbound('conversation.item.truncate').length === 1, 'truncation on the wire');
    expect(truncated).toMatchObject({ itemId, playedMs: Math.floor(truncated.receivedMs) });
    const end = inbound('conversation.item.truncate')[0]!['audio_end_ms'] as number;
    expect(end).toBe(truncated.playedMs);
    await log.waitFor('response_done', (e) => e.status === 'cancelled');
    expect(end).toBeLessThanOrEqual(receivedMs(itemId));
  });
});

describe('a server barge-in on Gemini (emulator)', () => {
  it('serverContent.interrupted cuts what was heard: interrupted (user), then one truncated below what was received', async () => {
    const emu = await start({ gemini: { realtimeFactor: 1 } });
    const session = createRealtimeSession({
      model: geminiLive({ apiKey: 'AIzaSyBARGEIN-not-real-0123456789', url: emu.geminiUrl, model: 'gemini-2.5-flash-native-audio-preview-12-2025' }),
    });
    track(session);
    const log = record(session);
    await session.connect();
    session.sendText('Please tell me a long story about a lighthouse keeper and her cat');
    await waitUntil(() => log.of('audio').length >= 3, 'model audio');
    for (let i = 0; i < 12; i++) session.sendAudio(tone(40));
    const truncated = await log.waitFor('truncated');
    expect(log.of('interrupted')).toEqual([{ type: 'interrupted', source: 'user' }]);
    expect(log.types().indexOf('interrupted')).toBeLessThan(log.types().indexOf('truncated'));
    expect(truncated.playedMs).toBeLessThanOrEqual(truncated.receivedMs);
    expect(log.of('truncated')).toHaveLength(1);
  });
});
