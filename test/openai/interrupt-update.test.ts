/** Barge-in, truncation, in-place updates and voice change through a new connection with replay. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AudioOut } from '../../adapters/events.js';
import { AudioPlane } from '../../adapters/audio-plane.js';
import { parseSessionConfig, type SessionConfigInput } from '../../config.js';
import { fixture, silence, tone, until, weatherTool, type Fixture, type Harness } from './fixture.js';

let fx: Fixture;
afterEach(async () => {
  await fx?.close();
});

const LONG = 'Please tell me a long and winding story about a lighthouse keeper, her cat, and the storm that came at night';
const audioOf = (h: Harness) => h.data.filter((d): d is AudioOut => d.type === 'audio');

function update(h: Harness, requestId: string, config: SessionConfigInput, changed: string[]) {
  h.send({ type: 'client.updateConfig', requestId, config: parseSessionConfig(config), changed });
}

describe('openai adapter: barge-in', () => {
  it('client interrupt cancels the active response; client.truncate cuts the audio item at audioEndMs', async () => {
    fx = await fixture({ openai: { realtimeFactor: 4 } });
    const h = fx.start(fx.adapter(), { config: { turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: LONG });
    await h.waitForEvent('model.outputAudioStarted');
    await until(() => audioOf(h).length >= 3, 'three audio frames');
    const itemId = audioOf(h)[0]!.itemId;
    h.send({ type: 'client.interrupt', playedMs: 60 });
    h.send({ type: 'client.truncate', itemId: itemId!, audioEndMs: 60 });
    const deliveredAtInterrupt = audioOf(h).length;

    const done = await h.waitForEvent('model.responseDone');
    expect(done).toMatchObject({ status: 'cancelled', reason: 'client_cancelled' });
    // The session reports a client interrupt itself (adapters/events.ts): the adapter echoes nothing.
    expect(h.events.filter((e) => e.type === 'model.interrupted')).toEqual([]);
    expect(fx.inbound('response.cancel')).toHaveLength(1);
    expect(fx.inbound('conversation.item.truncate')).toEqual([
      { type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: 60, event_id: expect.stringMatching(/^vx_truncate_/) },
    ]);
    await until(() => fx.outbound('conversation.item.truncated').length === 1, 'truncated');
    expect(fx.outbound('error')).toHaveLength(0);
    // Audio of the interrupted response that was still in flight is not delivered.
    expect(audioOf(h).length).toBe(deliveredAtInterrupt);
  });

  it('clamps audio_end_ms to what was received, and an interrupt sends no cancel once the response is done', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: { turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'Hi' });
    await h.waitForEvent('model.responseDone');
    const receivedMs = audioOf(h).reduce((n, d) => n + d.audio.length, 0) / 48;
    h.send({ type: 'client.interrupt' });
    h.send({ type: 'client.truncate', itemId: audioOf(h)[0]!.itemId!, audioEndMs: 999_999 });
    await until(() => fx.outbound('conversation.item.truncated').length === 1, 'truncated');
    expect(fx.inbound('conversation.item.truncate')[0]!['audio_end_ms']).toBe(Math.floor(receivedMs));
    expect(fx.inbound('response.cancel')).toHaveLength(0);
    expect(fx.outbound('error')).toHaveLength(0);
    expect(h.events.filter((e) => e.type === 'model.interrupted')).toEqual([]);
  });

  it('server VAD barge-in: speech during a response reports speechStarted and one user interruption', async () => {
    fx = await fixture({ openai: { realtimeFactor: 4 } });
    const h = fx.start(fx.adapter(), { config: { turnDetection: { type: 'server_vad', silenceDurationMs: 80 } } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: LONG });
    await h.waitForEvent('model.outputAudioStarted');
    for (let i = 0; i < 5; i++) h.audio.sendUserAudio(tone(40), 24000);
    await h.waitForEvent('model.speechStarted');
    const cancelled = await h.waitForEvent('model.responseDone');
    expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'turn_detected' });
    expect(h.events.filter((e) => e.type === 'model.interrupted')).toEqual([{ type: 'model.interrupted', source: 'user' }]);
    const types = h.events.map((e) => e.type);
    expect(types.indexOf('model.speechStarted')).toBeLessThan(types.indexOf('model.interrupted'));

    // The user's turn then completes and gets its own answer.
    for (let i = 0; i < 4; i++) h.audio.sendUserAudio(silence(40), 24000);
    await h.waitForEvent('model.speechStopped');
    await h.waitForEvent('model.responseDone', (e) => e.status === 'completed', 5000);
  });
});

describe('openai adapter: config updates', () => {
  it('applies an in-place update (configApplied) without resending an unchanged voice', async () => {
    fx = await fixture();
    const base = { voice: 'marin', turnDetection: { type: 'none' } } as const;
    const h = fx.start(fx.adapter(), { config: base });
    await h.waitForEvent('model.connected');
    update(h, 'r1', { ...base, instructions: 'You are a pirate.', tools: [weatherTool] }, ['instructions', 'tools']);
    await h.waitForEvent('model.configApplied', (e) => e.requestId === 'r1');
    const sent = fx.inbound('session.update')[1]!['session'] as Record<string, any>;
    expect(sent['instructions']).toBe('You are a pirate.');
    expect(sent['tools']).toHaveLength(1);
    expect(sent['audio'].output).not.toHaveProperty('voice');
    h.send({ type: 'client.text', text: 'Ahoy' });
    await h.waitForEvent('model.responseDone');
    expect(fx.outbound('response.output_audio_transcript.done')[0]!['transcript']).toContain('You are a pirate');
  });

  it('reports a refused update as configRejected, matched by event_id', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    update(h, 'bad', { extra: { bogus_field: 1 } }, ['extra']);
    update(h, 'good', { instructions: 'Fine.' }, ['instructions']);
    const rejected = await h.waitForEvent('model.configRejected');
    expect(rejected).toMatchObject({ requestId: 'bad', error: { code: 'update_rejected', providerCode: 'unknown_parameter', param: 'session.bogus_field' } });
    await h.waitForEvent('model.configApplied', (e) => e.requestId === 'good');
    expect(h.events.filter((e) => e.type === 'model.configApplied')).toHaveLength(1);
  });

  it('rejects a voice change after the model has spoken (cannot_update_voice)', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: { voice: 'alloy', turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'Hi' });
    await h.waitForEvent('model.responseDone');
    update(h, 'voice', { voice: 'verse', turnDetection: { type: 'none' } }, ['voice']);
    const rejected = await h.waitForEvent('model.configRejected');
    expect(rejected).toMatchObject({ requestId: 'voice', error: { providerCode: 'cannot_update_voice' } });
  });
});

describe('openai adapter: voice change through a new connection', () => {
  it('replays the conversation as text items before reporting connected{restored:true}', async () => {
    fx = await fixture();
    const adapter = fx.adapter();
    const plane = new AudioPlane();
    const config: SessionConfigInput = { voice: 'alloy', tools: [weatherTool], turnDetection: { type: 'none' } };
    const first = fx.start(adapter, { config, audio: plane, connectionId: 1 });
    await first.waitForEvent('model.connected');
    first.send({ type: 'client.text', text: 'Hello there' });
    await first.waitForEvent('model.responseDone');
    first.send({ type: 'client.text', text: 'Weather in Rome?' });
    const call = await first.waitForEvent('model.functionCall');
    first.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { sky: 'clear' } });
    first.send({ type: 'client.createResponse' });
    await first.waitForEvent('model.responseDone', () => first.events.filter((e) => e.type === 'model.responseDone').length === 3);
    first.stop();

    const second = fx.start(adapter, { config: { ...config, voice: 'verse' }, audio: plane, connectionId: 2, reason: 'mutation' });
    const connected = await second.waitForEvent('model.connected');
    expect(connected.restored).toBe(true);
    const conn2 = Math.max(...fx.emulator.context.log.entries.map((e) => e.connection));
    await until(() => fx.inbound('conversation.item.create', conn2).length === 6, 'replayed items');
    const [sessionUpdate] = fx.inbound('session.update', conn2);
    expect((sessionUpdate!['session'] as any).audio.output.voice).toBe('verse');
    expect(fx.inbound('conversation.item.create', conn2).map((f) => f['item'])).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello there' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'You said: Hello there.' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Rome?' }] },
      { type: 'function_call', call_id: call.callId, name: 'get_weather', arguments: '{"city":"Rome"}' },
      { type: 'function_call_output', call_id: call.callId, output: '{"sky":"clear"}' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Here is what I found: get weather says sky clear.' }] },
    ]);
    expect(fx.outbound('error', conn2)).toHaveLength(0);
    // Nothing is sent for the old connection's sink any more; the new one carries the audio.
    expect(plane.sendUserAudio(silence(20), 24000)).toBe('sent');
    await until(() => fx.inbound('input_audio_buffer.append', conn2).length === 1, 'audio on the new connection');
  });

  it('an initial connection on a fresh session replays nothing', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {}, reason: 'reconnect' });
    const connected = await h.waitForEvent('model.connected');
    expect(connected.restored).toBe(false);
    expect(fx.inbound('conversation.item.create')).toHaveLength(0);
  });
});
