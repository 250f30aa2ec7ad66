/**
 * The OpenAI Realtime wire format: zod schemas of the server events the adapter consumes and the
 * TypeScript shapes of the client events it builds. Only `adapters/openai/` (and the emulator's
 * OpenAI side) may import this file.
 *
 * Parsing is lenient on purpose: real GA traffic sends `null` where the spec says non-nullable,
 * carries undocumented fields (`obfuscation` on deltas) and uses `part.type:"audio"`. Objects are
 * therefore non-strict (unknown keys pass) and anything real traffic may null is `.nullish()`.
 */
import { z } from 'zod';

export type OpenAIProtocol = 'ga' | 'beta';

const id = z.string().nullish();

export const ErrorEventSchema = z.object({
  type: z.literal('error'),
  error: z.object({
    type: z.string().nullish(),
    code: z.string().nullish(),
    message: z.string().nullish(),
    param: z.string().nullish(),
    event_id: z.string().nullish(),
  }),
});

export const SessionEventSchema = z.object({
  type: z.enum(['session.created', 'session.updated']),
  session: z.object({ id: id }).nullish(),
});

export const SpeechStartedSchema = z.object({
  type: z.literal('input_audio_buffer.speech_started'),
  audio_start_ms: z.number().nullish(),
  item_id: id,
});

export const SpeechStoppedSchema = z.object({
  type: z.literal('input_audio_buffer.speech_stopped'),
  audio_end_ms: z.number().nullish(),
  item_id: id,
});

/** The idle timeout (`turn_detection.idle_timeout_ms`) fired: the silent stretch, committed as `item_id`. */
export const TimeoutTriggeredSchema = z.object({
  type: z.literal('input_audio_buffer.timeout_triggered'),
  audio_start_ms: z.number().nullish(),
  audio_end_ms: z.number().nullish(),
  item_id: id,
});

export const InputTranscriptDeltaSchema = z.object({
  type: z.literal('conversation.item.input_audio_transcription.delta'),
  item_id: id,
  delta: z.string().nullish(),
});

export const InputTranscriptCompletedSchema = z.object({
  type: z.literal('conversation.item.input_audio_transcription.completed'),
  item_id: id,
  transcript: z.string().nullish(),
});

/** A user audio item was created from the input buffer (server VAD or an explicit commit). */
export const AudioCommittedSchema = z.object({
  type: z.literal('input_audio_buffer.committed'),
  item_id: id,
  previous_item_id: id,
});

const UsageSchema = z
  .object({
    total_tokens: z.number().nullish(),
    input_tokens: z.number().nullish(),
    output_tokens: z.number().nullish(),
  })
  .nullish();

export const ResponseCreatedSchema = z.object({
  type: z.literal('response.created'),
  response: z.object({ id: id, metadata: z.record(z.string(), z.unknown()).nullish() }),
});

export const ResponseDoneSchema = z.object({
  type: z.literal('response.done'),
  response: z.object({
    id: id,
    status: z.string().nullish(),
    status_details: z
      .object({
        type: z.string().nullish(),
        reason: z.string().nullish(),
        /** Set when `status` is `failed`; the spec has `type` and `code`, real errors also carry a `message`. */
        error: z.object({ type: z.string().nullish(), code: z.string().nullish(), message: z.string().nullish() }).nullish(),
      })
      .nullish(),
    usage: UsageSchema,
  }),
});

export const OutputItemSchema = z.object({
  type: z.enum(['response.output_item.added', 'response.output_item.done']),
  response_id: id,
  item: z.object({
    id: id,
    type: z.string(),
    role: z.string().nullish(),
    name: z.string().nullish(),
    call_id: z.string().nullish(),
  }),
});

/** Transcript / text deltas and dones; the GA and beta names are normalised before parsing. */
export const TextDeltaSchema = z.object({
  type: z.enum(['response.output_audio_transcript.delta', 'response.output_text.delta']),
  response_id: id,
  item_id: id,
  delta: z.string(),
});

export const TranscriptDoneSchema = z.object({
  type: z.literal('response.output_audio_transcript.done'),
  item_id: id,
  transcript: z.string().nullish(),
});

export const TextDoneSchema = z.object({
  type: z.literal('response.output_text.done'),
  item_id: id,
  text: z.string().nullish(),
});

export const FunctionCallDoneSchema = z.object({
  type: z.literal('response.function_call_arguments.done'),
  response_id: id,
  item_id: id,
  call_id: z.string().min(1),
  /** GA only; beta takes the name from `response.output_item.added`. */
  name: z.string().nullish(),
  arguments: z.string(),
});

export const InputTranscriptFailedSchema = z.object({
  type: z.literal('conversation.item.input_audio_transcription.failed'),
  item_id: id,
  content_index: z.number().nullish(),
  error: z
    .object({ type: z.string().nullish(), code: z.string().nullish(), message: z.string().nullish(), param: z.string().nullish() })
    .nullish(),
});

/** Beta event names → GA names, so one handler serves both protocols. */
export const BETA_TO_GA: Readonly<Record<string, string>> = {
  'response.audio.delta': 'response.output_audio.delta',
  'response.audio.done': 'response.output_audio.done',
  'response.audio_transcript.delta': 'response.output_audio_transcript.delta',
  'response.audio_transcript.done': 'response.output_audio_transcript.done',
  'response.text.delta': 'response.output_text.delta',
  'response.text.done': 'response.output_text.done',
};

/** Server events the adapter knows and deliberately ignores (logged at debug level). */
export const IGNORED_SERVER_EVENTS = new Set([
  'conversation.created',
  'conversation.item.added',
  'conversation.item.done',
  'conversation.item.created',
  'conversation.item.retrieved',
  'conversation.item.deleted',
  'conversation.item.input_audio_transcription.segment',
  'input_audio_buffer.cleared',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_audio.done',
  'response.function_call_arguments.delta',
  'rate_limits.updated',
]);

// ── Client events (built by map.ts; checked against the official `openai` types in test/openai) ──

export interface GAAudioFormat {
  type: 'audio/pcm';
  rate: 24000;
}

export type GATurnDetection =
  | {
      type: 'server_vad';
      threshold?: number;
      prefix_padding_ms?: number;
      silence_duration_ms?: number;
      create_response?: boolean;
      interrupt_response?: boolean;
      idle_timeout_ms?: number;
    }
  | { type: 'semantic_vad'; eagerness?: 'low' | 'medium' | 'high' | 'auto'; create_response?: boolean; interrupt_response?: boolean };

export interface FunctionTool {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export type ToolChoiceWire = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

export interface GASession {
  type: 'realtime';
  instructions: string;
  output_modalities: Array<'audio' | 'text'>;
  audio: {
    input: {
      format: GAAudioFormat;
      turn_detection: GATurnDetection | null;
      /** Omitted when off: the SDK types do not allow null, and it is off by default anyway. */
      transcription?: { model?: string; language?: string };
      noise_reduction?: NoiseReductionWire;
    };
    output: { format: GAAudioFormat; voice?: string; speed?: number };
  };
  tools: FunctionTool[];
  tool_choice?: ToolChoiceWire;
  max_output_tokens?: number | 'inf';
  reasoning?: { effort: 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' };
}

export interface NoiseReductionWire {
  type: 'near_field' | 'far_field';
}

export interface BetaSession {
  modalities: Array<'audio' | 'text'>;
  instructions: string;
  voice?: string;
  input_audio_format: 'pcm16';
  output_audio_format: 'pcm16';
  input_audio_transcription?: { model?: string; language?: string };
  turn_detection: GATurnDetection | null;
  tools: FunctionTool[];
  tool_choice?: string;
  temperature?: number;
  max_response_output_tokens?: number | 'inf';
  input_audio_noise_reduction?: NoiseReductionWire;
  speed?: number;
}

export interface SessionUpdateFrame<S> {
  type: 'session.update';
  event_id: string;
  session: S;
}

export type GAReplayItem =
  | { type: 'message'; role: 'user' | 'system'; content: Array<{ type: 'input_text'; text: string }> }
  | { type: 'message'; role: 'assistant'; content: Array<{ type: 'output_text'; text: string }> }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string };

export type BetaReplayItem =
  | { type: 'message'; role: 'user' | 'system'; content: Array<{ type: 'input_text'; text: string }> }
  | { type: 'message'; role: 'assistant'; content: Array<{ type: 'text'; text: string }> }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string };

export interface ItemCreateFrame<I> {
  type: 'conversation.item.create';
  item: I;
}

/**
 * `response.create`. voxstate names the request it sends for in two places the service echoes
 * (`ResponseCreateEvent` in the openai package): `event_id`, which an `error` refusing it carries
 * back as `error.event_id`, and `response.metadata` (key `REQUEST_METADATA_KEY`), which the
 * `response.created` of the response it started carries back in `response.metadata`.
 */
export interface ResponseCreateFrame {
  type: 'response.create';
  event_id?: string;
  response?: { metadata: Record<string, string> };
}

/** The `response.metadata` key naming the request a response was created for. */
export const REQUEST_METADATA_KEY = 'voxstate_request';
export interface ResponseCancelFrame {
  type: 'response.cancel';
}
export interface TruncateFrame {
  type: 'conversation.item.truncate';
  item_id: string;
  content_index: 0;
  audio_end_ms: number;
  /** Ours, so an `error` about this truncation can be told apart (the server echoes it). */
  event_id?: string;
}
export interface AudioAppendFrame {
  type: 'input_audio_buffer.append';
  audio: string;
}
export interface BufferFrame {
  type: 'input_audio_buffer.commit' | 'input_audio_buffer.clear';
}
