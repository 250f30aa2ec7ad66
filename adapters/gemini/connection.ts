/**
 * The Gemini Live connection actor: one `ws` socket per invocation. `setup` goes first and nothing
 * else is sent before `setupComplete` (intents are queued until then). Credentials are resolved here,
 * per connection, and every text headed for an event or a log passes through `redactSecrets`.
 */
import { closeWithin, describeUrl, frameText } from '../socket.js';
import { fromCallback, type EventObject } from 'xstate';
import WebSocket from 'ws';
import type { AdapterInput, ModelAdapterLogic } from '../adapter.js';
import type { ClientIntent, ModelEventInput } from '../events.js';
import { ConfigValidationError, redactSecrets, type ErrorInfo } from '../../errors.js';
import { setupConflict } from './setup-check.js';
import { AudioInput } from '../audio.js';
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
import type { ClientMessage } from './wire.js';


/** Close reasons that are about the resumption handle itself. */
const HANDLE_REFUSAL = /\bresumption\b|\bhandle\b.*\b(invalid|expired|unknown|not found)\b|\b(invalid|expired|unknown)\b.*\bhandle\b/i;

export type TokenSource = string | (() => string | Promise<string>);

export interface ConnectionOptions {
  apiKey: TokenSource | undefined;
  model: string;
  url: string | undefined;
  vertex: { project: string; location: string; accessToken: TokenSource } | undefined;
  schemaDialect: SchemaDialect;
  contextWindowCompression: boolean | Record<string, unknown>;
  contextUpdate: boolean;
  textInput: 'clientContent' | 'realtimeInput';
  connectTimeoutMs: number;
  closeTimeoutMs: number;
  handleWaitMs: number;
  inputTranscriptGraceMs: number;
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

async function resolveToken(source: TokenSource): Promise<string> {
  return typeof source === 'string' ? source : await source();
}

export function createConnectionLogic(options: ConnectionOptions): ModelAdapterLogic {
  return fromCallback<ClientIntent, AdapterInput>(({ input, sendBack, receive }) => {
    const { audio, logger, connectionId } = input;
    const config = input.config;
    const manual = config.turnDetection.type === 'none';
    const secrets: string[] = [];
    let ws: WebSocket | undefined;
    let stopped = false;
    let connected = false;
    let failed = false;
    let expectedClose = false;
    let lastError: string | undefined;
    let activity = false;
    const outbox: ClientMessage[] = [];

    const redact = (text: string): string => redactSecrets(text, secrets);
    const emit = (event: ModelEventInput): void => {
      if (!stopped) sendBack(event as EventObject);
    };
    const sendNow = (message: ClientMessage): void => {
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    };
    const send = (message: ClientMessage): void => {
      if (connected) sendNow(message);
      else outbox.push(message);
    };

    const fail = (
      message: string,
      providerCode?: string,
      code: 'connection_failed' | 'resumption_rejected' | 'invalid_config' = 'connection_failed',
      param?: string,
    ): void => {
      if (failed || connected || stopped) return;
      failed = true;
      clearTimeout(connectTimer);
      const error: ErrorInfo = { code, message: redact(message) };
      if (providerCode) error.providerCode = providerCode;
      if (param) error.param = param;
      emit({ type: 'model.connectFailed', error });
      ws?.terminate();
    };
    const connectTimer = setTimeout(() => fail(`Gemini Live did not send setupComplete within ${options.connectTimeoutMs} ms`), options.connectTimeoutMs);

    /** Audio batches written while the socket was no longer open (closing): handed back at cleanup. */
    const unsentAudio: Buffer[] = [];
    let batchTimer: NodeJS.Timeout | undefined;
    const sendAudioBatch = (pcm: Buffer): void => {
      clearTimeout(batchTimer);
      batchTimer = undefined;
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(audioMessage(pcm)));
      else unsentAudio.push(pcm);
    };
    const audioIn = new AudioInput(
      sendAudioBatch,
      (message) => emit({ type: 'model.error', error: { code: 'invalid_frame', message } }),
      // Gemini's native input rate, in ≥ 40 ms messages (1280 bytes).
      { targetRate: AUDIO_INPUT_RATE, minBatchBytes: (AUDIO_INPUT_RATE * 2 * BATCH_PERIOD_MS) / 1000 },
    );

    const inbound = new Inbound({
      connectionId,
      emit,
      deliver: (event) => audio.deliver(event),
      logger,
      handleWaitMs: options.handleWaitMs,
      inputTranscriptGraceMs: options.inputTranscriptGraceMs,
      onSetupComplete(sessionId) {
        if (connected || failed || stopped) return;
        connected = true;
        clearTimeout(connectTimer);
        audio.attach({ sendAudio }, connectionId);
        emit({ type: 'model.connected', providerSessionId: sessionId, restored: input.resumptionHandle !== undefined });
        for (const message of outbox.splice(0)) sendNow(message);
      },
    });

    function setActivity(on: boolean): void {
      if (activity === on) return;
      activity = on;
      if (on) {
        inbound.userActivityStarted();
        send({ realtimeInput: { activityStart: {} } });
      }
      else audioIn.flush(() => send({ realtimeInput: { activityEnd: {} } }));
    }

    function sendAudio(pcm: Buffer, sampleRate: number): void {
      // Manual mode: audio after an end (or at the start) opens a new activity by itself.
      if (manual && !activity) setActivity(true);
      inbound.userAudio(pcm);
      audioIn.push(pcm, sampleRate);
      // A remainder under the batch size (the user paused) goes out within one batch period.
      if (audioIn.hasUnsent && batchTimer === undefined) {
        batchTimer = setTimeout(() => {
          batchTimer = undefined;
          audioIn.flush();
        }, BATCH_PERIOD_MS);
      }
    }

    function onIntent(intent: ClientIntent): void {
      switch (intent.type) {
        case 'client.text':
          return send(
            options.textInput === 'realtimeInput'
              ? realtimeTextMessage(intent.text, intent.role)
              : clientTextMessage(intent.text, intent.role, intent.respond),
          );
        case 'client.commitAudio':
          if (!connected) return;
          if (manual) {
            if (activity) setActivity(false);
            else audioIn.flush();
          } else {
            // Tells automatic VAD the stream paused, so it closes the user's turn now.
            audioIn.flush(() => sendNow({ realtimeInput: { audioStreamEnd: true } }));
          }
          return;
        case 'client.clearAudio':
          return audioIn.clear();
        case 'client.createResponse':
          return logger.debug({}, 'gemini: createResponse is a no-op (Gemini continues by itself)');
        case 'client.interrupt':
          audioIn.clear();
          inbound.clientInterrupt();
          // Gemini has no response.cancel; in manual mode a new activity interrupts the model.
          if (manual) setActivity(true);
          emit({ type: 'model.interrupted', source: 'client' });
          return;
        case 'client.toolOutput': {
          if (!inbound.answer(intent.callId)) {
            logger.warn({ callId: intent.callId }, 'gemini: output dropped: this connection is not waiting for that call (unknown, answered, or cancelled)');
            return;
          }
          const id = inbound.synthetic.has(intent.callId) ? undefined : intent.callId;
          return send(toolResponseMessage(id, intent.name, intent.output));
        }
        case 'client.updateConfig': {
          const inPlace = new Set(['instructions', 'tools', 'toolChoice']);
          const unsupported = intent.changed.filter((field) => !inPlace.has(field));
          if (!options.contextUpdate || unsupported.length > 0) {
            emit({
              type: 'model.configRejected',
              requestId: intent.requestId,
              error: {
                code: 'update_rejected',
                message: options.contextUpdate
                  ? `Gemini cannot change ${unsupported.join(', ')} in place; it needs a resumption`
                  : 'Gemini cannot change the config in place (contextUpdate is off for this model)',
              },
            });
            return;
          }
          send(contextUpdateMessage(intent.config, intent.changed, options.schemaDialect));
          // No acknowledgement exists. A server that refuses closes the socket, and the
          // reconnect that follows sends the new canonical config in `setup` anyway.
          emit({ type: 'model.configApplied', requestId: intent.requestId });
          return;
        }
        case 'client.activity':
          if (!manual) return logger.debug({ edge: intent.edge }, 'gemini: activity signals need turnDetection none; ignored');
          return setActivity(intent.edge === 'start');
        case 'client.close':
          expectedClose = true;
          inbound.release();
          // close() flushes: audio the application already sent (resampler tails too) goes out ahead of the close frame.
          audioIn.finish(() => {
            if (ws && ws.readyState === WebSocket.OPEN) ws.close(1000, 'client close');
            else {
              // Never opened (still connecting): nothing to hand-shake with, so closed now, not after a timeout.
              ws?.terminate();
              if (!connected) emit({ type: 'model.closed', code: 1000, reason: 'closed before the connection was ready', expected: true });
            }
          });
          return;
      }
    }
    receive(onIntent);

    function buildUrl(key: string | undefined): string {
      if (options.vertex && !options.url) return vertexUrl(options.vertex.location);
      const base = options.url ?? GEMINI_API_URL;
      if (!key) return base;
      const url = new URL(base);
      url.searchParams.set('key', key);
      return url.toString();
    }

    function open(key: string | undefined, bearer: string | undefined): void {
      if (key) secrets.push(key, encodeURIComponent(key));
      if (bearer) secrets.push(bearer);
      const headers: Record<string, string> = {};
      if (bearer) headers['Authorization'] = `Bearer ${bearer}`;
      let url = options.url ?? GEMINI_API_URL;
      try {
        url = buildUrl(options.vertex ? undefined : key);
        ws = new WebSocket(url, { headers, perMessageDeflate: false });
      } catch (error) {
        return fail(`Could not open ${describeUrl(url)}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const socket = ws;
      socket.on('open', () => {
        if (!stopped) sendNow(setup);
      });
      socket.on('unexpected-response', (_request, response) => {
        fail(`Gemini Live refused the connection to ${describeUrl(url)}: HTTP ${response.statusCode ?? '?'}`, String(response.statusCode ?? ''));
      });
      // Google's service sends JSON in binary frames; both kinds are decoded the same way.
      socket.on('message', (data) => {
        if (!stopped) inbound.handle(frameText(data));
      });
      socket.on('error', (error) => {
        lastError = error.message;
        logger.debug({ error: redact(error.message) }, 'gemini: socket error');
      });
      socket.on('close', (code, reasonBuffer) => {
        audio.detach(connectionId);
        clearTimeout(connectTimer);
        const reason = redact(reasonBuffer.toString());
        if (!connected) {
          if (!expectedClose) {
            // A setup carrying a handle, refused with a reason about the handle (expired, invalid,
            // unknown), makes the session retry without it. Anything else (1007 bad setup, 1008 for
            // an unknown model, 1011 old socket still open, 1013 try again) keeps the handle, so
            // the conversation is not given up for an error that has nothing to do with it.
            const refusedHandle = input.resumptionHandle !== undefined && HANDLE_REFUSAL.test(reason);
            fail(
              `Could not connect to ${describeUrl(url)}: ${reason ? `closed with code ${code}: ${reason}` : (lastError ?? `closed with code ${code}`)}`,
              String(code),
              refusedHandle ? 'resumption_rejected' : 'connection_failed',
            );
          }
          return;
        }
        inbound.release();
        if (!expectedClose && !inbound.goAwayReceived && ERROR_CLOSE_CODES.has(code)) {
          emit({ type: 'model.error', error: { code: 'server_error', providerCode: String(code), message: reason || `Gemini Live closed the connection with code ${code}` } });
        }
        emit({ type: 'model.closed', code, reason, expected: expectedClose });
      });
    }

    const setup = toSetup(config, {
      model: options.model,
      vertex: options.vertex,
      schemaDialect: options.schemaDialect,
      contextWindowCompression: options.contextWindowCompression,
      resumptionHandle: input.resumptionHandle,
    });
    const conflict = setupConflict(setup.setup, config);

    const credentials = options.vertex
      ? Promise.all([undefined, resolveToken(options.vertex.accessToken)])
      : Promise.all([options.apiKey === undefined ? undefined : resolveToken(options.apiKey), undefined]);
    credentials.then(
      ([key, bearer]) => {
        if (stopped) return;
        // A contradictory setup is refused before anything reaches the wire.
        if (conflict) return fail(conflict.message, undefined, 'invalid_config', conflict.param);
        open(key, bearer);
      },
      (error: unknown) =>
        // An empty key or token from its function is the application's config mistake, named as such.
        error instanceof ConfigValidationError
          ? fail(error.message, undefined, 'invalid_config', error.field)
          : fail(`Could not get Gemini credentials: ${error instanceof Error ? error.message : String(error)}`),
    );

    return () => {
      stopped = true;
      expectedClose = true;
      clearTimeout(connectTimer);
      inbound.dispose();
      clearTimeout(batchTimer);
      // Detached first, so the plane does not hand the audio straight back to this connection.
      audio.detach(connectionId);
      // Nothing accepted is dropped with the connection: the plane carries it to the next one
      // (and drops it only when the session closes or fails).
      audio.returnUnsent([...unsentAudio.splice(0).map((pcm) => ({ pcm, sampleRate: AUDIO_INPUT_RATE })), ...audioIn.takeUnsent()]);
      audioIn.close();
      closeWithin(ws, options.closeTimeoutMs);
    };
  });
}
