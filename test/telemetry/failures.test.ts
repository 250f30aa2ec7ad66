/**
 * Telemetry on the failure paths (issue 18 review): a tracer that throws, a refused connect, a
 * connection dropped mid-response, a failed reconnect, a close while an approval waits, rejected,
 * failed and unknown tools, a failed response. Spans, metrics and the report must each say what
 * happened, and telemetry must never break the session.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession, defineTool, silentLogger, type Logger } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { record, tick, waitUntil } from '../session/event-log.js';
import { booking, otelSdk } from './fixture.js';

let emulator: Emulator | undefined;
let sdk: ReturnType<typeof otelSdk> | undefined;
afterEach(async () => {
  await emulator?.close();
  await sdk?.shutdown();
  emulator = undefined;
  sdk = undefined;
});

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const STATUS_ERROR = 2;

function capturingLogger() {
  const records: Array<{ level: string; msg: string | undefined; fields: unknown }> = [];
  const at = (level: string) => (fields: unknown, msg?: string) => void records.push({ level, msg, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, records };
}

/** Data points of one instrument matching the attributes: their count (histograms) or sum (counters). */
async function pointsOf(name: string, match: Record<string, unknown> = {}): Promise<number> {
  const points = await sdk!.collect();
  return (points.get(name) ?? [])
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((n, p) => n + (typeof p.value === 'number' ? p.value : (p.value as { count: number }).count), 0);
}

describe('telemetry on failure paths', () => {
  it('a tracer that throws turns spans and metrics off with one warning; the session and its report go on', async () => {
    sdk = otelSdk();
    const real = sdk.tracer;
    // The session and connection spans start; each response's span throws.
    const tracer = {
      startSpan: (...args: Parameters<typeof real.startSpan>) => {
        if (args[0].startsWith('chat ')) throw new Error('tracer boom');
        return real.startSpan(...args);
      },
    };
    const { logger, records } = capturingLogger();
    const model = createScriptedModel({ responses: [{ transcript: 'Hello.' }, { transcript: 'Again.' }] });
    const session = createRealtimeSession({ model, telemetry: { tracer: tracer as unknown as typeof real, meter: sdk.meter }, logger });
    await session.connect();
    // @opentelemetry/api has loaded (nothing left to replay): the throw comes from a live event.
    await tick(100);
    await session.sendText('hi').reply;
    await session.sendText('again').reply;
    await session.close();
    expect(records.filter((r) => r.level === 'warn' && r.msg === 'telemetry failed and is off for this session')).toHaveLength(1);
    expect(session.report().turns).toMatchObject({ responses: 2, completed: 2 });
  });

  it('a tracer that throws mid-session: the spans already open (session, connection) end and voxstate.session.active returns to 0', async () => {
    sdk = otelSdk();
    const real = sdk.tracer;
    const tracer = {
      startSpan: (...args: Parameters<typeof real.startSpan>) => {
        if (args[0].startsWith('chat ')) throw new Error('tracer boom');
        return real.startSpan(...args);
      },
    };
    const model = createScriptedModel({ responses: [{ transcript: 'Hello.' }] });
    const session = createRealtimeSession({ model, telemetry: { tracer: tracer as unknown as typeof real, meter: sdk.meter }, logger: silentLogger });
    await session.connect();
    await tick(100);
    await session.sendText('hi').reply;
    // Telemetry is off now, but before the session closes: what it had open ended on the failure.
    expect(sdk.spans.getFinishedSpans().map((s) => s.name).sort()).toEqual(['voxstate.connection', 'voxstate.session']);
    expect(await pointsOf('voxstate.session.active')).toBe(0);
    await session.close();
  });

  it('a refused connect: the connection span has status ERROR and error.type; the error counts in voxstate.errors', async () => {
    sdk = otelSdk();
    emulator = await startEmulator({ openai: { apiKey: 'sk-right-key' } });
    const { logger, records } = capturingLogger();
    const session = createRealtimeSession({
      model: openaiRealtime({ apiKey: 'sk-WRONG-0123456789', url: emulator.openaiUrl }),
      telemetry: { tracer: sdk.tracer, meter: sdk.meter },
      logger,
    });
    const log = record(session);
    await expect(session.connect()).rejects.toThrow();
    await session.close();
    const code = log.of('error')[0]?.error.code;
    expect(code).toBeDefined();
    const [connection] = named(sdk.spans.getFinishedSpans(), 'voxstate.connection');
    expect(connection!.status.code).toBe(STATUS_ERROR);
    expect(connection!.attributes['error.type']).toBe(code);
    expect(await pointsOf('voxstate.errors', { 'error.type': code })).toBeGreaterThanOrEqual(1);
    // The session ended in `failed` (closed after it): its span says so.
    const [sessionSpan] = named(sdk.spans.getFinishedSpans(), 'voxstate.session');
    expect(sessionSpan!.status.code).toBe(STATUS_ERROR);
    expect(sessionSpan!.attributes['error.type']).toBe(code);
    expect(JSON.stringify(records)).not.toContain('sk-WRONG');
    expect(JSON.stringify(sdk.spans.getFinishedSpans().map((s) => [s.attributes, s.status]))).not.toContain('sk-WRONG');
  });

  it('a connection dropped mid-response (emulator): its span has ERROR; the response is incomplete in spans, metrics and report; a warning', async () => {
    sdk = otelSdk();
    emulator = await startEmulator({ openai: { realtimeFactor: 1 } });
    const { logger, records } = capturingLogger();
    const session = createRealtimeSession({ model: openaiRealtime({ apiKey: 'sk-test', url: emulator.openaiUrl }), telemetry: { tracer: sdk.tracer, meter: sdk.meter }, logger });
    const log = record(session);
    await session.connect();
    void session.sendText('Tell me a long story about the sea').reply.catch(() => {});
    await log.waitFor('audio');
    emulator.openai.inject({ type: 'close', code: 1011, reason: 'boom' });
    await log.waitFor('session_resumed');
    await session.close();
    const spans = sdk.spans.getFinishedSpans();
    const connections = named(spans, 'voxstate.connection');
    expect(connections.map((c) => c.status.code)).toEqual([STATUS_ERROR, 0]);
    expect(connections[0]!.attributes['error.type']).toBe('connection_closed');
    const [chat] = spans.filter((s) => s.name.startsWith('chat '));
    expect(chat!.status.code).toBe(STATUS_ERROR);
    expect(chat!.attributes).toMatchObject({ 'voxstate.response.status': 'incomplete', 'error.type': 'connection_closed' });
    expect(await pointsOf('voxstate.response.duration', { 'voxstate.response.status': 'incomplete' })).toBe(1);
    expect(log.of('response_done')).toHaveLength(0);
    expect(session.report().turns).toMatchObject({ responses: 1, completed: 0, interrupted: 0, failed: 1 });
    const lost = records.filter((r) => r.level === 'warn' && r.msg === 'connection lost (connection_closed), opening another');
    expect(lost).toHaveLength(1);
    // The record names the connection lost (the first), not the one opening.
    const firstId = log.of('connected')[0]!.connectionId;
    expect(lost[0]!.fields).toMatchObject({ connectionId: firstId, nextConnectionId: log.of('session_resumed')[0]!.connectionId });
    expect(log.of('session_resumed')[0]!.connectionId).not.toBe(firstId);
  });

  it('a connect refused, then a connect that opens: the session span does not end as ERROR', async () => {
    sdk = otelSdk();
    const model = createScriptedModel({ failConnect: (attempt) => attempt === 1 });
    const session = createRealtimeSession({ model, telemetry: { tracer: sdk.tracer }, logger: silentLogger });
    await expect(session.connect()).rejects.toThrow();
    await session.connect();
    await session.close();
    const [sessionSpan] = named(sdk.spans.getFinishedSpans(), 'voxstate.session');
    expect(sessionSpan!.status.code).toBe(0);
    expect(sessionSpan!.attributes['error.type']).toBeUndefined();
  });

  it('without telemetry, the report still counts a response cut off by its connection as failed', async () => {
    const model = createScriptedModel({ autoRespond: false });
    const session = createRealtimeSession({ model, logger: silentLogger });
    const log = record(session);
    await session.connect();
    void model.play({ holdOpen: true });
    await log.waitFor('response_created');
    model.drop(1011, 'gone');
    await log.waitFor('session_resumed');
    await session.close();
    expect(session.report().turns).toMatchObject({ responses: 1, completed: 0, failed: 1 });
    expect(session.report().latency.response.count).toBe(1);
  });

  it('a reconnect that fails with a call awaiting approval: every attempt and the resumption end with ERROR; the tool spans end; the report is out at close', async () => {
    sdk = otelSdk();
    const model = createScriptedModel({ failConnect: (attempt) => attempt > 1, responses: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }] });
    const session = createRealtimeSession({ model, tools: [booking], telemetry: { tracer: sdk.tracer }, logger: silentLogger });
    const log = record(session);
    await session.connect();
    void session.sendText('weather?').reply.catch(() => {});
    // A call waits for approval when the connection goes: it never gets a result.
    await log.waitFor('tool_approval_requested');
    model.drop(1011, 'gone');
    await log.waitFor('resumption_failed', undefined, 15_000);
    await session.close();
    const spans = sdk.spans.getFinishedSpans();
    const connections = named(spans, 'voxstate.connection');
    expect(connections.length).toBeGreaterThanOrEqual(2);
    expect(connections.every((c) => c.status.code === STATUS_ERROR && typeof c.attributes['error.type'] === 'string')).toBe(true);
    expect(named(spans, 'voxstate.resumption')[0]!.status.code).toBe(STATUS_ERROR);
    const [sessionSpan] = named(spans, 'voxstate.session');
    expect(sessionSpan!.status.code).toBe(STATUS_ERROR);
    expect(sessionSpan!.attributes['error.type']).toBe(log.of('resumption_failed')[0]!.error.code);
    expect(named(spans, 'execute_tool get_weather')).toHaveLength(1);
    expect(named(spans, 'voxstate.tool.approval')[0]!.attributes['voxstate.tool.decision']).toBe('none');
    expect(log.of('session_report')).toHaveLength(1);
    expect(session.report().resumptionFailures).toBe(1);
  }, 20_000);

  it('a close while an approval waits: the approval ends with decision none, the tool span ends; audio after the last response is counted', async () => {
    sdk = otelSdk();
    const model = createScriptedModel({ responses: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }] });
    const session = createRealtimeSession({ model, tools: [booking], telemetry: { tracer: sdk.tracer, meter: sdk.meter }, logger: silentLogger });
    const log = record(session);
    await session.connect();
    void session.sendText('weather?').reply.catch(() => {});
    await log.waitFor('tool_approval_requested');
    session.sendAudio(Buffer.alloc(4800));
    await session.close();
    const spans = sdk.spans.getFinishedSpans();
    const [approval] = named(spans, 'voxstate.tool.approval');
    expect(approval!.attributes['voxstate.tool.decision']).toBe('none');
    const [tool] = named(spans, 'execute_tool get_weather');
    expect(tool!.attributes['voxstate.tool.status']).not.toBe('succeeded');
    const report = session.report();
    expect(report.audio.inputSeconds).toBeGreaterThan(0);
    expect(await pointsOf('voxstate.audio.duration', { 'voxstate.audio.direction': 'input' })).toBeCloseTo(report.audio.inputSeconds, 6);
  });

  it('rejected, failed and unknown tools: decision rejected, ERROR with error.type, `unknown` as the name in spans and metrics', async () => {
    sdk = otelSdk();
    const explode = defineTool({ name: 'explode', description: 'fails', parameters: z.object({}), execute: () => { throw new Error('kaboom'); } });
    const model = createScriptedModel({ autoRespond: false });
    const session = createRealtimeSession({ model, tools: [booking, explode], telemetry: { tracer: sdk.tracer, meter: sdk.meter }, logger: silentLogger });
    const log = record(session);
    session.on('tool_approval_requested', (e) => void session.rejectTool(e.callId).catch(() => {}));
    await session.connect();
    for (const name of ['get_weather', 'explode', 'made_up_tool_42']) {
      const before = log.of('tool_result').length;
      void model.play({ toolCalls: [{ name, arguments: name === 'get_weather' ? { city: 'Paris' } : {} }] });
      await waitUntil(() => log.of('tool_result').length > before, `the result of ${name}`);
    }
    await session.close();
    const spans = sdk.spans.getFinishedSpans();
    expect(named(spans, 'voxstate.tool.approval')[0]!.attributes['voxstate.tool.decision']).toBe('rejected');
    const [failed] = named(spans, 'execute_tool explode');
    expect(failed!.status.code).toBe(STATUS_ERROR);
    expect(failed!.attributes['error.type']).toBe('failed');
    expect(named(spans, 'execute_tool unknown')).toHaveLength(1);
    expect(spans.some((s) => s.name.includes('made_up_tool_42'))).toBe(false);
    expect(await pointsOf('voxstate.tool.duration', { 'gen_ai.tool.name': 'unknown' })).toBe(1);
    expect(await pointsOf('voxstate.tool.duration', { 'gen_ai.tool.name': 'made_up_tool_42' })).toBe(0);
  });

  it('a failed response: its chat span has ERROR and error.type', async () => {
    sdk = otelSdk();
    const model = createScriptedModel({ autoRespond: false });
    const session = createRealtimeSession({ model, telemetry: { tracer: sdk.tracer }, logger: silentLogger });
    const log = record(session);
    await session.connect();
    void model.play({ holdOpen: true });
    const created = await log.waitFor('response_created');
    model.push({ type: 'model.responseDone', responseId: created.responseId, status: 'failed', statusDetails: { error: { code: 'server_error', message: 'x' } } } as never);
    await log.waitFor('response_done');
    await session.close();
    const [chat] = sdk.spans.getFinishedSpans().filter((s) => s.name.startsWith('chat '));
    expect(chat!.status.code).toBe(STATUS_ERROR);
    expect(chat!.attributes['error.type']).toBe('server_error');
  });
});
