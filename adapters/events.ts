/**
 * The provider-neutral event model, in one place. Every adapter translates its wire protocol to and
 * from these shapes; nothing outside `adapters/<provider>/` sees a provider frame.
 *
 * Three families:
 * - `ClientIntent` (session → adapter): what the session asks the provider to do.
 * - `ModelEvent`   (adapter → session): control-plane facts, one statechart event each.
 * - `DataEvent`    (adapter → audio plane → listeners): audio, text and transcript deltas, and the
 *   debug-level `unknown` event. These never enter the statechart: at ~50 frames a second they
 *   would cost an event each.
 */
import { z } from 'zod';
import { SessionConfigSchema, TOOL_SCHEDULINGS } from '../config.js';

const ErrorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  providerCode: z.string().optional(),
  param: z.string().optional(),
});

// ── Client intents (session → adapter) ─────────────────────────────────────────────────────────

export const ClientIntentSchema = z.discriminatedUnion('type', [
  /** A user (or system) text message; `respond` asks the model to answer it. */
  z.object({
    type: z.literal('client.text'),
    text: z.string(),
    role: z.enum(['user', 'system']).default('user'),
    respond: z.boolean().default(true),
    /** With `respond`: the chart's id for the request, named back by a provider that can (see `client.createResponse`). */
    requestId: z.string().optional(),
  }),
  z.object({ type: z.literal('client.commitAudio') }),
  z.object({ type: z.literal('client.clearAudio') }),
  /** Asks for a response; `requestId` (the chart's id for the request) lets a provider that can say name it back (`model.responseCreated`, `model.requestRefused`). */
  z.object({ type: z.literal('client.createResponse'), requestId: z.string().optional() }),
  /**
   * Barge-in from the application: cancel the response if one is active (and the provider has not
   * cancelled it itself). `playedMs`: the position the application gave, for information; what was
   * heard is cut by the session, item by item (`client.truncate`), never by the adapter on this.
   * The adapter reports no `model.interrupted` for it: the session reports the interruption itself,
   * only when something was cancelled or cut (so an `interrupted` listener that calls `interrupt()`
   * does not loop).
   */
  z.object({ type: z.literal('client.interrupt'), playedMs: z.number().nonnegative().optional() }),
  /**
   * An assistant item was heard only up to `audioEndMs` (an integer, never beyond the audio
   * received): the provider drops the rest (OpenAI `conversation.item.truncate`; Gemini has no such
   * frame and ignores it). `receivedMs`: the audio of the item the application received (on every
   * connection), so the heard fraction is known even on a connection that never carried the item.
   */
  z.object({ type: z.literal('client.truncate'), itemId: z.string(), audioEndMs: z.number().int().nonnegative(), receivedMs: z.number().nonnegative().optional() }),
  /** A tool's output for one call. `output` is sent to the model as JSON text. */
  z.object({
    type: z.literal('client.toolOutput'),
    callId: z.string(),
    name: z.string(),
    output: z.unknown(),
    /** Set for a background call's output only: what the model does with it (Gemini `FunctionResponse.scheduling`). */
    scheduling: z.enum(TOOL_SCHEDULINGS).optional(),
  }),
  /** Apply the full canonical config in place; only sent when the capabilities table allows it. */
  z.object({
    type: z.literal('client.updateConfig'),
    requestId: z.string(),
    config: SessionConfigSchema,
    changed: z.array(z.string()),
  }),
  z.object({ type: z.literal('client.close') }),
]);
export type ClientIntent = z.infer<typeof ClientIntentSchema>;
export type ClientIntentInput = z.input<typeof ClientIntentSchema>;

// ── Model events (adapter → session) ───────────────────────────────────────────────────────────

export const ResponseStatus = z.enum(['completed', 'cancelled', 'incomplete', 'failed']);

/**
 * Why a response did not complete, as the provider said (OpenAI `status_details`): the `reason`
 * (`turn_detected`, `client_cancelled`, `max_output_tokens`, `content_filter`…) and, for a failed
 * response, the provider's error `type`, `code` and `message`.
 */
export const ResponseStatusDetailsSchema = z.object({
  reason: z.string().optional(),
  error: z.object({ type: z.string().optional(), code: z.string().optional(), message: z.string().optional() }).optional(),
});
export type ResponseStatusDetails = z.infer<typeof ResponseStatusDetailsSchema>;

/** `model.requestRefused` error code: a response was already active, so the request may be sent again once it is done. */
export const RESPONSE_ALREADY_ACTIVE = 'response_already_active';

export const ModelEventSchema = z.discriminatedUnion('type', [
  /** The connection is ready for traffic (OpenAI `session.created`, Gemini `setupComplete`). */
  z.object({
    type: z.literal('model.connected'),
    providerSessionId: z.string().optional(),
    /** True when the provider restored the earlier conversation (handle or replay). */
    restored: z.boolean().default(false),
  }),
  /** The connection could not be opened (before `model.connected`). */
  z.object({ type: z.literal('model.connectFailed'), error: ErrorInfoSchema }),
  /** A response started; `requestId` names the request it answers when the provider can say (OpenAI `response.metadata`). */
  z.object({ type: z.literal('model.responseCreated'), responseId: z.string().optional(), requestId: z.string().optional() }),
  /**
   * The provider refused the request for a response `requestId` (OpenAI: an `error` whose
   * `event_id` is that `response.create`'s). `error.code` is `RESPONSE_ALREADY_ACTIVE` when a
   * response was already running (the request may go again once it is done), else `request_refused`.
   */
  z.object({ type: z.literal('model.requestRefused'), requestId: z.string(), error: ErrorInfoSchema }),
  z.object({
    type: z.literal('model.responseDone'),
    responseId: z.string().optional(),
    status: ResponseStatus.default('completed'),
    reason: z.string().optional(),
    statusDetails: ResponseStatusDetailsSchema.optional(),
  }),
  /** The first audio of a response: once per response, never per frame. */
  z.object({ type: z.literal('model.outputAudioStarted'), responseId: z.string().optional(), itemId: z.string().optional() }),
  z.object({ type: z.literal('model.speechStarted'), audioStartMs: z.number().optional(), itemId: z.string().optional() }),
  z.object({ type: z.literal('model.speechStopped'), audioEndMs: z.number().optional(), itemId: z.string().optional() }),
  /**
   * The user said nothing for the configured idle timeout after the model's reply finished playing
   * (OpenAI `input_audio_buffer.timeout_triggered`, set by `idleTimeoutMs`); the server commits the
   * silent stretch and answers by itself.
   */
  z.object({
    type: z.literal('model.inputTimeout'),
    audioStartMs: z.number().optional(),
    audioEndMs: z.number().optional(),
    itemId: z.string().optional(),
  }),
  /** The model's output was cut off (user barge-in or client cancel): flush playback. */
  z.object({ type: z.literal('model.interrupted'), source: z.enum(['user', 'client', 'server']) }),
  /** A complete function call. `arguments` is the raw JSON text the model produced. */
  z.object({
    type: z.literal('model.functionCall'),
    callId: z.string().min(1),
    name: z.string(),
    arguments: z.string(),
    responseId: z.string().optional(),
  }),
  /** The provider withdrew calls (Gemini `toolCallCancellation`): abort them, answer none. */
  z.object({ type: z.literal('model.toolCallCancelled'), callIds: z.array(z.string()) }),
  z.object({ type: z.literal('model.configApplied'), requestId: z.string() }),
  z.object({ type: z.literal('model.configRejected'), requestId: z.string(), error: ErrorInfoSchema }),
  /** A session resumption handle (Gemini `sessionResumptionUpdate`). */
  z.object({ type: z.literal('model.resumptionHandle'), handle: z.string(), resumable: z.boolean() }),
  /** The provider will close the connection in `timeLeftMs` (Gemini `goAway`). */
  z.object({ type: z.literal('model.goAway'), timeLeftMs: z.number().nonnegative() }),
  z.object({
    type: z.literal('model.usage'),
    inputTokens: z.number().optional(),
    outputTokens: z.number().optional(),
    totalTokens: z.number().optional(),
  }),
  /** A non-fatal error: a server `error` event, a malformed frame. The connection stays up. */
  z.object({ type: z.literal('model.error'), error: ErrorInfoSchema }),
  /** The connection closed. `expected` is true when the session asked for it. */
  z.object({
    type: z.literal('model.closed'),
    code: z.number().optional(),
    reason: z.string().default(''),
    expected: z.boolean().default(false),
  }),
]);
export type ModelEvent = z.infer<typeof ModelEventSchema>;
export type ModelEventInput = z.input<typeof ModelEventSchema>;

/**
 * Validates an adapter's event before it reaches the statechart. An event that fails validation is
 * turned into a `model.error` (code `invalid_frame`) so the session keeps running.
 */
export function toModelEvent(raw: unknown): ModelEvent {
  const parsed = ModelEventSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type) : '?';
  return {
    type: 'model.error',
    error: {
      code: 'invalid_frame',
      message: `Adapter event "${type}" failed validation: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    },
  };
}

// ── Data plane (adapter → listeners, around the statechart) ────────────────────────────────────

export interface AudioOut {
  type: 'audio';
  /** PCM16 little-endian mono. */
  audio: Buffer;
  sampleRate: number;
  itemId: string | undefined;
  responseId: string | undefined;
}
export interface TextOut {
  type: 'text';
  delta: string;
  itemId: string | undefined;
  responseId: string | undefined;
}
/**
 * A transcript piece. Deltas have `isFinal: false` and `text` = the new piece; the final event of an
 * item has `isFinal: true` and `text` = the whole transcript of that item.
 */
export interface TranscriptOut {
  type: 'transcript';
  role: 'assistant' | 'user';
  text: string;
  isFinal: boolean;
  itemId: string | undefined;
  /**
   * A user transcript only, when the adapter knows it: the `itemId` of the answer this user turn
   * was answered by, which it came before in the conversation. Set by Gemini, whose input
   * transcription may arrive after the answer (see `adapters/gemini/user-transcript.ts`), so a
   * turn first seen after its answer can still be placed before it (`session.history`).
   */
  before?: string;
}
/**
 * A server event type (OpenAI) or message key (Gemini) the adapter does not know: newer protocol
 * versions add them. Debug-level: it is reported and ignored, the connection carries on.
 */
export interface UnknownOut {
  type: 'unknown';
  provider: string;
  /** The event's `type` (OpenAI) or the message's keys joined by `,` (Gemini). */
  eventType: string;
}
export type DataEvent = AudioOut | TextOut | TranscriptOut | UnknownOut;
