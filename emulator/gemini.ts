/**
 * The Gemini Live side of the emulator: BidiGenerateContent on the Gemini API paths (v1alpha,
 * v1beta) and the Vertex `LlmBidiService` path. Replies come from the shared Brain, spoken as
 * synthetic PCM16 24 kHz audio paced with timers, so barge-in, tool-call cancellation, handles and
 * goAway can be exercised over a real socket. See docs/emulator.md ("Gemini").
 */
import { gemini38SetupRefusal } from './gemini-38-setup.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { BrainTool } from './brain.js';
import { admitGeminiTokenSession, checkGeminiToken, mintGeminiToken } from './gemini-tokens.js';
import { WORKING_ON_IT, declaredBehavior, interruptWaitsForUser, schedulingOf, type CallBehavior } from './gemini-tool-rules.js';
import { requestPath, type EmulatorContext, type EmulatorRoute } from './server.js';
import { synthesize } from './speech.js';
import { VoiceDetector } from './voice-detector.js';

export type GeminiFault =
  | { type: 'malformed' }
  | { type: 'unknown' }
  | { type: 'close'; code?: number; reason?: string }
  /** A `sessionResumptionUpdate` with exactly these fields (e.g. a non-empty handle marked not resumable). */
  | { type: 'handle'; newHandle: string; resumable: boolean }
  /** Sends the last `toolCall` frame of this connection again, same ids (a duplicate delivery). */
  | { type: 'repeatToolCall' }
  /** Sends this server message as it is (e.g. a transcription piece at a moment a test chooses). */
  | { type: 'frame'; frame: Record<string, unknown> };

export interface GeminiEmulatorOptions {
  /** Output pacing: 1 = real time; default 20. */
  realtimeFactor?: number;
  /** Audio per `modelTurn` message, in ms; default 40. */
  chunkMs?: number;
  /** `all` (default, like Google's service), `setupComplete` (only that one) or `none`: which server frames are binary. */
  binaryFrames?: 'all' | 'setupComplete' | 'none';
  /** RMS (0..32767) above which an input chunk counts as speech; default 500. */
  vadRmsThreshold?: number;
  /** Silence that ends a spoken turn with automatic activity detection, in ms of audio; default 200. */
  vadSilenceMs?: number;
  /** Send `goAway` this long after `setupComplete` (off by default). */
  goAwayAfterMs?: number;
  /** `timeLeft` announced by goAway, then the close; default 1000. */
  goAwayTimeLeftMs?: number;
  /** Close code when the goAway time runs out; default 1008 ("The operation was aborted."). */
  goAwayCloseCode?: number;
  /**
   * Send a spoken turn's `inputTranscription` after the model's `turnComplete` for it, as the real
   * service may (input transcription is not ordered with the rest); default false: before the reply.
   */
  lateInputTranscription?: boolean;
  /** Also send `turnComplete` right after a `toolCall` (before the toolResponse); default false. */
  turnCompleteAfterToolCall?: boolean;
  /** Withdraw outstanding tool calls (`toolCallCancellation`) when the user barges in; default true. */
  cancelToolCallsOnInterrupt?: boolean;
  /** Accept the experimental `contextUpdate` (default true); false closes with 1007 like older servers. */
  contextUpdate?: boolean;
  /**
   * When set, connections must present this key (`?key=` or Bearer); else HTTP 401. Minting an
   * ephemeral token (`POST /v1alpha/auth_tokens`) needs it too; the Constrained endpoint takes a
   * minted token (`?access_token=`) instead, whether or not this is set.
   */
  apiKey?: string;
  /**
   * Answer a client's close frame only after this long (default 0): a service slow to let go of a
   * session, so a client that opens its resume socket before the old one has closed is refused (1011).
   */
  closeReplyDelayMs?: number;
  /** Faults fired once, right after the first client message of that kind (`setup`, `clientContent`, `realtimeInput`, `toolResponse`). */
  faults?: ReadonlyArray<{ on: string; fault: GeminiFault }>;
}

export interface GeminiEmulatorControl {
  /** Ids of the open Gemini connections, oldest first. */
  connections(): number[];
  inject(fault: GeminiFault, connection?: number): void;
  /** Sends `goAway{timeLeft}` now and closes when it runs out. */
  goAway(timeLeftMs: number, connection?: number): void;
  /** The conversation a connection holds (restored turns included), oldest first. */
  history(connection?: number): ReadonlyArray<{ role: 'user' | 'model'; text: string }>;
  /** Forgets every handle issued so far, as the service does once they expire: a setup with one is refused (1008). */
  expireHandles(): void;
  /** Refuses the next `count` setups (on any connection) by closing with `code` and `reason`. */
  refuseSetups(count: number, code: number, reason: string): void;
}

type Json = Record<string, unknown>;
interface Turn {
  role: 'user' | 'model';
  text: string;
}
interface Conversation {
  /** The provider session this conversation belongs to: kept by a resume, new for a new session. */
  session: string;
  turns: Turn[];
  modelTurns: number;
  spokenTurns: number;
}
interface Generation {
  timers: Set<NodeJS.Timeout>;
  pendingCalls: Map<string, string>;
  outputs: Array<{ name: string; output: string }>;
  spoken: string;
  done: boolean;
  /** The user's words, sent after this generation's turnComplete (`lateInputTranscription`). */
  lateTranscript?: string;
}

const OUTPUT_RATE = 24_000;
/** What the extended-thinking model says before its answer (the emulator's filler). */
const THINKING_FILLER = 'Let me think about that.';
const registries = new WeakMap<EmulatorContext, Map<number, GeminiConnection>>();
const handleStores = new WeakMap<EmulatorContext, Map<string, Conversation>>();
/** Setups still to refuse (see `refuseSetups`), per emulator. */
const setupRefusals = new WeakMap<EmulatorContext, Array<{ code: number; reason: string }>>();

/** Gemini API (`apiVersion` v1, v1alpha or v1beta, as `@google/genai` lets you choose). */
const GEMINI_API_PATH = /^\/ws\/google\.ai\.generativelanguage\.v1(alpha|beta)?\.GenerativeService\.BidiGenerateContent(Constrained)?$/;
/** The ephemeral-token method (`access_token` instead of `key`). */
const CONSTRAINED_PATH = /\.BidiGenerateContentConstrained$/;
const VERTEX_PATH = /^\/ws\/google\.cloud\.aiplatform\.v1(beta1)?\.LlmBidiService\/BidiGenerateContent$/;
/**
 * `@google/genai` on Vertex with a custom `baseUrl` and no project, location or key (its proxy
 * mode) connects to the base URL itself; the platform is then told by the setup's model path.
 */
const PROXY_PATH = /^\/$/;

export const geminiRoute: EmulatorRoute = {
  protocol: 'gemini',
  matches: (pathname) => [GEMINI_API_PATH, VERTEX_PATH, PROXY_PATH].some((p) => p.test(pathname)),
  authorize(request, context) {
    const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
    if (CONSTRAINED_PATH.test(requestPath(request.url))) {
      const refusal = checkGeminiToken(query.get('access_token'), context);
      return refusal === undefined ? undefined : { status: 401, message: refusal };
    }
    const required = optionsOf(context).apiKey;
    if (required === undefined) return undefined;
    const auth = String(request.headers['authorization'] ?? '');
    // `?key=` (Gemini API), `x-goog-api-key` (what @google/genai sends to Vertex with a key), or a Bearer token.
    const header = request.headers['x-goog-api-key'];
    const presented = query.get('key') ?? (typeof header === 'string' ? header : undefined) ?? (auth.startsWith('Bearer ') ? auth.slice(7) : undefined);
    if (presented !== required) return { status: 401, message: 'API key not valid. Please pass a valid API key.' };
    return undefined;
  },
  handle: (socket, request, context, connection) => {
    new GeminiConnection(socket, request, context, connection);
  },
  http: (request, body, context) => mintGeminiToken(request, body, context, optionsOf(context).apiKey),
};

export function geminiControl(context: EmulatorContext): GeminiEmulatorControl {
  const registry = (): Map<number, GeminiConnection> => registries.get(context) ?? new Map();
  const pick = (connection?: number): GeminiConnection => {
    const id = connection ?? [...registry().keys()].pop();
    const found = id === undefined ? undefined : registry().get(id);
    if (!found) throw new Error(`no live Gemini emulator connection ${connection ?? ''}`.trim());
    return found;
  };
  return {
    connections: () => [...registry().keys()],
    inject: (fault, connection) => pick(connection).fault(fault),
    goAway: (timeLeftMs, connection) => pick(connection).goAway(timeLeftMs),
    history: (connection) => [...pick(connection).conversation.turns],
    expireHandles: () => handleStores.get(context)?.clear(),
    refuseSetups: (count, code, reason) => {
      let list = setupRefusals.get(context);
      if (!list) setupRefusals.set(context, (list = []));
      for (let i = 0; i < count; i++) list.push({ code, reason });
    },
  };
}

function optionsOf(context: EmulatorContext): GeminiEmulatorOptions {
  return (context.options['gemini'] as GeminiEmulatorOptions | undefined) ?? {};
}
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const CLIENT_KEYS = ['setup', 'clientContent', 'realtimeInput', 'toolResponse', 'contextUpdate'] as const;

class GeminiConnection {
  private readonly options: GeminiEmulatorOptions;
  private readonly factor: number;
  private setupDone = false;
  private closed = false;
  private instructions = '';
  private tools: BrainTool[] = [];
  /** Each declared tool's behaviour, `behavior` as declared or the model's default (gemini-tool-rules.ts). */
  private behaviors = new Map<string, CallBehavior>();
  /** The bare model id from the setup. */
  private model = '';
  /** NON_BLOCKING calls still running (id → name): they outlive the turn that made them. */
  private readonly backgroundCalls = new Map<string, string>();
  /** WHEN_IDLE results (and INTERRUPT ones while the user talks) waiting for the model to be idle. */
  private idleResults: Array<{ name: string; output: string }> = [];
  private manual = false;
  private audioOut = true;
  private inputTranscription = false;
  private outputTranscription = false;
  private resumption = false;
  conversation: Conversation = { session: randomUUID(), turns: [], modelTurns: 0, spokenTurns: 0 };
  /** The ephemeral token this connection presented (the Constrained endpoint), if any. */
  private readonly token: string | undefined;
  private generation: Generation | undefined;
  private calls = 0;
  /** Vertex sends `setupComplete.sessionId` and UUID call ids; undefined until the setup tells (proxy path). */
  private platform: 'vertex' | 'geminiApi' | undefined;
  private lastToolCall: Json | undefined;
  private readonly firedFaults = new Set<number>();
  private readonly lifetimeTimers = new Set<NodeJS.Timeout>();
  // Activity detection: automatic (by level) or manual (activityStart/activityEnd).
  private readonly detector: VoiceDetector;

  constructor(
    private readonly socket: WebSocket,
    request: IncomingMessage,
    private readonly context: EmulatorContext,
    private readonly connection: number,
  ) {
    this.options = optionsOf(context);
    this.detector = new VoiceDetector(this.options.vadRmsThreshold ?? 500);
    const path = requestPath(request.url);
    this.platform = VERTEX_PATH.test(path) ? 'vertex' : GEMINI_API_PATH.test(path) ? 'geminiApi' : undefined;
    this.token = CONSTRAINED_PATH.test(path) ? (new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('access_token') ?? undefined) : undefined;
    this.delayCloseReplies(this.options.closeReplyDelayMs ?? 0);
    this.factor = Math.max(0.01, this.options.realtimeFactor ?? 20);
    let registry = registries.get(context);
    if (!registry) registries.set(context, (registry = new Map()));
    registry.set(connection, this);
    socket.on('message', (data) => this.onFrame(String(data)));
    socket.on('close', () => {
      this.closed = true;
      this.stopGeneration();
      for (const t of this.lifetimeTimers) clearTimeout(t);
      registry.delete(connection);
    });
  }

  // ── output ──

  private send(message: Json): void {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) return;
    this.context.log.add({ protocol: 'gemini', connection: this.connection, direction: 'out', frame: message });
    const text = JSON.stringify(message);
    const mode = this.options.binaryFrames ?? 'all';
    const binary = mode === 'all' || (mode === 'setupComplete' && 'setupComplete' in message);
    this.socket.send(binary ? Buffer.from(text) : text, { binary });
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    this.context.log.add({ protocol: 'gemini', connection: this.connection, direction: 'out', frame: { close: { code, reason } } });
    this.closed = true;
    this.stopGeneration();
    this.socket.close(code, reason);
  }

  /** Whether another connection of this provider session still has an open socket (no close frame processed). */
  private sessionStillOpen(session: string): boolean {
    return [...(registries.get(this.context)?.values() ?? [])].some(
      (other) => other !== this && other.conversation.session === session && other.socket.readyState === WebSocket.OPEN,
    );
  }

  /**
   * \`closeReplyDelayMs\`: the client's close frame is processed (and answered) only after a delay,
   * so the socket stays open meanwhile. \`ws\` answers a close frame from its receiver's \`conclude\`
   * listener; the emulator runs that listener later. If the client gives up and drops the TCP
   * connection first, the socket closes as usual.
   */
  private delayCloseReplies(delayMs: number): void {
    const receiver = (this.socket as unknown as { _receiver?: NodeJS.EventEmitter })._receiver;
    if (delayMs <= 0 || !receiver) return;
    const answer = receiver.listeners('conclude');
    receiver.removeAllListeners('conclude');
    receiver.on('conclude', (code: number, reason: Buffer) => {
      const timer = setTimeout(() => {
        if (this.socket.readyState === WebSocket.OPEN) for (const listener of answer) listener.call(receiver, code, reason);
      }, delayMs);
      this.lifetimeTimers.add(timer);
    });
  }

  private later(ms: number, fn: () => void, timers: Set<NodeJS.Timeout> = this.lifetimeTimers): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!this.closed) fn();
    }, ms);
    timers.add(timer);
  }

  fault(fault: GeminiFault): void {
    if (fault.type === 'malformed') {
      this.context.log.add({ protocol: 'gemini', connection: this.connection, direction: 'out', frame: { malformed: true } });
      this.socket.send('{"serverContent": {"modelTurn": ');
    } else if (fault.type === 'unknown') this.send({ somethingNew: { hello: 1 } });
    else if (fault.type === 'frame') this.send(fault.frame);
    else if (fault.type === 'handle') this.send({ sessionResumptionUpdate: { newHandle: fault.newHandle, resumable: fault.resumable } });
    else if (fault.type === 'repeatToolCall') {
      if (this.lastToolCall) this.send(this.lastToolCall);
    }
    else this.close(fault.code ?? 1011, fault.reason ?? 'Internal error encountered.');
  }

  goAway(timeLeftMs: number): void {
    this.send({ goAway: { timeLeft: `${timeLeftMs / 1000}s` } });
    this.later(timeLeftMs, () => this.close(this.options.goAwayCloseCode ?? 1008, 'The operation was aborted.'));
  }

  // ── input ──

  private onFrame(text: string): void {
    if (this.closed) return;
    let message: Json;
    try {
      message = obj(JSON.parse(text));
    } catch {
      this.context.log.add({ protocol: 'gemini', connection: this.connection, direction: 'in', frame: { malformed: text.slice(0, 200) } });
      return this.close(1007, 'Invalid JSON payload received.');
    }
    this.context.log.add({ protocol: 'gemini', connection: this.connection, direction: 'in', frame: message });
    const keys = Object.keys(message);
    const kind = keys[0];
    if (keys.length !== 1 || !CLIENT_KEYS.includes(kind as (typeof CLIENT_KEYS)[number])) {
      return this.close(1007, `Invalid JSON payload received. Unknown name "${keys.find((k) => !CLIENT_KEYS.includes(k as never)) ?? keys.join(',')}": Cannot find field.`);
    }
    if (kind === 'setup') {
      if (this.setupDone) return this.close(1007, 'Request contains an invalid argument: setup must be the first and only setup message.');
      this.onSetup(obj(message['setup']));
    } else if (!this.setupDone) {
      return this.close(1007, 'Request contains an invalid argument: the first message must be setup.');
    } else if (kind === 'clientContent') this.onClientContent(obj(message['clientContent']));
    else if (kind === 'realtimeInput') this.onRealtimeInput(obj(message['realtimeInput']));
    else if (kind === 'toolResponse') this.onToolResponse(obj(message['toolResponse']));
    else if (kind === 'contextUpdate') {
      if (this.options.contextUpdate === false) return this.close(1007, 'Invalid JSON payload received. Unknown name "contextUpdate": Cannot find field.');
      this.onContextUpdate(obj(message['contextUpdate']));
    }
    this.fireFaults(kind!);
  }

  private fireFaults(kind: string): void {
    (this.options.faults ?? []).forEach((entry, i) => {
      if (entry.on === kind && !this.firedFaults.has(i)) {
        this.firedFaults.add(i);
        this.fault(entry.fault);
      }
    });
  }

  private onSetup(setup: Json): void {
    const refusal = setupRefusals.get(this.context)?.shift();
    if (refusal) return this.close(refusal.code, refusal.reason);
    if (typeof setup['model'] !== 'string' || !setup['model']) return this.close(1007, 'Request contains an invalid argument: setup.model is required.');
    const declarations = Array.isArray(setup['tools']) ? setup['tools'].flatMap((t) => (Array.isArray(obj(t)['functionDeclarations']) ? (obj(t)['functionDeclarations'] as unknown[]) : [])) : [];
    for (const d of declarations) {
      if ('parameters' in obj(d) && 'parametersJsonSchema' in obj(d)) {
        return this.close(1007, 'Request contains an invalid argument: parameters and parametersJsonSchema are mutually exclusive.');
      }
    }
    const refused38 = gemini38SetupRefusal(setup, this.platform ?? (/^(projects|publishers)\//.test(setup['model']) ? 'vertex' : 'geminiApi'));
    if (refused38) return this.close(1007, refused38);
    const resumption = setup['sessionResumption'];
    const handle = typeof obj(resumption)['handle'] === 'string' ? (obj(resumption)['handle'] as string) : undefined;
    const saved = handle === undefined ? undefined : handleStores.get(this.context)?.get(handle);
    if (handle !== undefined && !saved) return this.close(1008, 'Session resumption handle is invalid or expired.');
    // The service refuses a resume while an earlier socket of the same session is still open.
    if (saved && this.sessionStillOpen(saved.session)) return this.close(1011, 'Internal error encountered.');
    if (this.token !== undefined) {
      const refusal = admitGeminiTokenSession(this.token, saved !== undefined, this.context);
      if (refusal) return this.close(1008, refusal);
    }
    if (saved) this.conversation = { ...saved, turns: [...saved.turns] };
    this.setupDone = true;
    this.model = setup['model'].split('/').pop() ?? setup['model'];
    this.applyContext(setup['systemInstruction'], setup['tools']);
    const generation = obj(setup['generationConfig']);
    const modalities = Array.isArray(generation['responseModalities']) ? generation['responseModalities'] : ['AUDIO'];
    this.audioOut = !modalities.includes('TEXT');
    this.manual = obj(obj(setup['realtimeInputConfig'])['automaticActivityDetection'])['disabled'] === true;
    this.inputTranscription = 'inputAudioTranscription' in setup;
    this.outputTranscription = 'outputAudioTranscription' in setup;
    this.resumption = resumption !== undefined;
    this.platform ??= /^(projects|publishers)\//.test(setup['model']) ? 'vertex' : 'geminiApi';
    // Vertex names the session (a UUID) in setupComplete; the Gemini API sends an empty object.
    this.send({ setupComplete: this.platform === 'vertex' ? { sessionId: randomUUID() } : {} });
    if (this.options.goAwayAfterMs !== undefined) {
      this.later(this.options.goAwayAfterMs, () => this.goAway(this.options.goAwayTimeLeftMs ?? 1000));
    }
  }

  private applyContext(instruction: unknown, tools: unknown): void {
    if (instruction !== undefined) {
      const parts = Array.isArray(obj(instruction)['parts']) ? (obj(instruction)['parts'] as unknown[]) : [];
      this.instructions = typeof instruction === 'string' ? instruction : parts.map((p) => String(obj(p)['text'] ?? '')).join('\n');
    }
    if (tools !== undefined) {
      this.tools = (Array.isArray(tools) ? tools : []).flatMap((t) =>
        (Array.isArray(obj(t)['functionDeclarations']) ? (obj(t)['functionDeclarations'] as unknown[]) : []).map((d) => {
          const decl = obj(d);
          this.behaviors.set(String(decl['name'] ?? ''), declaredBehavior(decl['behavior'], this.model));
          return {
            name: String(decl['name'] ?? ''),
            description: typeof decl['description'] === 'string' ? decl['description'] : undefined,
            parameters: obj(decl['parametersJsonSchema'] ?? decl['parameters']),
          } as BrainTool;
        }),
      );
    }
  }

  private onContextUpdate(update: Json): void {
    this.applyContext(update['systemInstruction'], 'tools' in update ? obj(update['tools'])['tools'] ?? [] : undefined);
  }

  private onClientContent(content: Json): void {
    const turns = Array.isArray(content['turns']) ? content['turns'] : [];
    let lastUser: string | undefined;
    for (const turn of turns) {
      const t = obj(turn);
      const text = (Array.isArray(t['parts']) ? t['parts'] : []).map((p) => String(obj(p)['text'] ?? '')).join('');
      const role = t['role'] === 'model' ? 'model' : 'user';
      this.conversation.turns.push({ role, text });
      if (role === 'user') lastUser = text;
    }
    if (content['turnComplete'] === true) {
      // clientContent interrupts the current generation.
      if (this.generation) this.interrupt();
      this.generate(lastUser, []);
    }
  }

  private onRealtimeInput(input: Json): void {
    if (typeof input['text'] === 'string') {
      if (this.generation) this.interrupt();
      this.conversation.turns.push({ role: 'user', text: input['text'] });
      return this.generate(input['text'], []);
    }
    if ('activityStart' in input) {
      if (!this.manual) return this.close(1007, 'Request contains an invalid argument: activityStart requires automatic activity detection to be disabled.');
      this.startSpeech();
    }
    const audio = obj(input['audio']);
    if (typeof audio['data'] === 'string') this.onAudio(Buffer.from(audio['data'], 'base64'), String(audio['mimeType'] ?? ''));
    if ('activityEnd' in input) {
      if (!this.manual) return this.close(1007, 'Request contains an invalid argument: activityEnd requires automatic activity detection to be disabled.');
      this.endSpeech();
    }
    if (input['audioStreamEnd'] === true && this.detector.speaking) this.endSpeech();
  }

  private onAudio(pcm: Buffer, mimeType: string): void {
    const rate = Number(/rate=(\d+)/.exec(mimeType)?.[1] ?? 16_000);
    const ms = (pcm.length / 2 / rate) * 1000;
    if (this.manual) return this.detector.extend(ms);
    const change = this.detector.hear(pcm, ms, this.options.vadSilenceMs ?? 200);
    if (change === 'speechStarted') this.onSpeechStarted();
    else if (change === 'speechEnded') this.onSpeechEnded();
  }

  /** Manual `activityStart`. */
  private startSpeech(): void {
    if (this.detector.speaking) return;
    this.detector.start();
    this.onSpeechStarted();
  }

  /** Manual `activityEnd`, or the end of the audio stream. */
  private endSpeech(): void {
    if (!this.detector.speaking) return;
    this.detector.end();
    this.onSpeechEnded();
  }

  /** The user barges in. */
  private onSpeechStarted(): void {
    if (this.generation) this.interrupt();
  }

  /** The user's turn is over: its words (from the brain), then the model's turn (results waiting for idle follow it). */
  private onSpeechEnded(): void {
    const said = this.context.brain.transcribe?.(this.conversation.spokenTurns++, this.detector.speechMs) ?? '';
    const transcribe = this.inputTranscription && said;
    if (transcribe && !this.options.lateInputTranscription) this.send({ serverContent: { inputTranscription: { text: said } } });
    this.conversation.turns.push({ role: 'user', text: said });
    this.generate(said, []);
    if (transcribe && this.options.lateInputTranscription && this.generation) this.generation.lateTranscript = said;
  }

  private onToolResponse(response: Json): void {
    const generation = this.generation;
    const answers = Array.isArray(response['functionResponses']) ? response['functionResponses'] : [];
    for (const answer of answers) this.onBackgroundResult(obj(answer));
    if (!generation) return;
    for (const answer of answers) {
      const a = obj(answer);
      const id = typeof a['id'] === 'string' ? a['id'] : [...generation.pendingCalls].find(([, name]) => name === a['name'])?.[0];
      if (!id || !generation.pendingCalls.has(id)) continue;
      const name = generation.pendingCalls.get(id)!;
      generation.pendingCalls.delete(id);
      const output = JSON.stringify(a['response'] ?? {});
      generation.outputs.push({ name, output });
      this.conversation.turns.push({ role: 'user', text: `[${name} returned ${output}]` });
    }
    if (generation.pendingCalls.size === 0 && generation.outputs.length > 0) {
      const outputs = generation.outputs;
      generation.outputs = [];
      this.continueWith(generation, undefined, outputs);
    }
  }

  /** A NON_BLOCKING call's result: into the context, then spoken as its `scheduling` says. */
  private onBackgroundResult(answer: Json): void {
    const id = typeof answer['id'] === 'string' ? answer['id'] : undefined;
    const name = id === undefined ? undefined : this.backgroundCalls.get(id);
    if (id === undefined || name === undefined) return;
    this.backgroundCalls.delete(id);
    const output = JSON.stringify(answer['response'] ?? {});
    this.conversation.turns.push({ role: 'user', text: `[${name} returned ${output}]` });
    const scheduling = schedulingOf(answer['scheduling']);
    if (scheduling === 'SILENT') return;
    const busy = this.generation !== undefined && !this.generation.done;
    // On 3.8 INTERRUPT while the user talks waits for the user to finish; on 2.5 it plays over them (§2.2, [G4]).
    if (scheduling === 'INTERRUPT' && !(this.detector.speaking && interruptWaitsForUser(this.model))) {
      if (busy) this.interrupt();
      return this.generate(undefined, [{ name, output }]);
    }
    this.idleResults.push({ name, output });
    if (!busy && !this.detector.speaking) this.speakIdleResults();
  }

  /** WHEN_IDLE results are spoken once the model is idle (after the current turn). */
  private speakIdleResults(): void {
    if (this.idleResults.length === 0 || this.detector.speaking || (this.generation && !this.generation.done)) return;
    const results = this.idleResults;
    this.idleResults = [];
    this.generate(undefined, results);
  }

  // ── the model turn ──

  private generate(userText: string | undefined, toolOutputs: Array<{ name: string; output: string }>): void {
    const generation: Generation = { timers: new Set(), pendingCalls: new Map(), outputs: [], spoken: '', done: false };
    this.generation = generation;
    if (this.resumption) this.send({ sessionResumptionUpdate: { newHandle: '', resumable: false } });
    this.continueWith(generation, userText, toolOutputs);
  }

  private continueWith(generation: Generation, userText: string | undefined, toolOutputs: Array<{ name: string; output: string }>): void {
    const reply = this.context.brain.reply({
      instructions: this.instructions,
      tools: this.tools,
      userText,
      toolOutputs,
      turnIndex: this.conversation.modelTurns,
    });
    const delay = (n: number): number => (n * (this.options.chunkMs ?? 40)) / this.factor;
    if (reply.toolCalls && reply.toolCalls.length > 0) {
      const functionCalls = reply.toolCalls.map((call) => {
        ++this.calls;
        const id = this.platform === 'vertex' ? randomUUID() : `function-call-${this.connection}-${this.calls}`;
        if (this.behaviors.get(call.name) === 'NON_BLOCKING') this.backgroundCalls.set(id, call.name);
        else generation.pendingCalls.set(id, call.name);
        let args: unknown = {};
        try {
          args = JSON.parse(call.arguments);
        } catch {
          args = {};
        }
        return { id, name: call.name, args };
      });
      const blocking = generation.pendingCalls.size > 0;
      this.later(delay(1), () => {
        this.lastToolCall = { toolCall: { functionCalls } };
        this.send(this.lastToolCall);
        // Only non-blocking calls: the model keeps talking while they run ([G3]).
        if (!blocking) return this.speak(generation, WORKING_ON_IT);
        this.send({ serverContent: { generationComplete: true } });
        if (this.options.turnCompleteAfterToolCall) this.send({ serverContent: { turnComplete: true } });
      }, generation.timers);
      return;
    }
    if (!this.extendedThinking) return this.speak(generation, reply.text);
    // gemini-3.8-live-extended-thinking: a spoken filler, a `turnComplete` with
    // `interactionStatus: IN_PROGRESS` (more output follows in the same request), then the answer
    // and a `turnComplete` with `IDLE` (gemini-live-2026.md §4 "Extended-thinking lifecycle").
    this.speak(generation, THINKING_FILLER, () => {
      this.send({ serverContent: { turnComplete: true, interactionStatus: 'IN_PROGRESS' } });
      this.later((this.options.chunkMs ?? 40) * 2 / this.factor, () => this.speak(generation, reply.text), generation.timers);
    });
  }

  /** The model's turns end with `interactionStatus` (IN_PROGRESS until IDLE) on the extended-thinking model. */
  private get extendedThinking(): boolean {
    return this.model === 'gemini-3.8-live-extended-thinking';
  }

  /** Speaks `text`; then `generationComplete` and the end of the turn, or `then` (more follows in this turn). */
  private speak(generation: Generation, text: string, then?: () => void): void {
    const before = generation.spoken.trim();
    const chunkMs = this.options.chunkMs ?? 40;
    const words = text.split(/\s+/).filter(Boolean);
    const frames: Json[] = [];
    if (this.audioOut) {
      const pcm = synthesize(text, OUTPUT_RATE);
      const chunkBytes = Math.round((OUTPUT_RATE * 2 * chunkMs) / 1000);
      const chunks = Math.ceil(pcm.length / chunkBytes);
      const wordsPerChunk = words.length / Math.max(1, chunks);
      for (let i = 0; i < chunks; i++) {
        const data = pcm.subarray(i * chunkBytes, (i + 1) * chunkBytes).toString('base64');
        frames.push({ serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data } }] } } });
        const from = Math.round(i * wordsPerChunk);
        const to = Math.round((i + 1) * wordsPerChunk);
        if (this.outputTranscription && to > from) {
          frames.push({ serverContent: { outputTranscription: { text: (from > 0 || before ? ' ' : '') + words.slice(from, to).join(' ') } } });
        }
      }
    } else {
      for (let i = 0; i < words.length; i += 3) {
        frames.push({ serverContent: { modelTurn: { parts: [{ text: (i > 0 || before ? ' ' : '') + words.slice(i, i + 3).join(' ') }] } } });
      }
    }
    let step = 0;
    const tick = (): void => {
      const frame = frames[step++];
      if (frame) {
        this.send(frame);
        const said = obj(obj(obj(frame['serverContent'])['outputTranscription']))['text'];
        const typed = obj((obj(obj(frame['serverContent'])['modelTurn'])['parts'] as unknown[] | undefined)?.[0])['text'];
        if (typeof said === 'string') generation.spoken += said;
        if (typeof typed === 'string') generation.spoken += typed;
        if (!this.audioOut || 'modelTurn' in obj(frame['serverContent'])) return this.later(chunkMs / this.factor, tick, generation.timers);
        return tick();
      }
      if (!this.audioOut || !this.outputTranscription) generation.spoken = (before ? `${before} ` : '') + text;
      if (then) return then();
      this.send({ serverContent: { generationComplete: true } });
      this.finish(generation, false);
    };
    this.later(chunkMs / this.factor, tick, generation.timers);
  }

  /** Ends the turn: `turnComplete` (+usage), the model's words in the history, a fresh handle. */
  private finish(generation: Generation, interrupted: boolean): void {
    if (generation.done) return;
    generation.done = true;
    this.stopGeneration();
    const words = generation.spoken.trim().split(/\s+/).filter(Boolean).length;
    this.send({
      serverContent: { turnComplete: true, ...(this.extendedThinking ? { interactionStatus: 'IDLE' } : {}) },
      usageMetadata: { promptTokenCount: 10 * this.conversation.turns.length, responseTokenCount: words, totalTokenCount: 10 * this.conversation.turns.length + words },
    });
    if (generation.lateTranscript) this.send({ serverContent: { inputTranscription: { text: generation.lateTranscript } } });
    this.conversation.turns.push({ role: 'model', text: generation.spoken.trim() + (interrupted ? ' [interrupted]' : '') });
    this.conversation.modelTurns++;
    if (this.resumption) {
      const handle = `gh_${randomBytes(12).toString('hex')}`;
      let store = handleStores.get(this.context);
      if (!store) handleStores.set(this.context, (store = new Map()));
      store.set(handle, { ...this.conversation, turns: [...this.conversation.turns] });
      this.send({ sessionResumptionUpdate: { newHandle: handle, resumable: true } });
    }
    if (this.idleResults.length > 0) this.later(0, () => this.speakIdleResults());
  }

  private interrupt(): void {
    const generation = this.generation;
    if (!generation || generation.done) return;
    for (const t of generation.timers) clearTimeout(t);
    generation.timers.clear();
    this.send({ serverContent: { interrupted: true } });
    if (generation.pendingCalls.size > 0 && this.options.cancelToolCallsOnInterrupt !== false) {
      this.send({ toolCallCancellation: { ids: [...generation.pendingCalls.keys()] } });
      generation.pendingCalls.clear();
    }
    this.finish(generation, true);
  }

  private stopGeneration(): void {
    const generation = this.generation;
    if (!generation) return;
    for (const t of generation.timers) clearTimeout(t);
    generation.timers.clear();
    this.generation = undefined;
  }
}
