/**
 * The Gemini Live connection: what is Gemini's own on top of the shared socket core
 * (adapters/connection.ts): the endpoint (Developer API key in the query string, or Vertex with a
 * bearer token), the first frame (`setup`; nothing else goes before `setupComplete`), intents →
 * messages, manual activity edges, and how a close is read (a refused resumption handle, a server
 * error). Server messages go to the inbound translator (inbound.ts).
 */
import type { ModelAdapterLogic } from '../adapter.js';
import type { CredentialSource } from '../credentials.js';
import { createProviderConnection, type ProviderLink, type ProviderProtocol } from '../connection.js';
import type { ClientIntent } from '../events.js';
import { constrainedUrl, isEphemeralToken } from './ephemeral-token.js';
import { setupConflict } from './setup-check.js';
import type { SessionConfig } from '../../config.js';
import type { ErrorInfo } from '../../errors.js';
import type { GeminiSetupOptions } from './options.js';
import type { JsonObject } from './wire.js';
import { Inbound } from './inbound.js';
import {
  audioMessage,
  clientTextMessage,
  contextUpdateMessage,
  realtimeTextMessage,
  toolResponseMessage,
  toSetup,
  type SchemaDialect,
} from './map.js';

/** Close reasons that are about the resumption handle itself. */
const HANDLE_REFUSAL = /\bresumption\b|\bhandle\b.*\b(invalid|expired|unknown|not found)\b|\b(invalid|expired|unknown)\b.*\bhandle\b/i;

export type TokenSource = CredentialSource;

export interface ConnectionOptions {
  /**
   * The Developer API key (`?key=`), an ephemeral token (`auth_tokens/…`: `?access_token=` on the
   * Constrained method), or with `vertex` its access token (`Authorization: Bearer`).
   */
  credential: TokenSource;
  model: string;
  url: string | undefined;
  vertex: { project: string; location: string } | undefined;
  schemaDialect: SchemaDialect;
  contextWindowCompression: boolean | Record<string, unknown>;
  contextUpdate: boolean;
  textInput: 'clientContent' | 'realtimeInput';
  connectTimeoutMs: number;
  closeTimeoutMs: number;
  handleWaitMs: number;
  inputTranscriptGraceMs: number;
  /** Rotate proactively, like a goAway, `rotationNoticeMs` before a connection has lasted this long; 0 = never. */
  maxConnectionMs: number;
  rotationNoticeMs: number;
  /** The typed setup options to send (fixed ones already left out). */
  features: GeminiSetupOptions;
  /** Whether `FunctionResponse.scheduling` is sent for background calls (`GEMINI_TOOL_PROFILES`). */
  sendsScheduling: boolean;
  /** What the adapter refuses in a built setup (profile, extra contradictions), before anything is sent. */
  checkSetup(setup: JsonObject, config: SessionConfig): ErrorInfo | undefined;
}

export const GEMINI_API_URL =
  'wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent';

/** The multi-region locations served from `aiplatform.{location}.rep.googleapis.com` (as `@google/genai` builds them). */
const MULTI_REGIONS = new Set(['us', 'eu']);

/**
 * The Vertex Live endpoint for a location, the same host `@google/genai` picks: `global` has no
 * regional prefix, the multi-regions `us`/`eu` use their `rep` hosts, the rest `{location}-aiplatform`.
 */
export function vertexUrl(location: string): string {
  const host =
    location === 'global'
      ? 'aiplatform.googleapis.com'
      : MULTI_REGIONS.has(location)
        ? `aiplatform.${location}.rep.googleapis.com`
        : `${location}-aiplatform.googleapis.com`;
  return `wss://${host}/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent`;
}

/** Gemini's native input rate; other rates are resampled to it. */
const AUDIO_INPUT_RATE = 16_000;
/** Input audio goes in messages of at least this much (fewer frames); a remainder waits no longer. */
const BATCH_PERIOD_MS = 40;

/** Close codes that mean the server refused something (as opposed to a normal or going-away close). */
const ERROR_CLOSE_CODES = new Set([1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014]);

/** In-place fields of the experimental `contextUpdate`. */
const CONTEXT_UPDATE_FIELDS = new Set(['instructions', 'tools', 'toolChoice']);

export function createConnectionLogic(options: ConnectionOptions): ModelAdapterLogic {
  return createProviderConnection(
    {
      name: 'gemini',
      credential: options.credential,
      credentialFailure: 'Could not get Gemini credentials',
      target(credential) {
        if (options.vertex) {
          return { url: options.url ?? vertexUrl(options.vertex.location), headers: { Authorization: `Bearer ${credential}` } };
        }
        // An ephemeral token goes to the Constrained method as `access_token` (as @google/genai sends it).
        const ephemeral = isEphemeralToken(credential);
        const url = new URL(ephemeral ? constrainedUrl(options.url ?? GEMINI_API_URL) : (options.url ?? GEMINI_API_URL));
        url.searchParams.set(ephemeral ? 'access_token' : 'key', credential);
        const headers: Record<string, string> = {};
        return { url: url.toString(), headers };
      },
      connectTimeoutMs: options.connectTimeoutMs,
      timeoutMessage: `Gemini Live did not send setupComplete within ${options.connectTimeoutMs} ms`,
      closeTimeoutMs: options.closeTimeoutMs,
      // Gemini's native input rate, in ≥ 40 ms messages (1280 bytes); a remainder goes within one period.
      audio: {
        targetRate: AUDIO_INPUT_RATE,
        minBatchBytes: (AUDIO_INPUT_RATE * 2 * BATCH_PERIOD_MS) / 1000,
        maxBatchDelayMs: BATCH_PERIOD_MS,
        frame: (pcm) => JSON.stringify(audioMessage(pcm)),
      },
      // Gemini refuses a resume (1011) while an earlier socket of the same session is still open.
      closeBeforeReopen: true,
      describeRefusal: (status, where) => `Gemini Live refused the connection to ${where}: HTTP ${status ?? '?'}`,
    },
    (link) => geminiProtocol(link, options),
  );
}

function geminiProtocol(link: ProviderLink, options: ConnectionOptions): ProviderProtocol {
  const { input, send, emit, userAudio } = link;
  const { config, logger } = input;
  // The tools as declared to the server (setup, or a contextUpdate applied since).
  let tools = config.tools;
  const manual = config.turnDetection.type === 'none';
  /** Manual mode only: whether an activity (a user turn) is open. */
  let activity = false;

  const inbound = new Inbound({
    connectionId: input.connectionId,
    emit,
    deliver: (event) => input.audio.deliver(event),
    logger,
    handleWaitMs: options.handleWaitMs,
    inputTranscriptGraceMs: options.inputTranscriptGraceMs,
    // Declared NON_BLOCKING (map.ts): the model goes on talking while the call runs.
    isNonBlocking: (name) => tools.some((tool) => tool.name === name && tool.behavior === 'background'),
    onSetupComplete: (sessionId) => {
      link.ready({ providerSessionId: sessionId, restored: input.resumptionHandle !== undefined });
      scheduleRotation();
    },
  });

  /**
   * A forced rotation before the connection's lifetime cap (sessions were seen closed at 58:00 with
   * 1011 "Deadline expired"): announced to the session as a goAway of our own, so the chart swaps
   * at the first idle moment, or forces the swap near the deadline, exactly as for the server's.
   */
  let rotationTimer: NodeJS.Timeout | undefined;
  function scheduleRotation(): void {
    if (options.maxConnectionMs <= 0) return;
    const notice = Math.min(options.rotationNoticeMs, options.maxConnectionMs);
    rotationTimer = setTimeout(() => {
      logger.debug({ maxConnectionMs: options.maxConnectionMs }, 'gemini: rotating the connection before its lifetime cap');
      emit({ type: 'model.goAway', timeLeftMs: notice });
    }, options.maxConnectionMs - notice);
  }

  /**
   * Manual activity edges (`turnDetection: none`), edge-triggered: user audio opens an activity,
   * a commit closes it (after the audio still in a resampler), an interrupt opens a new one.
   */
  function setActivity(on: boolean): void {
    if (activity === on) return;
    activity = on;
    if (on) {
      inbound.userActivityStarted();
      send({ realtimeInput: { activityStart: {} } });
    } else userAudio.flush(() => send({ realtimeInput: { activityEnd: {} } }));
  }

  function updateConfig(intent: Extract<ClientIntent, { type: 'client.updateConfig' }>): void {
    const unsupported = intent.changed.filter((field) => !CONTEXT_UPDATE_FIELDS.has(field));
    if (!options.contextUpdate || unsupported.length > 0) {
      const message = options.contextUpdate
        ? `Gemini cannot change ${unsupported.join(', ')} in place; it needs a resumption`
        : 'Gemini cannot change the config in place (contextUpdate is off for this model)';
      return emit({ type: 'model.configRejected', requestId: intent.requestId, error: { code: 'update_rejected', message } });
    }
    send(contextUpdateMessage(intent.config, intent.changed, options.schemaDialect, options.features));
    tools = intent.config.tools;
    // No acknowledgement exists. A server that refuses closes the socket, and the
    // reconnect that follows sends the new canonical config in `setup` anyway.
    emit({ type: 'model.configApplied', requestId: intent.requestId });
  }

  function intent(intent: Exclude<ClientIntent, { type: 'client.close' }>): void {
    switch (intent.type) {
      case 'client.text':
        return send(
          options.textInput === 'realtimeInput'
            ? realtimeTextMessage(intent.text, intent.role)
            : clientTextMessage(intent.text, intent.role, intent.respond),
        );
      case 'client.commitAudio':
        if (!link.hasBeenReady) return;
        if (!manual) {
          // Tells automatic VAD the stream paused, so it closes the user's turn now.
          return userAudio.flush(() => link.sendNow({ realtimeInput: { audioStreamEnd: true } }));
        }
        if (activity) setActivity(false);
        else userAudio.flush();
        return;
      case 'client.clearAudio':
        return userAudio.clear();
      case 'client.createResponse':
        return logger.debug({}, 'gemini: createResponse is a no-op (Gemini continues by itself)');
      case 'client.interrupt':
        userAudio.clear();
        inbound.clientInterrupt();
        // Gemini has no response.cancel; in manual mode a new activity interrupts the model.
        if (manual) setActivity(true);
        // No model.interrupted: the session reports the interruption itself (adapters/events.ts).
        return;
      case 'client.truncate':
        // The Live API has no truncate message (BidiGenerateContentClientMessage: setup,
        // clientContent, realtimeInput, toolResponse; protocols.md §2): what was heard is reported
        // to the application (`truncated`) and the server keeps what it generated.
        return logger.debug({ itemId: intent.itemId }, 'gemini: no truncate frame; nothing sent');
      case 'client.toolOutput': {
        if (!inbound.answer(intent.callId)) {
          logger.warn({ callId: intent.callId }, 'gemini: output dropped: this connection is not waiting for that call (unknown, answered, or cancelled)');
          return;
        }
        const id = inbound.synthetic.has(intent.callId) ? undefined : intent.callId;
        // `scheduling` is set by the session for background (NON_BLOCKING) calls only; some platforms do not take it.
        return send(toolResponseMessage(id, intent.name, intent.output, options.sendsScheduling ? intent.scheduling : undefined));
      }
      case 'client.updateConfig':
        return updateConfig(intent);
    }
  }

  const setup = toSetup(config, {
    model: options.model,
    vertex: options.vertex,
    schemaDialect: options.schemaDialect,
    contextWindowCompression: options.contextWindowCompression,
    resumptionHandle: input.resumptionHandle,
    features: options.features,
  });

  return {
    // A setup the model refuses, or a contradictory one, is refused before anything reaches the wire.
    conflict: options.checkSetup(setup.setup, config),
    opened: () => link.sendNow(setup),
    frame: (text) => inbound.handle(text),
    intent,
    userAudio(pcm) {
      // Manual mode: audio after an end (or at the start) opens a new activity by itself.
      if (manual && !activity) setActivity(true);
      inbound.userAudio(pcm);
    },
    closing: () => {
      clearTimeout(rotationTimer);
      inbound.release();
    },
    closed({ code, reason, expected }) {
      clearTimeout(rotationTimer);
      inbound.release();
      if (!expected && !inbound.goAwayReceived && ERROR_CLOSE_CODES.has(code)) {
        emit({ type: 'model.error', error: { code: 'server_error', providerCode: String(code), message: reason || `Gemini Live closed the connection with code ${code}` } });
      }
    },
    closedBeforeReady({ code, reason, lastError, where }) {
      // A setup carrying a handle, refused with a reason about the handle (expired, invalid,
      // unknown), makes the session retry without it. Anything else (1007 bad setup, 1008 for
      // an unknown model, 1011 old socket still open, 1013 try again) keeps the handle, so
      // the conversation is not given up for an error that has nothing to do with it.
      const refusedHandle = input.resumptionHandle !== undefined && HANDLE_REFUSAL.test(reason);
      return {
        message: `Could not connect to ${where}: ${reason ? `closed with code ${code}: ${reason}` : (lastError ?? `closed with code ${code}`)}`,
        providerCode: String(code),
        code: refusedHandle ? 'resumption_rejected' : 'connection_failed',
      };
    },
    dispose: () => {
      clearTimeout(rotationTimer);
      inbound.dispose();
    },
  };
}
