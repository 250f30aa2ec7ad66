/**
 * Playback and barge-in through the public API, over loopback against the emulator's OpenAI side:
 * what the user heard is cut item by item (`conversation.item.truncate`, the `truncated` event),
 * `response.cancel` only when the server has not cancelled by itself, the replay after a swap
 * carries the heard part only, and a queued request waits while the user has the floor.
 */
import { describe, expect, it } from 'vitest';
import { silence, tone } from '../openai/fixture.js';
import { openaiEmulatorSessions } from './openai-emulator-sessions.js';
import { tick, waitUntil } from '../session/event-log.js';

const KEY = 'sk-test-playback-0123456789';
const LONG = 'Please tell me a long and winding story about a lighthouse keeper, her cat, and the storm that came at night';
const { open, emulator } = openaiEmulatorSessions(KEY);

describe('barge-in with truncation (OpenAI, emulator)', () => {
  it('server VAD barge-in mid-answer: one truncate per item with audio, never beyond what was received, and no response.cancel', async () => {
    const { session, log, inbound, outbound, receivedMs } = await open(
      { openai: { realtimeFactor: 4 } },
      { turnDetection: { type: 'server_vad', silenceDurationMs: 80 } },
    );
    session.sendText(LONG);
    await waitUntil(() => log.of('audio').length >= 4, 'assistant audio');
    for (let i = 0; i < 5; i++) session.sendAudio(tone(40));
    await log.waitFor('response_done', (e) => e.status === 'cancelled');
    await waitUntil(() => outbound('conversation.item.truncated').length >= 1, 'truncation ack');

    const items = [...new Set(log.of('audio').map((a) => a.itemId!))];
    const truncates = inbound('conversation.item.truncate');
    expect(truncates.map((t) => t['item_id']).sort()).toEqual([...items].sort());
    expect(log.of('truncated').map((t) => t.itemId).sort()).toEqual([...items].sort());
    for (const t of truncates) {
      const end = t['audio_end_ms'] as number;
      expect(Number.isInteger(end)).toBe(true);
      expect(end).toBeLessThanOrEqual(receivedMs(String(t['item_id'])));
      const event = log.of('truncated').find((e) => e.itemId === t['item_id'])!;
      expect(event.playedMs).toBe(end);
      expect(event.receivedMs).toBeCloseTo(receivedMs(event.itemId), 3);
    }
    // The server cancelled by itself (interrupt_response): no cancel of ours, no error reaches the app.
    expect(inbound('response.cancel')).toHaveLength(0);
    expect(log.of('error')).toEqual([]);
    expect(outbound('error')).toEqual([]);
    expect(log.types().indexOf('interrupted')).toBeLessThan(log.types().indexOf('truncated'));
  });

  it('interrupt({ playedMs }) while streaming: cancels once, and the current item is cut at the given position', async () => {
    const { session, log, inbound, outbound, receivedMs } = await open({ openai: { realtimeFactor: 4 } }, { turnDetection: { type: 'none' } });
    session.sendText(LONG);
    await waitUntil(() => log.of('audio').length >= 3, 'assistant audio');
    const itemId = log.of('audio')[0]!.itemId!;
    await session.interrupt({ playedMs: 60 });
    await log.waitFor('response_done', (e) => e.status === 'cancelled');
    await waitUntil(() => outbound('conversation.item.truncated').length === 1, 'truncation ack');
    expect(inbound('response.cancel')).toHaveLength(1);
    expect(inbound('conversation.item.truncate')).toEqual([expect.objectContaining({ item_id: itemId, content_index: 0, audio_end_ms: 60 })]);
    expect(log.of('truncated')).toEqual([{ type: 'truncated', itemId, playedMs: 60, receivedMs: expect.any(Number) }]);
    expect(log.of('truncated')[0]!.receivedMs).toBeCloseTo(receivedMs(itemId), 3);
    // Cancel on the wire before the truncation (openai-realtime-2026.md §6).
    const order = emulator().context.log.entries.filter((e) => e.direction === 'in').map((e) => (e.frame as { type: string }).type);
    expect(order.indexOf('response.cancel')).toBeLessThan(order.indexOf('conversation.item.truncate'));
    expect(log.of('error')).toEqual([]);
  });

  it('interrupt() with no response active sends no response.cancel, and a second interrupt cuts nothing again', async () => {
    const { session, log, inbound, receivedMs } = await open({}, { turnDetection: { type: 'none' } });
    await session.sendText('Hi').reply;
    await session.interrupt();
    await tick(50);
    // Reported only when the answer was still playing (something to cut), once.
    const first = log.of('interrupted').length;
    expect(first).toBeLessThanOrEqual(1);
    expect(log.of('truncated')).toHaveLength(first);
    await session.interrupt({ playedMs: 5 });
    await tick(50);
    expect(log.of('interrupted')).toHaveLength(first);
    await waitUntil(() => inbound('conversation.item.truncate').length === log.of('truncated').length, 'truncations on the wire');
    expect(inbound('response.cancel')).toHaveLength(0);
    // The answer may still have been playing: at most one cut per item, never beyond what was received.
    const truncates = inbound('conversation.item.truncate');
    expect(truncates.length).toBeLessThanOrEqual(1);
    for (const t of truncates) expect(t['audio_end_ms']).toBeLessThanOrEqual(receivedMs(String(t['item_id'])));
    expect(log.of('truncated')).toHaveLength(truncates.length);
    expect(log.of('error')).toEqual([]);
  });

  it("playback: 'reported' cuts at the position the application reported; bad reports are refused, never thrown", async () => {
    const { session, log, inbound } = await open({ openai: { realtimeFactor: 4 } }, { turnDetection: { type: 'none' }, playback: 'reported' });
    session.sendText(LONG);
    await waitUntil(() => log.of('audio').length >= 4, 'assistant audio');
    const itemId = log.of('audio')[0]!.itemId!;
    expect(session.reportPlayback(itemId, 120)).toEqual({ ok: true });
    expect(session.reportPlayback('item_unknown', 10)).toEqual({ ok: false, reason: 'unknown_item' });
    expect(session.reportPlayback(itemId, Number.NaN)).toEqual({ ok: false, reason: 'invalid_position' });
    expect(session.reportPlayback(itemId, -1)).toEqual({ ok: false, reason: 'invalid_position' });
    await session.interrupt();
    await log.waitFor('truncated');
    await waitUntil(() => inbound('conversation.item.truncate').length === 1, 'truncation on the wire');
    expect(inbound('conversation.item.truncate')).toEqual([expect.objectContaining({ item_id: itemId, audio_end_ms: 120 })]);
    expect(log.of('truncated')[0]).toMatchObject({ itemId, playedMs: 120 });
  });

  it('the replay after a voice-change swap carries the heard part of a truncated answer only', async () => {
    const { session, log, inbound } = await open({ openai: { realtimeFactor: 4 } }, { turnDetection: { type: 'none' }, voice: 'alloy' });
    session.sendText(LONG);
    await waitUntil(() => log.of('audio').length >= 12, 'assistant audio');
    await session.interrupt({ playedMs: 250 });
    await log.waitFor('response_done', (e) => e.status === 'cancelled');
    const said = log.of('transcript').filter((t) => t.role === 'assistant' && !t.isFinal).map((t) => t.text).join('');
    expect(await session.updateSession({ voice: 'verse' })).toBe('resumed');
    const conn2 = Math.max(...emulator().context.log.entries.map((e) => e.connection));
    await waitUntil(() => inbound('conversation.item.create', conn2).length >= 2, 'replayed items');
    const replayed = inbound('conversation.item.create', conn2).map((f) => f['item'] as { role: string; content: Array<{ text: string }> });
    const assistant = replayed.filter((i) => i.role === 'assistant').map((i) => i.content[0]!.text);
    expect(assistant).toHaveLength(1);
    const heard = assistant[0]!;
    expect(heard.endsWith('…')).toBe(true);
    expect(heard.length).toBeLessThan(said.length);
    expect(said.startsWith(heard.slice(0, -1))).toBe(true);
  });
});

describe('a refused truncation (OpenAI, emulator)', () => {
  it('is reported as truncate_failed and the session carries on', async () => {
    const { session, log, inbound } = await open({ openai: { realtimeFactor: 4 } }, { turnDetection: { type: 'none' } });
    session.sendText(LONG);
    await waitUntil(() => log.of('audio').length >= 3, 'assistant audio');
    await session.interrupt({ playedMs: 30 });
    await waitUntil(() => inbound('conversation.item.truncate').length === 1, 'truncation on the wire');
    const eventId = inbound('conversation.item.truncate')[0]!['event_id'];
    // The service's error shape (protocols.md §1.4), naming our truncate's event_id.
    emulator().openai.inject({
      type: 'frame',
      frame: { type: 'error', error: { type: 'invalid_request_error', code: 'invalid_value', message: 'audio_end_ms is too large', param: 'audio_end_ms', event_id: eventId } },
    });
    const error = await log.waitFor('error');
    expect(error.error).toMatchObject({ code: 'truncate_failed', providerCode: 'invalid_value' });
    expect(session.connected).toBe(true);
    const next = await session.sendText('Still there?').reply;
    expect(next?.status).toBe('completed');
  });
});

describe('the user has the floor (OpenAI, emulator)', () => {
  it('a queued request waits while the user speaks and goes out after speech stops', async () => {
    const { session, log, inbound } = await open(
      { openai: { realtimeFactor: 4 } },
      { turnDetection: { type: 'server_vad', silenceDurationMs: 120, createResponse: false } },
    );
    const first = session.sendText(LONG);
    await waitUntil(() => log.of('audio').length >= 2, 'assistant audio');
    const second = session.sendText('And what happened next?');
    await log.waitFor('request_queued');
    for (let i = 0; i < 5; i++) session.sendAudio(tone(40));
    await log.waitFor('speech_started');
    await first.reply;
    // The interrupted answer is done, but the user is still speaking: the queued request waits.
    await new Promise((r) => setTimeout(r, 100));
    expect(inbound('response.create')).toHaveLength(1);
    expect(log.of('request_sent')).toHaveLength(1);
    for (let i = 0; i < 8; i++) session.sendAudio(silence(40));
    await log.waitFor('speech_stopped');
    const answer = await second.reply;
    expect(answer?.status).toBe('completed');
    const types = log.types();
    expect(types.lastIndexOf('request_sent')).toBeGreaterThan(types.indexOf('speech_stopped'));
    expect(inbound('response.create')).toHaveLength(2);
  });
});
