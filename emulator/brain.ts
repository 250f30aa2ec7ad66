/**
 * The emulator's "brain": decides what the emulated model says and which tools it calls. Both
 * protocol sides (OpenAI, Gemini) share it, so a scenario behaves the same on either wire.
 * It is deterministic: no model, no network.
 */

export interface BrainTool {
  name: string;
  description?: string;
  /** JSON Schema of the parameters, as the client declared it. */
  parameters?: Record<string, unknown>;
}

export interface BrainContext {
  instructions: string;
  tools: readonly BrainTool[];
  /** What the user said this turn: typed text, or the transcript the emulator assigns to speech. */
  userText: string | undefined;
  /** Outputs of the tool calls the model made this turn, when the model is continuing after them. */
  toolOutputs: ReadonlyArray<{ name: string; output: string }>;
  /** Zero-based index of this model turn in the connection's conversation. */
  turnIndex: number;
}

export interface BrainReply {
  /** What the model says (spoken as audio and/or sent as text). Empty when it only calls tools. */
  text: string;
  /** Function calls to make instead of (or before) answering. Arguments are JSON text. */
  toolCalls?: ReadonlyArray<{ name: string; arguments: string }>;
}

export interface Brain {
  reply(context: BrainContext): BrainReply;
  /** The transcript the emulator assigns to the `index`th spoken user turn (it does no speech recognition). */
  transcribe?(index: number, audioMs: number): string;
}

/**
 * The default brain: calls a declared tool when the user's words mention it (the tool's name split
 * on `_`, e.g. "weather" for `get_weather`), reads tool outputs back, otherwise echoes politely and
 * mentions the current instructions' first sentence so instruction changes are observable.
 */
export function createRuleBrain(options: { transcripts?: readonly string[] } = {}): Brain {
  const transcripts = options.transcripts ?? [];
  return {
    transcribe(index, audioMs) {
      return transcripts[index] ?? `(spoken turn ${index + 1}, ${Math.round(audioMs)} ms)`;
    },
    reply({ instructions, tools, userText, toolOutputs }) {
      if (toolOutputs.length > 0) {
        const parts = toolOutputs.map((t) => `${t.name.replace(/_/g, ' ')} says ${summarise(t.output)}`);
        return { text: `Here is what I found: ${parts.join('; ')}.` };
      }
      // voxstate's note for a background call's result on a connection that never saw the call
      // (machines/session/tool-output.ts): read back like a tool output, never a reason to call the tool again.
      const note = CONTEXT_NOTE.exec(userText ?? '');
      if (note) return { text: `Here is what I found: ${note[1]!.replace(/_/g, ' ')} says ${summarise(note[2]!)}.` };
      const text = (userText ?? '').toLowerCase();
      const calls = tools
        .filter((tool) => keywords(tool.name).some((word) => text.includes(word)))
        .map((tool) => ({ name: tool.name, arguments: JSON.stringify(guessArguments(tool, userText ?? '')) }));
      if (calls.length > 0) return { text: '', toolCalls: calls };
      const persona = instructions.split(/[.!?\n]/)[0]?.trim();
      const said = userText ? `You said: ${/[.!?]$/.test(userText.trim()) ? userText.trim() : `${userText.trim()}.`}` : 'I am listening.';
      return { text: persona ? `${said} (${persona})` : said };
    },
  };
}

// The wording written by adapters/late-output-note.ts (the emulator plays the provider side, so it reads the text, not the function).
const CONTEXT_NOTE = /^\[The background tool call (\S+) \([^)]*\) from earlier in this conversation has finished\. Its result: (.*)\]$/s;

function keywords(toolName: string): string[] {
  return toolName
    .toLowerCase()
    .split(/[_-]/)
    .filter((w) => w.length > 3 && !['get', 'set', 'lookup', 'find', 'fetch'].includes(w));
}

/** Fills string parameters from "in <Place>" / "for <Thing>" phrases, enough for scenarios. */
function guessArguments(tool: BrainTool, userText: string): Record<string, unknown> {
  const props = (tool.parameters?.['properties'] ?? {}) as Record<string, { type?: string }>;
  const args: Record<string, unknown> = {};
  const phrase = /\b(?:in|for|of|about)\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)/.exec(userText)?.[1];
  for (const [name, schema] of Object.entries(props)) {
    const type = typeof schema.type === 'string' ? schema.type.toLowerCase() : 'string';
    if (type === 'string' && phrase) args[name] = phrase;
    else if (type === 'number' || type === 'integer') args[name] = Number(/\d+/.exec(userText)?.[0] ?? 1);
  }
  return args;
}

function summarise(output: string): string {
  try {
    const value: unknown = JSON.parse(output);
    if (value && typeof value === 'object') {
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(', ');
    }
    return String(value);
  } catch {
    return output;
  }
}
