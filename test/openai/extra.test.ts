/** `extra` on OpenAI: merged deeply into the session object, and refused when it contradicts the config. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseSessionConfig } from '../../config.js';
import { fixture, timeTool, weatherTool, type Fixture } from './fixture.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('openai adapter: extra merges deeply', () => {
  it('GA: extra.audio.input.noise_reduction keeps format, turn detection and voice; extra tools are appended', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), {
      config: {
        voice: 'marin',
        tools: [weatherTool],
        turnDetection: { type: 'server_vad', silenceDurationMs: 350 },
        extra: { audio: { input: { noise_reduction: { type: 'near_field' } } }, tools: [{ type: 'function', ...timeTool }] },
      },
    });
    await h.waitForEvent('model.connected');
    const session = fx.inbound('session.update')[0]!['session'] as Record<string, any>;
    expect(session['audio']).toEqual({
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        turn_detection: { type: 'server_vad', silence_duration_ms: 350, create_response: true, interrupt_response: true },
        noise_reduction: { type: 'near_field' },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
    });
    expect(session['tools'].map((t: { name: string }) => t.name)).toEqual(['get_weather', 'get_time']);
  });

  it('beta: extra.turn_detection tunes the configured detection without dropping its other fields', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter({ protocol: 'beta' }), {
      config: { voice: 'verse', turnDetection: { type: 'server_vad', silenceDurationMs: 350 }, extra: { turn_detection: { threshold: 0.7 } } },
    });
    await h.waitForEvent('model.connected');
    const session = fx.inbound('session.update')[0]!['session'] as Record<string, any>;
    expect(session).toMatchObject({
      voice: 'verse',
      input_audio_format: 'pcm16',
      turn_detection: { type: 'server_vad', silence_duration_ms: 350, threshold: 0.7, create_response: true },
    });
  });
});

describe('openai adapter: extra that contradicts the session config', () => {
  it('an extra output format other than PCM16 24 kHz fails the connection with invalid_config naming the field, before anything is sent', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: { extra: { audio: { output: { format: { type: 'audio/pcmu' } } } } } });
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error).toMatchObject({ code: 'invalid_config', param: 'extra.audio.output.format' });
    expect(failed.error.message).toContain('extra.audio.output.format');
    expect(fx.emulator.openai.connections()).toEqual([]);
    expect(fx.inbound()).toEqual([]);
  });

  it('extra turning server VAD on while the session detects turns manually is refused (beta too)', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter({ protocol: 'beta' }), {
      config: { turnDetection: { type: 'none' }, extra: { turn_detection: { type: 'server_vad' } } },
    });
    expect((await h.waitForEvent('model.connectFailed')).error).toMatchObject({ code: 'invalid_config', param: 'extra.turn_detection' });
  });

  it('an update whose extra switches the output modality is rejected with invalid_config; the session keeps its config', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: {} });
    await h.waitForEvent('model.connected');
    h.send({
      type: 'client.updateConfig',
      requestId: 'u1',
      config: parseSessionConfig({ extra: { output_modalities: ['text'] } }),
      changed: ['extra'],
    });
    const rejected = await h.waitForEvent('model.configRejected');
    expect(rejected).toMatchObject({ requestId: 'u1', error: { code: 'invalid_config', param: 'extra.output_modalities' } });
    expect(fx.inbound('session.update')).toHaveLength(1);
    h.send({ type: 'client.text', text: 'Still speaking?' });
    expect((await h.waitForEvent('model.responseDone')).status).toBe('completed');
    expect(h.events.some((e) => e.type === 'model.outputAudioStarted')).toBe(true);
  });
});
