/**
 * How a session's events reach the application: `on()` listeners (typed, then wildcard), the
 * `events$` stream, and the Rust-style `EventHandler`. A listener that throws is reported, never
 * fatal; an error nobody listens to is a warning rather than silence.
 */
import { Observable, Subject } from 'rxjs';
import type { ErrorInfo } from '../errors.js';
import type { Logger } from '../logger.js';
import type { SessionEmitted } from '../machines/session/types.js';
import type { AnySessionEvent } from './event-map.js';
import type { RealtimeSession } from './realtime-session.js';

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

/** Subscribes to one event type or to every event (`'*'`); returns the unsubscribe function. */
export type Subscribe = RealtimeSession['on'];

export interface SessionListeners {
  on: Subscribe;
  /** Every published event, for RxJS users. */
  events$: Observable<AnySessionEvent>;
  /** Delivers one event to the typed listeners, then the wildcard ones, then `events$`. */
  publish(event: AnySessionEvent): void;
  /** Whether an event of this type would reach anyone (typed or wildcard listener, `events$` subscriber): if not, it need not be built. */
  wants(type: AnySessionEvent['type']): boolean;
  /** Ends `events$` (the session is over). */
  complete(): void;
}

type Listener = (event: AnySessionEvent) => void;

export function createListeners(logger: Logger): SessionListeners {
  const events = new Subject<AnySessionEvent>();
  const listeners = new Map<string, Set<Listener>>();
  // A listener that throws must not break the session or the adapter whose socket delivered the
  // event (audio reaches here from the adapter), and must not vanish either: its first throw is a
  // warning with the event and the stack; later ones (an audio listener can throw 50 times a
  // second) are debug lines.
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

  function on(type: string, listener: (event: never) => void): () => void {
    let set = listeners.get(type);
    if (!set) listeners.set(type, (set = new Set()));
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
    };
  }

  const wants = (type: AnySessionEvent['type']): boolean => !!listeners.get(type)?.size || !!listeners.get('*')?.size || events.observed;

  return { on: on as Subscribe, events$: events.asObservable(), publish, wants, complete: () => events.complete() };
}

/** Wires an `EventHandler`'s callbacks to the matching events. */
export function attachEventHandler(handler: EventHandler, on: Subscribe): void {
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

/** What a debug line says about a control-plane event: its identifiers and outcome, never payloads. */
export function controlEventFields(event: SessionEmitted): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of ['callId', 'name', 'requestId', 'outcome', 'status', 'reason', 'connectionId', 'code'] as const) {
    const value = (event as Record<string, unknown>)[key];
    if (value !== undefined) fields[key] = value;
  }
  if (event.type === 'error' || event.type === 'update_failed' || event.type === 'resumption_failed') fields['error'] = event.error;
  return fields;
}
