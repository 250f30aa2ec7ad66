/**
 * Why the session refuses an application's tool answer, tool decision or audio chunk (or
 * `undefined` when it accepts it). The chart's guards and the facade ask the same questions.
 */
import type { SessionContext } from './types.js';

/**
 * Why the application may not answer `callId` now, or `undefined` when it may: a result goes only
 * to a call the application runs (or whose result it holds back), on the connection that issued it
 * (a background call: on any connection, as its output follows the call across a swap), once.
 * Anything else would reach a provider that never asked, or answer a call twice.
 */
export function toolResultRefusal(context: SessionContext, callId: string): string | undefined {
  const outstanding = context.toolCalls[callId];
  if (outstanding) {
    if (outstanding.runner === 'application') return undefined;
    return `Tool call ${callId} is run by its tool actor; its result is sent when it finishes`;
  }
  const unsent = context.unsentToolResults[callId];
  if (unsent && (unsent.connectionId === context.connectionId || unsent.behavior === 'background')) return undefined;
  return `No tool call ${callId} is waiting for a result on this connection (unknown, already answered, cancelled by the provider, or issued on a connection that has since been replaced)`;
}

/** Why `callId` cannot take an approval or rejection, or `undefined` when its tool actor can. */
export function toolDecisionRefusal(context: SessionContext, callId: string): string | undefined {
  if (context.toolCalls[callId]?.runner === 'actor') return undefined;
  return `No tool call ${callId} is waiting for a decision (unknown, already settled, or run by the application)`;
}

/**
 * Why a chunk of user audio is refused, or `undefined`. PCM16 samples are two bytes: an odd length
 * would shift every later sample by one byte on the provider's side (noise until the socket closes).
 */
export function pcmRefusal(pcm: ArrayBufferView): string | undefined {
  if (pcm.byteLength % 2 === 0) return undefined;
  return `User audio must be PCM16 (2 bytes a sample); got ${pcm.byteLength} bytes. Nothing was sent or buffered for this chunk.`;
}
