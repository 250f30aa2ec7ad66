/** The OpenAI adapter's replay record: order of spoken turns, limits, and no orphan outputs. */
import { describe, expect, it } from 'vitest';
import { ConversationHistory } from '../../adapters/openai/history.js';

const say = (role: 'user' | 'assistant', text: string) => ({ kind: 'message' as const, role, text });

describe('ConversationHistory', () => {
  it('a transcript that arrives after the answer fills the place reserved at the commit', () => {
    const h = new ConversationHistory();
    h.reserve('item_1');
    h.add(say('assistant', 'Hello Ada.'));
    h.transcribed('item_1', 'My name is Ada');
    expect(h.snapshot()).toEqual([{ ...say('user', 'My name is Ada'), itemId: 'item_1' }, say('assistant', 'Hello Ada.')]);
  });

  it('places still waiting for a transcript do not count against maxItems', () => {
    const h = new ConversationHistory({ maxItems: 4, maxBytes: 100_000 });
    for (let i = 0; i < 4; i++) {
      h.reserve(`item_${i}`);
      h.add(say('assistant', `answer ${i}`));
    }
    expect(h.snapshot().map((i) => (i.kind === 'message' ? i.text : i.kind))).toEqual(['answer 0', 'answer 1', 'answer 2', 'answer 3']);
  });

  it('never replays an output whose call was trimmed, even behind a filled place, and keeps the place', () => {
    const h = new ConversationHistory({ maxItems: 3, maxBytes: 100_000 });
    h.add({ kind: 'function_call', callId: 'c1', name: 'lookup', arguments: '{}' });
    h.reserve('item_talk'); // the user speaks while the tool runs
    h.add({ kind: 'function_call_output', callId: 'c1', output: '{"ok":true}' });
    h.transcribed('item_talk', 'are you there');
    h.add(say('assistant', 'done'));
    expect(h.snapshot()).toEqual([{ ...say('user', 'are you there'), itemId: 'item_talk' }, say('assistant', 'done')]);
    // A place whose transcript is still to come is not dropped with the orphan: it stays in order.
    const g = new ConversationHistory({ maxItems: 3, maxBytes: 100_000 });
    g.add({ kind: 'function_call', callId: 'c2', name: 'lookup', arguments: '{}' });
    g.reserve('item_late');
    g.add({ kind: 'function_call_output', callId: 'c2', output: '{}' });
    g.add(say('assistant', 'a1'));
    g.add(say('assistant', 'a2'));
    g.transcribed('item_late', 'late transcript');
    expect(g.snapshot().map((i) => (i.kind === 'message' ? i.text : i.kind))).toEqual(['late transcript', 'a1', 'a2']);
  });

  it('never starts the replay with an output whose call was trimmed, even behind a reserved place', () => {
    const h = new ConversationHistory({ maxItems: 3, maxBytes: 100_000 });
    h.add({ kind: 'function_call', callId: 'c1', name: 'lookup', arguments: '{}' });
    h.reserve('item_talk'); // the user speaks while the tool runs
    h.add({ kind: 'function_call_output', callId: 'c1', output: '{"ok":true}' });
    h.add(say('assistant', 'done'));
    h.add(say('assistant', 'anything else?'));
    const replay = h.snapshot();
    expect(replay[0]?.kind).not.toBe('function_call_output');
    expect(replay).toEqual([say('assistant', 'done'), say('assistant', 'anything else?')]);
  });
});
