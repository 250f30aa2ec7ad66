/**
 * `--otlp` (issue 18): a session's spans and metrics exported over OTLP/HTTP (JSON) to a receiver
 * the test starts on 127.0.0.1, decoded as they arrive. Also: a URL that is not http(s) is a usage error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpExport } from '../../cli/otlp.js';
import { createRealtimeSession, silentLogger } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { receiver, type Json } from './otlp-receiver.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

const attr = (attributes: Json[] | undefined, key: string) => {
  const value = attributes?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.doubleValue ?? value?.boolValue;
};

describe('OTLP/HTTP export (--otlp)', () => {
  it('sends the session, connection and response spans and the metrics to the collector, as JSON', async () => {
    const { url, posts, close } = await receiver();
    stop = close;
    const otlp = await startOtlpExport(url, 'otlp-test');
    const session = createRealtimeSession({ model: createScriptedModel({ responses: [{ transcript: 'Hello.' }] }), telemetry: otlp.telemetry, logger: silentLogger });
    await session.connect();
    await session.sendText('hi').reply;
    await session.close();
    await otlp.shutdown();

    const traces = posts.filter((p) => p.path === '/v1/traces');
    const metrics = posts.filter((p) => p.path === '/v1/metrics');
    expect(traces.length).toBeGreaterThan(0);
    expect(metrics.length).toBeGreaterThan(0);
    expect(traces[0]!.contentType).toContain('application/json');

    const resourceSpans: Json[] = traces.flatMap((p) => p.body['resourceSpans']);
    expect(attr(resourceSpans[0]!['resource']['attributes'], 'service.name')).toBe('otlp-test');
    const spans: Json[] = resourceSpans.flatMap((r) => r['scopeSpans'].flatMap((s: Json) => s['spans']));
    const byName = new Map(spans.map((s) => [s['name'], s]));
    const root = byName.get('voxstate.session')!;
    expect(attr(root['attributes'], 'gen_ai.conversation.id')).toBe(session.sessionId);
    expect(attr(root['attributes'], 'gen_ai.provider.name')).toBe('scripted');
    expect(byName.get('voxstate.connection')!['parentSpanId']).toBe(root['spanId']);
    const response = spans.find((s) => String(s['name']).startsWith('chat '))!;
    expect(response['parentSpanId']).toBe(byName.get('voxstate.connection')!['spanId']);
    expect(new Set(spans.map((s) => s['traceId'])).size).toBe(1);

    const names = new Set(metrics.flatMap((p) => p.body['resourceMetrics'].flatMap((r: Json) => r['scopeMetrics'].flatMap((s: Json) => s['metrics'].map((m: Json) => m['name'])))));
    expect(names).toContain('voxstate.session.active');
    expect(names).toContain('voxstate.response.duration');
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(startOtlpExport('grpc://127.0.0.1:4317')).rejects.toThrow(/--otlp must be an http\(s\) URL/);
  });
});
