/**
 * What the listener heard of an interrupted answer, as text. Neither provider gives word timings
 * for audio transcripts (OpenAI's `response.output_audio_transcript.*` carry text only; Gemini's
 * `outputTranscription` likewise), so the heard part is an **estimate**: the transcript cut in
 * proportion to the audio played (`playedMs / receivedMs`), back to the last whole word, marked
 * with a trailing "…". Used wherever an interrupted answer is kept as text (the session's history;
 * the replayed history after a truncation).
 */

/** The marker appended to a transcript that was cut. */
export const CUT_MARK = '…';

/**
 * `text` cut to the part heard: all of it when `playedMs >= receivedMs` (or nothing was
 * received), otherwise `heardFraction` of `playedMs / receivedMs`.
 */
export function heardText(text: string, playedMs: number, receivedMs: number): string {
  if (!(receivedMs > 0)) return text;
  return heardFraction(text, playedMs / receivedMs);
}

/**
 * `text` cut to a `fraction` of it heard: all of it at 1 or more, nothing at 0 or less (or NaN),
 * otherwise the words wholly inside that fraction of its characters, followed by `CUT_MARK`.
 */
export function heardFraction(text: string, fraction: number): string {
  if (fraction >= 1) return text;
  if (!(fraction > 0)) return '';
  const cut = Math.floor(text.length * fraction);
  // A word continues past the cut unless the cut falls on (or right before) a space.
  const atBoundary = cut >= text.length || /\s/.test(text[cut] ?? '');
  const kept = atBoundary ? text.slice(0, cut) : text.slice(0, cut).replace(/\S*$/, '');
  const trimmed = kept.trimEnd();
  return trimmed === '' ? '' : `${trimmed}${CUT_MARK}`;
}
