/**
 * The inspector's transport: one WebSocket to the receiver (a relay, or Stately's own), opened at
 * once so messages flushed before it is up are queued (bounded, oldest dropped), reconnected with
 * backoff until `stop()`. Its first attempt settles `opened`, which becomes the inspector's `ready`.
 */
import WebSocket from 'ws';
import { VoxstateError } from '../errors.js';

/** The counters the transport keeps (a part of the inspector's `stats`, updated in place). */
export interface TransportCounts {
  /** Written to an open WebSocket (not counted until then). */
  sent: number;
  /** Converted and waiting for the receiver (nothing listening yet, or reconnecting). */
  queued: number;
  /** Thrown away because more than the queue limit (the inspector's `maxDeferredEvents`) were waiting. */
  discarded: number;
}

/** A reconnecting WebSocket sender that stops for good on `stop()` (timers are unref'd). */
export class InspectorTransport {
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
    private readonly stats: TransportCounts,
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
