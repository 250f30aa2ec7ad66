/**
 * The options of `createRealtimeSession()` and `createSessionLogic()`, and the one schema that
 * parses them and splits them by who uses them: the facade's wiring (model, tools, listeners,
 * inspection, logging), the facade's own settings, the machine's `SessionOptions`, and everything
 * else, which is the session config (validated by the canonical `SessionConfigSchema`).
 */
import type { InspectionEvent, Observer } from 'xstate';
import { z } from 'zod';
import type { ModelAdapter } from '../adapters/adapter.js';
import { DEFAULT_MAX_BUFFERED_MS } from '../adapters/audio-plane.js';
import type { PlaybackMode } from '../adapters/playback.js';
import { INPUT_SAMPLE_RATES, type InputSampleRate } from '../adapters/resampler.js';
import type { SessionConfig, SessionConfigInput } from '../config.js';
import { ConfigValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { DEFAULT_INPUT_SAMPLE_RATE } from '../machines/session/context.js';
import type { SessionOptions } from '../machines/session/types.js';
import { DEFAULT_HISTORY_LIMIT } from './history.js';
import type { EventHandler } from './listeners.js';
import type { SessionTool } from './tools.js';
import type { TelemetryOption } from '../telemetry/options.js';

export interface RealtimeSessionOptions extends Omit<SessionConfigInput, 'tools'>, Partial<SessionOptions> {
  model: ModelAdapter;
  /** Tools with handlers (`defineTool`), or plain specs the application answers itself. */
  tools?: SessionTool[];
  /** PCM16 rate of the audio the application sends (`INPUT_SAMPLE_RATES`: 8000 … 48000). Default 24000. */
  inputSampleRate?: InputSampleRate;
  /** User audio kept while a connection is swapped. Default 5000 ms. */
  maxBufferedAudioMs?: number;
  /** How long `connect()` waits for the provider. Default 15000 ms. */
  connectTimeoutMs?: number;
  /** Items `session.history` keeps; the oldest are dropped first. Default 200. */
  historyLimit?: number;
  /**
   * How the session knows what the user heard of the model's audio (cut on an interruption):
   * `wallClock` (default) = min(audio received, time since its first delta); `reported` =
   * min(the position given to `reportPlayback`, audio received), 0 if never reported.
   */
  playback?: PlaybackMode;
  eventHandler?: EventHandler;
  /** Passed to the actor: an XState inspection observer or callback (see `createVoxstateInspector`). */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  logger?: Logger;
  /**
   * OpenTelemetry traces and metrics (docs/observability.md): `true` uses the global providers of
   * `@opentelemetry/api` (an optional peer dependency), or pass `{ tracer, meter, captureTranscripts }`.
   * Without `@opentelemetry/api` installed it is a warning, never an error. Default off.
   */
  telemetry?: TelemetryOption;
}

/** What `createSessionLogic` needs: the session options without the facade-only ones. */
export type SessionLogicOptions = Omit<RealtimeSessionOptions, 'eventHandler' | 'inspect' | 'connectTimeoutMs' | 'historyLimit' | 'telemetry'>;

/** The options split by who uses them (what `parseRealtimeSessionOptions` returns). */
export interface ParsedSessionOptions {
  /** What the facade plugs in: the adapter, the tools as given, listeners, inspection, logging. */
  wiring: Pick<RealtimeSessionOptions, 'model' | 'tools' | 'eventHandler' | 'inspect' | 'logger' | 'telemetry'>;
  /** The facade's own settings, defaults applied. */
  facade: Required<Pick<RealtimeSessionOptions, 'inputSampleRate' | 'maxBufferedAudioMs' | 'connectTimeoutMs' | 'historyLimit' | 'playback'>>;
  /** The machine's `SessionOptions` that were set. */
  machine: Partial<SessionOptions>;
  /** Everything else: the session config, not validated yet, tools not included. */
  config: Record<string, unknown>;
}

/** What the facade plugs in. Only the model is checked here; tools are checked as config specs. */
const WiringSchema = z.object({
  model: z.custom<ModelAdapter>((model) => !!model && typeof (model as Partial<ModelAdapter>).logic === 'object', {
    message: 'Model is required (a model adapter such as openaiRealtime())',
  }),
  tools: z.custom<SessionTool[]>().optional(),
  eventHandler: z.custom<EventHandler>().optional(),
  inspect: z.custom<NonNullable<RealtimeSessionOptions['inspect']>>().optional(),
  logger: z.custom<Logger>().optional(),
  telemetry: z
    .union([z.boolean(), z.object({ tracer: z.custom<object>().optional(), meter: z.custom<object>().optional(), captureTranscripts: z.boolean().optional() })])
    .optional() as z.ZodType<TelemetryOption | undefined>,
});

/** The facade's own settings; they never reach the machine. */
const FacadeSettingsSchema = z.object({
  inputSampleRate: z.literal(INPUT_SAMPLE_RATES, { error: `must be one of ${INPUT_SAMPLE_RATES.join(', ')} (Hz)` }).default(DEFAULT_INPUT_SAMPLE_RATE),
  maxBufferedAudioMs: z.number().int().positive().default(DEFAULT_MAX_BUFFERED_MS),
  connectTimeoutMs: z.number().int().positive().default(15_000),
  historyLimit: z.number().int().positive().default(DEFAULT_HISTORY_LIMIT),
  playback: z.enum(['wallClock', 'reported']).default('wallClock'),
});

/** The machine's `SessionOptions`; an absent one takes the machine's default. */
const MachineOptionsSchema = z.object({
  autoExecuteTools: z.boolean().optional(),
  autoRespondTools: z.boolean().optional(),
  // 0 behaves as 1 (one tool at a time), as in the Rust runner.
  maxConcurrentTools: z.number().int().nonnegative().optional(),
  toolTimeoutMs: z.number().int().positive().optional(),
  autoReconnect: z.boolean().optional(),
  maxResumeAttempts: z.number().int().min(1).max(10).optional(),
  autoConnect: z.boolean().optional(),
  backgroundCallSwapWaitMs: z.number().int().nonnegative().optional(),
} satisfies { [K in keyof SessionOptions]-?: z.ZodType<SessionOptions[K] | undefined> });

const parts = [WiringSchema, FacadeSettingsSchema, MachineOptionsSchema] as const;

/** Each part's keys, and every key some part declares: computed once, not per session. */
const partKeys = new Map<z.ZodObject, readonly string[]>(parts.map((part) => [part, Object.keys(part.shape)]));
const claimed = new Set([...partKeys.values()].flat());

/** The fields of `values` that `part` declares and that are set. */
function fieldsOf<T extends z.ZodObject>(values: Record<string, unknown>, part: T): z.output<T> {
  const picked: Record<string, unknown> = {};
  for (const key of partKeys.get(part) ?? []) if (values[key] !== undefined) picked[key] = values[key];
  return picked as z.output<T>;
}

/** The fields no part declares: the session config, still unvalidated and with tools as given. */
function configFieldsOf(values: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    if (claimed.has(key)) continue;
    // An own "__proto__" key stays a field (as Object.fromEntries kept it), never a prototype.
    if (key === '__proto__') Object.defineProperty(config, key, { value: values[key], enumerable: true, writable: true, configurable: true });
    else config[key] = values[key];
  }
  return config;
}

/**
 * Options in, the four parts out. Anything that is not an object reads as `{}`, so a missing
 * options object is reported as the missing model it is.
 */
const RealtimeSessionOptionsSchema = z
  .preprocess(
    (options) => (options && typeof options === 'object' ? options : {}),
    z.object({ ...WiringSchema.shape, ...FacadeSettingsSchema.shape, ...MachineOptionsSchema.shape }).catchall(z.unknown()),
  )
  .transform(
    (options): ParsedSessionOptions => ({
      wiring: fieldsOf(options, WiringSchema),
      facade: fieldsOf(options, FacadeSettingsSchema),
      machine: fieldsOf(options, MachineOptionsSchema),
      config: configFieldsOf(options),
    }),
  );

/** Parses and splits the options. Throws ConfigValidationError naming the first bad field. */
export function parseRealtimeSessionOptions(options: unknown): ParsedSessionOptions {
  const parsed = RealtimeSessionOptionsSchema.safeParse(options);
  if (!parsed.success) throw new ConfigValidationError(parsed.error);
  return parsed.data;
}

/**
 * A config the adapter would refuse (its `checkConfig`) is a ConfigValidationError now, naming the
 * field, rather than a failed connection attempt later.
 */
export function assertModelAccepts(model: ModelAdapter, config: SessionConfig): void {
  const problem = model.checkConfig?.(config);
  if (!problem) return;
  const path = (problem.param ?? '').split('.').filter(Boolean);
  throw new ConfigValidationError(new z.ZodError([{ code: 'custom', path, message: problem.message, input: undefined }]));
}
