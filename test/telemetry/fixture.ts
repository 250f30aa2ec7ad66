/**
 * The telemetry tests' session: Gemini on the emulator, with the OpenTelemetry SDK's in-memory
 * span exporter and metric reader, driven through a spoken turn, a tool call that needs approval,
 * a barge-in (a question while the answer plays) and a resumption (new instructions).
 */
import type { Meter, Tracer } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import { z } from 'zod';
import { geminiLive } from '../../adapters/gemini/index.js';
import { createRuleBrain, startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { createRealtimeSession, defineTool, silentLogger, type RealtimeSession, type RealtimeSessionOptions } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';

export const KEY = 'AIzaSyTELEMETRY-not-real-0123456789ab';

export function otelSdk() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    spans,
    metrics,
    tracer: tracerProvider.getTracer('test') as Tracer,
    meter: meterProvider.getMeter('test') as Meter,
    /** Collects the metrics now and returns every data point by instrument name. */
    async collect() {
      await reader.forceFlush();
      const byName = new Map<string, Array<{ attributes: Record<string, unknown>; value: unknown }>>();
      for (const batch of metrics.getMetrics())
        for (const scope of batch.scopeMetrics)
          for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })));
      return byName;
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

export const booking = defineTool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  needsApproval: true,
  execute: ({ city }) => ({ city, sky: 'sunny' }),
});

/** Runs the scenario; returns the session (closed), its events and the emulator (still open). */
export async function scenario(options: Partial<RealtimeSessionOptions>, emulatorFactor = 4): Promise<{ session: RealtimeSession; log: ReturnType<typeof record>; emulator: Emulator }> {
  const emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ['My name is Ada'] }), gemini: { realtimeFactor: emulatorFactor } });
  const session = createRealtimeSession({
    model: geminiLive({ apiKey: KEY, url: emulator.geminiUrl, handleWaitMs: 100, model: 'gemini-2.5-flash-native-audio-preview-12-2025' }),
    instructions: 'You are triage.',
    tools: [booking],
    transcription: {},
    logger: silentLogger,
    ...options,
  });
  const log = record(session);
  session.on('tool_approval_requested', (e) => void setTimeout(() => void session.approveTool(e.callId).catch(() => {}), 30));
  try {
    await session.connect();
    // A spoken turn: time to first audio after the user stops.
    const speech = synthesize('my name is ada');
    for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
    session.sendAudio(Buffer.alloc(24_000));
    await log.waitFor('response_done');
    // A tool call with an approval wait; Gemini answers after the tool's output by itself.
    void session.sendText('What is the weather in Paris?');
    await log.waitFor('tool_result');
    const afterTool = log.of('response_created').length;
    await waitUntil(() => log.of('response_done').length >= afterTool, 'the answer after the tool');
    // A barge-in: the user speaks while the answer is playing. (A text would wait for the answer:
    // on Gemini a text that asks for a reply is queued while a response is active.)
    const beforeStory = log.of('response_created').length;
    void session.sendText('Tell me a long story about the sea and the mountains');
    await waitUntil(() => log.of('response_created').length > beforeStory, 'the story starting');
    const question = synthesize('what is my balance');
    for (let i = 0; i < question.length; i += 960) session.sendAudio(question.subarray(i, i + 960));
    session.sendAudio(Buffer.alloc(24_000));
    await log.waitFor('interrupted');
    const afterBargeIn = log.of('response_created').length;
    await waitUntil(() => log.of('response_created').length > afterBargeIn && log.of('response_done').length >= log.of('response_created').length, 'the answer to the spoken question');
    // A resumption: new instructions need a new Gemini connection.
    expect(await session.updateSession({ instructions: 'You are billing.' })).toBe('resumed');
    await session.sendText('Thanks').reply;
  } finally {
    await session.close();
  }
  return { session, log, emulator };
}
