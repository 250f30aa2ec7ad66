/**
 * `--otlp URL`: traces and metrics of the CLI's session exported over OTLP/HTTP (JSON) to a
 * collector at URL (`URL/v1/traces`, `URL/v1/metrics`, the OTLP/HTTP default paths). The
 * OpenTelemetry SDK is not a dependency of voxstate: it is loaded here, dynamically, and a clear
 * usage error says what to install when it is absent. An export that fails prints one warning on
 * stderr and does not change the exit code.
 */
import type { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { redactSecrets } from '../errors.js';
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

/** What an OTLP exporter hands its callback (`ExportResult` of @opentelemetry/core: code 0 is SUCCESS). */
interface ExportResult {
  code: number;
  error?: Error;
}
const EXPORT_SUCCESS = 0;

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
  // An export that fails (collector unreachable, refused) gets one warning on stderr; the run's exit
  // code stays what the conversation made it: the telemetry is a side channel (docs/cli.md).
  let warned = false;
  const failed = (result: ExportResult) => {
    if (result.code === EXPORT_SUCCESS || warned) return;
    warned = true;
    const why = redactSecrets(result.error?.message ?? 'export failed');
    process.stderr.write(`warning: --otlp: could not export to ${redactSecrets(base)} (${why}); traces and metrics may be missing\n`);
  };
  class TraceExporter extends traceExporter.OTLPTraceExporter {
    override export(...[items, done]: Parameters<OTLPTraceExporter['export']>): void {
      super.export(items, (result) => (failed(result), done(result)));
    }
  }
  class MetricExporter extends metricExporter.OTLPMetricExporter {
    override export(...[items, done]: Parameters<OTLPMetricExporter['export']>): void {
      super.export(items, (result) => (failed(result), done(result)));
    }
  }
  const tracerProvider = new traceBase.BasicTracerProvider({
    resource,
    spanProcessors: [new traceBase.BatchSpanProcessor(new TraceExporter({ url: `${base}/v1/traces` }))],
  });
  const meterProvider = new sdkMetrics.MeterProvider({
    resource,
    readers: [
      new sdkMetrics.PeriodicExportingMetricReader({
        exporter: new MetricExporter({ url: `${base}/v1/metrics` }),
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
