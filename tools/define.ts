/**
 * Defining tools. A tool is a name, a description, a zod object for its parameters (or a plain
 * JSON Schema), and an `execute` function that gets parsed, validated, typed arguments plus an
 * `AbortSignal` that fires on timeout, cancellation, barge-in (if `cancelOnInterrupt`) or close.
 */
import { z } from 'zod';
import { VoxstateError } from '../errors.js';
import type { ToolBehavior, ToolScheduling, ToolSpec } from '../config.js';

export interface ToolExecuteContext<TSession = unknown> {
  /** Aborted when the call is timed out, cancelled (by the provider, a barge-in, or close). */
  signal: AbortSignal;
  callId: string;
  /** The session that received the call (the `RealtimeSession` facade when there is one). */
  session: TSession | undefined;
}

export type ApprovalPolicy<TArgs> = boolean | ((args: TArgs) => boolean | Promise<boolean>);

export interface ToolDefinition<TArgs = unknown, TOutput = unknown> {
  readonly name: string;
  readonly description: string;
  /** The JSON Schema sent to the model. */
  readonly jsonSchema: Record<string, unknown>;
  /** Validates and parses raw arguments; absent for plain definitions with a JSON Schema only. */
  readonly schema: z.ZodType<TArgs> | undefined;
  readonly execute: (args: TArgs, context: ToolExecuteContext) => TOutput | Promise<TOutput>;
  /** Per-call time limit; the session default applies when absent. */
  readonly timeoutMs: number | undefined;
  readonly needsApproval: ApprovalPolicy<TArgs>;
  /** Abort this tool (and answer with a cancellation) when the user barges in. Default false. */
  readonly cancelOnInterrupt: boolean;
  /** `blocking` (default): the call holds the turn; `background`: the conversation goes on while it runs. */
  readonly behavior: ToolBehavior;
  /** What a background call's output does: `interrupt`, `whenIdle` (default) or `silent`. */
  readonly scheduling: ToolScheduling;
}

/** How a tool runs beside the conversation (see docs/tools.md, "Background tools"). */
export interface ToolTiming {
  behavior?: ToolBehavior;
  scheduling?: ToolScheduling;
}

export type AnyToolDefinition = ToolDefinition<any, unknown>;

export interface DefineToolOptions<TSchema extends z.ZodObject, TOutput> {
  name: string;
  description?: string;
  parameters: TSchema;
  execute: (args: z.output<TSchema>, context: ToolExecuteContext) => TOutput | Promise<TOutput>;
  timeoutMs?: number;
  needsApproval?: ApprovalPolicy<z.output<TSchema>>;
  cancelOnInterrupt?: boolean;
  behavior?: ToolBehavior;
  scheduling?: ToolScheduling;
}

/**
 * Defines a tool with a zod object for its parameters. The model sees the *input* side of the
 * schema (`io: 'input'`), so fields with defaults are optional to it.
 */
export function defineTool<TSchema extends z.ZodObject, TOutput>(
  options: DefineToolOptions<TSchema, TOutput>,
): ToolDefinition<z.output<TSchema>, TOutput> {
  const { $schema: _ignored, ...jsonSchema } = toolJsonSchema(options.name, options.parameters);
  return {
    name: options.name,
    description: options.description ?? '',
    jsonSchema,
    schema: options.parameters as unknown as z.ZodType<z.output<TSchema>>,
    execute: options.execute,
    timeoutMs: options.timeoutMs,
    needsApproval: options.needsApproval ?? false,
    cancelOnInterrupt: options.cancelOnInterrupt ?? false,
    ...timing(options.name, options),
  };
}

const BEHAVIORS: readonly ToolBehavior[] = ['blocking', 'background'];
const SCHEDULINGS: readonly ToolScheduling[] = ['interrupt', 'whenIdle', 'silent'];

/** `behavior` and `scheduling` with their defaults; a value outside the union (a JavaScript caller's typo) is an error naming the tool, never a silent blocking call. */
function timing(name: string, options: ToolTiming): { behavior: ToolBehavior; scheduling: ToolScheduling } {
  const behavior = options.behavior ?? 'blocking';
  const scheduling = options.scheduling ?? 'whenIdle';
  for (const [field, value, allowed] of [['behavior', behavior, BEHAVIORS], ['scheduling', scheduling, SCHEDULINGS]] as const) {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new VoxstateError({ code: 'invalid_config', message: `tool "${name}": ${field} must be one of ${allowed.map((v) => `'${v}'`).join(', ')}; got ${JSON.stringify(value)}`, param: field });
    }
  }
  return { behavior, scheduling };
}

/**
 * The JSON Schema of each zod schema already converted: a definition built again from the same
 * parameters schema (one per session, a module-level schema) converts it once. Zod schemas are
 * immutable (every method returns a new one), so the conversion cannot go stale; a schema that
 * fails to convert is not cached and fails again with the same error.
 */
const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

/**
 * The input-side JSON Schema the model sees. A field JSON cannot describe (`z.date()`, `z.bigint()`,
 * a transform, …) is an error here, at definition time, naming the tool and the field; the model
 * could never send a valid value for it.
 */
function toolJsonSchema(name: string, parameters: z.ZodType): Record<string, unknown> {
  const cached = jsonSchemas.get(parameters);
  if (cached) return cached;
  try {
    const jsonSchema = z.toJSONSchema(parameters, { io: 'input' }) as Record<string, unknown>;
    jsonSchemas.set(parameters, jsonSchema);
    return jsonSchema;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const field = unrepresentableField(parameters, []);
    throw new VoxstateError({
      code: 'invalid_config',
      message: `defineTool("${name}"): ${field.length ? `parameter "${field.join('.')}"` : 'the parameters'} cannot be sent as JSON Schema: ${reason}`,
      param: field.length ? field.join('.') : 'parameters',
    });
  }
}

/** The path of the deepest object field whose schema JSON Schema cannot express (empty: the schema itself). */
function unrepresentableField(schema: z.ZodType, path: string[]): string[] {
  if (!(schema instanceof z.ZodObject)) return path;
  for (const [key, child] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    try {
      z.toJSONSchema(child, { io: 'input' });
    } catch {
      return unrepresentableField(child, [...path, key]);
    }
  }
  return path;
}

/** A call as a plain handler sees it (Rust `ToolCall` parity). */
export interface ToolCall {
  callId: string;
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * A plain definition plus handler, for tools described by a hand-written JSON Schema (parity with
 * the Rust runner's `tool(definition, handler)`). Arguments must still be a JSON object.
 */
export function toolFromHandler<TOutput>(
  definition: { name: string; description?: string; parameters?: Record<string, unknown> },
  handler: (call: ToolCall, context: ToolExecuteContext) => TOutput | Promise<TOutput>,
  options: { timeoutMs?: number; needsApproval?: ApprovalPolicy<Record<string, unknown>>; cancelOnInterrupt?: boolean } & ToolTiming = {},
): ToolDefinition<Record<string, unknown>, TOutput> {
  const name = definition.name;
  return {
    name,
    description: definition.description ?? '',
    jsonSchema: definition.parameters ?? { type: 'object', properties: {} },
    schema: undefined,
    execute: (args, context) => handler({ callId: context.callId, name, arguments: args }, context),
    timeoutMs: options.timeoutMs,
    needsApproval: options.needsApproval ?? false,
    cancelOnInterrupt: options.cancelOnInterrupt ?? false,
    ...timing(name, options),
  };
}

/** The data the model sees for a tool; `behavior`/`scheduling` only for a background tool (blocking is the absent default). */
export function toToolSpec(tool: AnyToolDefinition): ToolSpec {
  const spec: ToolSpec = { name: tool.name, description: tool.description, parameters: tool.jsonSchema };
  return tool.behavior === 'background' ? { ...spec, behavior: 'background', scheduling: tool.scheduling } : spec;
}
