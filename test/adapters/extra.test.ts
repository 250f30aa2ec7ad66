import { describe, expect, it } from 'vitest';
import { mergeExtra } from '../../adapters/extra.js';

describe('mergeExtra', () => {
  it('merges objects recursively instead of replacing whole blocks', () => {
    const base = { audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'server_vad' } }, output: { voice: 'marin' } } };
    const merged = mergeExtra(base, { audio: { input: { noise_reduction: { type: 'near_field' } } } });
    expect(merged).toEqual({
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'server_vad' }, noise_reduction: { type: 'near_field' } },
        output: { voice: 'marin' },
      },
    });
    expect(base.audio.input).not.toHaveProperty('noise_reduction');
  });

  it('appends the arrays it is told to append and replaces the others', () => {
    const base = { tools: [{ name: 'a' }], modalities: ['audio'] };
    const merged = mergeExtra(base, { tools: [{ googleSearch: {} }], modalities: ['text'] }, { appendArrays: ['tools'] });
    expect(merged).toEqual({ tools: [{ name: 'a' }, { googleSearch: {} }], modalities: ['text'] });
  });

  it('replaces scalars, ignores undefined and never touches the prototype', () => {
    const merged = mergeExtra({ a: 1, b: 2 } as Record<string, unknown>, JSON.parse('{"a":3,"__proto__":{"polluted":true}}'));
    expect(merged).toEqual({ a: 3, b: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(mergeExtra({ a: 1 }, { a: undefined })).toEqual({ a: 1 });
  });
});
