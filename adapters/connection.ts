/**
 * The socket life every provider connection shares, one `ws` socket per invocation of the adapter:
 * credentials, the socket's address and headers, open, the connect timeout, the outbox that holds
 * frames until the connection is ready, user audio (resampled and batched, handed back to the audio
 * port when the connection ends), close classification, and the one `emit` that validates every
 * event through the neutral model (`toModelEvent`) before it reaches the session.
 *
 * A provider brings only what is its own (`ProviderProtocol`): where to connect and how to
 * authenticate, the first frame, intent → frame and frame → event.
 */
import { fromCallback } from 'xstate';
import WebSocket from 'ws';
import type { AdapterInput, ModelAdapterLogic } from './adapter.js';
import { AudioInput, type AudioInputOptions } from './audio.js';
import type { CredentialSource } from './credentials.js';
import { toModelEvent, type ClientIntent, type ModelEventInput } from './events.js';
import { closeWithin, describeUrl, frameText } from './socket.js';
import { ConfigValidationError, redactSecrets, type ErrorInfo } from '../errors.js';

/**
 * Where one connection is in its life. Before `ready`: resolving the credential, opening the
 * socket, handshaking (the first frame is out, the provider's "ready" answer is not in). After:
 * `closing` (the session asked), `closed` (the socket closed after it was ready). A close the session
 * asks for before `ready` is `closingBeforeReady`; `failed` ends an attempt that never became ready;
 * `stopped` means the session stopped the actor, and nothing more is reported.
 */
export type ConnectionPhase =
  | 'resolvingCredentials'
  | 'opening'
  | 'handshaking'
  | 'ready'
  | 'closingBeforeReady'
  | 'closing'
  | 'closed'
  | 'failed'
  | 'stopped';

const BEFORE_READY: ReadonlySet<ConnectionPhase> = new Set(['resolvingCredentials', 'opening', 'handshaking']);
/** Phases in which a connect failure is still reported (it never became ready, nothing ended it). */
const MAY_FAIL: ReadonlySet<ConnectionPhase> = new Set([...BEFORE_READY, 'closingBeforeReady']);
const SINCE_READY: ReadonlySet<ConnectionPhase> = new Set(['ready', 'closing', 'closed']);

/** Why a connection attempt failed: reported as `model.connectFailed`, its message redacted. */
export interface ConnectFailure {
  message: string;
  code?: 'connection_failed' | 'resumption_rejected' | 'invalid_config';
  providerCode?: string;
  param?: string;
}

/** Where the socket goes for one resolved credential. */
export interface SocketTarget {
  url: string;
  headers: Record<string, string>;
  /** Texts to redact from anything reported (the credential itself always is). */
  secrets?: string[];
}

/** The adapter-wide part: the same for every connection of one adapter. */
export interface SocketOptions {
  /** For logs (`openai: socket error`). */
  name: string;
  /** Resolved once per connection; a function's empty result is `invalid_config` (requireCredential). */
  credential: CredentialSource;
  /** The start of the message when the credential function throws. */
  credentialFailure: string;
  target(credential: string): SocketTarget;
  connectTimeoutMs: number;
  /** What `model.connectFailed` says when the connect timeout runs out. */
  timeoutMessage: string;
  closeTimeoutMs: number;
  /** The provider's input rate and batching; `frame` turns one batch into a text frame. */
  audio: AudioInputOptions & { frame(pcm: Buffer): string };
  /**
   * Open only once every earlier socket of the session has closed (`AdapterInput.sockets`): set by
   * a provider that refuses a resume while the old socket is open (Gemini). The wait counts toward
   * the connect timeout; it lasts at most the old adapter's close timeout.
   */
  closeBeforeReopen?: boolean;
  /** Set when the provider answers a refused handshake with an HTTP status worth naming (Gemini). */
  describeRefusal?(status: number | undefined, where: string): string;
}

/** What the core gives a provider's protocol, per connection. */
export interface ProviderLink {
  readonly input: AdapterInput;
  readonly phase: ConnectionPhase;
  /** True once the connection has been ready (also while and after it closes). */
  readonly hasBeenReady: boolean;
  /** The user's audio on its way to the socket: flush/clear/finish order with other frames. */
  readonly userAudio: AudioInput;
  /** Validated through the neutral model; nothing is reported once the actor stopped. */
  emit(event: ModelEventInput): void;
  /** Sent once the connection is ready; queued (in order) until then. */
  send(frame: object): void;
  /** Sent now if the socket is open, else dropped: the first frame, a replay before `ready`. */
  sendNow(frame: object): void;
  /** The provider's handshake is done: user audio attaches, `model.connected`, the outbox flushes. */
  ready(connected: { providerSessionId?: string | undefined; restored: boolean }): void;
  fail(failure: ConnectFailure): void;
  redact(text: string): string;
}

/** What a provider brings, per connection. */
export interface ProviderProtocol {
  /** A config this provider refuses before anything is sent (checked before the credential). */
  conflict?: ErrorInfo | undefined;
  /** The socket is open: send the first frame. */
  opened(): void;
  /** One server frame's text. */
  frame(text: string): void;
  /** Every intent but `client.close`, which the core handles. */
  intent(intent: Exclude<ClientIntent, { type: 'client.close' }>): void;
  /** User audio about to be pushed to `userAudio` (Gemini opens a manual activity here). */
  userAudio?(pcm: Buffer): void;
  /** The session asked to close; called before the remaining audio is flushed. */
  closing?(): void;
  /** The socket closed after the connection was ready; called before `model.closed`. */
  closed?(close: { code: number; reason: string; expected: boolean }): void;
  /** The socket closed before the connection was ready, not at the session's request. */
  closedBeforeReady(close: { code: number; reason: string; lastError: string | undefined; where: string }): ConnectFailure;
  /** The actor stopped: timers go. */
  dispose?(): void;
}

export function createProviderConnection(options: SocketOptions, protocolFor: (link: ProviderLink) => ProviderProtocol): ModelAdapterLogic {
  return fromCallback<ClientIntent, AdapterInput>(({ input, sendBack, receive }) => {
    const { audio, logger, connectionId } = input;
    let phase: ConnectionPhase = 'resolvingCredentials';
    let ws: WebSocket | undefined;
    let lastError: string | undefined;
    /** The socket's scheme, host and path, for messages (never its query: Gemini's key is there). */
    let where = '';
    const secrets: string[] = [];
    const outbox: string[] = [];
    /** Audio batches written while the socket was no longer open (closing): handed back at the end. */
    const unsentAudio: Buffer[] = [];

    const redact = (text: string): string => redactSecrets(text, secrets);
    const emit = (event: ModelEventInput): void => {
      if (phase !== 'stopped') sendBack(toModelEvent(event));
    };
    const sendText = (text: string): void => {
      if (ws?.readyState === WebSocket.OPEN) ws.send(text);
    };

    const fail = (failure: ConnectFailure): void => {
      if (!MAY_FAIL.has(phase)) return;
      phase = 'failed';
      clearTimeout(connectTimer);
      const error: ErrorInfo = { code: failure.code ?? 'connection_failed', message: redact(failure.message) };
      if (failure.providerCode) error.providerCode = failure.providerCode;
      if (failure.param) error.param = failure.param;
      emit({ type: 'model.connectFailed', error });
      ws?.terminate();
    };
    const connectTimer = setTimeout(() => fail({ message: options.timeoutMessage }), options.connectTimeoutMs);

    const userAudio = new AudioInput(
      (pcm) => {
        // Base64 needs no JSON escaping: providers build audio frames without JSON.stringify (hot path).
        if (ws?.readyState === WebSocket.OPEN) ws.send(options.audio.frame(pcm));
        else unsentAudio.push(pcm);
      },
      (message) => emit({ type: 'model.error', error: { code: 'invalid_frame', message } }),
      options.audio,
    );
    const sink = {
      sendAudio(pcm: Buffer, sampleRate: number): void {
        protocol.userAudio?.(pcm);
        userAudio.push(pcm, sampleRate);
      },
    };

    const link: ProviderLink = {
      input,
      get phase() {
        return phase;
      },
      get hasBeenReady() {
        return SINCE_READY.has(phase);
      },
      userAudio,
      emit,
      send(frame) {
        const text = JSON.stringify(frame);
        if (SINCE_READY.has(phase)) sendText(text);
        else outbox.push(text);
      },
      sendNow: (frame) => sendText(JSON.stringify(frame)),
      ready({ providerSessionId, restored }) {
        if (phase !== 'handshaking' && phase !== 'closingBeforeReady') return;
        // A close asked for during the handshake goes on: the connection is ready and closing.
        phase = phase === 'handshaking' ? 'ready' : 'closing';
        clearTimeout(connectTimer);
        audio.attach(sink, connectionId);
        emit({ type: 'model.connected', providerSessionId, restored });
        for (const text of outbox.splice(0)) sendText(text);
      },
      fail,
      redact,
    };
    const protocol = protocolFor(link);

    function close(): void {
      if (phase === 'ready') phase = 'closing';
      else if (BEFORE_READY.has(phase)) phase = 'closingBeforeReady';
      protocol.closing?.();
      // Flushed first: audio the application already sent (resampler tails too) goes out ahead of the close frame.
      userAudio.finish(() => {
        if (ws && ws.readyState === WebSocket.OPEN) return ws.close(1000, 'client close');
        // Never opened (still connecting): nothing to hand-shake with, so closed now, not after a timeout.
        ws?.terminate();
        if (phase === 'closingBeforeReady' || phase === 'failed') {
          // Closed for good: the connect timer must not report a failure after this.
          phase = 'closed';
          clearTimeout(connectTimer);
          emit({ type: 'model.closed', code: 1000, reason: 'closed before the connection was ready', expected: true });
        }
      });
    }

    receive((intent) => (intent.type === 'client.close' ? close() : protocol.intent(intent)));

    function onClose(code: number, reason: string): void {
      if (phase === 'opening' || phase === 'handshaking') {
        return fail(protocol.closedBeforeReady({ code, reason, lastError, where }));
      }
      if (phase !== 'ready' && phase !== 'closing' && phase !== 'closingBeforeReady') return;
      // A close the session asked for, before or after ready, is expected.
      const expected = phase !== 'ready';
      phase = 'closed';
      protocol.closed?.({ code, reason, expected });
      emit({ type: 'model.closed', code, reason, expected });
    }

    function open(credential: string): void {
      if (phase !== 'resolvingCredentials') return;
      secrets.push(credential, encodeURIComponent(credential));
      let url = '';
      try {
        const target = options.target(credential);
        url = target.url;
        secrets.push(...(target.secrets ?? []));
        ws = new WebSocket(url, { headers: target.headers, perMessageDeflate: false });
        input.sockets?.track(ws);
      } catch (error) {
        return fail({ message: `Could not open ${describeUrl(url)}: ${error instanceof Error ? error.message : String(error)}` });
      }
      phase = 'opening';
      const socket = ws;
      where = describeUrl(url);
      socket.on('open', () => {
        if (phase === 'stopped') return;
        if (phase === 'opening') phase = 'handshaking';
        protocol.opened();
      });
      const describeRefusal = options.describeRefusal;
      if (describeRefusal) {
        socket.on('unexpected-response', (_request, response) => {
          fail({ message: describeRefusal(response.statusCode, where), providerCode: String(response.statusCode ?? '') });
        });
      }
      // Providers may send JSON in text or binary frames (Google's service uses binary); both decode the same.
      socket.on('message', (data) => {
        if (phase !== 'stopped') protocol.frame(frameText(data));
      });
      socket.on('error', (error) => {
        lastError = error.message;
        logger.debug({ error: redact(error.message) }, `${options.name}: socket error`);
      });
      socket.on('close', (code, reasonBuffer) => {
        audio.detach(connectionId);
        clearTimeout(connectTimer);
        onClose(code, redact(reasonBuffer.toString()));
      });
    }

    /** The provider refuses a second socket and an earlier one of this session is still closing. */
    const previousOpen = options.closeBeforeReopen === true && (input.sockets?.openCount ?? 0) > 0;
    if (protocol.conflict) {
      // A config mistake, not a network failure: reported as such, before anything is sent.
      const { message, providerCode, param } = protocol.conflict;
      fail({ code: 'invalid_config', message, providerCode, param });
    } else if (typeof options.credential === 'string' && !previousOpen) open(options.credential);
    else {
      const credential = options.credential;
      Promise.resolve()
        .then(typeof credential === 'string' ? () => credential : credential)
        .then(async (resolved) => {
          if (previousOpen) {
            logger.debug({ open: input.sockets?.openCount }, `${options.name}: waiting for the previous socket to close`);
            await input.sockets?.allClosed();
          }
          return resolved;
        })
        .then(open, (error: unknown) => {
          // An empty key from the key function is the application's config mistake, named as such.
          if (error instanceof ConfigValidationError) fail({ code: 'invalid_config', message: error.message, param: error.field });
          else fail({ message: `${options.credentialFailure}: ${error instanceof Error ? error.message : String(error)}` });
        });
    }

    return () => {
      phase = 'stopped';
      clearTimeout(connectTimer);
      protocol.dispose?.();
      // Detached first, so the port does not hand the audio straight back to this connection.
      audio.detach(connectionId);
      // Nothing accepted is dropped with the connection (a swap, a drop, a close): frames written
      // while the socket was closing, the resamplers' held-back tails and input still waiting for a
      // resampler go back to the port, which carries them to the next connection (or drops them
      // when the session closes or fails).
      const targetRate = options.audio.targetRate;
      audio.returnUnsent([...unsentAudio.splice(0).map((pcm) => ({ pcm, sampleRate: targetRate })), ...userAudio.takeUnsent()]);
      userAudio.close();
      closeWithin(ws, options.closeTimeoutMs);
    };
  });
}
