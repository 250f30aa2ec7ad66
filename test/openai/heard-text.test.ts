/** The heard part of a truncated transcript: proportional, back to a whole word, marked, never more than was said. */
import { describe, expect, it } from 'vitest';
import { heardFraction } from '../../adapters/heard-text.js';
import { ConversationHistory } from '../../adapters/openai/history.js';

describe('heardFraction', () => {
  const text = 'The keeper climbed the stairs at dusk';
  it('cuts in proportion, back to a word boundary, with a trailing mark', () => {
    expect(heardFraction(text, 0.5)).toBe('The keeper climbed…');
    expect(heardFraction(text, 0.2)).toBe('The…');
  });
  it('keeps a fully heard text and drops a text nothing of which was heard', () => {
    expect(heardFraction(text, 1)).toBe(text);
    expect(heardFraction(text, 0)).toBe('');
    expect(heardFraction(text, 0.01)).toBe('');
  });
});

describe('ConversationHistory.truncated', () => {
  it('cuts a transcript already recorded, and one that arrives after the truncation', () => {
    const history = new ConversationHistory();
    history.add({ kind: 'message', role: 'assistant', text: 'one two three four', itemId: 'a' });
    history.truncated('a', 0.5);
    history.truncated('b', 0.5);
    history.add({ kind: 'message', role: 'assistant', text: 'five six seven eight', itemId: 'b' });
    expect(history.snapshot()).toEqual([
      { kind: 'message', role: 'assistant', text: 'one two…', itemId: 'a' },
      { kind: 'message', role: 'assistant', text: 'five six…', itemId: 'b' },
    ]);
  });
});
