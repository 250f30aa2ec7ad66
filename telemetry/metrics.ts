/**
 * Metrics for one session, from the events it publishes. Instruments are created per meter (cheap:
 * the SDK returns the same instrument for the same name); every point carries the provider and
 * model. Audio is counted as seconds on the audio plane's events: a sum, never a point per frame
 * in a histogram.
 */
import type { Attributes, OtelCounter as Counter, OtelHistogram as Histogram, OtelMeter as Meter, OtelCounter as UpDownCounter } from './otel-types.js';
import type { AnySessionEvent } from '../session/event-map.js';
import { ATTR, BUCKETS, METRIC, OPERATION } from './attributes.js';

interface Instruments {
  active: UpDownCounter;
  ttfa: Histogram;
  responseDuration: Histogram;
  toolDuration: Histogram;
  swaps: Counter;
  audio: Counter;
  errors: Counter;
  tokens: Histogram;
}

function instruments(meter: Meter): Instruments {
  const histogram = (name: string, description: string, unit: string, buckets: readonly number[]) =>
    meter.createHistogram(name, { description, unit, advice: { explicitBucketBoundaries: [...buckets] } });
  return {
    active: meter.createUpDownCounter(METRIC.activeSessions, { description: 'Sessions open (created and not closed)', unit: '{session}' }),
    ttfa: histogram(METRIC.timeToFirstAudio, 'From the end of the user speech to the first assistant audio', 's', BUCKETS.timeToFirstAudio),
    responseDuration: histogram(METRIC.responseDuration, 'From response_created to response_done', 's', BUCKETS.responseDuration),
    toolDuration: histogram(METRIC.toolDuration, 'From the tool call to its result, by tool and outcome', 's', BUCKETS.toolDuration),
    swaps: meter.createCounter(METRIC.swaps, { description: 'Connection replacements (resumptions and reconnects), by reason and outcome', unit: '{swap}' }),
    audio: meter.createCounter(METRIC.audio, { description: 'Seconds of audio, by direction (input: sent by the application; output: from the model)', unit: 's' }),
    errors: meter.createCounter(METRIC.errors, { description: 'Error events, by code', unit: '{error}' }),
    tokens: histogram(METRIC.tokenUsage, 'Tokens per response, by type (GenAI semantic conventions)', '{token}', BUCKETS.tokens),
  };
}

export class SessionMetrics {
  private readonly m: Instruments;
  private speechStoppedAt: number | undefined;
  private responseStartedAt: number | undefined;
  private closed = false;
  private lastSwapReason = 'reconnect';
  /** Audio seconds not yet added to the counter (added per response and at the end, not per frame). */
  private audioOut = 0;
  private audioIn = 0;

  constructor(
    meter: Meter,
    private readonly common: Attributes,
    /** The tool's name as a metric attribute (`unknown` for a name the model made up: bounded cardinality). */
    private readonly toolLabel: (name: string) => string = (name) => name,
  ) {
    this.m = instruments(meter);
    this.m.active.add(1, common);
  }

  userAudio(seconds: number): void {
    this.audioIn += seconds;
  }

  /** The reason of the swap under way (known from the chart when the attempt starts). */
  swapStarted(reason: string): void {
    this.lastSwapReason = reason;
  }

  observe(event: AnySessionEvent, at: number): void {
    const c = this.common;
    switch (event.type) {
      case 'speech_stopped':
        this.speechStoppedAt = at;
        return;
      case 'audio':
        this.audioOut += event.audio.length / 2 / event.sampleRate;
        if (this.speechStoppedAt !== undefined) {
          this.m.ttfa.record((at - this.speechStoppedAt) / 1000, c);
          this.speechStoppedAt = undefined;
        }
        return;
      case 'response_created':
        this.responseStartedAt = at;
        return;
      case 'response_done':
        this.flushAudio();
        if (this.responseStartedAt !== undefined) this.m.responseDuration.record((at - this.responseStartedAt) / 1000, { ...c, [ATTR.responseStatus]: event.status });
        this.responseStartedAt = undefined;
        return;
      case 'tool_result':
        this.m.toolDuration.record(event.durationMs / 1000, { ...c, [ATTR.toolName]: this.toolLabel(event.name), [ATTR.toolStatus]: event.status });
        return;
      case 'session_resumed':
        this.m.swaps.add(1, { ...c, [ATTR.swapReason]: this.lastSwapReason, [ATTR.swapOutcome]: 'resumed' });
        return;
      case 'resumption_failed':
        this.m.swaps.add(1, { ...c, [ATTR.swapReason]: this.lastSwapReason, [ATTR.swapOutcome]: 'failed' });
        return;
      case 'usage':
        // gen_ai.operation.name is required on gen_ai.client.token.usage (GenAI metrics conventions).
        if (event.inputTokens !== undefined) this.m.tokens.record(event.inputTokens, { ...c, [ATTR.operationName]: OPERATION.chat, [ATTR.tokenType]: 'input' });
        if (event.outputTokens !== undefined) this.m.tokens.record(event.outputTokens, { ...c, [ATTR.operationName]: OPERATION.chat, [ATTR.tokenType]: 'output' });
        return;
      case 'error':
        this.m.errors.add(1, { ...c, [ATTR.errorType]: event.error.code });
        return;
      case 'closed':
        this.end();
        return;
      default:
        return;
    }
  }

  /** The connection ended: a response still open was cut off (`incomplete`). */
  connectionEnded(at: number): void {
    if (this.responseStartedAt === undefined) return;
    this.m.responseDuration.record((at - this.responseStartedAt) / 1000, { ...this.common, [ATTR.responseStatus]: 'incomplete' });
    this.responseStartedAt = undefined;
  }

  private flushAudio(): void {
    if (this.audioOut > 0) this.m.audio.add(this.audioOut, { ...this.common, [ATTR.audioDirection]: 'output' });
    if (this.audioIn > 0) this.m.audio.add(this.audioIn, { ...this.common, [ATTR.audioDirection]: 'input' });
    this.audioOut = 0;
    this.audioIn = 0;
  }

  /** Telemetry failed (a meter threw): the session stops counting as active, best effort; nothing more is recorded. */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.m.active.add(-1, this.common);
    } catch {
      // best effort: the meter is what failed
    }
  }

  /** The session is over: it stops counting as active (idempotent). */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.flushAudio();
    this.m.active.add(-1, this.common);
  }
}
