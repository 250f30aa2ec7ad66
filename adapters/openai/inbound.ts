/**
 * Server frames → neutral events, for one connection. Stateful (which response is active, whether
 * its audio started, names of beta function calls), but free of I/O: the connection feeds it text
 * frames and it reports through `InboundSink`.
 *
 * Hot path: audio deltas are recognised by a type switch and decoded straight into a Buffer, and
 * transcript/text deltas pass a hand-written check (delta-check.ts); zod parses the control frames,
 * which arrive a few times per turn, and any delta the check refuses (for the same error).
 */
import { RESPONSE_ALREADY_ACTIVE, type DataEvent, type ModelEventInput, type ResponseStatusDetails } from '../events.js';
import { decodePcmDelta } from '../pcm-delta.js';
import { isInputTranscriptDelta, isTextDelta } from './delta-check.js';
import type { ErrorInfo } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ConversationHistory } from './history.js';
import {
  AudioCommittedSchema,
  BETA_TO_GA,
  ErrorEventSchema,
  FunctionCallDoneSchema,
  IGNORED_SERVER_EVENTS,
  InputTranscriptCompletedSchema,
  InputTranscriptDeltaSchema,
  InputTranscriptFailedSchema,
  OutputItemSchema,
  REQUEST_METADATA_KEY,
  ResponseCreatedSchema,
  ResponseDoneSchema,
  SessionEventSchema,
  SpeechStartedSchema,
  SpeechStoppedSchema,
  TimeoutTriggeredSchema,
  TextDeltaSchema,
  TextDoneSchema,
  TranscriptDoneSchema,
} from './wire.js';
import type { z } from 'zod';

/** Connection state shared by the inbound translator and the outbound intent handler. */
export interface ConnectionState {
  responseActive: boolean;
  responseId: string | undefined;
  /** Whether `model.interrupted` was already reported for the active response. */
  interruptReported: boolean;
  audioStarted: boolean;
  /** Audio deltas of this response are dropped: it was interrupted and playback flushed. */
  droppedResponseId: string | undefined;
  /** Bytes of audio delivered per assistant item (a truncation never goes beyond them), recent items only. */
  audioBytes: Map<string, number>;
  /**
   * The transcript deltas of the active response's audio items still without their `.done`: a
   * cancelled item may never get one, and its replay record is then what arrived (cut to the heard
   * part if it was truncated).
   */
  partialTranscripts: Map<string, string>;
  /** `session.update`s sent and not yet answered, oldest first (the server answers in order). */
  pendingUpdates: Array<{ eventId: string; requestId: string | undefined }>;
  /** The requests whose `response.create` (event_id = the request id) is unanswered: neither started nor refused yet. */
  pendingRequests: Set<string>;
}

export function newConnectionState(): ConnectionState {
  return {
    responseActive: false,
    responseId: undefined,
    interruptReported: false,
    audioStarted: false,
    droppedResponseId: undefined,
    audioBytes: new Map(),
    partialTranscripts: new Map(),
    pendingUpdates: [],
    pendingRequests: new Set(),
  };
}

export interface InboundSink {
  emit(event: ModelEventInput): void;
  deliver(event: DataEvent): void;
  history: ConversationHistory;
  logger: Logger;
  redact(text: string): string;
  /** Whether user speech interrupts a response (turn detection with `interrupt_response`). */
  speechInterrupts(): boolean;
  /** Whether input transcription is on: only then will a spoken turn's transcript come. */
  transcribesInput(): boolean;
  onSessionCreated(providerSessionId: string | undefined): void;
  /** The answer to the connection's initial `session.update`: applied, or rejected with an error. */
  onInitialUpdate(error: ErrorInfo | undefined): void;
}

/** Assistant items whose audio size is kept for truncation (the oldest are forgotten). */
const MAX_AUDIO_ITEMS = 32;

/** The `event_id` prefix of our `conversation.item.truncate` frames, so an error about one is recognised. */
export const TRUNCATE_EVENT_PREFIX = 'vx_truncate_';

/** Errors the real service sends without `event_id` that can only be about a session.update. */
const SESSION_UPDATE_CODES = new Set(['cannot_update_voice']);

const STATUSES = new Set(['completed', 'cancelled', 'incomplete', 'failed']);

/** `status_details` in neutral form: only the fields present, secrets redacted from the message. */
function toStatusDetails(
  details: { reason?: string | null; error?: { type?: string | null; code?: string | null; message?: string | null } | null } | null | undefined,
  redact: (text: string) => string,
): ResponseStatusDetails | undefined {
  if (!details) return undefined;
  const out: ResponseStatusDetails = {};
  if (details.reason) out.reason = details.reason;
  const e = details.error;
  if (e && (e.type || e.code || e.message)) {
    out.error = {};
    if (e.type) out.error.type = e.type;
    if (e.code) out.error.code = e.code;
    if (e.message) out.error.message = redact(e.message);
  }
  return out.reason || out.error ? out : undefined;
}

export function createInbound(state: ConnectionState, sink: InboundSink): (text: string) => void {
  const functionNames = new Map<string, string>();

  const invalid = (message: string): void =>
    sink.emit({ type: 'model.error', error: { code: 'invalid_frame', message: sink.redact(message) } });

  function parse<S extends z.ZodType>(schema: S, frame: unknown, type: string): z.infer<S> | undefined {
    const result = schema.safeParse(frame);
    if (result.success) return result.data;
    invalid(`OpenAI "${type}" frame failed validation: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return undefined;
  }

  function onAudioDelta(frame: Record<string, unknown>): void {
    const b64 = frame['delta'];
    if (typeof b64 !== 'string') return invalid('OpenAI audio delta without a base64 "delta"');
    const responseId = typeof frame['response_id'] === 'string' ? frame['response_id'] : undefined;
    if (responseId !== undefined && responseId === state.droppedResponseId) return;
    const itemId = typeof frame['item_id'] === 'string' ? frame['item_id'] : undefined;
    // Corrupted base64 would play as noise, an odd length shift every later sample: refused.
    const delta = decodePcmDelta(b64);
    if (!delta.ok) return invalid(`OpenAI audio delta of item ${itemId ?? '?'} ${delta.problem}; dropped`);
    const audio = delta.audio;
    if (!state.audioStarted) {
      state.audioStarted = true;
      sink.emit({ type: 'model.outputAudioStarted', responseId, itemId });
    }
    if (itemId !== undefined) {
      state.audioBytes.set(itemId, (state.audioBytes.get(itemId) ?? 0) + audio.length);
      if (state.audioBytes.size > MAX_AUDIO_ITEMS) state.audioBytes.delete(state.audioBytes.keys().next().value!);
    }
    sink.deliver({ type: 'audio', audio, sampleRate: 24000, itemId, responseId });
  }

  function onError(frame: unknown): void {
    const parsed = parse(ErrorEventSchema, frame, 'error');
    if (!parsed) return;
    const e = parsed.error;
    const message = sink.redact(e.message ?? 'OpenAI error');
    const providerCode = e.code ?? e.type ?? undefined;
    const info = { message, ...(providerCode ? { providerCode } : {}), ...(e.param ? { param: e.param } : {}) };
    let pendingIndex = e.event_id ? state.pendingUpdates.findIndex((p) => p.eventId === e.event_id) : -1;
    const aboutSession = (e.code && SESSION_UPDATE_CODES.has(e.code)) || e.param?.startsWith('session');
    if (pendingIndex < 0 && !e.event_id && aboutSession && state.pendingUpdates.length > 0) pendingIndex = 0;
    if (pendingIndex >= 0) {
      const [pending] = state.pendingUpdates.splice(pendingIndex, 1);
      if (pending?.requestId !== undefined) {
        sink.emit({ type: 'model.configRejected', requestId: pending.requestId, error: { code: 'update_rejected', ...info } });
      } else sink.onInitialUpdate({ code: 'update_rejected', ...info });
      return;
    }
    if (e.event_id && state.pendingRequests.delete(e.event_id)) {
      // Our response.create was refused. With a response already running (server VAD started one
      // as we sent ours; shared/protocol/openai-realtime-2026.md §5) it may go again once that is done.
      const code = e.code === 'conversation_already_has_active_response' ? RESPONSE_ALREADY_ACTIVE : 'request_refused';
      return sink.emit({ type: 'model.requestRefused', requestId: e.event_id, error: { code, ...info } });
    }
    // Expected race: we cancelled just as the response finished.
    if (e.code === 'response_cancel_not_active') return sink.logger.debug({ code: e.code }, 'openai: cancel raced response end');
    // A refused truncation does not end anything: the replay record keeps the heard part anyway.
    if (e.event_id?.startsWith(TRUNCATE_EVENT_PREFIX)) {
      return sink.emit({ type: 'model.error', error: { ...info, code: 'truncate_failed', message: `OpenAI refused a truncation: ${message}` } });
    }
    sink.emit({ type: 'model.error', error: { code: 'server_error', ...info } });
  }

  function onResponseDone(frame: unknown): void {
    const parsed = parse(ResponseDoneSchema, frame, 'response.done');
    if (!parsed) return;
    const r = parsed.response;
    const status = (r.status && STATUSES.has(r.status) ? r.status : 'failed') as 'completed' | 'cancelled' | 'incomplete' | 'failed';
    const reason = r.status_details?.reason ?? undefined;
    if (status === 'cancelled' && reason === 'turn_detected' && !state.interruptReported) {
      sink.emit({ type: 'model.interrupted', source: 'user' });
    }
    state.responseActive = false;
    state.responseId = undefined;
    // Items that ended without a transcript `.done` (cancelled): what arrived is what was said.
    for (const [itemId, text] of state.partialTranscripts) sink.history.add({ kind: 'message', role: 'assistant', text, itemId });
    state.partialTranscripts.clear();
    const statusDetails = status === 'completed' ? undefined : toStatusDetails(r.status_details, sink.redact);
    sink.emit({ type: 'model.responseDone', responseId: r.id ?? undefined, status, reason, ...(statusDetails ? { statusDetails } : {}) });
    // A failed response is an error the application must see, not only a status on response_done.
    if (status === 'failed') {
      const error = statusDetails?.error;
      const providerCode = error?.code ?? error?.type;
      sink.emit({
        type: 'model.error',
        error: {
          code: 'response_failed',
          message: `OpenAI response ${r.id ?? '(no id)'} failed: ${error?.message ?? providerCode ?? 'no details given'}`,
          ...(providerCode ? { providerCode } : {}),
        },
      });
    }
    if (r.usage) {
      sink.emit({
        type: 'model.usage',
        inputTokens: r.usage.input_tokens ?? undefined,
        outputTokens: r.usage.output_tokens ?? undefined,
        totalTokens: r.usage.total_tokens ?? undefined,
      });
    }
  }

  return function handle(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return invalid(`Malformed JSON from OpenAI (${text.length} chars)`);
    }
    if (typeof frame !== 'object' || frame === null || typeof (frame as { type?: unknown }).type !== 'string') {
      return invalid('OpenAI frame without a "type"');
    }
    const obj = frame as Record<string, unknown>;
    const rawType = obj['type'] as string;
    const type = BETA_TO_GA[rawType] ?? rawType;
    if (type !== rawType) obj['type'] = type;

    switch (type) {
      case 'response.output_audio.delta':
        return onAudioDelta(obj);
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta': {
        const p = isTextDelta(obj) ? obj : parse(TextDeltaSchema, obj, type);
        if (!p || (p.response_id && p.response_id === state.droppedResponseId)) return;
        const itemId = p.item_id ?? undefined;
        if (type === 'response.output_audio_transcript.delta' && itemId !== undefined) {
          state.partialTranscripts.set(itemId, (state.partialTranscripts.get(itemId) ?? '') + p.delta);
        }
        return sink.deliver(
          type === 'response.output_text.delta'
            ? { type: 'text', delta: p.delta, itemId, responseId: p.response_id ?? undefined }
            : { type: 'transcript', role: 'assistant', text: p.delta, isFinal: false, itemId },
        );
      }
      case 'response.output_audio_transcript.done': {
        const p = parse(TranscriptDoneSchema, obj, type);
        if (!p) return;
        const text = p.transcript ?? '';
        if (p.item_id) state.partialTranscripts.delete(p.item_id);
        sink.history.add({ kind: 'message', role: 'assistant', text, ...(p.item_id ? { itemId: p.item_id } : {}) });
        return sink.deliver({ type: 'transcript', role: 'assistant', text, isFinal: true, itemId: p.item_id ?? undefined });
      }
      case 'response.output_text.done': {
        const p = parse(TextDoneSchema, obj, type);
        if (p) sink.history.add({ kind: 'message', role: 'assistant', text: p.text ?? '' });
        return;
      }
      case 'response.created': {
        const p = parse(ResponseCreatedSchema, obj, type);
        if (!p) return;
        state.responseActive = true;
        state.responseId = p.response.id ?? undefined;
        state.audioStarted = false;
        state.interruptReported = false;
        // The request this response was created for, named in its metadata; none for one the server started itself.
        const named = p.response.metadata?.[REQUEST_METADATA_KEY];
        const requestId = typeof named === 'string' && state.pendingRequests.delete(named) ? named : undefined;
        return sink.emit({ type: 'model.responseCreated', responseId: state.responseId, ...(requestId !== undefined ? { requestId } : {}) });
      }
      case 'response.done':
        return onResponseDone(obj);
      case 'response.output_item.added':
      case 'response.output_item.done': {
        const p = parse(OutputItemSchema, obj, type);
        if (p?.item.type === 'function_call' && p.item.name) {
          if (p.item.call_id) functionNames.set(p.item.call_id, p.item.name);
          if (p.item.id) functionNames.set(p.item.id, p.item.name);
        }
        return;
      }
      case 'response.function_call_arguments.done': {
        const p = parse(FunctionCallDoneSchema, obj, type);
        if (!p) return;
        const name = p.name ?? functionNames.get(p.call_id) ?? (p.item_id ? functionNames.get(p.item_id) : undefined) ?? '';
        // A repeated frame for the same call id is recorded once: a replay with two function_call
        // items for one call_id (and one output) is not the conversation that happened.
        if (!sink.history.hasCall(p.call_id)) sink.history.add({ kind: 'function_call', callId: p.call_id, name, arguments: p.arguments });
        return sink.emit({ type: 'model.functionCall', callId: p.call_id, name, arguments: p.arguments, responseId: p.response_id ?? undefined });
      }
      case 'input_audio_buffer.speech_started': {
        const p = parse(SpeechStartedSchema, obj, type);
        if (!p) return;
        sink.emit({ type: 'model.speechStarted', audioStartMs: p.audio_start_ms ?? undefined, itemId: p.item_id ?? undefined });
        if (state.responseActive && !state.interruptReported && sink.speechInterrupts()) {
          state.interruptReported = true;
          state.droppedResponseId = state.responseId;
          sink.emit({ type: 'model.interrupted', source: 'user' });
        }
        return;
      }
      case 'input_audio_buffer.speech_stopped': {
        const p = parse(SpeechStoppedSchema, obj, type);
        if (p) sink.emit({ type: 'model.speechStopped', audioEndMs: p.audio_end_ms ?? undefined, itemId: p.item_id ?? undefined });
        return;
      }
      case 'input_audio_buffer.timeout_triggered': {
        const p = parse(TimeoutTriggeredSchema, obj, type);
        if (!p) return;
        return sink.emit({
          type: 'model.inputTimeout',
          audioStartMs: p.audio_start_ms ?? undefined,
          audioEndMs: p.audio_end_ms ?? undefined,
          itemId: p.item_id ?? undefined,
        });
      }
      case 'conversation.item.input_audio_transcription.delta': {
        const p = isInputTranscriptDelta(obj) ? obj : parse(InputTranscriptDeltaSchema, obj, type);
        if (p?.delta) sink.deliver({ type: 'transcript', role: 'user', text: p.delta, isFinal: false, itemId: p.item_id ?? undefined });
        return;
      }
      case 'conversation.item.input_audio_transcription.completed': {
        const p = parse(InputTranscriptCompletedSchema, obj, type);
        if (!p) return;
        const text = p.transcript ?? '';
        sink.history.transcribed(p.item_id ?? undefined, text);
        return sink.deliver({ type: 'transcript', role: 'user', text, isFinal: true, itemId: p.item_id ?? undefined });
      }
      case 'conversation.item.input_audio_transcription.failed': {
        // The item stays without a transcript (history replays nothing for it); the application hears of it.
        const p = parse(InputTranscriptFailedSchema, obj, type);
        if (!p) return;
        const providerCode = p.error?.code ?? p.error?.type ?? undefined;
        const detail = p.error?.message ? `: ${sink.redact(p.error.message)}` : '';
        return sink.emit({
          type: 'model.error',
          error: {
            code: 'transcription_failed',
            message: `OpenAI could not transcribe user audio item ${p.item_id ?? '?'}${detail}`,
            ...(providerCode ? { providerCode } : {}),
          },
        });
      }
      case 'input_audio_buffer.committed': {
        const p = parse(AudioCommittedSchema, obj, type);
        if (p?.item_id && sink.transcribesInput()) sink.history.reserve(p.item_id);
        return;
      }
      case 'session.created':
      case 'session.updated': {
        const p = parse(SessionEventSchema, obj, type);
        if (!p) return;
        if (type === 'session.created') return sink.onSessionCreated(p.session?.id ?? undefined);
        const pending = state.pendingUpdates.shift();
        if (pending?.requestId !== undefined) sink.emit({ type: 'model.configApplied', requestId: pending.requestId });
        else if (pending) sink.onInitialUpdate(undefined);
        return;
      }
      case 'error':
        return onError(obj);
      case 'conversation.item.truncated':
        // The ack of our truncation (protocols.md §1.3): nothing more to do.
        return sink.logger.debug({ itemId: obj['item_id'], audioEndMs: obj['audio_end_ms'] }, 'openai: item truncated');
      default:
        if (!IGNORED_SERVER_EVENTS.has(type)) {
          sink.logger.debug({ type }, 'openai: unknown server event');
          sink.deliver({ type: 'unknown', provider: 'openai', eventType: type });
        }
    }
  };
}
