/**
 * What a session's telemetry hears, in one place: the facade hands it every published event, the
 * user audio it sends (a byte count), the application's tool decisions, and the chart's connection
 * phase. It always keeps the report; with `telemetry` set it also feeds spans and metrics once
 * `@opentelemetry/api` has loaded (what arrives before is replayed with its own timestamps).
 */
import type { Attributes } from './otel-types.js';
import type { Logger } from '../logger.js';
import type { AnySessionEvent } from '../session/event-map.js';
import { ATTR, providerName } from './attributes.js';
import type { LinkView } from './link-phase.js';
import { SessionMetrics } from './metrics.js';
import type { ResolvedTelemetry } from './options.js';
import { loadOtelApi } from './otel-api.js';
import { ReportCollector, type SessionReport } from './report.js';
import { SessionTracing } from './tracing.js';

export interface SessionTelemetryInput {
  sessionId: string;
  provider: string;
  model: string;
  telemetry: ResolvedTelemetry | undefined;
  logger: Logger;
  /** Whether a tool name is registered: a name the model made up is `unknown` in span names and metric attributes (bounded cardinality). */
  isKnownTool?: (name: string) => boolean;
  now?: () => number;
}

type Step =
  | { kind: 'event'; event: AnySessionEvent; at: number }
  | { kind: 'audio'; seconds: number }
  | { kind: 'decision'; callId: string; decision: 'approved' | 'rejected'; at: number }
  | { kind: 'link'; view: LinkView; at: number }
  | { kind: 'failed'; error: string | undefined }
  | { kind: 'end'; at: number };

/** The instrumentation's name and version (the tracer and meter taken from the global providers). */
export const INSTRUMENTATION_NAME = 'voxstate';

/** `gen_ai.tool.name` of a call to a tool the session does not have (the model made the name up). */
export const UNKNOWN_TOOL = 'unknown';

export class SessionTelemetry {
  private readonly collector: ReportCollector;
  private readonly now: () => number;
  private tracing: SessionTracing | undefined;
  private metrics: SessionMetrics | undefined;
  /** Steps waiting for the API to load; undefined once loaded (or when telemetry is off). */
  private pending: Step[] | undefined;
  private lastPhase: LinkView['phase'] = 'none';
  private lastFailed = false;
  /** The id of the last connection that opened (what a `connection lost` record names: the view already has the next one's). */
  private lastOpenConnectionId = 0;
  private loaded: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(private readonly input: SessionTelemetryInput) {
    this.now = input.now ?? Date.now;
    this.collector = new ReportCollector({ sessionId: input.sessionId, provider: input.provider, model: input.model }, this.now);
    if (input.telemetry) this.start(input.telemetry);
  }

  observe(event: AnySessionEvent): void {
    const at = this.now();
    this.collector.observe(event, at);
    this.step({ kind: 'event', event, at });
    if (event.type === 'closed') this.end();
  }

  userAudio(bytes: number, sampleRate: number): void {
    const seconds = bytes / 2 / sampleRate;
    this.collector.userAudio(seconds);
    if (this.input.telemetry) this.step({ kind: 'audio', seconds });
  }

  toolDecision(callId: string, decision: 'approved' | 'rejected'): void {
    if (this.input.telemetry) this.step({ kind: 'decision', callId, decision, at: this.now() });
  }

  /** The chart's connection phase (every snapshot; only changes count). A response still open when its connection ends was cut off. */
  link(view: LinkView): void {
    // Entering `failed` may not change the phase (a failed resumption rests in `none` already); a connect that opens clears it.
    if (view.failed !== this.lastFailed) {
      this.lastFailed = view.failed;
      if (this.input.telemetry) this.step({ kind: 'failed', error: view.failed ? (view.error ?? 'failed') : undefined });
    }
    if (view.phase === this.lastPhase) return;
    this.lastPhase = view.phase;
    if (view.phase === 'open') this.lastOpenConnectionId = view.connectionId;
    const at = this.now();
    if (view.phase !== 'open') this.collector.connectionEnded(at);
    // A connection lost is worth a warning (its `error` event's record is info). A refused connect
    // is not: connect() rejects with it, and the default logger would print it twice; a failed
    // resumption has its own error record (session-logger.ts).
    if (view.error && view.phase === 'opening') this.input.logger.warn({ code: view.error, reason: view.reason, connectionId: this.lastOpenConnectionId, nextConnectionId: view.connectionId }, `connection lost (${view.error}), opening another`);
    if (this.input.telemetry) this.step({ kind: 'link', view, at });
  }

  /** The session is over: spans end, the session stops counting as active. Idempotent. */
  end(): void {
    const at = this.now();
    if (!this.collector.ended) this.collector.connectionEnded(at);
    this.collector.end(at);
    if (this.input.telemetry) this.step({ kind: 'end', at });
  }

  get ended(): boolean {
    return this.collector.ended;
  }

  /** Resolves once what was observed so far reached the spans and metrics (the API has loaded, or is absent). */
  settled(): Promise<void> {
    return this.loaded;
  }

  report(): SessionReport {
    return this.collector.report();
  }

  private start(options: ResolvedTelemetry): void {
    this.pending = [];
    this.loaded = loadOtelApi().then((api) => {
      const steps = this.pending ?? [];
      this.pending = undefined;
      if (!api) {
        this.input.logger.warn({ sessionId: this.input.sessionId }, 'telemetry is on but @opentelemetry/api is not installed: no spans or metrics (npm install @opentelemetry/api)');
        return;
      }
      const tracer = options.tracer ?? (options.useGlobal ? api.trace.getTracer(INSTRUMENTATION_NAME) : undefined);
      const meter = options.meter ?? (options.useGlobal ? api.metrics.getMeter(INSTRUMENTATION_NAME) : undefined);
      const common: Attributes = { [ATTR.providerName]: providerName(this.input.provider), [ATTR.requestModel]: this.input.model };
      const first = steps[0];
      const startedAt = first && 'at' in first ? first.at : this.now();
      const toolLabel = (name: string) => (this.input.isKnownTool?.(name) ?? true ? name : UNKNOWN_TOOL);
      this.guarded(() => {
        if (tracer) {
          this.tracing = new SessionTracing(
            { api, tracer, common, model: this.input.model, captureTranscripts: options.captureTranscripts, parent: api.context.active(), conversationId: this.input.sessionId, toolLabel },
            startedAt,
          );
        }
        if (meter) this.metrics = new SessionMetrics(meter, common, toolLabel);
      });
      for (const step of steps) this.apply(step);
    }).catch((error: unknown) => this.guarded(() => { throw error; }));
  }

  private step(step: Step): void {
    if (this.pending) this.pending.push(step);
    else this.apply(step);
  }

  /**
   * Telemetry never breaks a session: it runs inside the facade's publish (an exception there
   * would reach the actor and end the process), so a tracer or meter that throws turns spans and
   * metrics off for this session, with one warning. The report goes on.
   */
  private guarded(run: () => void): void {
    if (this.failed) return;
    try {
      run();
    } catch (error) {
      this.failed = true;
      // What is open ends (each span on its own) and the session stops counting as active: a
      // session's telemetry that failed must not leave spans unended or a gauge stuck at +1.
      this.tracing?.abandon(this.now());
      this.metrics?.abandon();
      this.tracing = undefined;
      this.metrics = undefined;
      this.input.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'telemetry failed and is off for this session');
    }
  }

  private apply(step: Step): void {
    this.guarded(() => this.applyUnguarded(step));
  }

  private applyUnguarded(step: Step): void {
    switch (step.kind) {
      case 'event':
        this.metrics?.observe(step.event, step.at);
        this.tracing?.observe(step.event, step.at);
        return;
      case 'audio':
        this.metrics?.userAudio(step.seconds);
        return;
      case 'decision':
        this.tracing?.decided(step.callId, step.decision, step.at);
        return;
      case 'link':
        if (step.view.phase !== 'open') this.metrics?.connectionEnded(step.at);
        if (step.view.phase === 'opening') {
          this.metrics?.swapStarted(step.view.reason);
          this.tracing?.connecting(step.view.reason, step.view.connectionId, step.at, step.view.error);
        } else if (step.view.phase === 'none') this.tracing?.disconnected(step.at, step.view.error);
        return;
      case 'failed':
        this.tracing?.failed(step.error);
        return;
      case 'end': {
        const r = this.collector.report();
        this.tracing?.annotate({
          [ATTR.inputTokens]: r.usage.inputTokens,
          [ATTR.outputTokens]: r.usage.outputTokens,
          'voxstate.connections': r.connections,
          'voxstate.responses': r.turns.responses,
        });
        this.tracing?.end(step.at);
        this.metrics?.connectionEnded(step.at);
        this.metrics?.end();
        return;
      }
    }
  }
}
