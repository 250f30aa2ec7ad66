/**
 * A tool's result as a message to the model, for a connection that cannot take it as a function
 * output: a call issued on an earlier connection (Gemini: no source says a resumed session accepts
 * an old call id; OpenAI: the call item was trimmed from the replay). One wording for both paths;
 * the emulator's rule brain reads it back (emulator/brain.ts, `CONTEXT_NOTE`).
 */
export function lateOutputNote(name: string, callId: string, outputText: string): string {
  return `[The background tool call ${name} (${callId}) from earlier in this conversation has finished. Its result: ${outputText}]`;
}
