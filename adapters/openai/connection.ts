/**
 * The OpenAI Realtime connection actor: one `ws` socket per invocation. It turns client intents
 * into frames (single writer, each frame stringified once) and feeds server frames to the inbound
 * translator. The API key is resolved here, per connection, and never leaves this closure.
 */
import { closeWithin, describeUrl, frameText } from '../socket.js';
import { AudioInput } from '../audio.js';
import { fromCallback, type EventObject } from 'xstate';
import WebSocket from 'ws';
import type { AdapterInput, ModelAdapterLogic } from '../adapter.js';
import type { SessionConfig } from '../../config.js';
import type { ClientIntent, ModelEventInput } from '../events.js';
import { ConfigValidationError, redactSecrets, type ErrorInfo } from '../../errors.js';
import type { HistoryStore } from './history.js';
import { createInbound, newConnectionState } from './inbound.js';
import { configConflict } from './extra-conflicts.js';
import {
  functionOutputItem,
  outputText,
  pcm24kMs,
  replayItemBeta,
  replayItemGA,
  sessionUpdate,
  textItem,
  toBetaSession,
  toGASession,
  truncate,
} from './map.js';
import type { OpenAIProtocol } from './wire.js';

/** The only input rate OpenAI Realtime takes (PCM16); other rates are resampled to it. */
const AUDIO_INPUT_RATE = 24_000;

export type ApiKeySource = string | (() => string | Promise<string>);

export interface ConnectionOptions {
  apiKey: ApiKeySource;
  model: string;
  url: string | undefined;
  headers: Record<string, string>;
  protocol: OpenAIProtocol;
  /** `authorization` (default): `Authorization: Bearer <key>`; `api-key`: Azure's `api-key: <key>`. */
  authHeader: 'authorization' | 'api-key';
  connectTimeoutMs: number;
  closeTimeoutMs: number;
}

export function defaultUrl(model: string): string {
  return `wss://api.openai.com/v1/realtime?model=${encodeURIComponent(model)}`;
}

/** Host and path only: query strings may carry credentials (Azure `api-key=`). */
export function createConnectionLogic(options: ConnectionOptions, histories: HistoryStore): ModelAdapterLogic {
  return fromCallback<ClientIntent, AdapterInput>(({ input, sendBack, receive }) => {
    const { audio, logger, connectionId } = input;
    const url = options.url ?? defaultUrl(options.model);
    const beta = options.protocol === 'beta';
    const history = histories.for(audio);
    const state = newConnectionState();
    let config = input.config;
    let key: string | undefined;
    let ws: WebSocket | undefined;
    let stopped = false;
    let connected = false;
    let failed = false;
    let expectedClose = false;
    let lastError: string | undefined;
    let updates = 0;
    const outbox: string[] = [];

    const redact = (text: string): string => redactSecrets(text, key ? [key] : []);
    const emit = (event: ModelEventInput): void => {
      if (!stopped) sendBack(event as EventObject);
    };
    const sendRaw = (text: string): void => {
      if (ws?.readyState === WebSocket.OPEN) ws.send(text);
    };
    const send = (frame: object): void => {
      const text = JSON.stringify(frame);
      if (connected) sendRaw(text);
      else outbox.push(text);
    };
    const buildSession = (includeVoice: boolean): object =>
      beta ? toBetaSession(config, { includeVoice }) : toGASession(config, { includeVoice });
    /** An `extra` that contradicts the rest of the config: checked before anything is sent. */
    const conflictIn = (next: SessionConfig): ErrorInfo | undefined => configConflict(next, options.protocol);

    const fail = (message: string): void => {
      if (failed || connected || stopped) return;
      failed = true;
      clearTimeout(connectTimer);
      emit({ type: 'model.connectFailed', error: { code: 'connection_failed', message: redact(message) } });
      ws?.terminate();
    };
    const connectTimer = setTimeout(() => fail(`OpenAI Realtime did not answer within ${options.connectTimeoutMs} ms`), options.connectTimeoutMs);

    let providerSessionId: string | undefined;
    /**
     * Connected = `session.created` seen and our initial `session.update` answered with
     * `session.updated`: tools and instructions are in force before the session sends anything, and
     * a config the server refuses fails the connection instead of running on defaults.
     */
    function onInitialUpdate(error: ErrorInfo | undefined): void {
      if (connected || failed) return;
      if (error) return fail(`OpenAI refused the session config: ${error.message}`);
      // Replay after our session.update so the items see the right config.
      let replayed = 0;
      if (input.reason !== 'initial') {
        for (const item of history.snapshot()) {
          sendRaw(JSON.stringify(beta ? replayItemBeta(item) : replayItemGA(item)));
          replayed++;
        }
      }
      connected = true;
      clearTimeout(connectTimer);
      audio.attach({ sendAudio }, connectionId);
      emit({ type: 'model.connected', providerSessionId, restored: replayed > 0 });
      for (const text of outbox.splice(0)) sendRaw(text);
    }

    /** Audio written while the socket was no longer open (closing): handed back to the plane at cleanup. */
    const unsentAudio: Buffer[] = [];
    const sendAudioFrame = (pcm: Buffer): void => {
      // Base64 needs no JSON escaping, so the frame is built without JSON.stringify on the hot path.
      if (ws?.readyState === WebSocket.OPEN) ws.send(`{"type":"input_audio_buffer.append","audio":"${pcm.toString('base64')}"}`);
      else unsentAudio.push(pcm);
    };
    // OpenAI takes 24 kHz PCM16 only: other rates (16 kHz microphones) are resampled, unbatched.
    const audioIn = new AudioInput(
      sendAudioFrame,
      (message) => emit({ type: 'model.error', error: { code: 'invalid_frame', message } }),
      { targetRate: AUDIO_INPUT_RATE, minBatchBytes: 0 },
    );
    function sendAudio(pcm: Buffer, sampleRate: number): void {
      audioIn.push(pcm, sampleRate);
    }

    const handle = createInbound(state, {
      emit,
      deliver: (event) => audio.deliver(event),
      history,
      logger,
      redact,
      speechInterrupts: () => config.turnDetection.type !== 'none' && config.turnDetection.interruptResponse,
      transcribesInput: () => config.transcription !== null,
      onSessionCreated: (id) => {
        providerSessionId = id;
      },
      onInitialUpdate,
    });

    function interrupt(playedMs: number | undefined): void {
      if (state.responseActive) {
        send({ type: 'response.cancel' });
        state.droppedResponseId = state.responseId;
        state.interruptReported = true;
      }
      const last = state.lastAudio;
      if (last && playedMs !== undefined) {
        send(truncate(last.itemId, Math.min(playedMs, pcm24kMs(last.bytes))));
        state.lastAudio = undefined;
      }
      emit({ type: 'model.interrupted', source: 'client' });
    }

    function onIntent(intent: ClientIntent): void {
      switch (intent.type) {
        case 'client.text':
          history.add({ kind: 'message', role: intent.role, text: intent.text });
          send(textItem(intent.text, intent.role));
          if (intent.respond) send({ type: 'response.create' });
          return;
        case 'client.commitAudio':
          // Audio still in a loading resampler must reach the buffer before the commit.
          return audioIn.flush(() => send({ type: 'input_audio_buffer.commit' }));
        case 'client.clearAudio':
          return audioIn.clear(() => send({ type: 'input_audio_buffer.clear' }));
        case 'client.createResponse':
          return send({ type: 'response.create' });
        case 'client.interrupt':
          return interrupt(intent.playedMs);
        case 'client.toolOutput':
          history.add({ kind: 'function_call_output', callId: intent.callId, output: outputText(intent.output) });
          // No response.create: the session asks for exactly one response per tool turn.
          return send(functionOutputItem(intent.callId, intent.output));
        case 'client.updateConfig': {
          const conflict = conflictIn(intent.config);
          if (conflict) return emit({ type: 'model.configRejected', requestId: intent.requestId, error: conflict });
          config = intent.config;
          if (!beta && intent.changed.includes('temperature')) logger.warn({}, 'openai: the GA Realtime API has no session temperature; ignored');
          const eventId = `vx_update_${connectionId}_${++updates}`;
          state.pendingUpdates.push({ eventId, requestId: intent.requestId });
          return send(sessionUpdate(eventId, buildSession(intent.changed.includes('voice'))));
        }
        case 'client.activity':
          return logger.debug({ edge: intent.edge }, 'openai: manual activity signals are Gemini-only; ignored');
        case 'client.close':
          expectedClose = true;
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

    function open(resolvedKey: string): void {
      key = resolvedKey;
      const headers: Record<string, string> = { ...options.headers };
      if (options.authHeader === 'api-key') headers['api-key'] = resolvedKey;
      else headers['Authorization'] = `Bearer ${resolvedKey}`;
      if (beta) headers['OpenAI-Beta'] = 'realtime=v1';
      try {
        ws = new WebSocket(url, { headers, perMessageDeflate: false });
      } catch (error) {
        return fail(`Could not open ${describeUrl(url)}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const socket = ws;
      socket.on('open', () => {
        if (stopped) return;
        const eventId = `vx_init_${connectionId}`;
        state.pendingUpdates.push({ eventId, requestId: undefined });
        sendRaw(JSON.stringify(sessionUpdate(eventId, buildSession(true))));
      });
      socket.on('message', (data) => {
        if (!stopped) handle(frameText(data));
      });
      socket.on('error', (error) => {
        lastError = error.message;
        logger.debug({ error: redact(error.message) }, 'openai: socket error');
      });
      socket.on('close', (code, reasonBuffer) => {
        audio.detach(connectionId);
        clearTimeout(connectTimer);
        const reason = redact(reasonBuffer.toString());
        if (!connected) {
          if (!expectedClose) fail(`Could not connect to ${describeUrl(url)}: ${lastError ?? `closed with code ${code} ${reason}`.trim()}`);
          return;
        }
        emit({ type: 'model.closed', code, reason, expected: expectedClose });
      });
    }

    /** A config mistake (not a network failure): reported as such, before anything is sent. */
    const refuse = (error: ErrorInfo): void => {
      failed = true;
      clearTimeout(connectTimer);
      emit({ type: 'model.connectFailed', error: { ...error, message: redact(error.message) } });
    };
    const source = options.apiKey;
    const conflict = conflictIn(config);
    if (conflict) refuse(conflict);
    else if (typeof source === 'string') open(source);
    else {
      Promise.resolve()
        .then(source)
        .then(
          (resolved) => {
            if (!stopped) open(resolved);
          },
          (error: unknown) => {
            if (stopped) return;
            // An empty key from the key function is the application's config mistake, named as such.
            if (error instanceof ConfigValidationError) refuse({ code: 'invalid_config', message: error.message, param: error.field });
            else fail(`Could not get an OpenAI API key: ${error instanceof Error ? error.message : String(error)}`);
          },
        );
    }

    return () => {
      stopped = true;
      expectedClose = true;
      clearTimeout(connectTimer);
      // Detached first, so the plane does not hand the audio straight back to this connection.
      audio.detach(connectionId);
      // Nothing accepted is dropped with the connection (a swap, a drop, a close): frames written
      // while the socket was closing, the resamplers' held-back tails and input still waiting for a
      // resampler go back to the plane, which carries them to the next connection (or drops them
      // when the session closes or fails).
      audio.returnUnsent([...unsentAudio.splice(0).map((pcm) => ({ pcm, sampleRate: AUDIO_INPUT_RATE })), ...audioIn.takeUnsent()]);
      audioIn.close();
      closeWithin(ws, options.closeTimeoutMs);
    };
  });
}
