/**
 * The `telemetry` session option: OpenTelemetry traces and metrics for one session. `true` takes
 * the global providers of `@opentelemetry/api` (what `trace.setGlobalTracerProvider` and
 * `metrics.setGlobalMeterProvider` installed); an object passes a tracer and/or a meter. Nothing is
 * loaded, and nothing costs anything, when the option is absent or false.
 */
import type { OtelMeter, OtelTracer } from './otel-types.js';

export interface TelemetryOptions {
  /** Spans go here; absent: no spans (unless `true` was given for the whole option). */
  tracer?: OtelTracer;
  /** Metrics go here; absent: no metrics. */
  meter?: OtelMeter;
  /**
   * Put transcripts and tool arguments in span attributes (`gen_ai.input.messages` style content).
   * Default false: spans carry ids, names, timings, statuses and token counts only.
   */
  captureTranscripts?: boolean;
}

export type TelemetryOption = boolean | TelemetryOptions;

/** The option as the observer uses it. */
export interface ResolvedTelemetry {
  /** Take the tracer and meter from the API's global providers. */
  useGlobal: boolean;
  tracer: OtelTracer | undefined;
  meter: OtelMeter | undefined;
  captureTranscripts: boolean;
}

/** The option resolved, or undefined when telemetry is off. */
export function resolveTelemetry(option: TelemetryOption | undefined): ResolvedTelemetry | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return { useGlobal: true, tracer: undefined, meter: undefined, captureTranscripts: false };
  return { useGlobal: false, tracer: option.tracer, meter: option.meter, captureTranscripts: option.captureTranscripts ?? false };
}
