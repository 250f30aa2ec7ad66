/**
 * `voxstate-openai` with telemetry on: a tracer whose spans go through a batch processor to an
 * exporter that drops them (the SDK's work is counted, the network is not), and a meter read every
 * second (aggregation and collection counted). One pair of providers per client process.
 */
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TelemetryOptions } from '../../index.js';
import { voxstate } from './voxstate.js';

const dropSpans: SpanExporter = {
  export: (_spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]) => done({ code: 0 }),
  shutdown: async () => undefined,
};

let telemetry: TelemetryOptions | undefined;
function providers(): TelemetryOptions {
  if (telemetry) return telemetry;
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans)] });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 1000 })] });
  setInterval(() => metrics.reset(), 5000).unref();
  telemetry = { tracer: tracerProvider.getTracer('bench'), meter: meterProvider.getMeter('bench') };
  return telemetry;
}

export const voxstateOpenAIOtel = voxstate('openai', providers);
