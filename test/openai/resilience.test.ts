/** Bad frames, server errors, closes, connect failures, and the beta protocol. */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { defaultUrl } from '../../adapters/openai/connection.js';
import { startAdapter } from '../adapters/harness.js';
import type { AudioOut } from '../../adapters/events.js';
import { fixture, TEST_KEY, until, weatherTool, type Fixture, type Harness } from './fixture.js';

let fx: Fixture | undefined;
const extra: Harness[] = [];
afterEach(async () => {
  for (const h of extra.splice(0)) h.stop();
  await fx?.close();
  fx = undefined;
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('openai adapter: bad frames and server errors', () => {
  it('reports unknown event types as a debug-level unknown event, malformed JSON as invalid_frame, and keeps the connection', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    fx.emulator.openai.inject({ type: 'unknown', eventType: 'response.brand_new_thing' });
    fx.emulator.openai.inject({ type: 'malformed' });
    const error = await h.waitForEvent('model.error');
    expect(error.error.code).toBe('invalid_frame');
    expect(h.events.filter((e) => e.type === 'model.error')).toHaveLength(1);
    expect(h.data).toContainEqual({ type: 'unknown', provider: 'openai', eventType: 'response.brand_new_thing' });
    h.send({ type: 'client.text', text: 'Still there?' });
    expect((await h.waitForEvent('model.responseDone')).status).toBe('completed');
    expect(h.events.some((e) => e.type === 'model.closed')).toBe(false);
  });

  it('drops an audio delta with corrupted base64 or odd-length PCM as invalid_frame; only whole PCM16 reaches listeners', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    const delta = (b64: string) => ({ type: 'frame' as const, frame: { type: 'response.output_audio.delta', response_id: 'resp_x', item_id: 'item_x', output_index: 0, content_index: 0, delta: b64 } });
    fx.emulator.openai.inject(delta('AAAA!!!!AAAA')); // not base64 (Buffer.from would skip the "!")
    fx.emulator.openai.inject(delta('AQID')); // 3 bytes: odd-length PCM16
    fx.emulator.openai.inject(delta('AQIDBA==')); // 4 bytes: two samples
    await until(() => h.events.filter((e) => e.type === 'model.error').length === 2 && h.data.some((d) => d.type === 'audio'), 'two errors and the good delta');
    const errors = h.events.filter((e) => e.type === 'model.error').map((e) => (e as Extract<typeof e, { type: 'model.error' }>).error);
    expect(errors.map((e) => e.code)).toEqual(['invalid_frame', 'invalid_frame']);
    expect(errors[0]!.message).toContain('base64');
    expect(errors[1]!.message).toContain('odd length');
    const audio = h.data.filter((d) => d.type === 'audio') as AudioOut[];
    expect(audio.map((a) => [...a.audio])).toEqual([[1, 2, 3, 4]]);
  });

  it('reports a known frame that fails validation as invalid_frame', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    fx.emulator.openai.inject({ type: 'unknown', eventType: 'response.function_call_arguments.done' });
    const error = await h.waitForEvent('model.error');
    expect(error.error).toMatchObject({ code: 'invalid_frame' });
    expect(error.error.message).toContain('response.function_call_arguments.done');
  });

  it('turns a server error event into a non-fatal model.error with the provider code', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    fx.emulator.openai.inject({ type: 'error', code: 'rate_limit_exceeded', message: 'Slow down', errorType: 'rate_limit_error' });
    const error = await h.waitForEvent('model.error');
    expect(error.error).toEqual({ code: 'server_error', message: 'Slow down', providerCode: 'rate_limit_exceeded' });
    h.send({ type: 'client.text', text: 'Hi' });
    await h.waitForEvent('model.responseDone');
  });

  it('a server error caused by one of our frames (response.create during a response) is reported too', async () => {
    fx = await fixture({ openai: { realtimeFactor: 2 } });
    const h = fx.start(fx.adapter(), { config: { turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'Tell me something long please' });
    await h.waitForEvent('model.responseCreated');
    h.send({ type: 'client.createResponse' });
    const error = await h.waitForEvent('model.error');
    expect(error.error.providerCode).toBe('conversation_already_has_active_response');
  });
});

describe('openai adapter: closing', () => {
  it('client.close gives model.closed{expected:true}', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.close' });
    const closed = await h.waitForEvent('model.closed');
    expect(closed).toMatchObject({ code: 1000, expected: true });
  });

  it('a server close gives model.closed{expected:false} with its code and reason', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    fx.emulator.openai.inject({ type: 'close', code: 4000, reason: 'session expired' });
    const closed = await h.waitForEvent('model.closed');
    expect(closed).toEqual({ type: 'model.closed', code: 4000, reason: 'session expired', expected: false });
    expect(h.audio.sendUserAudio(Buffer.alloc(480), 24000)).toBe('rejected');
  });

  it('stopping the actor closes the socket and detaches from the audio plane', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    h.stop();
    await until(() => fx!.emulator.openai.connections().length === 0, 'server-side close');
    expect(h.audio.sendUserAudio(Buffer.alloc(480), 24000)).toBe('rejected');
    expect(h.events.some((e) => e.type === 'model.closed')).toBe(false);
  });
});

describe('openai adapter: connect failures', () => {
  it('nothing listening → model.connectFailed with a readable message', async () => {
    const port = await freePort();
    const h = startAdapter(openaiRealtime({ apiKey: TEST_KEY, url: `ws://127.0.0.1:${port}/v1/realtime?model=gpt-realtime` }));
    extra.push(h);
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error.code).toBe('connection_failed');
    expect(failed.error.message).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(h.events)).not.toContain(TEST_KEY);
  });

  it('401 → model.connectFailed without the key, even when the key is in the URL', async () => {
    fx = await fixture({ openai: { apiKey: 'sk-the-right-key-000000' } });
    const h = fx.start(fx.adapter({ url: `${fx.emulator.openaiUrl}&api-key=${TEST_KEY}` }), { config: {} });
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error.message).toContain('401');
    expect(JSON.stringify(h.events)).not.toContain(TEST_KEY);
    expect(h.events.map((e) => e.type)).toEqual(['model.connectFailed']);
  });

  it('a failing key function → connectFailed, its message redacted', async () => {
    fx = await fixture();
    const h = fx.start(
      fx.adapter({
        apiKey: async () => {
          throw new Error(`vault said no for sk-proj-abcdefghijklmnop`);
        },
      }),
      { config: {} },
    );
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error.message).toContain('vault said no');
    expect(failed.error.message).not.toContain('abcdefghijklmnop');
  });

  it('an initial config the server refuses fails the connection', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: { extra: { not_a_field: true } } });
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error.message).toContain("Unknown parameter: 'session.not_a_field'");
  });

  it('an invalid URL → connectFailed', async () => {
    const h = startAdapter(openaiRealtime({ apiKey: TEST_KEY, url: 'not a url' }));
    extra.push(h);
    expect((await h.waitForEvent('model.connectFailed')).error.message).toContain('invalid URL');
  });
});

describe('openai adapter: beta protocol', () => {
  it('defaults to a model the beta API lists (the default URL carries it), and to gpt-realtime-2.1 on GA', () => {
    const beta = openaiRealtime({ apiKey: TEST_KEY, protocol: 'beta' });
    expect(beta.model).toBe('gpt-4o-realtime-preview');
    expect(defaultUrl(beta.model)).toBe('wss://api.openai.com/v1/realtime?model=gpt-4o-realtime-preview');
    expect(openaiRealtime({ apiKey: TEST_KEY }).model).toBe('gpt-realtime-2.1');
    expect(openaiRealtime({ apiKey: TEST_KEY, protocol: 'beta', model: 'gpt-4o-mini-realtime-preview' }).model).toBe('gpt-4o-mini-realtime-preview');
  });

  it('speaks the beta vocabulary: flat session, beta event names, function names from output_item.added', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter({ protocol: 'beta', model: 'gpt-4o-realtime-preview' }), {
      config: { voice: 'verse', temperature: 0.7, tools: [weatherTool], turnDetection: { type: 'none' } },
    });
    await h.waitForEvent('model.connected');
    const session = fx.inbound('session.update')[0]!['session'] as Record<string, unknown>;
    expect(session).toMatchObject({ modalities: ['audio', 'text'], voice: 'verse', temperature: 0.7, input_audio_format: 'pcm16', turn_detection: null });
    expect(session).not.toHaveProperty('type');

    h.send({ type: 'client.text', text: 'Hello' });
    await h.waitForEvent('model.responseDone');
    expect(fx.outbound('response.audio.delta').length).toBeGreaterThan(0);
    expect(fx.outbound('response.output_audio.delta')).toHaveLength(0);
    expect(h.data.some((d) => d.type === 'audio')).toBe(true);
    expect(h.data.some((d) => d.type === 'transcript' && d.isFinal && d.text === 'You said: Hello.')).toBe(true);

    h.send({ type: 'client.text', text: 'Weather in Lima?' });
    const call = await h.waitForEvent('model.functionCall');
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Lima"}' });
    expect(fx.outbound('response.function_call_arguments.done')[0]).not.toHaveProperty('name');
  });
});
