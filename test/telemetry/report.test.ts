/**
 * `session.report()` and the `session_report` event (issue 18), checked against the emulator's own
 * log of what crossed the wire: responses, their statuses and usage, tool calls, connections,
 * audio each way; time to first audio after a spoken turn. Works without any telemetry option.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { createRuleBrain, startEmulator, type Emulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { createRealtimeSession, defineTool, silentLogger } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';

const KEY = 'sk-test-REPORT-0123456789abcdef';
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const weather = defineTool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, sky: 'sunny' }),
});

type Frame = Record<string, any>;

describe('the session report', () => {
  it("matches the emulator's log: responses, usage, tools, connections, audio; time to first audio after speech", async () => {
    emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ['My name is Ada'] }) });
    const session = createRealtimeSession({ model: openaiRealtime({ apiKey: KEY, url: emulator.openaiUrl }), instructions: 'x', tools: [weather], voice: 'alloy', logger: silentLogger });
    const log = record(session);
    await session.connect();
    const speech = synthesize('my name is ada');
    for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
    session.sendAudio(Buffer.alloc(24_000));
    await log.waitFor('response_done', undefined, 5000);
    await session.sendText('What is the weather in Paris?').reply;
    await waitUntil(() => log.of('response_done').length >= 3, 'the tool turn and its answer');
    // A voice change after audio needs a new OpenAI connection.
    expect(await session.updateSession({ voice: 'verse' })).toBe('resumed');
    const live = session.report();
    expect(live.endedAt).toBeUndefined();
    await session.close();

    const [published] = log.of('session_report');
    expect(log.of('session_report')).toHaveLength(1);
    expect(log.events.at(-1)).toBe(published);
    const report = published!.report;
    expect(session.report()).toEqual(report);

    const out = emulator.context.log.entries.filter((e) => e.direction === 'out' && e.protocol === 'openai').map((e) => ({ connection: e.connection, frame: e.frame as Frame }));
    const inbound = emulator.context.log.entries.filter((e) => e.direction === 'in' && e.protocol === 'openai').map((e) => e.frame as Frame);
    const done = out.filter((e) => e.frame['type'] === 'response.done').map((e) => e.frame['response']);
    const usage = (k: string) => done.reduce((n, r) => n + (r.usage?.[k] ?? 0), 0);
    const audioOut = out.filter((e) => e.frame['type'] === 'response.output_audio.delta').reduce((n, e) => n + Buffer.from(e.frame['delta'], 'base64').length, 0);
    const audioIn = inbound.filter((f) => f['type'] === 'input_audio_buffer.append').reduce((n, f) => n + Buffer.from(f['audio'], 'base64').length, 0);
    const calls = done.flatMap((r) => r.output ?? []).filter((o: Frame) => o['type'] === 'function_call');

    expect(calls).toHaveLength(1);
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(report).toMatchObject({
      sessionId: session.sessionId,
      provider: 'openai',
      connections: new Set(out.map((e) => e.connection)).size,
      turns: { responses: done.length, completed: done.filter((r) => r.status === 'completed').length, interrupted: 0, failed: 0 },
      usage: { inputTokens: usage('input_tokens'), outputTokens: usage('output_tokens'), totalTokens: usage('total_tokens') },
      tools: { get_weather: { calls: calls.length, outcomes: { succeeded: calls.length } } },
      resumptions: [{ reason: 'mutation', connectionId: 2 }],
      resumptionFailures: 0,
      errors: [],
      closed: { code: 1000 },
    });
    expect(report.connections).toBe(2);
    expect(report.usage.totalTokens).toBeGreaterThan(0);
    expect(report.audio.outputSeconds).toBeCloseTo(audioOut / 2 / 24_000, 2);
    expect(report.audio.inputSeconds).toBeCloseTo(audioIn / 2 / 24_000, 2);
    // Reported in whole milliseconds, without floating-point noise.
    for (const seconds of [report.audio.inputSeconds, report.audio.outputSeconds]) expect(String(seconds)).toMatch(/^\d+(\.\d{1,3})?$/);
    // One spoken turn: one time to first audio, from speech_stopped to the first audio event.
    const stopped = log.events.findIndex((e) => e.type === 'speech_stopped');
    expect(stopped).toBeGreaterThanOrEqual(0);
    expect(report.latency.timeToFirstAudio.count).toBe(1);
    expect(report.latency.timeToFirstAudio.p50Ms).toBeGreaterThanOrEqual(0);
    expect(report.latency.response.count).toBe(done.length);
    expect(report.turns.user).toBe(2);
    expect(Date.parse(report.endedAt!)).toBeGreaterThanOrEqual(Date.parse(report.startedAt));
    expect(JSON.stringify(report)).not.toContain(KEY);
  });

  it('is published once for a session closed before it connected', async () => {
    emulator = await startEmulator();
    const session = createRealtimeSession({ model: openaiRealtime({ apiKey: KEY, url: emulator.openaiUrl }), logger: silentLogger });
    const log = record(session);
    await session.close();
    await session.close();
    expect(log.of('session_report')).toHaveLength(1);
    expect(log.of('session_report')[0]!.report).toMatchObject({ connections: 0, turns: { responses: 0 }, closed: undefined });
    expect(log.of('session_report')[0]!.report.endedAt).toBeDefined();
  });
});
