/**
 * Gemini Live (BidiGenerateContent) wire shapes. Server messages are parsed leniently (zod
 * `looseObject`): Google adds fields between model versions and the proto snapshot lags the
 * service, so only the fields the adapter reads are declared. Client messages are typed against
 * `@google/genai`'s Live types (type-only import: a dev dependency), so `tsc` fails when a builder
 * produces a shape the SDK would not send.
 */
import { z } from 'zod';

const Blob = z.looseObject({ mimeType: z.string().optional(), data: z.string().optional() });
const Part = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  inlineData: Blob.optional(),
});
const Transcription = z.looseObject({ text: z.string().optional() });

export const ServerContentSchema = z.looseObject({
  modelTurn: z.looseObject({ role: z.string().optional(), parts: z.array(Part).optional() }).optional(),
  turnComplete: z.boolean().optional(),
  generationComplete: z.boolean().optional(),
  interrupted: z.boolean().optional(),
  inputTranscription: Transcription.optional(),
  outputTranscription: Transcription.optional(),
  turnCompleteReason: z.string().optional(),
  waitingForInput: z.boolean().optional(),
  /** On turn ends of gemini-3.8-live-extended-thinking: `IN_PROGRESS` (more output follows) until `IDLE`. */
  interactionStatus: z.string().optional(),
});
export type ServerContent = z.infer<typeof ServerContentSchema>;

export const FunctionCallSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()).optional(),
});

export const UsageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  responseTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
});

/** One server message: any subset of these keys (normally exactly one, plus `usageMetadata`). */
export const ServerMessageSchema = z.looseObject({
  setupComplete: z.looseObject({ sessionId: z.string().optional() }).optional(),
  serverContent: ServerContentSchema.optional(),
  toolCall: z.looseObject({ functionCalls: z.array(FunctionCallSchema).default([]) }).optional(),
  toolCallCancellation: z.looseObject({ ids: z.array(z.string()).default([]) }).optional(),
  goAway: z.looseObject({ timeLeft: z.string().optional() }).optional(),
  sessionResumptionUpdate: z
    .looseObject({ newHandle: z.string().optional(), resumable: z.boolean().optional() })
    .optional(),
  usageMetadata: UsageMetadataSchema.optional(),
});
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/**
 * A client message as JSON, exactly one key. The published type is plain JSON so that voxstate's
 * declarations do not need `@google/genai` (a dev dependency) installed; every builder constructs
 * its message through `clientMessage()` (adapters/gemini/map.ts), which type-checks the literal
 * against the SDK's `LiveClientMessage` at compile time.
 */
export type ClientMessage = { readonly [key: string]: JsonObject };
export type JsonObject = { [key: string]: unknown };

/**
 * Parses a proto3 JSON `Duration` ("10s", "1.5s", "0.250s") into milliseconds. Unparsable
 * values give `undefined`, so a malformed goAway still reaches the session (with 0 ms).
 */
export function durationMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(value.trim());
  if (!match) return undefined;
  return Math.max(0, Math.round(Number(match[1]) * 1000));
}

/** The sample rate a `audio/pcm;rate=N` mime type names; Gemini's output default is 24 kHz. */
export function pcmRate(mimeType: string | undefined, fallback = 24_000): number {
  const match = /rate=(\d+)/.exec(mimeType ?? '');
  return match ? Number(match[1]) : fallback;
}
