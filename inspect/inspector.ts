/**
 * `createVoxstateInspector()`: the Stately inspector for voxstate sessions, safe to leave on. It
 * composes four pieces:
 *
 * - **Pre-filter** (inspect/filter.ts) — on the raw XState inspection event, before anything is
 *   serialized; the kinds the Stately protocol does not carry are dropped here too.
 * - **Sanitizers** (inspect/sanitize.ts) — every event, snapshot context and child input/snapshot:
 *   audio buffers become `[audio N bytes]`, the AudioPlane and logger are replaced, secret-looking
 *   keys are redacted, strings go through `redactSecrets`.
 * - **Batching** (here) — accepted events are converted to the Stately wire format
 *   (inspect/stately-format.ts) in one deferred batch per tick, not one timer per event.
 * - **Transport** (inspect/transport.ts) — a reconnecting WebSocket to the receiver.
 *
 * The Node side works offline: it speaks WebSocket to a relay (`createInspectorServer` from
 * `@statelyai/inspect/server`, or `relay: true` here, which starts a loopback-only one). Only the
 * viewer page needs a browser that can load https://stately.ai/inspect.
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { createPreFilter, type InspectionFilterOptions } from './filter.js';
import { startInspectorRelay, type InspectorRelay, type InspectorRelayOptions } from './relay.js';
import type { InspectionSanitizers } from './sanitize.js';
import { STATELY_PROTOCOL_TYPES, toStatelyEvent } from './stately-format.js';
import { InspectorTransport, type TransportCounts } from './transport.js';

export interface VoxstateInspectorOptions extends InspectionSanitizers, InspectionFilterOptions {
  /** WebSocket URL of the relay to send to. Default `ws://localhost:8080`, or the relay started with `relay`. */
  url?: string;
  /** Also start a local relay (loopback only); its page URL is returned as `url` once `ready` resolves. */
  relay?: boolean | InspectorRelayOptions;
  /** Messages kept while the relay is not connected (oldest dropped). Default 1000. */
  maxDeferredEvents?: number;
  /** Called with every message after sanitizing (tests, taps). */
  onMessage?: (event: StatelyInspectionEvent) => void;
}

export interface VoxstateInspectorStats extends TransportCounts {
  /** Inspection events seen. */
  seen: number;
  /** Dropped by the pre-filter (never serialized). */
  dropped: number;
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

export function createVoxstateInspector(options: VoxstateInspectorOptions = {}): VoxstateInspector {
  const preFilter = createPreFilter(options);
  const sanitizers: InspectionSanitizers = options;
  const stats: VoxstateInspectorStats = { seen: 0, dropped: 0, sent: 0, queued: 0, discarded: 0 };
  const maxQueued = options.maxDeferredEvents ?? 1_000;
  let pending: InspectionEvent[] = [];
  let scheduled = false;
  let stopped = false;
  // Created at once so messages flushed before the relay is up are queued, not lost.
  const transport = new InspectorTransport(maxQueued, stats);
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
