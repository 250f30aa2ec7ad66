/**
 * Hand-written checks for the OpenAI frames that arrive many times per turn (transcript and text
 * deltas), so they skip zod's `safeParse` (5–11 µs each, issue 15) and allocate nothing. Each
 * accepts exactly a subset of what its zod schema in wire.ts accepts; a frame it refuses goes
 * through zod as before, so a bad frame still becomes the same `invalid_frame` error, word for word.
 */
import type { z } from 'zod';
import type { InputTranscriptDeltaSchema, TextDeltaSchema } from './wire.js';

type TextDelta = z.infer<typeof TextDeltaSchema>;
type InputTranscriptDelta = z.infer<typeof InputTranscriptDeltaSchema>;

/** `z.string().nullish()`. */
const isId = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';

/** `TextDeltaSchema` for a frame whose `type` the caller already switched on: ids nullish, `delta` a string. */
export function isTextDelta(frame: Record<string, unknown>): frame is Record<string, unknown> & TextDelta {
  return typeof frame['delta'] === 'string' && isId(frame['item_id']) && isId(frame['response_id']);
}

/** `InputTranscriptDeltaSchema` likewise: `item_id` and `delta` nullish strings. */
export function isInputTranscriptDelta(frame: Record<string, unknown>): frame is Record<string, unknown> & InputTranscriptDelta {
  return isId(frame['delta']) && isId(frame['item_id']);
}
