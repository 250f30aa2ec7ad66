/**
 * The scripted model adapter: an in-process "provider" for tests and demos. It plays scripted
 * responses (audio, transcripts, text, tool calls, errors), can be told which config changes apply
 * in place and which need resumption, and can fail connects on demand. Tests also drive it by
 * hand: `push()` any model event on the live connection, `drop()` the socket, read what the
 * session sent in `connections[i].intents`.
 */
import { fromCallback } from 'xstate';
import type { AdapterInput, CapabilityTable, ChangeRule, ModelAdapter } from '../adapter.js';
import type { ClientIntent, DataEvent, ModelEventInput } from '../events.js';
import { toModelEvent } from '../events.js';
import { MUTABLE_FIELDS, type MutableField } from '../../config.js';
import type { ErrorInfo } from '../../errors.js';

export interface ScriptedToolCall {
  callId?: string;
  name: string;
  /** JSON text, or an object that is stringified. Give invalid JSON text to test bad arguments. */
  arguments: string | Record<string, unknown>;
}

/** One response the model gives when asked to respond. Steps play in this order. */
export interface ScriptedResponse {
  toolCalls?: ScriptedToolCall[];
  /** PCM16 chunks of assistant audio. */
  audio?: Buffer[];
  transcript?: string;
  text?: string;
  error?: ErrorInfo;
  /** Milliseconds between steps (default 0: a macrotask each). */
  stepDelayMs?: number;
  /** Leave the response open until the test calls `finishResponse()`. */
  holdOpen?: boolean;
}

export interface ScriptedModelOptions {
  model?: string;
  responses?: ScriptedResponse[];
  /** How each field may change on a live connection. Default: every field in place. */
  change?: Partial<Record<MutableField, ChangeRule>>;
  needsFollowUpResponse?: boolean;
  /** The capability `correlatesResponses` (default false): the chart lets a response answer only the request it names. */
  correlatesResponses?: boolean;
  /** The capability `speaksBackgroundResults` (default false): a delivered background result owes a response the server starts by itself. */
  speaksBackgroundResults?: boolean;
  /** Fail this connection attempt? Receives the attempt number (1-based, across the model's life). */
  failConnect?: (attempt: number, input: AdapterInput) => boolean;
  /** Reject in-place updates with a server error. */
  rejectUpdates?: boolean;
  /** Delay before `model.connected`, to observe the connecting/resuming states. */
  connectDelayMs?: number;
  /** Play the next scripted response when the session asks for one (default true). */
  autoRespond?: boolean;
}

export interface ScriptedConnection {
  connectionId: number;
  input: Pick<AdapterInput, 'config' | 'resumptionHandle' | 'reason' | 'connectionId'>;
  intents: ClientIntent[];
  userAudio: Buffer[];
  open: boolean;
  connected: boolean;
  /** How many earlier connections of this model were still open when this one opened (0: it opened alone). */
  openAtStart: number;
}

export interface ScriptedModel extends ModelAdapter {
  readonly connections: ScriptedConnection[];
  readonly connectAttempts: number;
  /** The newest connection. */
  current(): ScriptedConnection;
  /** Sends a model event on the newest open connection. */
  push(event: ModelEventInput): void;
  /** Delivers a data-plane event (audio, text, transcript) on the newest connection. */
  deliver(event: DataEvent): void;
  /** Plays a response now, as if the session had asked for one. */
  play(response: ScriptedResponse): Promise<void>;
  /** Ends a response left open with `holdOpen`. */
  finishResponse(status?: 'completed' | 'cancelled'): void;
  /** Closes the newest connection from the provider's side (unexpected). */
  drop(code?: number, reason?: string): void;
  /** Appends responses to the script. */
  script(...responses: ScriptedResponse[]): void;
}

interface LiveConnection {
  record: ScriptedConnection;
  sendBack: (event: import("xstate").AnyEventObject) => void;
  input: AdapterInput;
  responseSeq: number;
  activeResponse:
    | { id: string; cancelled: boolean; finish?: (status: 'completed' | 'cancelled') => void; finishedEarly?: 'completed' | 'cancelled' }
    | undefined;
}

export function createScriptedModel(options: ScriptedModelOptions = {}): ScriptedModel {
  const responses: ScriptedResponse[] = [...(options.responses ?? [])];
  const connections: ScriptedConnection[] = [];
  const live = new Map<number, LiveConnection>();
  let attempts = 0;
  let callSeq = 0;

  const change = Object.fromEntries(MUTABLE_FIELDS.map((f) => [f, options.change?.[f] ?? 'inPlace'])) as Record<MutableField, ChangeRule>;
  const capabilities: CapabilityTable = {
    default: {
      change,
      needsFollowUpResponse: options.needsFollowUpResponse ?? true,
      ...(options.correlatesResponses ? { correlatesResponses: true } : {}),
      ...(options.speaksBackgroundResults ? { speaksBackgroundResults: true } : {}),
    },
  };

  const newest = (): LiveConnection | undefined => {
    let found: LiveConnection | undefined;
    for (const c of live.values()) if (c.record.open && (!found || c.record.connectionId > found.record.connectionId)) found = c;
    return found;
  };
  const send = (c: LiveConnection, event: ModelEventInput) => {
    if (c.record.open) c.sendBack(toModelEvent(event));
  };
  const tick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  async function playOn(c: LiveConnection, response: ScriptedResponse): Promise<void> {
    const id = `resp_${c.record.connectionId}_${++c.responseSeq}`;
    const state: NonNullable<LiveConnection['activeResponse']> = { id, cancelled: false };
    c.activeResponse = state;
    const step = () => tick(response.stepDelayMs ?? 0);
    send(c, { type: 'model.responseCreated', responseId: id });
    await step();
    if (response.error && !state.cancelled) send(c, { type: 'model.error', error: response.error });
    for (const call of response.toolCalls ?? []) {
      if (state.cancelled) break;
      const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
      send(c, { type: 'model.functionCall', callId: call.callId ?? `call_${++callSeq}`, name: call.name, arguments: args, responseId: id });
      await step();
    }
    const itemId = `item_${id}`;
    let audioStarted = false;
    for (const chunk of response.audio ?? []) {
      if (state.cancelled || !c.record.open) break;
      if (!audioStarted) {
        send(c, { type: 'model.outputAudioStarted', responseId: id, itemId });
        audioStarted = true;
      }
      c.input.audio.deliver({ type: 'audio', audio: chunk, sampleRate: 24_000, itemId, responseId: id });
      await step();
    }
    if (response.transcript && !state.cancelled) {
      for (const word of response.transcript.split(/(?<=\s)/)) {
        c.input.audio.deliver({ type: 'transcript', role: 'assistant', text: word, isFinal: false, itemId });
      }
      c.input.audio.deliver({ type: 'transcript', role: 'assistant', text: response.transcript, isFinal: true, itemId });
    }
    if (response.text && !state.cancelled) c.input.audio.deliver({ type: 'text', delta: response.text, itemId, responseId: id });
    let status: 'completed' | 'cancelled' = state.cancelled ? 'cancelled' : 'completed';
    if (response.holdOpen && !state.cancelled) {
      // `finishResponse()` may come before the response reached this point.
      status = state.finishedEarly ?? (await new Promise<'completed' | 'cancelled'>((resolve) => {
        state.finish = resolve;
      }));
    }
    if (c.activeResponse === state) c.activeResponse = undefined;
    if (state.cancelled) return; // the interrupt already reported responseDone
    send(c, { type: 'model.responseDone', responseId: id, status });
  }

  function respond(c: LiveConnection): void {
    if (options.autoRespond === false) return;
    // A real provider always answers a response request; an exhausted script answers with nothing.
    void playOn(c, responses.shift() ?? {});
  }

  function handleIntent(c: LiveConnection, intent: ClientIntent): void {
    c.record.intents.push(intent);
    switch (intent.type) {
      case 'client.text':
        if (intent.respond) respond(c);
        return;
      case 'client.createResponse':
        respond(c);
        return;
      case 'client.commitAudio':
        if (c.input.config.turnDetection.type !== 'none') respond(c);
        return;
      case 'client.interrupt': {
        const active = c.activeResponse;
        if (active && !active.cancelled) {
          active.cancelled = true;
          send(c, { type: 'model.responseDone', responseId: active.id, status: 'cancelled', reason: 'client_cancelled' });
          active.finish?.('cancelled');
        }
        // No model.interrupted: the session reports a client interrupt itself (adapters/events.ts).
        return;
      }
      case 'client.updateConfig':
        setTimeout(() => {
          if (options.rejectUpdates) {
            send(c, {
              type: 'model.configRejected',
              requestId: intent.requestId,
              error: { code: 'server_error', message: 'The scripted model rejects updates', providerCode: 'invalid_value' },
            });
          } else {
            c.input = { ...c.input, config: intent.config };
            c.record.input = { ...c.record.input, config: intent.config };
            send(c, { type: 'model.configApplied', requestId: intent.requestId });
          }
        }, 0);
        return;
      case 'client.close':
        setTimeout(() => {
          send(c, { type: 'model.closed', code: 1000, reason: 'client closed', expected: true });
          c.record.open = false;
        }, 0);
        return;
      default:
        return;
    }
  }

  const logic = fromCallback<ClientIntent, AdapterInput>(({ input, sendBack, receive }) => {
    const attempt = ++attempts;
    const record: ScriptedConnection = {
      connectionId: input.connectionId,
      input: { config: input.config, resumptionHandle: input.resumptionHandle, reason: input.reason, connectionId: input.connectionId },
      intents: [],
      userAudio: [],
      open: true,
      connected: false,
      openAtStart: connections.filter((other) => other.open).length,
    };
    connections.push(record);
    const c: LiveConnection = { record, sendBack, input, responseSeq: 0, activeResponse: undefined };
    live.set(input.connectionId, c);
    const timer = setTimeout(() => {
      if (!record.open) return;
      if (options.failConnect?.(attempt, input)) {
        sendBack(toModelEvent({ type: 'model.connectFailed', error: { code: 'connection_failed', message: `scripted connect failure (attempt ${attempt})` } }));
        record.open = false;
        return;
      }
      record.connected = true;
      input.audio.attach({ sendAudio: (pcm) => record.userAudio.push(pcm) }, input.connectionId);
      sendBack(toModelEvent({ type: 'model.connected', providerSessionId: `scripted_${input.connectionId}`, restored: input.resumptionHandle !== undefined }));
    }, options.connectDelayMs ?? 0);
    receive((intent) => handleIntent(c, intent));
    return () => {
      clearTimeout(timer);
      record.open = false;
      if (c.activeResponse) c.activeResponse.cancelled = true;
      c.activeResponse?.finish?.('cancelled');
      input.audio.detach(input.connectionId);
      live.delete(input.connectionId);
    };
  });

  const requireNewest = (): LiveConnection => {
    const c = newest();
    if (!c) throw new Error('The scripted model has no open connection');
    return c;
  };

  return {
    provider: 'scripted',
    model: options.model ?? 'scripted-1',
    capabilities,
    logic,
    connections,
    get connectAttempts() {
      return attempts;
    },
    current() {
      const last = connections[connections.length - 1];
      if (!last) throw new Error('The scripted model was never connected');
      return last;
    },
    push(event) {
      send(requireNewest(), event);
    },
    deliver(event) {
      requireNewest().input.audio.deliver(event);
    },
    play(response) {
      return playOn(requireNewest(), response);
    },
    finishResponse(status = 'completed') {
      const active = requireNewest().activeResponse;
      if (!active) return;
      if (active.finish) active.finish(status);
      else active.finishedEarly = status;
    },
    drop(code = 1006, reason = 'connection lost') {
      const c = requireNewest();
      c.sendBack(toModelEvent({ type: 'model.closed', code, reason, expected: false }));
      c.record.open = false;
    },
    script(...more) {
      responses.push(...more);
    },
  };
}
