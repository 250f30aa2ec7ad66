/**
 * The profile helpers every adapter shares: a resolved profile lands in the adapter's capability
 * table (deprecation on the model's row, next to rows the adapter adds itself), and a fixed value
 * is accepted only as itself.
 */
import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../adapters/adapter.js';
import { geminiLive } from '../../adapters/gemini/index.js';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { applyProfile, unsupportedOption, type ModelProfile } from '../../adapters/profile.js';
import { GEMINI_DEFAULT_CAPABILITIES } from '../../adapters/gemini/capabilities.js';

describe('model profiles in the capability table', () => {
  it('a deprecated OpenAI model carries its deprecation; a current one none', () => {
    const old = openaiRealtime({ apiKey: 'sk-test', model: 'gpt-realtime' });
    expect(capabilitiesFor(old.capabilities, old.model).deprecated).toEqual({ shutdown: '2027-01-20', replacement: 'gpt-realtime-2.1' });
    const current = openaiRealtime({ apiKey: 'sk-test' });
    expect(capabilitiesFor(current.capabilities, current.model).deprecated).toBeUndefined();
    // The change rules are OpenAI's, whatever the model.
    expect(capabilitiesFor(old.capabilities, old.model).change).toEqual(capabilitiesFor(current.capabilities, current.model).change);
  });

  it('the Gemini contextUpdate row survives the profile; a profile change rule applies where the row has none', () => {
    const adapter = geminiLive({ apiKey: 'key', model: 'gemini-3.8-live', contextUpdate: true });
    expect(capabilitiesFor(adapter.capabilities, adapter.model).change.instructions).toBe('inPlace');
    const profile: ModelProfile<'x'> = { options: [], change: { instructions: 'resumption', voice: 'inPlace' }, deprecated: { shutdown: '2030-01-01', replacement: 'm2' } };
    const table = applyProfile(adapter.capabilities, adapter.model, profile);
    const row = capabilitiesFor(table, adapter.model);
    expect(row.change.instructions).toBe('inPlace');
    expect(row.change.voice).toBe('inPlace');
    expect(row.deprecated).toEqual({ shutdown: '2030-01-01', replacement: 'm2' });
    expect(capabilitiesFor(table, 'another-model')).toEqual(GEMINI_DEFAULT_CAPABILITIES);
  });

  it('a fixed value is accepted as itself only; an option not listed is refused naming the model', () => {
    const profile: ModelProfile<'a' | 'b'> = { options: ['a'], fixed: { b: true } };
    expect(unsupportedOption(profile, 'm1', { a: 1, b: true })).toBeUndefined();
    expect(unsupportedOption(profile, 'm1', { b: false })).toMatchObject({ code: 'invalid_config', param: 'b', message: expect.stringContaining('m1') });
    expect(unsupportedOption({ options: [] }, 'm1', { a: 1 }, ' (somewhere)')).toMatchObject({ param: 'a', message: 'a is not supported by m1 (somewhere)' });
    expect(unsupportedOption({ options: [] }, 'm1', { a: undefined })).toBeUndefined();
  });
});
