/**
 * Pure mapping from the canonical SessionConfig and client intents to Gemini Live client
 * messages. No I/O here, so every frame shape is unit-testable and type-checked against the SDK.
 */
import type {
  ActivityHandling,
  Behavior,
  FunctionResponseScheduling,
  AutomaticActivityDetection,
  Content,
  EndSensitivity,
  StartSensitivity,
  ThinkingConfig,
  ThinkingLevel,
  FunctionResponse,
  LiveClientMessage,
  LiveClientSetup,
  Modality,
  Schema,
  Tool,
} from '@google/genai';
import type { SessionConfig, ToolScheduling, ToolSpec } from '../../config.js';
import type { FunctionDeclaration } from '@google/genai';
import type { ClientMessage, JsonObject } from './wire.js';
import { mergeExtra } from '../extra.js';
import type { GeminiSetupOptions } from './options.js';

// Builders construct SDK-typed values (checked by tsc against @google/genai) and publish them as
// plain JSON, so the package's declarations do not import the SDK (a dev dependency).
const clientMessage = (message: LiveClientMessage): ClientMessage => message as unknown as ClientMessage;
const asJson = (value: object): JsonObject => value as unknown as JsonObject;

/**
 * `openapi`: the legacy `parameters` field, an OpenAPI 3 subset with upper-case types (what every
 * Live model accepts, and what Google's own SDK tests send). `jsonSchema`: `parametersJsonSchema`,
 * plain JSON Schema, for newer models. Mixing both in one setup is refused with close code 1007.
 */
export type SchemaDialect = 'openapi' | 'jsonSchema';

export interface SetupOptions {
  /** Model id as given by the user (`gemini-…`, `models/gemini-…` or a full Vertex path). */
  model: string;
  vertex?: { project: string; location: string } | undefined;
  schemaDialect: SchemaDialect;
  /** `true` = `{slidingWindow:{}}`; an object is sent as-is; `false` = omitted. */
  contextWindowCompression: boolean | Record<string, unknown>;
  /** Latest resumable handle; `sessionResumption` is always present so the server sends handles. */
  resumptionHandle: string | undefined;
  /** The typed options to send (checked against the model's profile first; fixed ones left out). */
  features?: GeminiSetupOptions;
}

/**
 * The `setup.model` resource name. Vertex: `X`, `google/X`, `publishers/google/models/X` and a full
 * `projects/…/locations/…/publishers/google/models/X` all become exactly
 * `projects/{project}/locations/{location}/publishers/google/models/X` for the configured project
 * and location (the endpoint serves only its own location). Gemini API: `X` and `models/X` become
 * `models/X`; `tunedModels/…` is kept.
 */
export function modelPath(model: string, vertex?: { project: string; location: string }): string {
  if (!vertex) {
    if (model.startsWith('models/') || model.startsWith('tunedModels/')) return model;
    return `models/${model}`;
  }
  const full = /^projects\/[^/]+\/locations\/[^/]+\/(publishers\/[^/]+\/models\/[^/]+)$/.exec(model);
  const publisherPath = /^publishers\/([^/]+)\/models\/([^/]+)$/.exec(full?.[1] ?? model);
  const short = /^(?:([^/]+)\/)?([^/]+)$/.exec(model.replace(/^models\//, ''));
  const publisher = publisherPath?.[1] ?? short?.[1] ?? 'google';
  const id = publisherPath?.[2] ?? short?.[2];
  if (!id) return model;
  return `projects/${vertex.project}/locations/${vertex.location}/publishers/${publisher}/models/${id}`;
}

/** The `setup` message (plain JSON; built and checked as the SDK's `LiveClientSetup`). */
export function toSetup(config: SessionConfig, options: SetupOptions): { setup: JsonObject } {
  const audio = config.outputModality === 'audio';
  const features = options.features ?? {};
  const generationConfig: NonNullable<LiveClientSetup['generationConfig']> = {
    responseModalities: [(audio ? 'AUDIO' : 'TEXT') as Modality],
  };
  if (audio && config.voice) generationConfig.speechConfig = { voiceConfig: { prebuiltVoiceConfig: { voiceName: config.voice } } };
  if (audio && features.languageCode) generationConfig.speechConfig = { ...generationConfig.speechConfig, languageCode: features.languageCode };
  if (features.affectiveDialog !== undefined) generationConfig.enableAffectiveDialog = features.affectiveDialog;
  if (features.thinking) generationConfig.thinkingConfig = thinkingConfig(features.thinking);
  if (config.temperature !== undefined) generationConfig.temperature = config.temperature;
  if (typeof config.maxOutputTokens === 'number') generationConfig.maxOutputTokens = config.maxOutputTokens;

  const setup: LiveClientSetup = { model: modelPath(options.model, options.vertex), generationConfig };
  if (config.instructions) setup.systemInstruction = systemInstruction(config.instructions);
  const tools = toTools(config, options.schemaDialect, features);
  if (tools) setup.tools = tools;
  if (features.proactiveAudio !== undefined) setup.proactivity = { proactiveAudio: features.proactiveAudio };

  const td = config.turnDetection;
  const sensitivity = sensitivityToWire(features.vadSensitivity);
  if (td.type === 'none') {
    setup.realtimeInputConfig = { automaticActivityDetection: { disabled: true } };
  } else if (td.type === 'server_vad') {
    const detection: AutomaticActivityDetection = { ...sensitivity, silenceDurationMs: td.silenceDurationMs };
    if (td.prefixPaddingMs !== undefined) detection.prefixPaddingMs = td.prefixPaddingMs;
    setup.realtimeInputConfig = { automaticActivityDetection: detection };
    if (!td.interruptResponse) setup.realtimeInputConfig.activityHandling = 'NO_INTERRUPTION' as ActivityHandling;
  } else {
    if (sensitivity) setup.realtimeInputConfig = { automaticActivityDetection: sensitivity };
    if (!td.interruptResponse) setup.realtimeInputConfig = { ...setup.realtimeInputConfig, activityHandling: 'NO_INTERRUPTION' as ActivityHandling };
  }

  if (config.transcription) setup.inputAudioTranscription = {};
  // Without it a spoken reply has no text at all: no assistant transcript, nothing to log.
  if (audio) setup.outputAudioTranscription = {};
  const cwc = options.contextWindowCompression;
  if (cwc) setup.contextWindowCompression = cwc === true ? { slidingWindow: {} } : (cwc as LiveClientSetup['contextWindowCompression'] & object);
  setup.sessionResumption = options.resumptionHandle ? { handle: options.resumptionHandle } : {};

  // `extra` is merged last and deeply; its `tools` are appended to the declarations built here.
  return { setup: asJson(mergeExtra(setup, config.extra, { appendArrays: ['tools'] })) };
}

function systemInstruction(text: string): Content {
  return { parts: [{ text }] };
}

function thinkingConfig(thinking: NonNullable<GeminiSetupOptions['thinking']>): ThinkingConfig {
  const out: ThinkingConfig = {};
  if (thinking.level) out.thinkingLevel = thinking.level.toUpperCase() as ThinkingLevel;
  if (thinking.budget !== undefined) out.thinkingBudget = thinking.budget;
  if (thinking.includeThoughts !== undefined) out.includeThoughts = thinking.includeThoughts;
  return out;
}

function sensitivityToWire(vad: GeminiSetupOptions['vadSensitivity']): AutomaticActivityDetection | undefined {
  if (!vad || (vad.start === undefined && vad.end === undefined)) return undefined;
  const out: AutomaticActivityDetection = {};
  if (vad.start) out.startOfSpeechSensitivity = `START_SENSITIVITY_${vad.start.toUpperCase()}` as StartSensitivity;
  if (vad.end) out.endOfSpeechSensitivity = `END_SENSITIVITY_${vad.end.toUpperCase()}` as EndSensitivity;
  return out;
}

/**
 * The function declarations, then the built-in tools (Google Search, code execution). `toolChoice:
 * 'none'` sends no tools at all: Gemini has no tool_choice, and a declared tool may be called.
 */
function toTools(config: Pick<SessionConfig, 'tools' | 'toolChoice'>, dialect: SchemaDialect, features: GeminiSetupOptions = {}): Tool[] | undefined {
  if (config.toolChoice === 'none') return undefined;
  const tools: Tool[] = [];
  if (config.tools.length > 0) tools.push({ functionDeclarations: config.tools.map((tool) => toFunctionDeclaration(tool, dialect)) });
  if (features.googleSearch) tools.push({ googleSearch: {} });
  if (features.codeExecution) tools.push({ codeExecution: {} });
  return tools.length > 0 ? tools : undefined;
}

function toFunctionDeclaration(tool: ToolSpec, dialect: SchemaDialect): FunctionDeclaration {
  // `description` is REQUIRED in the proto's FunctionDeclaration: a tool defined without one is
  // declared with its name as the description rather than sent without the field.
  // `behavior` always explicit: the v1beta proto says BLOCKING is the default, the 3.8 docs say
  // NON_BLOCKING (shared/protocol/gemini-live-2026.md §2.1, §9 "Default behavior").
  const declaration: FunctionDeclaration = {
    name: tool.name,
    description: tool.description?.trim() || tool.name,
    behavior: (tool.behavior === 'background' ? 'NON_BLOCKING' : 'BLOCKING') as Behavior,
  };
  const params = tool.parameters;
  const empty = params['type'] === 'object' && Object.keys((params['properties'] as object | undefined) ?? {}).length === 0;
  // A parameterless function is declared without a schema: an empty OBJECT is refused by some models.
  if (empty) return declaration;
  if (dialect === 'jsonSchema') {
    const { $schema: _ignored, ...rest } = params;
    declaration.parametersJsonSchema = rest;
  } else {
    declaration.parameters = toOpenApiSchema(params, (params['$defs'] ?? params['definitions']) as Record<string, unknown> | undefined) as Schema;
  }
  return declaration;
}

const OPENAPI_KEYS = new Set([
  'description', 'format', 'enum', 'required', 'minItems', 'maxItems', 'minimum', 'maximum', 'minLength', 'maxLength',
  'pattern', 'title', 'default', 'example', 'minProperties', 'maxProperties', 'propertyOrdering', 'nullable',
]);

/**
 * JSON Schema → the OpenAPI subset of the legacy `parameters` field: upper-case `type`, `nullable`
 * instead of `type: [..., "null"]`, `enum` for `const`, local `$ref`s inlined, and keywords the
 * subset lacks (`$schema`, `additionalProperties`, `$defs`, …) dropped.
 */
export function toOpenApiSchema(schema: unknown, defs: Record<string, unknown> | undefined, depth = 0): Record<string, unknown> {
  if (!isPlainObject(schema) || depth > 32) return {};
  const ref = schema['$ref'];
  if (typeof ref === 'string' && defs) {
    const name = ref.replace(/^#\/(\$defs|definitions)\//, '');
    return toOpenApiSchema(defs[name], defs, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) if (OPENAPI_KEYS.has(key)) out[key] = value;
  if ('const' in schema) out['enum'] = [schema['const']];
  let type = schema['type'];
  if (Array.isArray(type)) {
    if (type.includes('null')) out['nullable'] = true;
    type = type.find((t) => t !== 'null');
  }
  const union = (schema['anyOf'] ?? schema['oneOf']) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const nonNull = union.filter((s) => !(isPlainObject(s) && s['type'] === 'null'));
    if (nonNull.length < union.length) out['nullable'] = true;
    if (nonNull.length === 1) Object.assign(out, toOpenApiSchema(nonNull[0], defs, depth + 1), out['nullable'] ? { nullable: true } : {});
    else out['anyOf'] = nonNull.map((s) => toOpenApiSchema(s, defs, depth + 1));
  }
  if (typeof type === 'string') out['type'] = type.toUpperCase();
  if (isPlainObject(schema['properties'])) {
    out['properties'] = Object.fromEntries(
      Object.entries(schema['properties']).map(([k, v]) => [k, toOpenApiSchema(v, defs, depth + 1)]),
    );
  }
  if (schema['items'] !== undefined) out['items'] = toOpenApiSchema(schema['items'], defs, depth + 1);
  if (Array.isArray(out['enum'])) out['enum'] = (out['enum'] as unknown[]).map(String);
  return out;
}

// ── client messages ──

/** `role: 'system'` has no turn equivalent on Gemini: it goes as a user turn marked as a system note. */
export function clientTextMessage(text: string, role: 'user' | 'system', respond: boolean): ClientMessage {
  const body = role === 'system' ? `[system] ${text}` : text;
  return clientMessage({ clientContent: { turns: [{ role: 'user', parts: [{ text: body }] }], turnComplete: respond } });
}

/** Gemini 3.x Live takes mid-session text as `realtimeInput.text` (clientContent only seeds history). */
export function realtimeTextMessage(text: string, role: 'user' | 'system'): ClientMessage {
  return clientMessage({ realtimeInput: { text: role === 'system' ? `[system] ${text}` : text } });
}

export function audioMessage(pcm16k: Buffer): ClientMessage {
  return clientMessage({ realtimeInput: { audio: { mimeType: 'audio/pcm;rate=16000', data: pcm16k.toString('base64') } } });
}

/**
 * Plain objects go as the `response` as-is (an `{error: …}` output included); anything else is
 * wrapped as `{result: value}`. A string holding a JSON object is sent as that object.
 */
export function toolResponseValue(output: unknown): Record<string, unknown> {
  if (typeof output === 'string') {
    try {
      const parsed: unknown = JSON.parse(output);
      if (isPlainObject(parsed)) return parsed;
    } catch {
      // not JSON: a plain string result
    }
    return { result: output };
  }
  if (isPlainObject(output)) return output;
  return { result: output ?? null };
}

/** `FunctionResponse.scheduling` (proto enum; gemini-live-2026.md §2.2: only for NON_BLOCKING calls, default WHEN_IDLE). */
const SCHEDULING: Record<ToolScheduling, FunctionResponseScheduling> = {
  interrupt: 'INTERRUPT' as FunctionResponseScheduling,
  whenIdle: 'WHEN_IDLE' as FunctionResponseScheduling,
  silent: 'SILENT' as FunctionResponseScheduling,
};

/** A tool's output; `scheduling` only for a non-blocking call, on a platform that takes it. */
export function toolResponseMessage(callId: string | undefined, name: string, output: unknown, scheduling?: ToolScheduling): ClientMessage {
  const response: FunctionResponse = { name, response: toolResponseValue(output) };
  if (callId !== undefined) response.id = callId;
  if (scheduling !== undefined) response.scheduling = SCHEDULING[scheduling];
  return clientMessage({ toolResponse: { functionResponses: [response] } });
}

/** The experimental in-place update. `tools: {tools: []}` clears every tool; an absent key leaves them. */
export function contextUpdateMessage(
  config: SessionConfig,
  changed: readonly string[],
  dialect: SchemaDialect,
  features: GeminiSetupOptions = {},
): ClientMessage {
  const update: NonNullable<LiveClientMessage['contextUpdate']> = {};
  if (changed.includes('instructions')) update.systemInstruction = systemInstruction(config.instructions);
  if (changed.includes('tools') || changed.includes('toolChoice')) update.tools = { tools: toTools(config, dialect, features) ?? [] };
  return clientMessage({ contextUpdate: update });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
