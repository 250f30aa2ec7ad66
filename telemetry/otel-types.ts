/**
 * The part of the `@opentelemetry/api` surface voxstate uses, as structural types. voxstate's
 * published declarations must not import an optional peer dependency (a consumer without it that
 * type-checks libraries would fail to compile), so the `telemetry` option and the telemetry code
 * are typed against these; the API's own `Tracer` and `Meter` (1.x) are assignable to them.
 */
export type AttributeValue = string | number | boolean | Array<null | undefined | string> | Array<null | undefined | number> | Array<null | undefined | boolean>;
export type Attributes = Record<string, AttributeValue | undefined>;
/** Milliseconds since the epoch, a `Date`, or an `HrTime` `[seconds, nanoseconds]`. */
export type TimeInput = number | Date | [number, number];

/** An OpenTelemetry `Context` (opaque here). */
export interface OtelContext {
  getValue(key: symbol): unknown;
}

export interface OtelSpan {
  setAttributes(attributes: Attributes): unknown;
  addEvent(name: string, attributes?: Attributes, startTime?: TimeInput): unknown;
  /** `code`: the API's `SpanStatusCode` (2 = ERROR). */
  setStatus(status: { code: number; message?: string }): unknown;
  end(endTime?: TimeInput): void;
  isRecording(): boolean;
}

export interface OtelTracer {
  /** `kind`: the API's `SpanKind` (2 = CLIENT). */
  startSpan(name: string, options?: { attributes?: Attributes; startTime?: TimeInput; kind?: number }, context?: OtelContext): OtelSpan;
}

export interface OtelInstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

export interface OtelHistogram {
  record(value: number, attributes?: Attributes): void;
}

export interface OtelCounter {
  add(value: number, attributes?: Attributes): void;
}

export interface OtelMeter {
  createHistogram(name: string, options?: OtelInstrumentOptions): OtelHistogram;
  createCounter(name: string, options?: OtelInstrumentOptions): OtelCounter;
  createUpDownCounter(name: string, options?: OtelInstrumentOptions): OtelCounter;
}

/** What voxstate calls on the API module. */
export interface OtelApi {
  trace: { getTracer(name: string): OtelTracer; setSpan(context: OtelContext, span: OtelSpan): OtelContext };
  metrics: { getMeter(name: string): OtelMeter };
  context: { active(): OtelContext };
}
