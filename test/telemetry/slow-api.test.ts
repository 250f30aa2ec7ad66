/**
 * `@opentelemetry/api` is loaded dynamically: a session that opens, answers and closes before the
 * module has loaded (simulated: the module takes 300 ms to load) still has every span ended and
 * exported by the time `close()` resolves, with its own timestamps.
 */
import { describe, expect, it, vi } from 'vitest';
import { createRealtimeSession, silentLogger } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { otelSdk } from './fixture.js';

vi.mock('@opentelemetry/api', async (importOriginal) => {
  await new Promise((r) => setTimeout(r, 300));
  return importOriginal();
});

describe('telemetry while @opentelemetry/api is still loading', () => {
  it('replays what happened meanwhile; close() resolves once the spans are out', async () => {
    const sdk = otelSdk();
    const started = Date.now();
    const session = createRealtimeSession({ model: createScriptedModel({ responses: [{ transcript: 'Hello.' }] }), telemetry: { tracer: sdk.tracer }, logger: silentLogger });
    await session.connect();
    await session.sendText('hi').reply;
    const closing = Date.now();
    expect(closing - started).toBeLessThan(300);
    await session.close();
    const names = sdk.spans.getFinishedSpans().map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['voxstate.session', 'voxstate.connection', expect.stringMatching(/^chat /)]));
    const root = sdk.spans.getFinishedSpans().find((s) => s.name === 'voxstate.session')!;
    // The session span starts when the session was created, not when the module arrived.
    expect(root.startTime[0] * 1000 + root.startTime[1] / 1e6).toBeLessThan(closing);
    await sdk.shutdown();
  });
});
