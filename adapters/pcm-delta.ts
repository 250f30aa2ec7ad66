/**
 * Decoding one base64 PCM16 audio chunk from a provider, checked before it reaches listeners.
 * `Buffer.from(text, 'base64')` silently skips characters it cannot decode, so corrupted base64
 * would play as noise; an odd byte count would shift every later sample by one byte. Both are
 * refused here and the adapter reports the frame as `invalid_frame`.
 *
 * Accepted: the four forms proto3 JSON allows for `bytes` (standard or URL-safe alphabet, with or
 * without padding), which covers Gemini's `inlineData.data` and OpenAI's padded standard base64.
 * Hand-written rather than zod's `base64()`/`base64url()`: those require padding / forbid it, and
 * this runs on every audio chunk.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** Base64 in one alphabet (not mixed); padded to whole 4-character groups, or unpadded. */
export function isBase64(text: string): boolean {
  // Unpadded, a last group of one character cannot encode a byte.
  if (text.endsWith('=') ? text.length % 4 !== 0 : text.length % 4 === 1) return false;
  return STANDARD.test(text) || URL_SAFE.test(text);
}

export type PcmDelta = { ok: true; audio: Buffer } | { ok: false; problem: string };

/**
 * The PCM16 bytes of a base64 chunk, or why it cannot be played (a phrase such as "is not valid
 * base64 (7 chars)", for the adapter to put after what the chunk is). Never includes the data.
 */
export function decodePcmDelta(b64: string): PcmDelta {
  if (!isBase64(b64)) return { ok: false, problem: `is not valid base64 (${b64.length} chars)` };
  // Node's base64 decoder reads the URL-safe alphabet and missing padding too.
  const audio = Buffer.from(b64, 'base64');
  if (audio.length % 2 !== 0) return { ok: false, problem: `has an odd length (${audio.length} bytes), not PCM16` };
  return { ok: true, audio };
}
