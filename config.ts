/**
 * The canonical session config and the sparse-delta merge. Pure functions and zod schemas only:
 * the session keeps one canonical config, every connection (first, resumed, reconnected) is built
 * from it, and `updateSession` deltas are merged into it field by field.
 */
import { z } from 'zod';
import { ConfigValidationError } from './errors.js';

/** A JSON Schema object, as sent to the model for a tool's parameters. */
export const JsonSchemaObject = z.record(z.string(), z.unknown());

export const TOOL_BEHAVIORS = ['blocking', 'background'] as const;
export type ToolBehavior = (typeof TOOL_BEHAVIORS)[number];
/**
 * What a background call's output does when it arrives: `interrupt` cuts the current output and
 * answers now, `whenIdle` answers after the current response, `silent` adds it to the context only.
 */
export const TOOL_SCHEDULINGS = ['interrupt', 'whenIdle', 'silent'] as const;
export type ToolScheduling = (typeof TOOL_SCHEDULINGS)[number];

/** A tool as the model sees it: data only. Handlers live in the tool registry, not in config. */
export const ToolSpecSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-zA-Z0-9_-]+$/, 'tool names may use letters, digits, "_" and "-" only'),
  description: z.string().default(''),
  parameters: JsonSchemaObject.default({ type: 'object', properties: {} }),
  /**
   * `blocking` (absent: blocking): the model waits for the output and the call holds the turn.
   * `background`: the conversation goes on while the call runs (Gemini `NON_BLOCKING`; on OpenAI
   * every call is asynchronous on the server). See docs/conversation.md "Tool calls".
   */
  behavior: z.enum(TOOL_BEHAVIORS).optional(),
  /** What a background call's output does (absent: `whenIdle`); ignored for blocking calls. */
  scheduling: z.enum(TOOL_SCHEDULINGS).optional(),
});
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

export const TurnDetectionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('server_vad'),
    threshold: z.number().min(0).max(1).optional(),
    prefixPaddingMs: z.number().int().nonnegative().optional(),
    silenceDurationMs: z.number().int().nonnegative().default(500),
    interruptResponse: z.boolean().default(true),
    createResponse: z.boolean().default(true),
  }),
  z.object({
    type: z.literal('semantic_vad'),
    eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
    interruptResponse: z.boolean().default(true),
    createResponse: z.boolean().default(true),
  }),
  /** Manual turns: the application commits audio and asks for responses itself. */
  z.object({ type: z.literal('none') }),
]);
export type TurnDetection = z.infer<typeof TurnDetectionSchema>;

export const ToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('function'), name: z.string().min(1) }),
]);

export const TranscriptionSchema = z.object({
  model: z.string().optional(),
  language: z.string().optional(),
});

export const SessionConfigSchema = z
  .object({
    instructions: z.string().default(''),
    voice: z.string().min(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    tools: z.array(ToolSpecSchema).default([]),
    toolChoice: ToolChoiceSchema.optional(),
    turnDetection: TurnDetectionSchema.default({
      type: 'server_vad',
      silenceDurationMs: 500,
      interruptResponse: true,
      createResponse: true,
    }),
    /** Input transcription; `null` (default) turns it off. */
    transcription: TranscriptionSchema.nullable().default(null),
    outputModality: z.enum(['audio', 'text']).default('audio'),
    maxOutputTokens: z.union([z.number().int().positive(), z.literal('inf')]).optional(),
    /** Provider escape hatch, merged last into the provider's own session object. */
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type SessionConfig = z.infer<typeof SessionConfigSchema>;
export type SessionConfigInput = z.input<typeof SessionConfigSchema>;

/**
 * The fields `updateSession` may change. Everything else (modality, transcription, formats) is
 * fixed for the life of a session; a delta naming one of them fails validation.
 */
export const MUTABLE_FIELDS = ['instructions', 'tools', 'voice', 'temperature', 'turnDetection', 'toolChoice', 'extra'] as const;
export type MutableField = (typeof MUTABLE_FIELDS)[number];

export const SessionDeltaSchema = z
  .object({
    instructions: z.string().optional(),
    tools: z.array(ToolSpecSchema).optional(),
    voice: z.string().min(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    turnDetection: TurnDetectionSchema.optional(),
    toolChoice: ToolChoiceSchema.optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type SessionDelta = z.infer<typeof SessionDeltaSchema>;
export type SessionDeltaInput = z.input<typeof SessionDeltaSchema>;

export function parseSessionConfig(input: unknown): SessionConfig {
  const result = SessionConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new ConfigValidationError(result.error);
  assertUniqueToolNames(result.data.tools, 'tools');
  return result.data;
}

export function parseSessionDelta(input: unknown): SessionDelta {
  const result = SessionDeltaSchema.safeParse(input ?? {});
  if (!result.success) throw new ConfigValidationError(result.error);
  if (result.data.tools) assertUniqueToolNames(result.data.tools, 'tools');
  return result.data;
}

function assertUniqueToolNames(tools: readonly ToolSpec[], field: string): void {
  const seen = new Set<string>();
  tools.forEach((tool, i) => {
    if (seen.has(tool.name)) {
      throw new ConfigValidationError(
        new z.ZodError([{ code: 'custom', path: [field, i, 'name'], message: `duplicate tool name "${tool.name}"`, input: tool.name }]),
      );
    }
    seen.add(tool.name);
  });
}

/**
 * Merges a sparse delta: present fields replace the old value wholesale (no deep merge), absent
 * fields keep theirs. Returns the new config and the fields whose value actually changed.
 */
export function mergeSessionDelta(
  config: SessionConfig,
  delta: SessionDelta,
): { config: SessionConfig; changed: MutableField[] } {
  const next: SessionConfig = { ...config };
  const changed: MutableField[] = [];
  for (const field of MUTABLE_FIELDS) {
    const value = delta[field];
    if (value === undefined) continue;
    if (!sameValue(config[field], value)) changed.push(field);
    (next as Record<MutableField, unknown>)[field] = value;
  }
  return { config: next, changed };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
