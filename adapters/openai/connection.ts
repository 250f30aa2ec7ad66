/**
 * The OpenAI Realtime connection: what is OpenAI's own on top of the shared socket core
 * (adapters/connection.ts): the URL and auth header, the first frame (`session.update`, answered
 * before the connection counts as ready), the conversation replayed on a new connection, and
 * intents → frames. Server frames go to the inbound translator (inbound.ts).
 */
import type { ModelAdapterLogic } from '../adapter.js';
import type { CredentialSource } from '../credentials.js';
import { createProviderConnection, type ProviderLink, type ProviderProtocol } from '../connection.js';
import type { ClientIntent } from '../events.js';
import type { SessionConfig } from '../../config.js';
import type { ErrorInfo } from '../../errors.js';
import type { HistoryStore } from './history.js';
import { createInbound, newConnectionState, TRUNCATE_EVENT_PREFIX } from './inbound.js';
import { configConflict } from './extra-conflicts.js';
import { optionConflict, type OpenAISessionOptions } from './options.js';
import {
  functionOutputItem,
  lateOutputNoteText,
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
import { REQUEST_METADATA_KEY, type OpenAIProtocol, type ResponseCreateFrame } from './wire.js';

/** The only input rate OpenAI Realtime takes (PCM16); other rates are resampled to it. */
const AUDIO_INPUT_RATE = 24_000;

export type ApiKeySource = CredentialSource;

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
  /** The typed session options (reasoning effort, noise reduction, idle timeout, speed). */
  sessionOptions: OpenAISessionOptions;
}

export function defaultUrl(model: string): string {
  return `wss://api.openai.com/v1/realtime?model=${encodeURIComponent(model)}`;
}

export function createConnectionLogic(options: ConnectionOptions, histories: HistoryStore): ModelAdapterLogic {
  const beta = options.protocol === 'beta';
  return createProviderConnection(
    {
      name: 'openai',
      credential: options.apiKey,
      credentialFailure: 'Could not get an OpenAI API key',
      target(key) {
        const headers: Record<string, string> = { ...options.headers };
        if (options.authHeader === 'api-key') headers['api-key'] = key;
        else headers['Authorization'] = `Bearer ${key}`;
        if (beta) headers['OpenAI-Beta'] = 'realtime=v1';
        return { url: options.url ?? defaultUrl(options.model), headers };
      },
      connectTimeoutMs: options.connectTimeoutMs,
      timeoutMessage: `OpenAI Realtime did not answer within ${options.connectTimeoutMs} ms`,
      closeTimeoutMs: options.closeTimeoutMs,
      // OpenAI takes 24 kHz PCM16 only: other rates (16 kHz microphones) are resampled, unbatched.
      audio: {
        targetRate: AUDIO_INPUT_RATE,
        minBatchBytes: 0,
        frame: (pcm) => `{"type":"input_audio_buffer.append","audio":"${pcm.toString('base64')}"}`,
      },
    },
    (link) => openaiProtocol(link, options, histories),
  );
}

function openaiProtocol(link: ProviderLink, options: ConnectionOptions, histories: HistoryStore): ProviderProtocol {
  const { input, send, emit } = link;
  const { logger, connectionId } = input;
  const beta = options.protocol === 'beta';
  const history = histories.for(input.audio);
  const state = newConnectionState();
  let config = input.config;
  let updates = 0;
  let truncations = 0;
  let providerSessionId: string | undefined;

  const buildSession = (includeVoice: boolean): object =>
    beta
      ? toBetaSession(config, { includeVoice, options: options.sessionOptions })
      : toGASession(config, { includeVoice, options: options.sessionOptions });
  /** An option the model does not take, or an `extra` that contradicts the config: checked before anything is sent. */
  const conflictIn = (next: SessionConfig): ErrorInfo | undefined =>
    optionConflict(options.sessionOptions, next, options.model, options.protocol) ?? configConflict(next, options.protocol);

  /**
   * Ready = `session.created` seen and our initial `session.update` answered with
   * `session.updated`: tools and instructions are in force before the session sends anything, and
   * a config the server refuses fails the connection instead of running on defaults.
   */
  function onInitialUpdate(error: ErrorInfo | undefined): void {
    if (link.phase !== 'handshaking' && link.phase !== 'closingBeforeReady') return;
    if (error) return link.fail({ message: `OpenAI refused the session config: ${error.message}` });
    // Replay after our session.update so the items see the right config.
    let replayed = 0;
    if (input.reason !== 'initial') {
      for (const item of history.snapshot()) {
        link.sendNow(beta ? replayItemBeta(item) : replayItemGA(item));
        replayed++;
      }
    }
    link.ready({ providerSessionId, restored: replayed > 0 });
  }

  const handle = createInbound(state, {
    emit,
    deliver: (event) => input.audio.deliver(event),
    history,
    logger,
    redact: link.redact,
    speechInterrupts: () => config.turnDetection.type !== 'none' && config.turnDetection.interruptResponse,
    transcribesInput: () => config.transcription !== null,
    onSessionCreated: (id) => {
      providerSessionId = id;
    },
    onInitialUpdate,
  });

  /**
   * Cancel only a response that is running and that the server has not cancelled itself (server
   * VAD with `interrupt_response` already did: `interruptReported`); openai-realtime-2026.md §6.
   * The heard part is cut by `client.truncate`, which the session sends per item.
   */
  function interrupt(): void {
    if (state.responseActive && !state.interruptReported) {
      send({ type: 'response.cancel' });
      state.droppedResponseId = state.responseId;
      state.interruptReported = true;
    }
    // No model.interrupted: the session reports the interruption itself, only when something was
    // cancelled or cut (adapters/events.ts, `client.interrupt`).
  }

  /** A `response.create` naming the request it is for (echoed back: see `ResponseCreateFrame`); bare without one (the follow-up after tool outputs). */
  function responseCreate(requestId: string | undefined): ResponseCreateFrame {
    if (requestId === undefined) return { type: 'response.create' };
    state.pendingRequests.add(requestId);
    return { type: 'response.create', event_id: requestId, response: { metadata: { [REQUEST_METADATA_KEY]: requestId } } };
  }

  /**
   * `audio_end_ms` is capped at the audio this connection received of the item (the server errors beyond it).
   * An item an earlier connection played (the answer still playing across a swap) is not on this
   * connection as audio: nothing is sent, but what was heard is recorded all the same, so later
   * replays carry the heard part (`receivedMs` from the session's playback tracker).
   */
  function truncateItem(itemId: string, audioEndMs: number, playedReceivedMs: number | undefined): void {
    const bytes = state.audioBytes.get(itemId);
    if (bytes === undefined) {
      if (playedReceivedMs !== undefined && playedReceivedMs > 0) history.truncated(itemId, Math.min(1, audioEndMs / playedReceivedMs));
      return logger.debug({ itemId }, 'openai: truncate of an item this connection never played: recorded in the history only');
    }
    const receivedMs = pcm24kMs(bytes);
    const endMs = Math.min(Math.floor(audioEndMs), Math.floor(receivedMs));
    send(truncate(itemId, endMs, `${TRUNCATE_EVENT_PREFIX}${connectionId}_${++truncations}`));
    history.truncated(itemId, receivedMs > 0 ? endMs / receivedMs : 0);
  }

  function intent(intent: Exclude<ClientIntent, { type: 'client.close' }>): void {
    switch (intent.type) {
      case 'client.text':
        history.add({ kind: 'message', role: intent.role, text: intent.text });
        send(textItem(intent.text, intent.role));
        if (intent.respond) send(responseCreate(intent.requestId));
        return;
      case 'client.commitAudio':
        // Audio still in a loading resampler must reach the buffer before the commit.
        return link.userAudio.flush(() => send({ type: 'input_audio_buffer.commit' }));
      case 'client.clearAudio':
        return link.userAudio.clear(() => send({ type: 'input_audio_buffer.clear' }));
      case 'client.createResponse':
        return send(responseCreate(intent.requestId));
      case 'client.interrupt':
        return interrupt();
      case 'client.truncate':
        return truncateItem(intent.itemId, intent.audioEndMs, intent.receivedMs);
      case 'client.toolOutput': {
        if (!history.hasCall(intent.callId)) {
          // The call item was not replayed on this connection (trimmed by the history caps): context instead.
          const note = lateOutputNoteText(intent.name, intent.callId, intent.output);
          history.add({ kind: 'message', role: 'user', text: note });
          return send(textItem(note, 'user'));
        }
        // Converted once: the replay record and the frame carry the same text.
        const output = outputText(intent.output);
        history.add({ kind: 'function_call_output', callId: intent.callId, output });
        // No response.create: the session asks for exactly one response per tool turn.
        return send(functionOutputItem(intent.callId, output));
      }
      case 'client.updateConfig': {
        const conflict = conflictIn(intent.config);
        if (conflict) return emit({ type: 'model.configRejected', requestId: intent.requestId, error: conflict });
        config = intent.config;
        if (!beta && intent.changed.includes('temperature')) logger.warn({}, 'openai: the GA Realtime API has no session temperature; ignored');
        const eventId = `vx_update_${connectionId}_${++updates}`;
        state.pendingUpdates.push({ eventId, requestId: intent.requestId });
        return send(sessionUpdate(eventId, buildSession(intent.changed.includes('voice'))));
      }
    }
  }

  return {
    conflict: conflictIn(config),
    opened() {
      const eventId = `vx_init_${connectionId}`;
      state.pendingUpdates.push({ eventId, requestId: undefined });
      link.sendNow(sessionUpdate(eventId, buildSession(true)));
    },
    frame: handle,
    intent,
    closedBeforeReady: ({ code, reason, lastError, where }) => ({
      message: `Could not connect to ${where}: ${lastError ?? `closed with code ${code} ${reason}`.trim()}`,
    }),
  };
}
