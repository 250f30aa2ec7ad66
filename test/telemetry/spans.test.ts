/**
 * OpenTelemetry spans and metrics over an emulator session with a spoken turn, a tool call that
 * waits for approval, a barge-in and a resumption (issue 18): span names, parents, GenAI
 * attributes, metric points; and no secret, audio or transcript in any attribute.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { KEY, otelSdk, scenario } from './fixture.js';

let emulator: Emulator | undefined;
let sdk: ReturnType<typeof otelSdk> | undefined;
afterEach(async () => {
  await emulator?.close();
  await sdk?.shutdown();
  emulator = undefined;
  sdk = undefined;
});

const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** Every attribute value (span, span events) as text. */
function attributeText(spans: ReadableSpan[]): string {
  return JSON.stringify(spans.map((s) => [s.attributes, s.events.map((e) => e.attributes)]));
}

describe('telemetry: spans and metrics', () => {
  it('one trace reads as the conversation: session → connections and resumption → responses and tool calls', async () => {
    sdk = otelSdk();
    const run = await scenario({ telemetry: { tracer: sdk.tracer, meter: sdk.meter } });
    emulator = run.emulator;
    const spans = sdk.spans.getFinishedSpans();
    const named = (name: string) => spans.filter((s) => s.name === name);

    const [session] = named('voxstate.session');
    expect(session).toBeDefined();
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(session!.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-2.5-flash-native-audio-preview-12-2025',
      'gen_ai.conversation.id': run.session.sessionId,
    });

    const connections = named('voxstate.connection');
    expect(connections.map((c) => c.attributes['voxstate.connect.reason'])).toEqual(['initial', 'mutation']);
    expect(connections.map((c) => c.attributes['voxstate.connection.id'])).toEqual([1, 2]);
    expect(connections.every((c) => parentOf(c) === idOf(session!))).toBe(true);
    const [resumption] = named('voxstate.resumption');
    expect(parentOf(resumption!)).toBe(idOf(session!));
    expect(resumption!.attributes).toMatchObject({ 'voxstate.swap.reason': 'mutation', 'voxstate.swap.outcome': 'resumed', 'voxstate.connection.id': 2 });

    const responses = named('chat gemini-2.5-flash-native-audio-preview-12-2025');
    expect(responses.length).toBe(run.log.of('response_created').length);
    expect(responses.every((r) => r.attributes['gen_ai.operation.name'] === 'chat')).toBe(true);
    const connectionIds = new Set(connections.map(idOf));
    expect(responses.every((r) => connectionIds.has(parentOf(r)!))).toBe(true);
    // Each spoken answer marks its first audio (Gemini sends no end-of-speech event, so no time to
    // first audio here: test/telemetry/report.test.ts covers it on OpenAI); the barge-in is an event
    // on the interrupted answer.
    expect(responses[0]!.events.some((e) => e.name === 'first_audio')).toBe(true);
    expect(responses.some((r) => r.events.some((e) => e.name === 'interrupted' && e.attributes?.['voxstate.interrupt.source'] === 'user'))).toBe(true);
    // What the user heard of the interrupted answer: a `truncated` span event on it, per item cut.
    const truncations = run.log.of('truncated');
    expect(truncations.length).toBeGreaterThan(0);
    const truncatedEvents = responses.flatMap((r) => r.events.filter((e) => e.name === 'truncated'));
    expect(truncatedEvents.map((e) => e.attributes?.['voxstate.item.id'])).toEqual(truncations.map((t) => t.itemId));
    expect(run.session.report().turns.truncated).toBe(truncations.length);
    // The last answer came on the second connection.
    expect(parentOf(responses.at(-1)!)).toBe(idOf(connections[1]!));

    const [tool] = named('execute_tool get_weather');
    const call = run.log.of('tool_call')[0]!;
    expect(tool!.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': call.callId,
      'voxstate.tool.status': 'succeeded',
    });
    expect(parentOf(tool!)).toBe(idOf(connections[0]!));
    const [approval] = named('voxstate.tool.approval');
    expect(parentOf(approval!)).toBe(idOf(tool!));
    expect(approval!.attributes['voxstate.tool.decision']).toBe('approved');
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(approval!.endTime) - ms(approval!.startTime)).toBeGreaterThanOrEqual(25);

    // Nothing secret, no audio, no transcript, no tool arguments.
    const text = attributeText(spans);
    expect(text).not.toContain(KEY);
    expect(text).not.toMatch(/[A-Za-z0-9+/]{200,}={0,2}/);
    expect(text).not.toContain('Paris');
    expect(text).not.toMatch(/Ada/i);

    const points = await sdk.collect();
    const sum = (name: string, match: Record<string, unknown> = {}) =>
      (points.get(name) ?? []).filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v)).reduce((n, p) => n + (typeof p.value === 'number' ? p.value : (p.value as { count: number }).count), 0);
    expect(sum('voxstate.session.active')).toBe(0);
    expect(sum('voxstate.response.duration')).toBe(responses.length);
    expect(sum('voxstate.tool.duration', { 'gen_ai.tool.name': 'get_weather', 'voxstate.tool.status': 'succeeded' })).toBe(1);
    expect(sum('voxstate.connection.swaps', { 'voxstate.swap.reason': 'mutation', 'voxstate.swap.outcome': 'resumed' })).toBe(1);
    const report = run.session.report();
    expect(sum('voxstate.audio.duration', { 'voxstate.audio.direction': 'output' })).toBeCloseTo(report.audio.outputSeconds, 6);
    expect(sum('voxstate.audio.duration', { 'voxstate.audio.direction': 'input' })).toBeCloseTo(report.audio.inputSeconds, 6);
    expect(report.audio.inputSeconds).toBeGreaterThan(1);
    expect(points.get('gen_ai.client.token.usage')?.some((p) => p.attributes['gen_ai.token.type'] === 'output')).toBe(true);
    // gen_ai.operation.name is required on gen_ai.client.token.usage.
    expect(points.get('gen_ai.client.token.usage')!.every((p) => p.attributes['gen_ai.operation.name'] === 'chat')).toBe(true);
    expect(JSON.stringify([...points.values()])).not.toContain(KEY);
  });

  it('captureTranscripts puts final transcripts and tool arguments on the spans', async () => {
    sdk = otelSdk();
    const run = await scenario({ telemetry: { tracer: sdk.tracer, captureTranscripts: true } });
    emulator = run.emulator;
    const text = attributeText(sdk.spans.getFinishedSpans());
    expect(text).toContain('{\\"city\\":\\"Paris\\"}');
    expect(text).toMatch(/My name is Ada/);
    expect(text).not.toContain(KEY);
  });
});
