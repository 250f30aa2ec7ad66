/**
 * `createVoxstateInspector()`: the Stately inspector for voxstate sessions, safe to leave on.
 *
 * - **Pre-filter** — runs on the raw XState inspection event, before anything is serialized:
 *   high-rate events (`session.sendAudio` from an embedding parent, or any type you list) and the
 *   `@xstate.action`/`@xstate.microstep` records the Stately protocol does not carry are dropped at
 *   a cost of a Set lookup. The package's own `filter` option runs only after each event and
 *   snapshot was converted (~25 µs/event); filtering first costs next to nothing.
 * - **Sanitizers** — every event, snapshot context and child input/snapshot goes through
 *   `sanitizeValue` (inspect/sanitize.ts): audio buffers become `[audio N bytes]`, the AudioPlane and
 *   logger are replaced, secret-looking keys are redacted, strings go through `redactSecrets`.
 * - **Batching** — accepted events are converted to the Stately wire format (the one
 *   `createWebSocketInspector` sends: one JSON text message per `StatelyInspectionEvent`) in one
 *   deferred batch per tick, not one timer per event.
 *
 * The Node side works offline: it speaks WebSocket to a relay (`createInspectorServer` from
 * `@statelyai/inspect/server`, or `relay: true` here, which starts a loopback-only one). Only the
 * viewer page needs a browser that can load https://stately.ai/inspect.
 */
import type { AnyActorRef, AnyEventObject, InspectionEvent, Observer } from 'xstate';
import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import WebSocket from 'ws';
import { VoxstateError } from '../errors.js';
import { startInspectorRelay, type InspectorRelay, type InspectorRelayOptions } from './relay.js';
import { sanitizeValue, type SanitizeOptions } from './sanitize.js';

/** Events dropped before serialization unless you pass your own `dropEvents`. */
export const DEFAULT_DROPPED_EVENTS: readonly string[] = ['session.sendAudio'];

export interface InspectionFilterOptions {
  /** Event types dropped before serialization (default: `DEFAULT_DROPPED_EVENTS`). Pass `[]` to keep all. */
  dropEvents?: Iterable<string>;
  /** Extra pre-filter on the raw inspection event: return false to drop it. */
  filter?: (event: InspectionEvent) => boolean;
}

export interface VoxstateInspectorOptions extends SanitizeOptions, InspectionFilterOptions {
  /** WebSocket URL of the relay to send to. Default `ws://localhost:8080`, or the relay started with `relay`. */
  url?: string;
  /** Also start a local relay (loopback only); its page URL is returned as `url` once `ready` resolves. */
  relay?: boolean | InspectorRelayOptions;
  /** Runs after the built-in sanitizer on every event sent to (or emitted by) an actor. */
  sanitizeEvent?: (event: AnyEventObject) => AnyEventObject;
  /** Runs after the built-in sanitizer on every snapshot's context. */
  sanitizeContext?: (context: Record<string, unknown>) => Record<string, unknown>;
  /** Messages kept while the relay is not connected (oldest dropped). Default 1000. */
  maxDeferredEvents?: number;
  /** Called with every message after sanitizing (tests, taps). */
  onMessage?: (event: StatelyInspectionEvent) => void;
}

export interface VoxstateInspectorStats {
  /** Inspection events seen. */
  seen: number;
  /** Dropped by the pre-filter (never serialized). */
  dropped: number;
  /** Written to an open WebSocket (not counted until then). */
  sent: number;
  /** Converted and waiting for the receiver (nothing listening yet, or reconnecting). */
  queued: number;
  /** Thrown away because more than `maxDeferredEvents` were waiting. */
  discarded: number;
}

export interface VoxstateInspector {
  /** Pass as `inspect` to `createRealtimeSession`, `createActor` or a parent machine's actor. */
  inspect: Observer<InspectionEvent>;
  /** The relay page to open in a browser (only with `relay`; set once `ready` resolved). */
  url: string | undefined;
  /** Where messages go (set once `ready` resolved when a relay is started). */
  wsUrl: string | undefined;
  /**
   * Resolves when the WebSocket to the receiver is open. Rejects with a `VoxstateError`
   * (`connection_failed`) when the first attempt to reach the receiver fails (nothing listening at
   * `url`), or with `relay` when the relay cannot start (e.g. its port is taken). After a failed
   * first attempt the inspector keeps retrying with backoff, queueing up to `maxDeferredEvents`
   * messages (`stats.queued`) for a receiver that starts later. Not awaiting it is safe.
   */
  ready: Promise<void>;
  readonly stats: VoxstateInspectorStats;
  /** Flushes what is queued, closes the socket and stops the relay if one was started. */
  stop(): Promise<void>;
}

// The protocol version the Stately receiver expects, taken from the installed package itself.
const STATELY_VERSION: string = (() => {
  let version = '0.7.2';
  createInspector({ send: (e) => void (version = e._version) }).event('voxstate', { type: 'voxstate.probe' });
  return version;
})();

const STATELY_PROTOCOL_TYPES = new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']);

/** Builds the pre-filter: true means drop. */
export function createPreFilter(options: InspectionFilterOptions = {}): (event: InspectionEvent) => boolean {
  const drop = new Set(options.dropEvents ?? DEFAULT_DROPPED_EVENTS);
  const filter = options.filter;
  return (event) => {
    const e = (event as { event?: AnyEventObject }).event;
    if (e !== undefined && drop.has(e.type)) return true;
    return filter !== undefined && !filter(event);
  };
}

type Sanitizers = Pick<VoxstateInspectorOptions, 'sanitizeEvent' | 'sanitizeContext'> & SanitizeOptions;

function sanitizeEventObject(event: AnyEventObject, options: Sanitizers): AnyEventObject {
  const clean = sanitizeValue(event, options) as AnyEventObject;
  return options.sanitizeEvent ? options.sanitizeEvent(clean) : clean;
}

function sanitizeSnapshotObject(snapshot: unknown, options: Sanitizers): Record<string, unknown> {
  const clean = (sanitizeValue(snapshot, options) ?? {}) as Record<string, unknown>;
  if (options.sanitizeContext && clean['context'] && typeof clean['context'] === 'object') {
    clean['context'] = options.sanitizeContext(clean['context'] as Record<string, unknown>);
  }
  return clean;
}

/** An actor's snapshot, or undefined while it is still being constructed. */
function snapshotOf(actorRef: AnyActorRef): unknown {
  try {
    return actorRef.getSnapshot();
  } catch {
    return undefined;
  }
}

const definitionCache = new WeakMap<object, string>();

function definitionOf(actorRef: AnyActorRef, name: string, options: SanitizeOptions): string {
  const logic = (actorRef as { logic?: { config?: unknown } }).logic;
  const config = logic?.config;
  if (!logic || typeof config !== 'object' || config === null) return JSON.stringify({ id: name });
  let cached = definitionCache.get(logic);
  if (cached === undefined) {
    // Machine configs nest deeper than snapshots; functions keep their name, as the package does.
    cached = JSON.stringify(sanitizeValue(config, { ...options, depthLimit: Math.max(32, options.depthLimit ?? 0), keepFunctionNames: true }));
    definitionCache.set(logic, cached);
  }
  return cached;
}

/** Converts one raw inspection event to the Stately wire format, sanitized. Undefined: not carried. */
export function toStatelyEvent(event: InspectionEvent, options: Sanitizers = {}): StatelyInspectionEvent | undefined {
  const base = { _version: STATELY_VERSION, createdAt: Date.now().toString(), id: null as unknown as string, rootId: event.rootId };
  switch (event.type) {
    case '@xstate.actor': {
      const actorRef = event.actorRef as AnyActorRef & { _parent?: AnyActorRef; logic?: { config?: { id?: string } } };
      const config = actorRef.logic?.config;
      let name = actorRef.id;
      if (name === actorRef.sessionId && config && typeof config === 'object' && config.id) name = config.id;
      return {
        ...base,
        type: '@xstate.actor',
        name,
        definition: definitionOf(actorRef, name, options),
        parentId: actorRef._parent?.sessionId,
        sessionId: actorRef.sessionId,
        snapshot: sanitizeSnapshotObject(snapshotOf(actorRef) ?? { status: 'active' }, options),
      } as StatelyInspectionEvent;
    }
    case '@xstate.event':
      return {
        ...base,
        type: '@xstate.event',
        event: sanitizeEventObject(event.event, options),
        sourceId: event.sourceRef?.sessionId,
        sessionId: event.actorRef.sessionId,
      } as StatelyInspectionEvent;
    case '@xstate.snapshot':
      return {
        ...base,
        type: '@xstate.snapshot',
        event: sanitizeEventObject(event.event, options),
        snapshot: sanitizeSnapshotObject(event.snapshot, options),
        sessionId: event.actorRef.sessionId,
      } as StatelyInspectionEvent;
    default:
      return undefined;
  }
}

/** A reconnecting WebSocket sender that stops for good on `stop()` (timers are unref'd). */
class Transport {
  private ws: WebSocket | undefined;
  private queue: string[] = [];
  private stopped = false;
  private everOpened = false;
  private retryMs = 250;
  private timer: NodeJS.Timeout | undefined;
  private lastError: Error | undefined;
  private resolveOpen!: () => void;
  private rejectOpen!: (error: Error) => void;
  /** Settles once: open, or the first attempt failed. */
  readonly opened = new Promise<void>((resolve, reject) => {
    this.resolveOpen = resolve;
    this.rejectOpen = reject;
  });

  private url = '';

  constructor(
    private readonly maxQueued: number,
    private readonly stats: VoxstateInspectorStats,
  ) {
    // A caller that never awaits `ready` must not get an unhandled rejection.
    this.opened.catch(() => undefined);
  }

  /** Connects to `url` (messages sent before are queued), and reconnects to it until `stop()`. */
  start(url = this.url): void {
    this.url = url;
    if (this.stopped) return;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('open', () => {
      this.retryMs = 250;
      this.everOpened = true;
      this.resolveOpen();
      const queued = this.queue;
      this.queue = [];
      this.stats.queued = 0;
      for (const msg of queued) this.write(ws, msg);
    });
    ws.on('error', (error) => {
      this.lastError = error; // reported through 'close'
    });
    ws.on('close', () => {
      if (this.ws === ws) this.ws = undefined;
      if (!this.everOpened) {
        const why = (this.lastError as NodeJS.ErrnoException | undefined)?.code ?? this.lastError?.message ?? 'closed';
        const message = this.stopped
          ? `The inspector was stopped before it reached ${this.url}`
          : `Could not reach the inspector receiver at ${this.url} (${why}); retrying in the background`;
        this.rejectOpen(new VoxstateError({ code: 'connection_failed', message }));
      }
      if (this.stopped) return;
      this.timer = setTimeout(() => this.start(), this.retryMs);
      this.timer.unref();
      this.retryMs = Math.min(5_000, this.retryMs * 2);
    });
  }

  send(msg: string): void {
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) return this.write(ws, msg);
    this.queue.push(msg);
    if (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.stats.discarded++;
    }
    this.stats.queued = this.queue.length;
  }

  private write(ws: WebSocket, msg: string): void {
    ws.send(msg);
    this.stats.sent++;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = undefined;
    if (!ws) return;
    if (ws.readyState === WebSocket.OPEN) {
      // Let what was written reach the relay before closing.
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        ws.once('close', done);
        ws.close();
        setTimeout(done, 500).unref();
      });
    } else ws.terminate();
  }
}

export function createVoxstateInspector(options: VoxstateInspectorOptions = {}): VoxstateInspector {
  const preFilter = createPreFilter(options);
  const sanitizers: Sanitizers = options;
  const stats: VoxstateInspectorStats = { seen: 0, dropped: 0, sent: 0, queued: 0, discarded: 0 };
  const maxQueued = options.maxDeferredEvents ?? 1_000;
  let pending: InspectionEvent[] = [];
  let scheduled = false;
  let stopped = false;
  // Created at once so messages flushed before the relay is up are queued, not lost.
  const transport = new Transport(maxQueued, stats);
  let relay: InspectorRelay | undefined;

  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    for (const raw of batch) {
      const event = toStatelyEvent(raw, sanitizers);
      if (!event) continue;
      options.onMessage?.(event);
      transport.send(JSON.stringify(event));
    }
  };

  const inspect: Observer<InspectionEvent> = {
    next(event) {
      stats.seen++;
      if (stopped || !STATELY_PROTOCOL_TYPES.has(event.type) || preFilter(event)) {
        stats.dropped++;
        return;
      }
      pending.push(event);
      if (pending.length > maxQueued * 10) pending.shift();
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };

  const result: VoxstateInspector = {
    inspect,
    url: undefined,
    wsUrl: undefined,
    ready: Promise.resolve(),
    get stats() {
      return stats;
    },
    async stop() {
      if (stopped) return;
      if (scheduled) flush();
      stopped = true;
      await transport.stop();
      await relay?.stop();
    },
  };

  const connect = (url: string) => {
    result.wsUrl = url;
    transport.start(url);
    return transport.opened;
  };

  if (options.relay) {
    const relayOptions = options.relay === true ? {} : options.relay;
    result.ready = startInspectorRelay(relayOptions).then(async (started) => {
      relay = started;
      result.url = started.url;
      if (stopped) return void (await started.stop());
      await connect(options.url ?? started.wsUrl);
    });
    // A caller that never awaits `ready` must not get an unhandled rejection.
    result.ready.catch(() => undefined);
  } else {
    result.ready = connect(options.url ?? 'ws://localhost:8080');
  }
  return result;
}

// ── Plain callbacks (logging, tracing) ─────────────────────────────────────────────────────────

/** A sanitized, JSON-safe summary of any inspection event, for logs and traces. */
export interface SanitizedInspectionEvent {
  type: InspectionEvent['type'];
  actorId: string;
  sessionId: string;
  rootId: string;
  sourceId?: string;
  parentId?: string;
  event?: AnyEventObject;
  snapshot?: Record<string, unknown>;
  action?: { type: string; params?: unknown };
  /** `@xstate.microstep`: the transitions taken (`source → targets`, by state id). */
  transitions?: Array<{ source: string; event: string; targets: string[] }>;
}

export function sanitizeInspectionEvent(event: InspectionEvent, options: Sanitizers = {}): SanitizedInspectionEvent {
  const out: SanitizedInspectionEvent = {
    type: event.type,
    actorId: (event.actorRef as AnyActorRef).id,
    sessionId: event.actorRef.sessionId,
    rootId: event.rootId,
  };
  switch (event.type) {
    case '@xstate.actor': {
      const parent = (event.actorRef as { _parent?: AnyActorRef })._parent;
      if (parent) out.parentId = parent.sessionId;
      const snapshot = snapshotOf(event.actorRef as AnyActorRef);
      if (snapshot !== undefined) out.snapshot = sanitizeSnapshotObject(snapshot, options);
      break;
    }
    case '@xstate.event':
      out.event = sanitizeEventObject(event.event, options);
      if (event.sourceRef) out.sourceId = event.sourceRef.sessionId;
      break;
    case '@xstate.snapshot':
      out.event = sanitizeEventObject(event.event, options);
      out.snapshot = sanitizeSnapshotObject(event.snapshot, options);
      break;
    case '@xstate.action':
      out.action = sanitizeValue({ type: event.action.type, params: event.action.params }, options) as SanitizedInspectionEvent['action'];
      break;
    case '@xstate.microstep': {
      out.event = sanitizeEventObject(event.event, options);
      const transitions = (event as { _transitions?: Array<{ source: { id: string }; eventType: string; target?: Array<{ id: string }> }> })._transitions ?? [];
      out.transitions = transitions.map((t) => ({ source: t.source.id, event: t.eventType, targets: (t.target ?? []).map((n) => n.id) }));
      break;
    }
  }
  return out;
}

export interface InspectionCallbackOptions extends SanitizeOptions, InspectionFilterOptions, Pick<Sanitizers, 'sanitizeEvent' | 'sanitizeContext'> {
  /** Inspection event kinds passed on. Default: actor, event, snapshot, microstep (not action). */
  types?: ReadonlyArray<InspectionEvent['type']>;
}

/**
 * An `inspect` callback that applies the same pre-filter and sanitizers and hands each event to
 * `callback` (a logger, a tracer). Work is synchronous (keep the callback cheap), except for
 * `@xstate.actor` records: those wait a microtask, because an actor's snapshot (with its input)
 * cannot be read while it is being constructed.
 */
export function createInspectionCallback(
  callback: (event: SanitizedInspectionEvent) => void,
  options: InspectionCallbackOptions = {},
): (event: InspectionEvent) => void {
  const preFilter = createPreFilter(options);
  const types = new Set(options.types ?? ['@xstate.actor', '@xstate.event', '@xstate.snapshot', '@xstate.microstep']);
  return (event) => {
    if (!types.has(event.type) || preFilter(event)) return;
    if (event.type === '@xstate.actor') queueMicrotask(() => callback(sanitizeInspectionEvent(event, options)));
    else callback(sanitizeInspectionEvent(event, options));
  };
}
