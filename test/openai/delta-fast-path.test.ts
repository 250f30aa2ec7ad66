/**
 * OpenAI transcript and text deltas pass a hand-written check instead of zod's `safeParse`
 * (issue 15): valid ones never reach zod; a delta the check refuses still goes through zod and
 * becomes the same `invalid_frame` error. Frames come from the emulator over loopback.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputTranscriptDeltaSchema, TextDeltaSchema } from '../../adapters/openai/wire.js';
import { isInputTranscriptDelta, isTextDelta } from '../../adapters/openai/delta-check.js';
import { fixture, until, type Fixture } from './fixture.js';

let fx: Fixture | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await fx?.close();
  fx = undefined;
});

const TEXT_DELTAS: Array<Record<string, unknown>> = [
  { type: 'response.output_text.delta', delta: 'a' },
  { type: 'response.output_text.delta', delta: '', item_id: null, response_id: 'r', obfuscation: 'x' },
  { type: 'response.output_audio_transcript.delta', delta: 'b', item_id: 'i' },
  { type: 'response.output_text.delta', delta: 5 },
  { type: 'response.output_text.delta' },
  { type: 'response.output_text.delta', delta: 'a', item_id: 3 },
  { type: 'response.output_text.delta', delta: 'a', response_id: {} },
];
const INPUT_DELTAS: Array<Record<string, unknown>> = [
  { type: 'conversation.item.input_audio_transcription.delta', delta: 'a', item_id: 'i' },
  { type: 'conversation.item.input_audio_transcription.delta', delta: null },
  { type: 'conversation.item.input_audio_transcription.delta' },
  { type: 'conversation.item.input_audio_transcription.delta', delta: 1 },
  { type: 'conversation.item.input_audio_transcription.delta', item_id: false },
];

describe('openai: the delta fast path', () => {
  it('accepts exactly what the zod schemas accept', () => {
    for (const frame of TEXT_DELTAS) expect(isTextDelta(frame), JSON.stringify(frame)).toBe(TextDeltaSchema.safeParse(frame).success);
    for (const frame of INPUT_DELTAS) expect(isInputTranscriptDelta(frame), JSON.stringify(frame)).toBe(InputTranscriptDeltaSchema.safeParse(frame).success);
  });

  it('delivers transcript deltas without zod, and still reports a bad one as invalid_frame', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    const zod = vi.spyOn(TextDeltaSchema, 'safeParse');
    const delta = (value: unknown) => ({ type: 'frame' as const, frame: { type: 'response.output_audio_transcript.delta', response_id: 'resp_x', item_id: 'item_x', delta: value } });
    fx.emulator.openai.inject(delta('Hel'));
    fx.emulator.openai.inject(delta(7));
    fx.emulator.openai.inject(delta('lo'));
    await until(() => h.data.filter((d) => d.type === 'transcript').length === 2 && h.events.some((e) => e.type === 'model.error'), 'two deltas and an error');
    expect(h.data.filter((d) => d.type === 'transcript')).toEqual([
      { type: 'transcript', role: 'assistant', text: 'Hel', isFinal: false, itemId: 'item_x' },
      { type: 'transcript', role: 'assistant', text: 'lo', isFinal: false, itemId: 'item_x' },
    ]);
    const error = await h.waitForEvent('model.error');
    expect(error.error).toEqual({
      code: 'invalid_frame',
      message: 'OpenAI "response.output_audio_transcript.delta" frame failed validation: delta: Invalid input: expected string, received number',
    });
    // Only the bad delta went through zod.
    expect(zod).toHaveBeenCalledTimes(1);
  });
});
