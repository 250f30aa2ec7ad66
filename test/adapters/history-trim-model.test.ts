/**
 * The replay record's trim keeps its structures as it goes (issue 15) instead of rebuilding them
 * on every add. Checked against a reference model (the rebuild-everything rules, written plainly)
 * on seeded random sequences of adds, reservations, transcripts and outputs, including outputs
 * whose call never came and calls trimmed away.
 */
import { describe, expect, it } from 'vitest';
import { ConversationHistory, type HistoryItem, type HistoryLimits } from '../../adapters/openai/history.js';

const filled = (i: HistoryItem) => i.kind !== 'message' || i.text.trim() !== '';
const size = (i: HistoryItem) => (i.kind === 'message' ? i.text.length : i.kind === 'function_call' ? i.name.length + i.arguments.length : i.output.length);

/** The rules, recomputed from scratch after every step. */
class Reference {
  items: HistoryItem[] = [];
  bytes = 0;
  constructor(private readonly limits: HistoryLimits) {}
  add(item: HistoryItem) {
    if (item.kind === 'message' && item.text.trim() === '') return;
    this.items.push(item);
    this.bytes += size(item);
    this.trim();
  }
  reserve(itemId: string) {
    this.items.push({ kind: 'message', role: 'user', text: '', itemId });
    this.trim();
  }
  transcribed(itemId: string, text: string) {
    const reserved = this.items.find((i) => i.kind === 'message' && i.itemId === itemId);
    if (!reserved || reserved.kind !== 'message') return this.add({ kind: 'message', role: 'user', text });
    reserved.text = text;
    this.bytes += text.length;
    this.trim();
  }
  private trim() {
    let n = this.items.filter(filled).length;
    while (n > 1 && (n > this.limits.maxItems || this.bytes > this.limits.maxBytes)) {
      this.bytes -= size(this.items.splice(this.items.findIndex(filled), 1)[0]!);
      n--;
    }
    let waiting = this.items.length - n;
    while (waiting > this.limits.maxItems) {
      this.items.splice(this.items.findIndex((i) => !filled(i)), 1);
      waiting--;
    }
    const calls = new Set(this.items.flatMap((i) => (i.kind === 'function_call' ? [i.callId] : [])));
    this.items = this.items.filter((i) => {
      if (i.kind !== 'function_call_output' || calls.has(i.callId)) return true;
      this.bytes -= size(i);
      return false;
    });
  }
}

/** A small seeded PRNG (mulberry32), so a failure names a reproducible seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ConversationHistory trim', () => {
  it('matches the rebuild-everything rules on random sequences', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = random(seed);
      const limits = { maxItems: 2 + Math.floor(rnd() * 6), maxBytes: 20 + Math.floor(rnd() * 200) };
      const h = new ConversationHistory(limits);
      const ref = new Reference(limits);
      let n = 0;
      for (let step = 0; step < 60; step++) {
        const r = rnd();
        const id = `x${Math.floor(rnd() * (n + 2))}`;
        n++;
        const text = rnd() < 0.1 ? ' ' : 'w'.repeat(1 + Math.floor(rnd() * 30));
        if (r < 0.25) {
          const item: HistoryItem = { kind: 'message', role: rnd() < 0.5 ? 'user' : 'assistant', text };
          h.add({ ...item });
          ref.add({ ...item });
        } else if (r < 0.4) {
          h.reserve(id);
          ref.reserve(id);
        } else if (r < 0.55) {
          h.transcribed(id, text);
          ref.transcribed(id, text);
        } else if (r < 0.75) {
          if (!h.hasCall(id)) {
            const item: HistoryItem = { kind: 'function_call', callId: id, name: 'f', arguments: text };
            h.add({ ...item });
            ref.add({ ...item });
          }
        } else {
          const item: HistoryItem = { kind: 'function_call_output', callId: id, output: text };
          h.add({ ...item });
          ref.add({ ...item });
        }
        expect(h.snapshot(), `seed ${seed} step ${step}`).toEqual(ref.items.filter(filled));
        for (const probe of ['x0', 'x1', 'x2', id]) {
          expect(h.hasCall(probe), `seed ${seed} step ${step} hasCall ${probe}`).toBe(ref.items.some((i) => i.kind === 'function_call' && i.callId === probe));
        }
      }
    }
  });
});
