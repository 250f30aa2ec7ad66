/** Why `sendAudio` refuses a chunk, checked before the audio plane sees it (audio already buffered during a swap stays intact). */
import { pcmRefusal } from '../machines/session/refusals.js';

/** Why `pcm` is refused as user audio, or `undefined` when it is PCM16 bytes. */
export function userAudioRefusal(pcm: unknown): string | undefined {
  return ArrayBuffer.isView(pcm) ? pcmRefusal(pcm) : notBytesRefusal(pcm);
}

/** Why a value that is not bytes at all (a string, an array, undefined) is refused. */
function notBytesRefusal(value: unknown): string {
  let got: string;
  if (value === null || value === undefined) got = String(value);
  else if (typeof value === 'string') got = `a string (${value.length} characters)`;
  else if (Array.isArray(value)) got = 'an array';
  else if (value instanceof ArrayBuffer) got = 'an ArrayBuffer (wrap it: new Uint8Array(buffer))';
  else got = typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return `User audio must be PCM16 bytes (a Buffer, Uint8Array or Int16Array); got ${got}. Nothing was sent or buffered for this chunk.`;
}
