/** Core flows of the OpenAI adapter against the emulator over loopback sockets. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AudioOut, TranscriptOut } from '../../adapters/events.js';
import { fixture, silence, TEST_KEY, timeTool, tone, until, weatherTool, type Fixture } from './fixture.js';

let fx: Fixture;
afterEach(async () => {
  await fx?.close();
});

const finalTranscripts = (data: readonly unknown[], role: 'assistant' | 'user') =>
  (data as TranscriptOut[]).filter((d) => d.type === 'transcript' && d.role === role && d.isFinal).map((d) => d.text);

describe('openai adapter: connection and text turns', () => {
  it('connects after session.created with our session.update sent first, then answers a text turn', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: { instructions: 'You are terse.', voice: 'marin' } });
    const connected = await h.waitForEvent('model.connected');
    expect(connected.restored).toBe(false);
    expect(connected.providerSessionId).toMatch(/^sess_/);
    const [update] = fx.inbound('session.update');
    expect(update).toMatchObject({
      session: {
        type: 'realtime',
        instructions: 'You are terse.',
        output_modalities: ['audio'],
        audio: {
          input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'server_vad' } },
          output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
        },
      },
    });

    h.send({ type: 'client.text', text: 'Hello there' });
    const done = await h.waitForEvent('model.responseDone');
    expect(done.status).toBe('completed');
    expect(h.events.filter((e) => e.type === 'model.outputAudioStarted')).toHaveLength(1);
    expect(finalTranscripts(h.data, 'assistant')).toEqual(['You said: Hello there. (You are terse)']);
    await h.waitForEvent('model.usage');
    expect(fx.inbound().map((f) => f['type'])).toEqual(['session.update', 'conversation.item.create', 'response.create']);
  });

  it('sends turn_detection null (not omitted) for manual turns, and system text as a system message without a response', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: { turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    const session = fx.inbound('session.update')[0]!['session'] as { audio: { input: Record<string, unknown> } };
    expect('turn_detection' in session.audio.input).toBe(true);
    expect(session.audio.input['turn_detection']).toBeNull();

    h.send({ type: 'client.text', text: 'Speak French.', role: 'system', respond: false });
    await until(() => fx.inbound('conversation.item.create').length === 1, 'item');
    expect(fx.inbound('conversation.item.create')[0]).toEqual({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Speak French.' }] },
    });
    expect(fx.inbound('response.create')).toHaveLength(0);
  });
});

describe('openai adapter: function calls', () => {
  it('runs a parallel tool turn: two calls, two outputs, one response.create, a spoken answer', async () => {
    fx = await fixture({ openai: { argsChunkChars: 3 } });
    const h = fx.start(fx.adapter(), { config: { tools: [weatherTool, timeTool] } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'What is the weather and the time in Paris?' });
    await h.waitForEvent('model.responseDone');
    const calls = h.events.filter((e) => e.type === 'model.functionCall');
    expect(calls.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
    for (const call of calls) expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
    // The arguments really were streamed in pieces.
    expect(fx.outbound('response.function_call_arguments.delta').length).toBeGreaterThan(4);
    expect(new Set(calls.map((c) => c.callId)).size).toBe(2);

    h.send({ type: 'client.toolOutput', callId: calls[0]!.callId, name: 'get_weather', output: { sky: 'sunny' } });
    h.send({ type: 'client.toolOutput', callId: calls[1]!.callId, name: 'get_time', output: '"10:00"' });
    h.send({ type: 'client.createResponse' });
    await h.waitForEvent('model.responseDone', () => h.events.filter((e) => e.type === 'model.responseDone').length === 2);

    const outputs = fx.inbound('conversation.item.create').slice(1);
    expect(outputs.map((f) => f['item'])).toEqual([
      { type: 'function_call_output', call_id: calls[0]!.callId, output: '{"sky":"sunny"}' },
      { type: 'function_call_output', call_id: calls[1]!.callId, output: '"10:00"' },
    ]);
    expect(fx.inbound('response.create')).toHaveLength(2);
    expect(finalTranscripts(h.data, 'assistant')).toEqual(['Here is what I found: get weather says sky sunny; get time says 10:00.']);
    expect(fx.outbound('error')).toHaveLength(0);
  });
});

describe('openai adapter: audio', () => {
  it('carries user audio byte-identical and in order, and delivers exactly the assistant audio the server sent', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: { turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    const frames = Array.from({ length: 40 }, (_, i) => {
      const pcm = Buffer.alloc(960);
      for (let j = 0; j < 480; j++) pcm.writeInt16LE(((i * 480 + j) % 65536) - 32768, j * 2);
      return pcm;
    });
    for (const pcm of frames) expect(h.audio.sendUserAudio(pcm, 24000)).toBe('sent');
    await until(() => fx.inbound('input_audio_buffer.append').length === frames.length, 'appends');
    const received = Buffer.concat(fx.inbound('input_audio_buffer.append').map((f) => Buffer.from(String(f['audio']), 'base64')));
    expect(received.equals(Buffer.concat(frames))).toBe(true);

    h.send({ type: 'client.commitAudio' });
    h.send({ type: 'client.createResponse' });
    await h.waitForEvent('model.responseDone');
    const sent = Buffer.concat(fx.outbound('response.output_audio.delta').map((f) => Buffer.from(String(f['delta']), 'base64')));
    const delivered = h.data.filter((d): d is AudioOut => d.type === 'audio');
    expect(sent.length).toBeGreaterThan(0);
    expect(Buffer.concat(delivered.map((d) => d.audio)).equals(sent)).toBe(true);
    expect(delivered.every((d) => d.sampleRate === 24000 && d.itemId && d.responseId)).toBe(true);
  });

  it('resamples 16 kHz input to 24 kHz in order, and commits after the resampled audio', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: { turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    // 3 × 20 ms at 16 kHz (640 bytes each) → about 3 × 960 bytes at 24 kHz.
    for (let i = 0; i < 3; i++) h.audio.sendUserAudio(tone(20, 16000), 16000);
    h.send({ type: 'client.commitAudio' });
    await until(() => fx!.inbound('input_audio_buffer.commit').length === 1, 'commit');
    const frames = fx.inbound().map((f) => f['type']);
    expect(frames.lastIndexOf('input_audio_buffer.append')).toBeLessThan(frames.indexOf('input_audio_buffer.commit'));
    const appended = Buffer.concat(fx.inbound('input_audio_buffer.append').map((f) => Buffer.from(String(f['audio']), 'base64')));
    expect(Math.abs(appended.length - 3 * 960)).toBeLessThanOrEqual(64);
    expect(h.events.filter((e) => e.type === 'model.error')).toHaveLength(0);
  });

  it('runs a spoken turn through the emulator VAD with a scripted user transcript', async () => {
    fx = await fixture({ brain: undefined });
    const h = fx.start(fx.adapter(), {
      config: { transcription: { model: 'gpt-4o-mini-transcribe' }, turnDetection: { type: 'server_vad', silenceDurationMs: 100 } },
    });
    await h.waitForEvent('model.connected');
    for (let i = 0; i < 10; i++) h.audio.sendUserAudio(tone(40), 24000);
    for (let i = 0; i < 5; i++) h.audio.sendUserAudio(silence(40), 24000);
    await h.waitForEvent('model.speechStopped');
    await h.waitForEvent('model.responseDone');
    expect(h.events.filter((e) => e.type === 'model.speechStarted')).toHaveLength(1);
    const [userText] = finalTranscripts(h.data, 'user');
    expect(userText).toMatch(/spoken turn 1/);
    expect(finalTranscripts(h.data, 'assistant')[0]).toContain(userText!);
    expect(h.events.some((e) => e.type === 'model.interrupted')).toBe(false);
  });
});

describe('openai adapter: secrets', () => {
  it('never puts the API key in an event, a data event or a frame', async () => {
    fx = await fixture({ openai: { apiKey: TEST_KEY } });
    const h = fx.start(fx.adapter({ apiKey: async () => TEST_KEY }), { config: { tools: [weatherTool] } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'Weather in Oslo?' });
    const call = await h.waitForEvent('model.functionCall');
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { ok: true } });
    h.send({ type: 'client.createResponse' });
    await h.waitForEvent('model.responseDone', () => h.events.filter((e) => e.type === 'model.responseDone').length === 2);
    fx.emulator.openai.inject({ type: 'error', message: `bad key ${TEST_KEY}` });
    const error = await h.waitForEvent('model.error');
    expect(error.error.message).toContain('[redacted]');
    const everything = JSON.stringify([h.events, h.data.filter((d) => d.type !== 'audio'), fx.inbound(), h.input]);
    expect(everything).not.toContain(TEST_KEY);
    expect(everything).not.toContain('0123456789abcdef');
  });
});
