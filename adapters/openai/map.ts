/**
 * Pure mapping from the canonical config and the neutral model to OpenAI client frames. The
 * inbound direction (server frames → neutral events) is stateful and lives in `inbound.ts`.
 */
import { lateOutputNote } from '../late-output-note.js';
import type { SessionConfig, TurnDetection } from '../../config.js';
import { mergeExtra } from '../extra.js';
import type { HistoryItem } from './history.js';
import type { OpenAISessionOptions } from './options.js';
import type {
  BetaReplayItem,
  BetaSession,
  FunctionTool,
  GAReplayItem,
  GASession,
  GATurnDetection,
  ItemCreateFrame,
  SessionUpdateFrame,
  ToolChoiceWire,
  TruncateFrame,
} from './wire.js';

const PCM24K = { type: 'audio/pcm', rate: 24000 } as const;

export interface SessionBuildOptions {
  /**
   * Whether to send the voice. In-place updates leave it out unless it changed, because the API
   * refuses any voice field once the model has spoken (and it cannot change then anyway).
   */
  includeVoice: boolean;
  /**
   * The adapter's typed options (checked against the model's profile first). Speed, like the
   * voice, goes only with `includeVoice` (the first update): the API changes it only between turns.
   */
  options?: OpenAISessionOptions;
}

function turnDetectionToWire(td: TurnDetection, idleTimeoutMs?: number): GATurnDetection | null {
  switch (td.type) {
    case 'none':
      // null, not omitted: an omitted field keeps the server's default (server_vad).
      return null;
    case 'server_vad': {
      const out: GATurnDetection = {
        type: 'server_vad',
        silence_duration_ms: td.silenceDurationMs,
        create_response: td.createResponse,
        interrupt_response: td.interruptResponse,
      };
      if (td.threshold !== undefined) out.threshold = td.threshold;
      if (td.prefixPaddingMs !== undefined) out.prefix_padding_ms = td.prefixPaddingMs;
      if (idleTimeoutMs !== undefined) out.idle_timeout_ms = idleTimeoutMs;
      return out;
    }
    case 'semantic_vad': {
      const out: GATurnDetection = {
        type: 'semantic_vad',
        create_response: td.createResponse,
        interrupt_response: td.interruptResponse,
      };
      if (td.eagerness !== undefined) out.eagerness = td.eagerness;
      return out;
    }
  }
}

function toolsToWire(config: SessionConfig): FunctionTool[] {
  return config.tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters }));
}

/**
 * Input transcription when `transcription.model` is not given: GA `gpt-transcribe` (the `openai`
 * package marks `gpt-4o-mini-transcribe` deprecated, shutdown 2027-02-26); the beta API keeps the
 * model its schema lists.
 */
const GA_TRANSCRIPTION_MODEL = 'gpt-transcribe';
const BETA_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

/** Transcription is fixed for a session's life, so leaving it out when off never needs to clear it. */
function transcriptionToWire(config: SessionConfig, defaultModel: string): { model?: string; language?: string } | undefined {
  if (!config.transcription) return undefined;
  const out: { model?: string; language?: string } = { model: config.transcription.model ?? defaultModel };
  if (config.transcription.language) out.language = config.transcription.language;
  return out;
}

/** Tool lists in `extra` add to the configured tools instead of replacing them. */
const EXTRA_MERGE = { appendArrays: ['tools'] } as const;

/** The GA `session.update` session object. `extra` is merged in last, deeply (see `mergeExtra`). */
export function toGASession(config: SessionConfig, options: SessionBuildOptions): GASession {
  const typed = options.options ?? {};
  const session: GASession = {
    type: 'realtime',
    instructions: config.instructions,
    output_modalities: [config.outputModality],
    audio: {
      input: { format: PCM24K, turn_detection: turnDetectionToWire(config.turnDetection, typed.idleTimeoutMs) },
      output: { format: PCM24K },
    },
    tools: toolsToWire(config),
  };
  const transcription = transcriptionToWire(config, GA_TRANSCRIPTION_MODEL);
  if (transcription) session.audio.input.transcription = transcription;
  if (options.includeVoice && config.voice) session.audio.output.voice = config.voice;
  if (options.includeVoice && typed.speed !== undefined) session.audio.output.speed = typed.speed;
  if (typed.noiseReduction) session.audio.input.noise_reduction = { type: typed.noiseReduction };
  if (typed.reasoningEffort) session.reasoning = { effort: typed.reasoningEffort };
  if (config.toolChoice) session.tool_choice = config.toolChoice as ToolChoiceWire;
  if (config.maxOutputTokens !== undefined) session.max_output_tokens = config.maxOutputTokens;
  // GA has no session temperature; the capability docs say so and the adapter drops it.
  return mergeExtra(session, config.extra, EXTRA_MERGE);
}

/** The beta (flat) session object. Beta tool_choice only takes strings: a named function maps to "required". */
export function toBetaSession(config: SessionConfig, options: SessionBuildOptions): BetaSession {
  const session: BetaSession = {
    modalities: config.outputModality === 'audio' ? ['audio', 'text'] : ['text'],
    instructions: config.instructions,
    input_audio_format: 'pcm16',
    output_audio_format: 'pcm16',
    turn_detection: turnDetectionToWire(config.turnDetection),
    tools: toolsToWire(config),
  };
  const transcription = transcriptionToWire(config, BETA_TRANSCRIPTION_MODEL);
  if (transcription) session.input_audio_transcription = transcription;
  if (options.includeVoice && config.voice) session.voice = config.voice;
  const typed = options.options ?? {};
  if (options.includeVoice && typed.speed !== undefined) session.speed = typed.speed;
  if (typed.noiseReduction) session.input_audio_noise_reduction = { type: typed.noiseReduction };
  if (config.toolChoice) session.tool_choice = typeof config.toolChoice === 'string' ? config.toolChoice : 'required';
  if (config.temperature !== undefined) session.temperature = config.temperature;
  if (config.maxOutputTokens !== undefined) session.max_response_output_tokens = config.maxOutputTokens;
  return mergeExtra(session, config.extra, EXTRA_MERGE);
}

export function sessionUpdate<S>(eventId: string, session: S): SessionUpdateFrame<S> {
  return { type: 'session.update', event_id: eventId, session };
}

export function textItem(text: string, role: 'user' | 'system'): ItemCreateFrame<GAReplayItem> {
  return { type: 'conversation.item.create', item: { type: 'message', role, content: [{ type: 'input_text', text }] } };
}

/** `output`: the tool output already as JSON text (`outputText`). */
export function functionOutputItem(callId: string, output: string): ItemCreateFrame<GAReplayItem> {
  return { type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output } };
}

/**
 * A tool output whose `function_call` item is not in this connection's conversation (a call from an
 * earlier connection whose item the history caps trimmed before the replay): an output item must
 * name the `call_id` of a function_call item in the conversation (protocols.md §1.3; the emulator
 * answers `No function call found with call_id` otherwise), so the result goes in as a user message.
 * The wording is the session's context note (adapters/late-output-note.ts).
 */
export function lateOutputNoteText(name: string, callId: string, output: unknown): string {
  return lateOutputNote(name, callId, outputText(output));
}

/** Tool output as JSON text; a string is sent as-is when it already is JSON, else JSON-encoded. */
export function outputText(output: unknown): string {
  if (typeof output === 'string') {
    try {
      JSON.parse(output);
      return output;
    } catch {
      return JSON.stringify(output);
    }
  }
  return JSON.stringify(output ?? null);
}

/** `audio_end_ms` must be an integer no larger than the item's audio (openai-realtime-2026.md §6). */
export function truncate(itemId: string, audioEndMs: number, eventId?: string): TruncateFrame {
  const frame: TruncateFrame = { type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: Math.max(0, Math.floor(audioEndMs)) };
  return eventId === undefined ? frame : { ...frame, event_id: eventId };
}

/** GA replay item for one history entry: assistant speech comes back as text, never as audio. */
export function replayItemGA(item: HistoryItem): ItemCreateFrame<GAReplayItem> {
  switch (item.kind) {
    case 'message':
      return item.role === 'assistant'
        ? { type: 'conversation.item.create', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: item.text }] } }
        : { type: 'conversation.item.create', item: { type: 'message', role: item.role, content: [{ type: 'input_text', text: item.text }] } };
    case 'function_call':
      return { type: 'conversation.item.create', item: { type: 'function_call', call_id: item.callId, name: item.name, arguments: item.arguments } };
    case 'function_call_output':
      return { type: 'conversation.item.create', item: { type: 'function_call_output', call_id: item.callId, output: item.output } };
  }
}

/** Beta differs only in the assistant content type (`text` rather than `output_text`). */
export function replayItemBeta(item: HistoryItem): ItemCreateFrame<BetaReplayItem> {
  if (item.kind === 'message' && item.role === 'assistant') {
    return { type: 'conversation.item.create', item: { type: 'message', role: 'assistant', content: [{ type: 'text', text: item.text }] } };
  }
  return replayItemGA(item) as ItemCreateFrame<BetaReplayItem>;
}

/** 24 kHz PCM16 mono: bytes → milliseconds. */
export function pcm24kMs(bytes: number): number {
  return bytes / 48;
}
