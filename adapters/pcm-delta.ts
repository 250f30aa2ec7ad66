/**
 * Decoding one base64 PCM16 audio chunk from a provider, checked before it reaches listeners.
 * `Buffer.from(text, 'base64')` silently skips characters it cannot decode, so corrupted base64
 * would play as noise; an odd byte count would shift every later sample by one byte. Both are
 * refused here and the adapter reports the frame as `invalid_frame`.
 *
 * Accepted: the forms proto3 JSON allows for `bytes` (standard or URL-safe alphabet, with or
 * without padding), which covers Gemini's `inlineData.data` and OpenAI's padded standard base64.
 * This runs on every audio chunk (the hot path), so it checks by length instead of scanning the
 * text with a regular expression (about 6x the cost of the decode itself): Node's decoder skips
 * or stops at anything that is not base64, so a clean string, and only a clean one, decodes to
 * exactly the number of bytes its length promises.
 */

export type PcmDelta = { ok: true; audio: Buffer } | { ok: false; problem: string };

const PAD = 61; // '='

/** The bytes a clean base64 string of this length decodes to; -1 when no clean string has it. */
function promisedBytes(b64: string): number {
  let n = b64.length;
  if (n > 0 && b64.charCodeAt(n - 1) === PAD) n--;
  if (n > 0 && b64.charCodeAt(n - 1) === PAD) n--;
  // A last group of one character cannot encode a byte.
  return n % 4 === 1 ? -1 : Math.floor((n * 3) / 4);
}

/**
 * The PCM16 bytes of a base64 chunk, or why it cannot be played (a phrase such as "is not valid
 * base64 (7 chars)", for the adapter to put after what the chunk is). Never includes the data.
 */
export function decodePcmDelta(b64: string): PcmDelta {
  const audio = Buffer.from(b64, 'base64');
  if (audio.length !== promisedBytes(b64)) return { ok: false, problem: `is not valid base64 (${b64.length} chars)` };
  if (audio.length % 2 !== 0) return { ok: false, problem: `has an odd length (${audio.length} bytes), not PCM16` };
  return { ok: true, audio };
}
