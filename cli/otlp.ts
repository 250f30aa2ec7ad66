/**
 * `--otlp URL`: traces and metrics of the CLI's session exported over OTLP/HTTP (JSON) to a
 * collector at URL (`URL/v1/traces`, `URL/v1/metrics`, the OTLP/HTTP default paths). The
 * OpenTelemetry SDK is not a dependency of voxstate: it is loaded here, dynamically, and a clear
 * usage error says what to install when it is absent.
 */
import type { TelemetryOptions } from '../index.js';
import { UsageError } from './errors.js';

export interface OtlpExport {
  /** What to pass as the session's `telemetry` option. */
  telemetry: TelemetryOptions;
  /** Exports what is left and stops (call once the session is closed). */
  shutdown(): Promise<void>;
}

/** The packages `--otlp` loads, all at versions that accept Node 20 (docs/observability.md). */
export const OTLP_PACKAGES = [
  '@opentelemetry/api',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-http',
  '@opentelemetry/resources',
] as const;

/** Metrics are pushed every 10 s while the session runs, and once more at shutdown. */
const METRIC_INTERVAL_MS = 10_000;

function collectorUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--otlp must be an http(s) URL of an OTLP/HTTP collector, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--otlp must be an http(s) URL of an OTLP/HTTP collector, got "${value}"`);
  return url;
}

async function loadSdk() {
  try {
    const [traceBase, sdkMetrics, traceExporter, metricExporter, resources] = await Promise.all([
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/sdk-metrics'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/exporter-metrics-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
    return { traceBase, sdkMetrics, traceExporter, metricExporter, resources };
  } catch {
    throw new UsageError(`--otlp needs the OpenTelemetry SDK, which voxstate does not install: npm install ${OTLP_PACKAGES.join(' ')}`);
  }
}

/** Starts a tracer and a meter that export to the collector at `endpoint`. */
export async function startOtlpExport(endpoint: string, serviceName = 'voxstate-cli'): Promise<OtlpExport> {
  const base = collectorUrl(endpoint).toString().replace(/\/+$/, '');
  const { traceBase, sdkMetrics, traceExporter, metricExporter, resources } = await loadSdk();
  const resource = resources.resourceFromAttributes({ 'service.name': serviceName });
  const tracerProvider = new traceBase.BasicTracerProvider({
    resource,
    spanProcessors: [new traceBase.BatchSpanProcessor(new traceExporter.OTLPTraceExporter({ url: `${base}/v1/traces` }))],
  });
  const meterProvider = new sdkMetrics.MeterProvider({
    resource,
    readers: [
      new sdkMetrics.PeriodicExportingMetricReader({
        exporter: new metricExporter.OTLPMetricExporter({ url: `${base}/v1/metrics` }),
        exportIntervalMillis: METRIC_INTERVAL_MS,
      }),
    ],
  });
  return {
    telemetry: { tracer: tracerProvider.getTracer('voxstate'), meter: meterProvider.getMeter('voxstate') },
    async shutdown() {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
