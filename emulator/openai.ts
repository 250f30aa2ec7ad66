/**
 * The OpenAI Realtime side of the emulator: GA protocol on `/v1/realtime`, beta when the client
 * sends `OpenAI-Beta: realtime=v1` (or the `openai-beta.realtime-v1` subprotocol). Replies come
 * from the shared Brain, spoken as synthetic PCM16 24 kHz audio, paced with timers so a barge-in
 * can land mid-response. See docs/emulator.md for what it does and does not do.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { BrainTool } from './brain.js';
import { checkClientSecret, isClientSecret, mintClientSecret } from './openai-client-secrets.js';
import type { EmulatorContext, EmulatorRoute } from './server.js';
import { synthesize } from './speech.js';
import { VoiceDetector } from './voice-detector.js';

/** A fault to inject into a live connection (tests of error paths). */
export type OpenAIFault =
  | { type: 'malformed' }
  | { type: 'unknown'; eventType?: string }
  | { type: 'error'; code?: string; message?: string; errorType?: string }
  | { type: 'close'; code?: number; reason?: string }
  /** Sends this server event as given (an `event_id` is added; beta names on a beta connection). */
  | { type: 'frame'; frame: Record<string, unknown> }
  /**
   * In `faults` only: the client event of type `on` is refused instead of handled, with an
   * `invalid_request_error` `error` carrying `code` and echoing the event's `event_id` (as the
   * service does for an event it rejects).
   */
  | { type: 'refuse'; code?: string; message?: string };

export interface OpenAIEmulatorOptions {
  /** Output pacing: 1 = real time; default 20 (a 1 s reply streams in 50 ms). */
  realtimeFactor?: number;
  /** Audio per `output_audio.delta`, in ms; default 50. */
  chunkMs?: number;
  /** Characters per `function_call_arguments.delta`; default 8. */
  argsChunkChars?: number;
  /** RMS (0..32767) above which a 24 kHz input frame counts as speech; default 500. */
  vadRmsThreshold?: number;
  /** When set, connections must present this key (Bearer, `api-key` or subprotocol); else 401. */
  apiKey?: string;
  /**
   * Delay of the input transcription events after the commit, in ms (default 0). The service
   * transcribes asynchronously, so its transcript may arrive after the response it led to.
   */
  transcriptionDelayMs?: number;
  /**
   * The server-VAD race: the first N `response.create` frames find a response the server has just
   * started by itself (as server VAD does when a spoken turn ends at that moment). The emulator
   * starts that response first (answering `vadRaceUserText`, not the client's pending message,
   * which arrived after the turn was committed) and then refuses the client's frame with
   * `conversation_already_has_active_response`, echoing its `event_id`. Default 0.
   */
  vadRaceResponses?: number;
  /** The spoken turn the race response answers (default 'what time is it'). */
  vadRaceUserText?: string;
  /** Faults fired once, right after the emulator handled the first client event of type `on`. */
  faults?: ReadonlyArray<{ on: string; fault: OpenAIFault }>;
}

export interface OpenAIEmulatorControl {
  /** Ids of the open OpenAI connections, oldest first. */
  connections(): number[];
  /** Injects a fault into one connection (default: the newest). */
  inject(fault: OpenAIFault, connection?: number): void;
}

type Json = Record<string, unknown>;
interface Item {
  id: string;
  type: string;
  role?: string;
  text?: string;
  callId?: string;
  name?: string;
  audioMs?: number;
  /** The item as the service last described it (what `conversation.item.retrieve` returns). */
  wire?: Json;
}
interface ActiveResponse {
  id: string;
  cancelled: boolean;
  output: Json[];
  /** `response.metadata` of the `response.create` that asked for it, echoed on `response.created`/`response.done` (null for the server's own). */
  metadata: Json | null;
}

const SAMPLE_RATE = 24_000;

/** `response.create`'s `response.metadata` (the service echoes it on the response it starts), or null. */
function responseMetadata(frame: Json): Json | null {
  const response = frame['response'];
  const metadata = response && typeof response === 'object' ? (response as Json)['metadata'] : undefined;
  return metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? (metadata as Json) : null;
}
const GA_KEYS = new Set([
  'type', 'object', 'id', 'model', 'output_modalities', 'instructions', 'audio', 'include', 'tracing', 'tools',
  'tool_choice', 'parallel_tool_calls', 'reasoning', 'max_output_tokens', 'truncation', 'prompt', 'expires_at',
]);
/** The beta session fields (the `openai` package's beta `SessionUpdateEvent.Session`). */
const BETA_KEYS = new Set([
  'client_secret', 'input_audio_format', 'input_audio_noise_reduction', 'input_audio_transcription', 'instructions',
  'max_response_output_tokens', 'modalities', 'model', 'output_audio_format', 'speed', 'temperature', 'tool_choice', 'tools',
  'tracing', 'turn_detection', 'voice',
]);
const GA_TO_BETA: Record<string, string> = {
  'response.output_audio.delta': 'response.audio.delta',
  'response.output_audio.done': 'response.audio.done',
  'response.output_audio_transcript.delta': 'response.audio_transcript.delta',
  'response.output_audio_transcript.done': 'response.audio_transcript.done',
  'response.output_text.delta': 'response.text.delta',
  'response.output_text.done': 'response.text.done',
};

const live = new WeakMap<EmulatorContext, Map<number, (fault: OpenAIFault) => void>>();

export function openaiControl(context: EmulatorContext): OpenAIEmulatorControl {
  const map = (): Map<number, (fault: OpenAIFault) => void> => live.get(context) ?? new Map();
  return {
    connections: () => [...map().keys()],
    inject(fault, connection) {
      const id = connection ?? [...map().keys()].pop();
      const inject = id === undefined ? undefined : map().get(id);
      if (!inject) throw new Error(`no live OpenAI emulator connection ${connection ?? ''}`.trim());
      inject(fault);
    },
  };
}

function credentials(request: IncomingMessage): string | undefined {
  const auth = request.headers['authorization'];
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  const apiKey = request.headers['api-key'];
  if (typeof apiKey === 'string') return apiKey;
  const protocols = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return protocols.find((p) => p.startsWith('openai-insecure-api-key.'))?.slice('openai-insecure-api-key.'.length);
}

function isBeta(request: IncomingMessage): boolean {
  return (
    String(request.headers['openai-beta'] ?? '').includes('realtime=v1') ||
    String(request.headers['sec-websocket-protocol'] ?? '').includes('openai-beta.realtime-v1')
  );
}

export const openaiRoute: EmulatorRoute = {
  protocol: 'openai',
  matches: (pathname) => pathname === '/v1/realtime' || pathname === '/openai/v1/realtime',
  authorize(request, context) {
    const required = (context.options['openai'] as OpenAIEmulatorOptions | undefined)?.apiKey;
    const presented = credentials(request);
    if (!presented) return { status: 401, message: 'Missing bearer or basic authentication in header' };
    // An ephemeral client secret stands in for the key (see openai-client-secrets.ts).
    if (isClientSecret(presented)) {
      const refusal = checkClientSecret(presented, context);
      return refusal === undefined ? undefined : { status: 401, message: refusal };
    }
    if (required !== undefined && presented !== required) return { status: 401, message: 'Incorrect API key provided' };
    return undefined;
  },
  handle: (socket, request, context, connection) => new OpenAIConnection(socket, request, context, connection),
  http: (request, body, context) =>
    mintClientSecret(request, body, context, credentials(request), (context.options['openai'] as OpenAIEmulatorOptions | undefined)?.apiKey),
};

/**
 * The reasoning models (`gpt-realtime-2`, `-2.1`, `-2.1-mini`, …; not the dated `gpt-realtime-2025-…`):
 * the only ones that take `reasoning` (openai-realtime-2026.md §1, "only to reasoning models").
 * The API's refusal for the others is not documented; the emulator answers as the Chat Completions
 * API does for a parameter a model does not take (`unsupported_parameter`).
 */
const REASONING_MODEL = /^gpt-realtime-2(?:\.\d+)?(?:-|$)/;

function defaultGASession(model: string): Json {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: `sess_${randomBytes(8).toString('hex')}`,
    model,
    output_modalities: ['audio'],
    instructions: 'You are a helpful assistant.',
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: SAMPLE_RATE },
        transcription: null,
        noise_reduction: null,
        turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200, idle_timeout_ms: null, create_response: true, interrupt_response: true },
      },
      output: { format: { type: 'audio/pcm', rate: SAMPLE_RATE }, voice: 'alloy', speed: 1.0 },
    },
    include: null,
  };
}

function defaultBetaSession(model: string): Json {
  return {
    id: `sess_${randomBytes(8).toString('hex')}`,
    object: 'realtime.session',
    model,
    modalities: ['audio', 'text'],
    instructions: 'You are a helpful assistant.',
    voice: 'alloy',
    input_audio_format: 'pcm16',
    output_audio_format: 'pcm16',
    input_audio_transcription: null,
    turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200, create_response: true, interrupt_response: true },
    tools: [],
    tool_choice: 'auto',
    temperature: 0.8,
    max_response_output_tokens: 'inf',
  };
}

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class OpenAIConnection {
  private readonly beta: boolean;
  private readonly options: OpenAIEmulatorOptions;
  private session: Json;
  private closed = false;
  private seq = 0;
  private readonly items = new Map<string, Item>();
  private lastItemId: string | null = null;
  private response: ActiveResponse | undefined;
  private audioProduced = false;
  private turnIndex = 0;
  private spokenTurns = 0;
  private pendingUserText: string | undefined;
  /** How many server-VAD race responses this connection started (`vadRaceResponses`). */
  private vadRaces = 0;
  private pendingToolOutputs: Array<{ name: string; output: string }> = [];
  private readonly firedFaults = new Set<number>();
  // Input audio and the turn detector (server VAD).
  private buffer: Buffer[] = [];
  private bufferBytes = 0;
  private cursorMs = 0;
  private readonly detector: VoiceDetector;
  private speechItemId: string | undefined;

  constructor(
    private readonly socket: WebSocket,
    request: IncomingMessage,
    private readonly context: EmulatorContext,
    private readonly connection: number,
  ) {
    this.beta = isBeta(request);
    this.options = (context.options['openai'] as OpenAIEmulatorOptions | undefined) ?? {};
    this.detector = new VoiceDetector(this.options.vadRmsThreshold ?? 500);
    const model = new URL(request.url ?? '/', 'http://x').searchParams.get('model') ?? 'gpt-realtime-2.1';
    this.session = this.beta ? defaultBetaSession(model) : defaultGASession(model);
    let registry = live.get(context);
    if (!registry) live.set(context, (registry = new Map()));
    registry.set(connection, (fault) => this.inject(fault));
    socket.on('message', (data) => this.onFrame(String(data)));
    socket.on('close', () => {
      this.closed = true;
      if (this.response) this.response.cancelled = true;
      registry.delete(connection);
    });
    socket.on('error', () => undefined);
    this.send({ type: 'session.created', session: this.session });
  }

  // ── output ──

  private id(prefix: string): string {
    return `${prefix}_${this.connection}_${(++this.seq).toString(36)}${randomBytes(3).toString('hex')}`;
  }

  private send(frame: Json): void {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) return;
    const type = String(frame['type']);
    const out = { ...frame, type: this.beta ? (GA_TO_BETA[type] ?? type) : type, event_id: this.id('event') };
    this.context.log.add({ protocol: 'openai', connection: this.connection, direction: 'out', frame: out });
    this.socket.send(JSON.stringify(out));
  }

  private error(code: string, message: string, clientEventId: unknown, param?: string): void {
    this.send({
      type: 'error',
      error: { type: 'invalid_request_error', code, message, param: param ?? null, event_id: typeof clientEventId === 'string' ? clientEventId : null },
    });
  }

  private inject(fault: OpenAIFault): void {
    if (this.closed) return;
    switch (fault.type) {
      case 'malformed':
        this.context.log.add({ protocol: 'openai', connection: this.connection, direction: 'out', frame: '<malformed>' });
        return this.socket.send('{"type":"response.output_audio.delta","delta":');
      case 'unknown':
        return this.send({ type: fault.eventType ?? 'emulator.unknown_event', detail: 'injected' });
      case 'error':
        return this.send({
          type: 'error',
          error: { type: fault.errorType ?? 'server_error', code: fault.code ?? 'injected_error', message: fault.message ?? 'Injected server error', param: null, event_id: null },
        });
      case 'close':
        return this.socket.close(fault.code ?? 1011, fault.reason ?? 'injected close');
      case 'frame':
        return this.send(fault.frame);
      case 'refuse':
        // Only meaningful as a fault on a client event (it needs that event's event_id).
        return;
    }
  }

  // ── session view (GA and beta shapes) ──

  private get turnDetection(): Json | null {
    const td = this.beta ? this.session['turn_detection'] : obj(obj(obj(this.session['audio'])['input']))['turn_detection'];
    return td ? obj(td) : null;
  }
  private get transcriptionOn(): boolean {
    return Boolean(this.beta ? this.session['input_audio_transcription'] : obj(obj(this.session['audio'])['input'])['transcription']);
  }
  private get voice(): unknown {
    return this.beta ? this.session['voice'] : obj(obj(this.session['audio'])['output'])['voice'];
  }
  private get speaks(): boolean {
    const modalities = this.session[this.beta ? 'modalities' : 'output_modalities'];
    return Array.isArray(modalities) && modalities.includes('audio');
  }

  // ── input ──

  private onFrame(text: string): void {
    let frame: Json;
    try {
      frame = obj(JSON.parse(text));
    } catch {
      return this.error('invalid_json', 'The server could not parse the JSON in the request.', null);
    }
    this.context.log.add({ protocol: 'openai', connection: this.connection, direction: 'in', frame });
    const type = String(frame['type']);
    const eventId = frame['event_id'];
    const refusal = this.takeRefusal(type);
    if (refusal) return this.error(refusal.code ?? 'invalid_value', refusal.message ?? `Injected refusal of ${type}`, eventId);
    switch (type) {
      case 'session.update':
        this.onSessionUpdate(obj(frame['session']), eventId);
        break;
      case 'input_audio_buffer.append':
        this.onAudio(Buffer.from(String(frame['audio'] ?? ''), 'base64'));
        break;
      case 'input_audio_buffer.commit':
        if (this.bufferBytes === 0) this.error('input_audio_buffer_commit_empty', 'Error committing input audio buffer: buffer is empty.', eventId);
        else this.commit(false);
        break;
      case 'input_audio_buffer.clear':
        this.resetBuffer();
        this.send({ type: 'input_audio_buffer.cleared' });
        break;
      case 'conversation.item.create':
        this.onItemCreate(obj(frame['item']), eventId);
        break;
      case 'conversation.item.truncate':
        this.onTruncate(frame, eventId);
        break;
      case 'conversation.item.retrieve':
        this.onRetrieve(frame, eventId);
        break;
      case 'conversation.item.delete':
        this.onDelete(frame, eventId);
        break;
      case 'output_audio_buffer.clear':
        // WebRTC/SIP only: a WebSocket connection has no server-side output buffer to clear, so
        // there is nothing to do and nothing to answer (see docs/emulator.md).
        break;
      case 'response.create':
        if (!this.response && this.vadRaces < (this.options.vadRaceResponses ?? 0)) this.startVadRaceResponse();
        if (this.response) {
          this.error('conversation_already_has_active_response', `Conversation already has an active response in progress: ${this.response.id}. Wait until the response is finished before creating a new one.`, eventId);
        } else void this.respond(responseMetadata(frame));
        break;
      case 'response.cancel':
        if (!this.response) this.error('response_cancel_not_active', 'Cancellation failed: no active response found.', eventId);
        else this.cancel('client_cancelled');
        break;
      default:
        this.error('invalid_value', `Invalid value: '${type}'. Supported values are the realtime client events.`, eventId, 'type');
    }
    this.fireFaults(type);
  }

  /** The first unfired `refuse` fault for this client event type, marked fired. */
  private takeRefusal(type: string): Extract<OpenAIFault, { type: 'refuse' }> | undefined {
    const i = this.options.faults?.findIndex((entry, j) => entry.on === type && entry.fault.type === 'refuse' && !this.firedFaults.has(j)) ?? -1;
    if (i < 0) return undefined;
    this.firedFaults.add(i);
    return this.options.faults![i]!.fault as Extract<OpenAIFault, { type: 'refuse' }>;
  }

  private fireFaults(type: string): void {
    this.options.faults?.forEach((entry, i) => {
      if (entry.on !== type || entry.fault.type === 'refuse' || this.firedFaults.has(i)) return;
      this.firedFaults.add(i);
      this.inject(entry.fault);
    });
  }

  private onSessionUpdate(update: Json, eventId: unknown): void {
    if (this.beta) {
      const unknown = Object.keys(update).find((k) => !BETA_KEYS.has(k));
      if (unknown) return this.error('unknown_parameter', `Unknown parameter: 'session.${unknown}'.`, eventId, `session.${unknown}`);
    } else {
      if (update['type'] !== 'realtime') {
        return this.error('missing_required_parameter', "Missing required parameter: 'session.type'.", eventId, 'session.type');
      }
      const unknown = Object.keys(update).find((k) => !GA_KEYS.has(k));
      if (unknown) return this.error('unknown_parameter', `Unknown parameter: 'session.${unknown}'.`, eventId, `session.${unknown}`);
      const model = typeof update['model'] === 'string' ? update['model'] : String(this.session['model']);
      if (update['reasoning'] !== undefined && !REASONING_MODEL.test(model)) {
        return this.error('unsupported_parameter', `Unsupported parameter: 'session.reasoning' is not supported with ${model}.`, eventId, 'session.reasoning');
      }
      const rate = obj(obj(obj(update['audio'])['input'])['format'])['rate'];
      if (rate !== undefined && rate !== SAMPLE_RATE) {
        return this.error('invalid_value', `Invalid 'session.audio.input.format.rate': ${String(rate)}. Supported: 24000.`, eventId, 'session.audio.input.format.rate');
      }
    }
    const newVoice = this.beta ? update['voice'] : obj(obj(update['audio'])['output'])['voice'];
    if (newVoice !== undefined && newVoice !== this.voice && this.audioProduced) {
      return this.error('cannot_update_voice', "Cannot update a conversation's voice if assistant audio is present.", eventId, 'session.voice');
    }
    const next: Json = { ...this.session, ...update };
    if (!this.beta && update['audio']) {
      const cur = obj(this.session['audio']);
      const upd = obj(update['audio']);
      next['audio'] = {
        input: { ...obj(cur['input']), ...obj(upd['input']) },
        output: { ...obj(cur['output']), ...obj(upd['output']) },
      };
    }
    this.session = next;
    this.send({ type: 'session.updated', session: this.session });
  }

  private onAudio(pcm: Buffer): void {
    this.buffer.push(pcm);
    this.bufferBytes += pcm.length;
    const frameMs = pcm.length / 2 / (SAMPLE_RATE / 1000);
    const td = this.turnDetection;
    if (td) {
      // Semantic VAD behaves like server VAD with 500 ms of silence.
      const silenceLimit = td['type'] === 'server_vad' && typeof td['silence_duration_ms'] === 'number' ? td['silence_duration_ms'] : 500;
      const change = this.detector.hear(pcm, frameMs, silenceLimit);
      if (change === 'speechStarted') {
        this.speechItemId = this.id('item');
        this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: Math.round(this.cursorMs), item_id: this.speechItemId });
        if (this.response && td['interrupt_response'] !== false) this.cancel('turn_detected');
      } else if (change === 'speechEnded') {
        this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(this.cursorMs + frameMs), item_id: this.speechItemId });
        this.commit(td['create_response'] !== false);
      }
    }
    this.cursorMs += frameMs;
  }

  private resetBuffer(): void {
    this.buffer = [];
    this.bufferBytes = 0;
    this.detector.end();
  }

  /** Commits the input buffer as a user item; the transcript comes from the brain (no ASR here). */
  private commit(respond: boolean): void {
    const audioMs = this.bufferBytes / 48;
    const itemId = this.speechItemId ?? this.id('item');
    this.speechItemId = undefined;
    this.resetBuffer();
    const transcript = this.context.brain.transcribe?.(this.spokenTurns++, audioMs) ?? '';
    const previous = this.lastItemId;
    this.send({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: itemId });
    this.addItem({ id: itemId, type: 'message', role: 'user', text: transcript }, {
      id: itemId, type: 'message', status: 'completed', role: 'user', content: [{ type: 'input_audio', transcript: null }],
    });
    this.pendingUserText = transcript;
    if (this.transcriptionOn) {
      const transcribe = () => {
        this.setTranscript(itemId, transcript);
        this.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: itemId, content_index: 0, delta: transcript });
        this.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: itemId, content_index: 0, transcript, usage: { type: 'duration', seconds: audioMs / 1000 } });
      };
      const delay = this.options.transcriptionDelayMs ?? 0;
      if (delay > 0) void sleep(delay).then(transcribe);
      else transcribe();
    }
    if (respond && !this.response) void this.respond(null);
  }

  private addItem(item: Item, wire: Json): void {
    const previous = this.lastItemId;
    this.items.set(item.id, { ...item, wire });
    this.lastItemId = item.id;
    if (this.beta) this.send({ type: 'conversation.item.created', previous_item_id: previous, item: wire });
    else {
      this.send({ type: 'conversation.item.added', previous_item_id: previous, item: wire });
      this.send({ type: 'conversation.item.done', previous_item_id: previous, item: wire });
    }
  }

  private onItemCreate(item: Json, eventId: unknown): void {
    const id = typeof item['id'] === 'string' ? item['id'] : this.id('item');
    const type = item['type'];
    if (type === 'message') {
      const role = String(item['role']);
      const content = Array.isArray(item['content']) ? item['content'].map(obj) : [];
      if (!['user', 'assistant', 'system'].includes(role) || content.length === 0) {
        return this.error('invalid_value', 'Invalid message item: a role (user, assistant, system) and content are required.', eventId, 'item');
      }
      const text = content.map((c) => String(c['text'] ?? c['transcript'] ?? '')).join('');
      this.addItem({ id, type: 'message', role, text }, { ...item, id, status: 'completed' });
      if (role === 'user') this.pendingUserText = text;
    } else if (type === 'function_call') {
      this.addItem({ id, type: 'function_call', callId: String(item['call_id']), name: String(item['name']) }, { ...item, id, status: 'completed' });
    } else if (type === 'function_call_output') {
      const callId = String(item['call_id']);
      const call = [...this.items.values()].find((i) => i.type === 'function_call' && i.callId === callId);
      if (!call) return this.error('invalid_value', `No function call found with call_id '${callId}'.`, eventId, 'item.call_id');
      this.addItem({ id, type: 'function_call_output', callId }, { ...item, id });
      this.pendingToolOutputs.push({ name: call.name ?? '', output: String(item['output'] ?? '') });
    } else {
      this.error('invalid_value', `Invalid value: '${String(type)}'. Supported item types: message, function_call, function_call_output.`, eventId, 'item.type');
    }
  }

  /**
   * The spec says only that an unknown id is answered with an `error`; its code is in no schema or
   * capture we have, so it has the shape of the emulator's other item errors.
   */
  private unknownItem(itemId: string, eventId: unknown): void {
    this.error('invalid_value', `Item with item_id '${itemId}' not found in the conversation.`, eventId, 'item_id');
  }

  private onRetrieve(frame: Json, eventId: unknown): void {
    const itemId = String(frame['item_id'] ?? '');
    const item = this.items.get(itemId);
    if (!item) return this.unknownItem(itemId, eventId);
    // The service's copy: the item as last announced (user audio items carry their transcript once
    // transcribed; a truncated item has none). The emulator keeps no audio, so there is no `audio`.
    this.send({ type: 'conversation.item.retrieved', item: { ...(item.wire ?? { id: itemId, type: item.type }), object: 'realtime.item' } });
  }

  private onDelete(frame: Json, eventId: unknown): void {
    const itemId = String(frame['item_id'] ?? '');
    if (!this.items.delete(itemId)) return this.unknownItem(itemId, eventId);
    if (this.lastItemId === itemId) this.lastItemId = [...this.items.keys()].pop() ?? null;
    this.send({ type: 'conversation.item.deleted', item_id: itemId });
  }

  /** Sets (or, with undefined, removes) the transcript of an item's first audio content part. */
  private setTranscript(itemId: string, transcript: string | undefined): void {
    const item = this.items.get(itemId);
    const content = item?.wire && Array.isArray(item.wire['content']) ? (item.wire['content'] as Json[]) : undefined;
    if (!item?.wire || !content?.length) return;
    const [first, ...rest] = content;
    const part: Json = { ...first };
    if (transcript === undefined) delete part['transcript'];
    else part['transcript'] = transcript;
    item.wire = { ...item.wire, content: [part, ...rest] };
  }

  private onTruncate(frame: Json, eventId: unknown): void {
    const itemId = String(frame['item_id']);
    const item = this.items.get(itemId);
    const audioEndMs = Number(frame['audio_end_ms']);
    if (!item || item.role !== 'assistant' || item.audioMs === undefined) {
      return this.error('invalid_value', `Item '${itemId}' is not an assistant audio item.`, eventId, 'item_id');
    }
    if (!(audioEndMs >= 0) || audioEndMs > Math.ceil(item.audioMs)) {
      return this.error('invalid_value', `audio_end_ms ${audioEndMs} is beyond the item's ${Math.round(item.audioMs)} ms of audio.`, eventId, 'audio_end_ms');
    }
    item.text = ''; // the real service drops the transcript of a truncated item
    this.setTranscript(itemId, undefined);
    this.send({ type: 'conversation.item.truncated', item_id: itemId, content_index: 0, audio_end_ms: audioEndMs });
  }

  // ── responses ──

  private cancel(reason: 'client_cancelled' | 'turn_detected'): void {
    const response = this.response;
    if (!response) return;
    response.cancelled = true;
    this.response = undefined;
    this.send({
      type: 'response.done',
      response: { object: 'realtime.response', id: response.id, status: 'cancelled', status_details: { type: 'cancelled', reason }, output: response.output, usage: null, metadata: response.metadata },
    });
  }

  private tick(): Promise<void> {
    return sleep((this.options.chunkMs ?? 50) / (this.options.realtimeFactor ?? 20));
  }

  /** The server-VAD race (`vadRaceResponses`): a response of the server's own, for a spoken turn committed before the client's message arrived. */
  private startVadRaceResponse(): void {
    this.vadRaces++;
    const clientText = this.pendingUserText;
    this.pendingUserText = this.options.vadRaceUserText ?? 'what time is it';
    // respond() reads and clears the pending text before its first await.
    void this.respond(null);
    this.pendingUserText = clientText;
  }

  private async respond(metadata: Json | null): Promise<void> {
    const response: ActiveResponse = { id: this.id('resp'), cancelled: false, output: [], metadata };
    this.response = response;
    const emit = (frame: Json): boolean => {
      if (response.cancelled) return false;
      this.send(frame);
      return true;
    };
    const tools = (Array.isArray(this.session['tools']) ? this.session['tools'] : []).map(obj).map(
      (t): BrainTool => ({ name: String(t['name']), description: String(t['description'] ?? ''), parameters: obj(t['parameters']) }),
    );
    const reply = this.context.brain.reply({
      instructions: String(this.session['instructions'] ?? ''),
      tools,
      userText: this.pendingUserText,
      toolOutputs: this.pendingToolOutputs,
      turnIndex: this.turnIndex++,
    });
    this.pendingUserText = undefined;
    this.pendingToolOutputs = [];
    emit({ type: 'response.created', response: { object: 'realtime.response', id: response.id, status: 'in_progress', status_details: null, output: [], usage: null, metadata: response.metadata } });
    await this.tick();

    for (const call of reply.toolCalls ?? []) {
      const itemId = this.id('item');
      const callId = this.id('call');
      const base = { response_id: response.id, item_id: itemId, output_index: response.output.length, call_id: callId };
      const item: Json = { id: itemId, type: 'function_call', status: 'in_progress', name: call.name, call_id: callId, arguments: '' };
      const previous = this.lastItemId;
      this.lastItemId = itemId;
      this.items.set(itemId, { id: itemId, type: 'function_call', callId, name: call.name, wire: item });
      if (!emit({ type: 'response.output_item.added', response_id: response.id, output_index: base.output_index, item })) return;
      this.announceItem(emit, 'added', previous, item);
      const size = this.options.argsChunkChars ?? 8;
      for (let i = 0; i < call.arguments.length; i += size) {
        if (!emit({ type: 'response.function_call_arguments.delta', ...base, delta: call.arguments.slice(i, i + size) })) return;
        await this.tick();
      }
      const done = { ...item, status: 'completed', arguments: call.arguments };
      // Beta's arguments.done had no name; clients took it from output_item.added.
      const named = this.beta ? {} : { name: call.name };
      if (!emit({ type: 'response.function_call_arguments.done', ...base, ...named, arguments: call.arguments })) return;
      this.items.set(itemId, { id: itemId, type: 'function_call', callId, name: call.name, wire: done });
      response.output.push(done);
      emit({ type: 'response.output_item.done', response_id: response.id, output_index: base.output_index, item: done });
      this.announceItem(emit, 'done', previous, done);
    }

    if (reply.text && !(await this.speak(response, reply.text, emit))) return;
    if (response.cancelled) return;
    this.response = undefined;
    const outputTokens = Math.ceil(reply.text.length / 4) + (reply.toolCalls?.length ?? 0) * 10;
    this.send({
      type: 'response.done',
      response: {
        object: 'realtime.response', id: response.id, status: 'completed', status_details: null, output: response.output, metadata: response.metadata,
        usage: { total_tokens: 100 + outputTokens, input_tokens: 100, output_tokens: outputTokens, input_token_details: { text_tokens: 100, audio_tokens: 0, cached_tokens: 0 }, output_token_details: { text_tokens: outputTokens, audio_tokens: 0 } },
      },
    });
    this.send({ type: 'rate_limits.updated', rate_limits: [{ name: 'tokens', limit: 40000, remaining: 39000, reset_seconds: 1.5 }] });
  }

  /** Streams one assistant message (audio + transcript, or text). Returns false when cancelled. */
  private async speak(response: ActiveResponse, text: string, emit: (frame: Json) => boolean): Promise<boolean> {
    const itemId = this.id('item');
    const outputIndex = response.output.length;
    const ids = { response_id: response.id, item_id: itemId, output_index: outputIndex, content_index: 0 };
    const item: Item = { id: itemId, type: 'message', role: 'assistant', text };
    const previous = this.lastItemId;
    this.items.set(itemId, item);
    this.lastItemId = itemId;
    const added = { id: itemId, type: 'message', status: 'in_progress', role: 'assistant', content: [] };
    if (!emit({ type: 'response.output_item.added', response_id: response.id, output_index: outputIndex, item: added })) return false;
    this.announceItem(emit, 'added', previous, added);
    const audio = this.speaks;
    const partType = audio ? 'audio' : 'text';
    emit({ type: 'response.content_part.added', ...ids, part: audio ? { type: partType, transcript: '' } : { type: partType, text: '' } });
    if (audio) {
      const pcm = synthesize(text);
      const words = text.split(/\s+/).filter(Boolean);
      const chunkBytes = Math.round((SAMPLE_RATE * 2 * (this.options.chunkMs ?? 50)) / 1000);
      const bytesPerWord = pcm.length / Math.max(1, words.length);
      let wordsSent = 0;
      item.audioMs = 0;
      for (let offset = 0; offset < pcm.length; offset += chunkBytes) {
        const chunk = pcm.subarray(offset, offset + chunkBytes);
        if (!emit({ type: 'response.output_audio.delta', ...ids, delta: chunk.toString('base64') })) return false;
        this.audioProduced = true;
        item.audioMs += chunk.length / 48;
        while (wordsSent < words.length && wordsSent * bytesPerWord <= offset) {
          emit({ type: 'response.output_audio_transcript.delta', ...ids, delta: (wordsSent ? ' ' : '') + words[wordsSent++] });
        }
        await this.tick();
        if (response.cancelled) return false;
      }
      if (wordsSent < words.length) emit({ type: 'response.output_audio_transcript.delta', ...ids, delta: (wordsSent ? ' ' : '') + words.slice(wordsSent).join(' ') });
      emit({ type: 'response.output_audio.done', ...ids });
      emit({ type: 'response.output_audio_transcript.done', ...ids, transcript: text });
    } else {
      for (const [i, word] of text.split(/\s+/).entries()) {
        if (!emit({ type: 'response.output_text.delta', ...ids, delta: (i ? ' ' : '') + word })) return false;
        await this.tick();
      }
      emit({ type: 'response.output_text.done', ...ids, text });
    }
    emit({ type: 'response.content_part.done', ...ids, part: audio ? { type: 'audio', transcript: text } : { type: 'text', text } });
    const contentType = this.beta ? partType : audio ? 'output_audio' : 'output_text';
    const done = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [audio ? { type: contentType, transcript: text } : { type: contentType, text }] };
    response.output.push(done);
    if (!emit({ type: 'response.output_item.done', response_id: response.id, output_index: outputIndex, item: done })) return false;
    this.announceItem(emit, 'done', previous, done);
    return true;
  }

  /**
   * A response's item also joins the conversation, as the service reports right after
   * `response.output_item.added` / `.done` (GA: `conversation.item.added` / `.done`; beta:
   * `conversation.item.created` once).
   */
  private announceItem(emit: (frame: Json) => boolean, phase: 'added' | 'done', previous: string | null, item: Json): void {
    const known = this.items.get(String(item['id']));
    if (known) known.wire = item;
    if (this.beta) {
      if (phase === 'added') emit({ type: 'conversation.item.created', previous_item_id: previous, item });
      return;
    }
    emit({ type: `conversation.item.${phase}`, previous_item_id: previous, item });
  }
}
