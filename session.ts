/**
 * `createRealtimeSession()`: the facade over the session actor. It validates options, wires the
 * model adapter and the tool registry into the machine through `.provide()`, and offers verbs,
 * `on()` listeners and an RxJS `events$` stream. Audio goes straight to the audio plane (never
 * through the statechart); every other verb is one event to the actor.
 */
import { Observable, Subject } from 'rxjs';
import { createActor, waitFor, type Actor, type InspectionEvent, type Observer } from 'xstate';
import { z } from 'zod';
import { AudioPlane } from './adapters/audio-plane.js';
import { INPUT_SAMPLE_RATES, type InputSampleRate } from './adapters/resampler.js';
import { capabilitiesFor, type ModelAdapter } from './adapters/adapter.js';
import type { DataEvent } from './adapters/events.js';
import { ConfigValidationError, NotConnectedError, UpdateFailedError, VoxstateError, type ErrorInfo } from './errors.js';
import { resolveLogger, type Logger } from './logger.js';
import {
  mergeSessionDelta,
  parseSessionConfig,
  parseSessionDelta,
  type SessionConfig,
  type SessionConfigInput,
  type SessionDeltaInput,
  type ToolSpec,
} from './config.js';
import { realtimeSessionMachine } from './machines/session.machine.js';
import { pcmRefusal, toolDecisionRefusal, toolResultRefusal } from './machines/session/refusals.js';
import type { SessionEmitted, SessionInput, SessionOptions } from './machines/session/types.js';
import { toToolSpec, type AnyToolDefinition } from './tools/define.js';
import { ToolRegistry } from './tools/registry.js';
import { createToolCallLogic } from './tools/runtime.js';

/** Rust-style callback object (parity with adk-realtime's `EventHandler`). All optional. */
export interface EventHandler {
  onAudio?(audio: Buffer, itemId: string | undefined): void;
  onText?(text: string, itemId: string | undefined): void;
  /** Assistant transcript deltas. */
  onTranscript?(text: string, itemId: string | undefined): void;
  onSpeechStarted?(audioStartMs: number | undefined): void;
  onSpeechStopped?(audioEndMs: number | undefined): void;
  onResponseDone?(): void;
  onError?(error: ErrorInfo): void;
}

export type SessionTool = AnyToolDefinition | ToolSpec;

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
  eventHandler?: EventHandler;
  /** Passed to the actor: an XState inspection observer or callback (see `createVoxstateInspector`). */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  logger?: Logger;
}

/** Every event a session emits: control-plane events from the statechart plus data-plane events. */
export type SessionEventMap = { [E in SessionEmitted as E['type']]: E } & {
  audio: Extract<DataEvent, { type: 'audio' }>;
  text: Extract<DataEvent, { type: 'text' }>;
  transcript: Extract<DataEvent, { type: 'transcript' }>;
  unknown: Extract<DataEvent, { type: 'unknown' }>;
};
export type SessionEventName = keyof SessionEventMap;
export type AnySessionEvent = SessionEventMap[SessionEventName];

export type UpdateOutcome = 'applied' | 'resumed' | 'queued';
/** How an update ended once it is in effect: on the open connection, or on a new one. */
export type UpdateCompletion = 'applied' | 'resumed';

/**
 * What `updateSession` returns: a promise of the first answer (`UpdateOutcome`), as before, plus
 * `completion`, which settles when the change is in effect, a queued one included.
 */
export interface UpdateRequest extends Promise<UpdateOutcome> {
  /** `'applied'` or `'resumed'` once the change is in effect; rejects (`UpdateFailedError`, `session_closed`) when it never will be. */
  readonly completion: Promise<UpdateCompletion>;
}

/** A promise with its settle functions (settling twice is a no-op, as for any promise). */
function settleable<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const SESSION_KEYS = [
  'autoExecuteTools',
  'autoRespondTools',
  'maxConcurrentTools',
  'toolTimeoutMs',
  'autoReconnect',
  'maxResumeAttempts',
  'autoConnect',
] as const;

const FacadeOptionsSchema = z.object({
  inputSampleRate: z.literal(INPUT_SAMPLE_RATES, { error: `must be one of ${INPUT_SAMPLE_RATES.join(', ')} (Hz)` }).default(24_000),
  maxBufferedAudioMs: z.number().int().positive().default(5_000),
  connectTimeoutMs: z.number().int().positive().default(15_000),
  autoExecuteTools: z.boolean().optional(),
  autoRespondTools: z.boolean().optional(),
  // 0 behaves as 1 (one tool at a time), as in the Rust runner.
  maxConcurrentTools: z.number().int().nonnegative().optional(),
  toolTimeoutMs: z.number().int().positive().optional(),
  autoReconnect: z.boolean().optional(),
  maxResumeAttempts: z.number().int().min(1).max(10).optional(),
  autoConnect: z.boolean().optional(),
});

function isToolDefinition(tool: SessionTool): tool is AnyToolDefinition {
  return typeof (tool as AnyToolDefinition).execute === 'function';
}

/**
 * Splits tools into handlers (registered) and the specs the model sees. A later tool with the same
 * name replaces an earlier one, as registering twice does.
 */
function registerTools(registry: ToolRegistry, tools: readonly SessionTool[]): ToolSpec[] {
  const specs = new Map<string, ToolSpec>();
  for (const tool of tools) {
    if (isToolDefinition(tool)) {
      registry.register(tool);
      specs.set(tool.name, toToolSpec(tool));
    } else {
      specs.set(tool.name, tool);
    }
  }
  return [...specs.values()];
}

/** What `createSessionLogic` needs: the session options without the facade-only ones. */
export type SessionLogicOptions = Omit<RealtimeSessionOptions, 'eventHandler' | 'inspect' | 'connectTimeoutMs'>;

interface PreparedSession {
  /** The session machine with the model adapter and the tool registry provided. */
  logic: ReturnType<typeof provideSession>;
  /** The input to create, invoke or spawn it with. */
  input: SessionInput;
  registry: ToolRegistry;
  inputSampleRate: InputSampleRate;
  connectTimeoutMs: number;
}

function provideSession(model: ModelAdapter, registry: ToolRegistry, getSession: () => unknown) {
  return realtimeSessionMachine.provide({
    actors: { model: model.logic, tool: createToolCallLogic(registry, getSession) },
  });
}

/**
 * A config the adapter would refuse (its `checkConfig`) is a ConfigValidationError now, naming the
 * field, rather than a failed connection attempt later.
 */
function assertModelAccepts(model: ModelAdapter, config: SessionConfig): void {
  const problem = model.checkConfig?.(config);
  if (!problem) return;
  const path = (problem.param ?? '').split('.').filter(Boolean);
  throw new ConfigValidationError(new z.ZodError([{ code: 'custom', path, message: problem.message, input: undefined }]));
}

/** Validates options and builds the provided machine and its input. Throws ConfigValidationError. */
function prepareSession(options: RealtimeSessionOptions, audio: AudioPlane | undefined, getSession: () => unknown): PreparedSession {
  if (!options || typeof options !== 'object' || !options.model || typeof options.model.logic !== 'object') {
    throw new ConfigValidationError(
      new z.ZodError([{ code: 'custom', path: ['model'], message: 'Model is required (a model adapter such as openaiRealtime())', input: undefined }]),
    );
  }
  const {
    model,
    tools = [],
    eventHandler: _handler,
    inspect: _inspect,
    logger,
    inputSampleRate: _rate,
    maxBufferedAudioMs: _max,
    connectTimeoutMs: _timeout,
    ...rest
  } = options;
  const facadeParsed = FacadeOptionsSchema.safeParse(options);
  if (!facadeParsed.success) throw new ConfigValidationError(facadeParsed.error);
  const facade = facadeParsed.data;
  const sessionOptions: Partial<SessionOptions> = {};
  const configInput: Record<string, unknown> = { ...rest };
  for (const key of SESSION_KEYS) {
    const value = facade[key];
    if (value !== undefined) (sessionOptions as Record<string, unknown>)[key] = value;
    delete configInput[key];
  }
  const registry = new ToolRegistry();
  configInput['tools'] = registerTools(registry, tools);
  const config = parseSessionConfig(configInput);
  assertModelAccepts(model, config);
  return {
    logic: provideSession(model, registry, getSession),
    input: {
      provider: model.provider,
      model: model.model,
      config,
      capabilities: capabilitiesFor(model.capabilities, model.model),
      options: sessionOptions,
      audio: audio ?? new AudioPlane({ maxBufferedMs: facade.maxBufferedAudioMs }),
      logger: resolveLogger(logger),
    },
    registry,
    inputSampleRate: facade.inputSampleRate,
    connectTimeoutMs: facade.connectTimeoutMs,
  };
}

/**
 * For embedding: the session machine with its model adapter and tools provided, plus the input to
 * invoke or spawn it with. A parent machine puts `logic` in its `setup({ actors })` and receives the
 * session's events as `voxstate.<type>` (see `SessionParentEvent`); set `autoConnect: true` or send
 * `{ type: 'session.connect' }`. Output audio: `input.audio.onOutput(listener)`.
 */
export function createSessionLogic(options: SessionLogicOptions): { logic: PreparedSession['logic']; input: SessionInput } {
  const prepared = prepareSession(options, undefined, () => undefined);
  return { logic: prepared.logic, input: prepared.input };
}

export function createRealtimeSession(options: RealtimeSessionOptions) {
  const events = new Subject<AnySessionEvent>();
  const audio = new AudioPlane({
    maxBufferedMs: options?.maxBufferedAudioMs ?? 5_000,
    onOverflow: (droppedBytes) =>
      publish({
        type: 'error',
        error: { code: 'audio_buffer_overflow', message: `Dropped ${droppedBytes} bytes of the oldest user audio while resuming` },
      }),
  });
  let handle: RealtimeSession | undefined;
  const prepared = prepareSession(options, audio, () => handle);
  const { registry } = prepared;
  const { eventHandler, inspect } = options;
  const logger = prepared.input.logger!;
  const facade = { inputSampleRate: prepared.inputSampleRate, connectTimeoutMs: prepared.connectTimeoutMs };

  type Listener = (event: AnySessionEvent) => void;
  const listeners = new Map<string, Set<Listener>>();
  // Typed listeners, then wildcard ones. A listener that throws must not break the session or the
  // adapter whose socket delivered the event (audio reaches here from the adapter), and must not
  // vanish either: its first throw is a warning with the event and the stack; later ones (an audio
  // listener can throw 50 times a second) are debug lines.
  const reportedListeners = new WeakSet<Listener>();
  function notify(set: Set<Listener> | undefined, event: AnySessionEvent): void {
    if (!set) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch (error) {
        const first = !reportedListeners.has(listener);
        reportedListeners.add(listener);
        const fields = { event: event.type, err: error };
        if (first) logger.warn(fields, `a listener for "${event.type}" threw (reported once per listener; later throws are debug lines)`);
        else logger.debug(fields, `a listener for "${event.type}" threw again`);
      }
    }
  }
  function publish(event: AnySessionEvent): void {
    const typed = listeners.get(event.type);
    const wildcard = listeners.get('*');
    // An error nobody listens to would otherwise leave no trace at the default log level.
    if (event.type === 'error' && !typed?.size && !wildcard?.size && !events.observed) {
      const { code, message, providerCode, param } = event.error;
      logger.warn({ code, providerCode, param }, `session error with no "error" listener: ${code}: ${message}`);
    }
    notify(typed, event);
    notify(wildcard, event);
    if (events.observed) events.next(event);
  }

  const machine = prepared.logic;
  const actor = createActor(machine, { input: prepared.input, ...(inspect ? { inspect } : {}) });

  audio.onOutput((event) => publish(event));
  actor.on('*', (event) => {
    logger.debug(controlEventFields(event as SessionEmitted), `session event ${event.type}`);
    publish(event as AnySessionEvent);
  });
  if (eventHandler) attachEventHandler(eventHandler, (type, fn) => on(type, fn));
  actor.start();

  function on<N extends SessionEventName>(type: N, listener: (event: SessionEventMap[N]) => void): () => void;
  function on(type: '*', listener: (event: AnySessionEvent) => void): () => void;
  function on(type: string, listener: (event: never) => void): () => void {
    let set = listeners.get(type);
    if (!set) listeners.set(type, (set = new Set()));
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
    };
  }

  function stateName(): string {
    const snapshot = actor.getSnapshot();
    return typeof snapshot.value === 'string' ? snapshot.value : JSON.stringify(snapshot.value);
  }

  /** Connected, or swapping connections (which the application never sees as a disconnect). */
  function isLive(): boolean {
    const snapshot = actor.getSnapshot();
    return snapshot.status === 'active' && snapshot.hasTag('live');
  }

  function requireLive(verb: string): void {
    if (!isLive()) throw new NotConnectedError(verb, stateName());
  }

  const rejectIfNotLive = (verb: string): Promise<never> | undefined =>
    isLive() ? undefined : Promise.reject(new NotConnectedError(verb, stateName()));

  let requestSeq = 0;

  const session = {
    actor: actor as Actor<typeof machine>,
    events$: events.asObservable() as Observable<AnySessionEvent>,
    /** Output audio, text and transcript deltas arrive here and on `on('audio' | 'text' | 'transcript')`. */
    audio,
    on,

    /** The whole state value as text: a flat state's name ('disconnected', 'failed', 'closed'), else the JSON of the value. */
    get state(): string {
      return stateName();
    },
    get connected(): boolean {
      return isLive();
    },

    async connect(): Promise<void> {
      const snapshot = actor.getSnapshot();
      if (snapshot.status !== 'active') throw new VoxstateError({ code: 'session_closed', message: 'The session is closed' });
      if (isLive()) return;
      actor.send({ type: 'session.connect' });
      const settled = await waitFor(
        actor,
        (s) => s.status !== 'active' || s.matches({ link: 'connected' }) || s.matches('failed'),
        { timeout: facade.connectTimeoutMs },
      ).catch(() => undefined);
      if (!settled) {
        actor.send({ type: 'session.close' });
        throw new VoxstateError({ code: 'connection_failed', message: `No answer from the provider within ${facade.connectTimeoutMs} ms` });
      }
      if (!settled.matches({ link: 'connected' })) {
        const error = settled.context.lastError ?? { code: 'connection_failed', message: 'Connection failed' };
        throw new VoxstateError(error);
      }
    },

    /**
     * Sends user audio (PCM16 LE mono at `inputSampleRate`). Synchronous and cheap: it is the hot
     * path. Throws `NotConnectedError` when the session is not live; buffered while resuming.
     */
    sendAudio(pcm: Buffer | Uint8Array | Int16Array): void {
      requireLive('send audio');
      // Checked before the audio plane sees it: audio already buffered during a swap stays intact.
      const refusal = ArrayBuffer.isView(pcm) ? pcmRefusal(pcm) : notBytesRefusal(pcm);
      if (refusal) throw new VoxstateError({ code: 'invalid_audio', message: refusal });
      const buffer = Buffer.isBuffer(pcm) ? pcm : Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      audio.sendUserAudio(buffer, facade.inputSampleRate);
    },

    async sendText(text: string, opts: { respond?: boolean } = {}): Promise<void> {
      const rejected = rejectIfNotLive('send text');
      if (rejected) return rejected;
      actor.send({ type: 'session.sendText', text, ...(opts.respond === undefined ? {} : { respond: opts.respond }) });
    },
    async commitAudio(): Promise<void> {
      const rejected = rejectIfNotLive('commit audio');
      if (rejected) return rejected;
      actor.send({ type: 'session.commitAudio' });
    },
    async clearAudio(): Promise<void> {
      const rejected = rejectIfNotLive('clear audio');
      if (rejected) return rejected;
      actor.send({ type: 'session.clearAudio' });
    },
    async createResponse(): Promise<void> {
      const rejected = rejectIfNotLive('create a response');
      if (rejected) return rejected;
      actor.send({ type: 'session.createResponse' });
    },
    /** Barge-in from the application. `playedMs`: how much of the current assistant audio was played. */
    async interrupt(opts: { playedMs?: number } = {}): Promise<void> {
      const rejected = rejectIfNotLive('interrupt');
      if (rejected) return rejected;
      actor.send({ type: 'session.interrupt', ...(opts.playedMs === undefined ? {} : { playedMs: opts.playedMs }) });
    },

    /**
     * Changes the session's context. Resolves `'applied'` (changed on the open connection),
     * `'resumed'` (the session was idle and reconnected with the new config), or `'queued'` (the
     * model is busy; the change runs at the next idle moment). Rejects with `ConfigValidationError`
     * for a bad delta and `UpdateFailedError` when the provider rejects it or every resumption
     * attempt fails. The returned promise also carries `completion`: it settles when the change is
     * in effect (`'applied'` or `'resumed'`, so a queued update can be awaited to the end), or
     * rejects with the reason it never took effect.
     */
    updateSession(
      deltaInput: Omit<SessionDeltaInput, 'tools'> & { tools?: SessionTool[] },
      opts: { bridgeMessage?: string } = {},
    ): UpdateRequest {
      const outcome = settleable<UpdateOutcome>();
      const completion = settleable<UpdateCompletion>();
      // Awaiting only the outcome is fine: a failure then must not surface as an unhandled rejection.
      completion.promise.catch(() => {});
      const fail = (error: unknown) => {
        outcome.reject(error);
        completion.reject(error);
      };
      const request = Object.assign(outcome.promise, { completion: completion.promise });
      try {
        requireLive('update the session');
        const { tools: deltaTools, ...delta } = deltaInput;
        const staged = new ToolRegistry();
        const parsed = parseSessionDelta(deltaTools ? { ...delta, tools: registerTools(staged, deltaTools) } : delta);
        assertModelAccepts(options.model, mergeSessionDelta(actor.getSnapshot().context.config, parsed).config);
        // Handlers are registered only once the delta validated, so a bad update changes nothing.
        if (deltaTools) for (const tool of deltaTools) if (isToolDefinition(tool)) registry.register(tool);
        const requestId = `update_${++requestSeq}`;
        const subs = [
          actor.on('session_updated', (e) => {
            if (e.requestId !== requestId) return;
            outcome.resolve(e.outcome); // the first answer; a queued one is answered again later
            if (e.outcome === 'queued') return;
            completion.resolve(e.outcome);
            subs.forEach((s) => s.unsubscribe());
          }),
          actor.on('update_failed', (e) => {
            if (e.requestId !== requestId) return;
            fail(new UpdateFailedError(e.error));
            subs.forEach((s) => s.unsubscribe());
          }),
        ];
        subs.push(
          actor.subscribe({
            complete: () => {
              fail(new VoxstateError({ code: 'session_closed', message: 'The session closed before the update took effect' }));
              subs.forEach((s) => s.unsubscribe());
            },
          }),
        );
        actor.send({
          type: 'session.update',
          requestId,
          delta: parsed,
          ...(opts.bridgeMessage === undefined ? {} : { bridgeMessage: opts.bridgeMessage }),
        });
      } catch (error) {
        fail(error);
      }
      return request;
    },

    /** Answers a call the application runs itself (`autoExecuteTools: false`) or re-sends a result. */
    async sendToolResult(callId: string, output: unknown): Promise<void> {
      const rejected = rejectIfNotLive('send a tool result');
      if (rejected) return rejected;
      const refusal = toolResultRefusal(actor.getSnapshot().context, callId);
      if (refusal) throw new VoxstateError({ code: 'tool_error', message: refusal });
      actor.send({ type: 'session.toolResult', callId, output });
    },
    /**
     * Lets a call waiting in `awaitingApproval` run. Rejects, as `sendToolResult` does, with
     * `NotConnectedError` when the session is not live and a `tool_error` for a call id no tool
     * actor is running (unknown, already settled, or run by the application).
     */
    async approveTool(callId: string): Promise<void> {
      const rejected = rejectIfNotLive('approve a tool call');
      if (rejected) return rejected;
      const refusal = toolDecisionRefusal(actor.getSnapshot().context, callId);
      if (refusal) throw new VoxstateError({ code: 'tool_error', message: refusal });
      actor.send({ type: 'session.approveTool', callId });
    },
    /** Answers a call waiting for approval with a `rejected` error output carrying `reason`. Rejects like `approveTool`. */
    async rejectTool(callId: string, reason?: string): Promise<void> {
      const rejected = rejectIfNotLive('reject a tool call');
      if (rejected) return rejected;
      const refusal = toolDecisionRefusal(actor.getSnapshot().context, callId);
      if (refusal) throw new VoxstateError({ code: 'tool_error', message: refusal });
      actor.send({ type: 'session.rejectTool', callId, ...(reason === undefined ? {} : { reason }) });
    },

    /** Closes the connection (answering outstanding tool calls with a cancellation) and ends the session. */
    async close(): Promise<void> {
      if (actor.getSnapshot().status !== 'active') return;
      if (actor.getSnapshot().matches('disconnected') || actor.getSnapshot().matches('failed')) {
        actor.stop();
        events.complete();
        return;
      }
      actor.send({ type: 'session.close' });
      await waitFor(actor, (s) => s.status !== 'active', { timeout: 5_000 }).catch(() => undefined);
      actor.stop();
      events.complete();
    },
  };
  handle = session;
  return session;
}

export type RealtimeSession = ReturnType<typeof createRealtimeSession>;

/** What a debug line says about a control-plane event: its identifiers and outcome, never payloads. */
function controlEventFields(event: SessionEmitted): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of ['callId', 'name', 'requestId', 'outcome', 'status', 'reason', 'connectionId', 'code'] as const) {
    const value = (event as Record<string, unknown>)[key];
    if (value !== undefined) fields[key] = value;
  }
  if (event.type === 'error' || event.type === 'update_failed' || event.type === 'resumption_failed') fields['error'] = event.error;
  return fields;
}

/** Why `sendAudio` refuses a value that is not bytes at all (a string, an array, undefined). */
function notBytesRefusal(value: unknown): string {
  let got: string;
  if (value === null || value === undefined) got = String(value);
  else if (typeof value === 'string') got = `a string (${value.length} characters)`;
  else if (Array.isArray(value)) got = 'an array';
  else if (value instanceof ArrayBuffer) got = 'an ArrayBuffer (wrap it: new Uint8Array(buffer))';
  else got = typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return `User audio must be PCM16 bytes (a Buffer, Uint8Array or Int16Array); got ${got}. Nothing was sent or buffered for this chunk.`;
}

function attachEventHandler(
  handler: EventHandler,
  on: <N extends SessionEventName>(type: N, fn: (event: SessionEventMap[N]) => void) => () => void,
): void {
  if (handler.onAudio) on('audio', (e) => handler.onAudio!(e.audio, e.itemId));
  if (handler.onText) on('text', (e) => handler.onText!(e.delta, e.itemId));
  if (handler.onTranscript) on('transcript', (e) => {
    if (e.role === 'assistant' && !e.isFinal) handler.onTranscript!(e.text, e.itemId);
  });
  if (handler.onSpeechStarted) on('speech_started', (e) => handler.onSpeechStarted!(e.audioStartMs));
  if (handler.onSpeechStopped) on('speech_stopped', (e) => handler.onSpeechStopped!(e.audioEndMs));
  if (handler.onResponseDone) on('response_done', () => handler.onResponseDone!());
  if (handler.onError) on('error', (e) => handler.onError!(e.error));
}
