/**
 * The part of an assistant transcript the user heard, for replay after a truncation. OpenAI gives
 * no word timings for audio transcripts, so this is an **estimate**: the text is cut in proportion
 * to the audio played (`playedMs / receivedMs`), back to the last whole word, and marked with a
 * trailing "…". Nothing heard gives an empty text (the message is then not replayed).
 */
export const HEARD_MARK = '…';

export function heardPart(text: string, fraction: number): string {
  if (!(fraction < 1)) return text;
  if (!(fraction > 0)) return '';
  const cut = Math.floor(text.length * fraction);
  // Back to a word boundary: a word cut in the middle was not heard to its end.
  const atBoundary = /\s/.test(text[cut] ?? ' ') ? cut : text.lastIndexOf(' ', cut);
  const heard = text.slice(0, Math.max(0, atBoundary)).trimEnd();
  return heard === '' ? '' : `${heard}${HEARD_MARK}`;
}
