/**
 * What can change on a live Gemini Live connection, as data (see docs/providers/gemini.md).
 *
 * The published protocol has no in-session config update: every mutable field needs a new
 * connection whose `setup` carries the new config and the last resumable handle. The experimental
 * `contextUpdate` message changes instructions and tools in place on models that support it; it is
 * opt-in per model (`contextUpdate` option), because an unsupporting server closes the socket.
 */
import type { CapabilityTable, Capabilities } from '../adapter.js';

export const GEMINI_DEFAULT_CAPABILITIES: Capabilities = {
  change: {
    instructions: 'resumption',
    tools: 'resumption',
    toolChoice: 'resumption',
    voice: 'resumption',
    temperature: 'resumption',
    turnDetection: 'resumption',
    extra: 'resumption',
  },
  // Gemini continues by itself once every call of a toolCall has its toolResponse.
  needsFollowUpResponse: false,
  // No client frame asks for a response: `clientContent` with `turnComplete:true` starts one from
  // the turns it carries (gemini-live-2026.md §4, "Mid-session text"), and no source documents one
  // without turns. So `createResponse()` is refused at once instead of waiting for a reply that
  // never comes.
  takesResponseRequests: false,
  // `clientContent` with `turnComplete:true` unconditionally interrupts the active generation
  // (gemini-live-2026.md "Mid-session text", [G2]); without `turnComplete` the server only waits for
  // more and answers nothing. So a text that asks for a reply while a response is active is queued
  // and sent (with `turnComplete:true`) once that response is done: two texts sent back to back are
  // both answered, in order.
  requestInterruptsResponse: true,
  // A delivered NON_BLOCKING result that is not SILENT is spoken by the server itself: WHEN_IDLE
  // "once the model is idle", INTERRUPT "now" (on 3.8 once the user stops talking) (gemini-live-2026.md
  // §2.2, [G1; G4]). voxstate holds queued texts until that response is done, or the text would cut it.
  speaksBackgroundResults: true,
};

/** The table for one adapter: `contextUpdateModels` get instructions/tools/toolChoice in place. */
export function geminiCapabilities(contextUpdateModels: readonly string[] = []): CapabilityTable {
  const table: CapabilityTable = { default: GEMINI_DEFAULT_CAPABILITIES };
  if (contextUpdateModels.length > 0) {
    table.models = Object.fromEntries(
      contextUpdateModels.map((model) => [model, { change: { instructions: 'inPlace', tools: 'inPlace', toolChoice: 'inPlace' } }]),
    );
  }
  return table;
}

export const GEMINI_CAPABILITIES: CapabilityTable = geminiCapabilities();
