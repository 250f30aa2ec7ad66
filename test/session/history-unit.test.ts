/**
 * The history's rules at the unit level: the truncation path (the `truncated` facade event is
 * added with barge-in truncation on another branch, so it is fed here directly), the heard-text
 * estimate, and the ordering rules the emulator tests do not reach.
 */
import { describe, expect, it } from 'vitest';
import { heardText } from '../../adapters/heard-text.js';
import { SessionHistory } from '../../session/history.js';

const assistant = (itemId: string, text: string, isFinal: boolean) => ({ type: 'transcript' as const, role: 'assistant' as const, itemId, text, isFinal });

describe('heardText', () => {
  it('cuts in proportion to what was played, back to a whole word, marked with …', () => {
    expect(heardText('The weather in Paris is sunny today', 500, 1000)).toBe('The weather in…');
    expect(heardText('one two', 500, 1000)).toBe('one…'); // the cut falls on the space
    expect(heardText('Hello there', 1000, 1000)).toBe('Hello there');
    expect(heardText('Hello there', 1200, 1000)).toBe('Hello there');
    expect(heardText('Hello there', 0, 1000)).toBe('');
    expect(heardText('Incomprehensibilities', 500, 1000)).toBe('');
    expect(heardText('Hello there', 100, 0)).toBe('Hello there');
  });
});

describe('SessionHistory: truncation', () => {
  it('marks the interrupted answer, keeps only the heard part and ends it as incomplete', () => {
    const h = new SessionHistory();
    h.observe(assistant('a1', 'The weather in Paris ', false));
    h.observe(assistant('a1', 'is sunny today', false));
    expect(h.observe({ type: 'truncated', itemId: 'a1', playedMs: 500, receivedMs: 1000 })).toBe(true);
    expect(h.items).toEqual([
      { type: 'message', itemId: 'a1', role: 'assistant', source: 'audio', status: 'incomplete', text: 'The weather in…', truncated: { playedMs: 500, receivedMs: 1000 } },
    ]);
    // The response ends cancelled afterwards: it stays incomplete and cut.
    h.observe({ type: 'response_done', responseId: 'r1', status: 'cancelled', reason: 'turn_detected' });
    expect(h.items[0]).toMatchObject({ status: 'incomplete', text: 'The weather in…' });
  });

  it('cuts a final transcript that arrives after the truncation', () => {
    const h = new SessionHistory();
    h.observe({ type: 'truncated', itemId: 'a1', playedMs: 250, receivedMs: 1000 });
    expect(h.items[0]).toMatchObject({ itemId: 'a1', role: 'assistant', status: 'incomplete', text: '' });
    expect(h.observe(assistant('a1', 'Paris is sunny and warm today', true))).toBe(true);
    expect(h.items[0]).toMatchObject({ status: 'incomplete', text: 'Paris…', truncated: { playedMs: 250, receivedMs: 1000 } });
  });

  it('a truncation mark is frozen with its item', () => {
    const h = new SessionHistory();
    h.observe({ type: 'truncated', itemId: 'a1', playedMs: 1, receivedMs: 2 });
    const item = h.items[0]!;
    expect(Object.isFrozen(item)).toBe(true);
    expect(item.type === 'message' && Object.isFrozen(item.truncated)).toBe(true);
  });
});

describe('SessionHistory: ordering and steps', () => {
  it('a user turn first seen by its transcript takes its place then; deltas to it are not steps', () => {
    const h = new SessionHistory();
    expect(h.observe({ type: 'transcript', role: 'user', itemId: 'u1', text: 'What ', isFinal: false })).toBe(true);
    expect(h.observe({ type: 'transcript', role: 'user', itemId: 'u1', text: 'is one?', isFinal: false })).toBe(false);
    expect(h.observe(assistant('a1', 'One.', false))).toBe(true);
    expect(h.observe({ type: 'transcript', role: 'user', itemId: 'u1', text: 'What is one?', isFinal: true })).toBe(true);
    expect(h.items.map((i) => i.itemId)).toEqual(['u1', 'a1']);
    expect(h.items[0]).toMatchObject({ text: 'What is one?', status: 'completed' });
  });

  it('a late transcript of an item the limit dropped does not come back at the end', () => {
    const h = new SessionHistory(2);
    h.observe({ type: 'speech_started', itemId: 'u1', audioStartMs: 0 });
    h.observe(assistant('a1', 'One.', true));
    h.observe(assistant('a2', 'Two.', true));
    expect(h.observe({ type: 'transcript', role: 'user', itemId: 'u1', text: 'late', isFinal: true })).toBe(false);
    expect(h.items.map((i) => i.itemId)).toEqual(['a1', 'a2']);
  });

  it('a text answer is built from its text deltas and made final by response_done', () => {
    const h = new SessionHistory();
    expect(h.observe({ type: 'text', delta: 'Hel', itemId: 'a1', responseId: 'r1' })).toBe(true);
    expect(h.observe({ type: 'text', delta: 'lo', itemId: 'a1', responseId: 'r1' })).toBe(false);
    expect(h.items[0]).toMatchObject({ source: 'text', status: 'in_progress', text: 'Hello' });
    expect(h.observe({ type: 'response_done', responseId: 'r1', status: 'completed', reason: undefined })).toBe(true);
    expect(h.items[0]).toMatchObject({ status: 'completed', text: 'Hello' });
  });

  it('a tool call is recorded once (a repeated call frame) and updated by its answer, whenever it comes', () => {
    const h = new SessionHistory();
    const call = { type: 'tool_call' as const, callId: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' };
    expect(h.observe(call)).toBe(true);
    expect(h.observe(call)).toBe(false);
    expect(h.observe({ type: 'tool_result', callId: 'c1', name: 'get_weather', status: 'cancelled', output: { error: 'cancelled' }, delivered: true, durationMs: 1 })).toBe(true);
    expect(h.items).toEqual([
      { type: 'tool_call', itemId: 'c1', callId: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'incomplete', outcome: 'cancelled', output: '{"error":"cancelled"}' },
    ]);
  });

  it('a text that asks for a reply takes its place when sent, and never when it failed first', () => {
    const h = new SessionHistory();
    h.textRequested('reply_1', 'First');
    h.textRequested('reply_2', 'Dropped');
    expect(h.observe({ type: 'request_failed', requestId: 'reply_2', error: { code: 'request_dropped', message: 'x' } })).toBe(false);
    expect(h.items).toEqual([]);
    expect(h.observe({ type: 'request_sent', requestId: 'reply_1' })).toBe(true);
    expect(h.observe({ type: 'request_sent', requestId: 'reply_2' })).toBe(false);
    expect(h.items.map((i) => i.type === 'message' && i.text)).toEqual(['First']);
  });
});
