/**
 * OpenAI model profiles through the public API against the emulator: the typed options reach the
 * exact session fields, an option the model does not take is a ConfigValidationError naming the
 * model (at creation and for an update), the default is a current model, a deprecated model logs
 * its shutdown date once, and the idle timeout's server event becomes `model.inputTimeout`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OPENAI_PROFILES, openaiRealtime } from '../../adapters/openai/index.js';
import { resolveProfile } from '../../adapters/profile.js';
import { ConfigValidationError, createRealtimeSession, type Logger } from '../../index.js';
import { fixture, TEST_KEY, type Fixture } from './fixture.js';
import { refusal } from '../adapters/config-refusal.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});


function recordingLogger(): Logger & { warnings: Array<{ fields: unknown; msg: string | undefined }> } {
  const warnings: Array<{ fields: unknown; msg: string | undefined }> = [];
  const noop = () => {};
  return { warnings, debug: noop, info: noop, error: noop, warn: (fields, msg) => warnings.push({ fields, msg }) };
}

describe('openai profiles: typed options on the wire', () => {
  it('sends reasoning.effort, noise_reduction, idle_timeout_ms and speed in the first session.update', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter({ reasoningEffort: 'low', noiseReduction: 'far_field', idleTimeoutMs: 8000, speed: 1.2 }));
    await h.waitForEvent('model.connected');
    const session = fx.inbound('session.update')[0]!['session'] as Record<string, any>;
    expect(session['reasoning']).toEqual({ effort: 'low' });
    expect(session['audio'].input.noise_reduction).toEqual({ type: 'far_field' });
    expect(session['audio'].input.turn_detection.idle_timeout_ms).toBe(8000);
    expect(session['audio'].output.speed).toBe(1.2);
  });

  it('beta: noise reduction and speed go to the flat beta fields', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter({ protocol: 'beta', noiseReduction: 'near_field', speed: 0.8 }));
    await h.waitForEvent('model.connected');
    const session = fx.inbound('session.update')[0]!['session'] as Record<string, unknown>;
    expect(session['input_audio_noise_reduction']).toEqual({ type: 'near_field' });
    expect(session['speed']).toBe(0.8);
  });

  it('reports input_audio_buffer.timeout_triggered as model.inputTimeout', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter({ idleTimeoutMs: 5000 }));
    await h.waitForEvent('model.connected');
    fx.emulator.openai.inject({
      type: 'frame',
      frame: { type: 'input_audio_buffer.timeout_triggered', audio_start_ms: 1200, audio_end_ms: 6200, item_id: 'item_idle' },
    });
    const event = await h.waitForEvent('model.inputTimeout');
    expect(event).toEqual({ type: 'model.inputTimeout', audioStartMs: 1200, audioEndMs: 6200, itemId: 'item_idle' });
  });
});

describe('openai: the idle timeout through the public API', () => {
  it('is the facade event input_timeout with its fields; the session only reports it (nothing is sent for it)', async () => {
    fx = await fixture();
    const session = createRealtimeSession({ model: fx.adapter({ idleTimeoutMs: 5000 }), logger: recordingLogger() });
    try {
      await session.connect();
      const timeout = new Promise((resolve) => session.on('input_timeout', resolve));
      fx.emulator.openai.inject({
        type: 'frame',
        frame: { type: 'input_audio_buffer.timeout_triggered', audio_start_ms: 1200, audio_end_ms: 6200, item_id: 'item_idle' },
      });
      expect(await timeout).toEqual({ type: 'input_timeout', audioStartMs: 1200, audioEndMs: 6200, itemId: 'item_idle' });
      // Nothing but a report: the turn stays idle, nothing is sent for it.
      expect(session.actor.getSnapshot().matches({ link: { connected: { turn: 'idle' } } })).toBe(true);
      expect(fx.inbound('response.create')).toHaveLength(0);
    } finally {
      await session.close();
    }
  });
});

describe('openai profiles: unsupported options are config errors naming the model', () => {
  it('reasoningEffort on a non-reasoning model, at creation', async () => {
    fx = await fixture();
    const model = fx.adapter({ model: 'gpt-realtime-1.5', reasoningEffort: 'high' });
    const error = refusal(() => createRealtimeSession({ model }));
    expect(error.field).toBe('reasoningEffort');
    expect(error.message).toContain('gpt-realtime-1.5');
    // The same option on a reasoning model is fine.
    expect(() => createRealtimeSession({ model: fx!.adapter({ model: 'gpt-realtime-2', reasoningEffort: 'high' }) })).not.toThrow();
  });

  it('idleTimeoutMs on the beta protocol, and out-of-range values', async () => {
    fx = await fixture();
    expect(refusal(() => createRealtimeSession({ model: fx!.adapter({ protocol: 'beta', idleTimeoutMs: 5000 }) })).message).toContain('beta');
    expect(refusal(() => createRealtimeSession({ model: fx!.adapter({ speed: 3 }) })).field).toBe('speed');
    expect(refusal(() => createRealtimeSession({ model: fx!.adapter({ idleTimeoutMs: -1 }) })).field).toBe('idleTimeoutMs');
    // The GA schema bounds idle_timeout_ms to 5000..30000.
    expect(refusal(() => createRealtimeSession({ model: fx!.adapter({ idleTimeoutMs: 4_999 }) })).field).toBe('idleTimeoutMs');
    expect(refusal(() => createRealtimeSession({ model: fx!.adapter({ idleTimeoutMs: 30_001 }) })).field).toBe('idleTimeoutMs');
    expect(() => createRealtimeSession({ model: fx!.adapter({ idleTimeoutMs: 30_000 }) })).not.toThrow();
  });

  it('the non-reasoning models the openai package lists refuse reasoningEffort', async () => {
    fx = await fixture();
    for (const model of ['gpt-4o-realtime-preview', 'gpt-4o-mini-realtime-preview', 'gpt-realtime-mini-2025-10-06', 'gpt-audio-1.5']) {
      expect(refusal(() => createRealtimeSession({ model: fx!.adapter({ model, reasoningEffort: 'low' }) })).field).toBe('reasoningEffort');
    }
  });

  it('extra.reasoning on a non-reasoning model is refused like reasoningEffort, at creation and for an update', async () => {
    fx = await fixture();
    const error = refusal(() => createRealtimeSession({ model: fx!.adapter({ model: 'gpt-realtime-1.5' }), extra: { reasoning: { effort: 'high' } } }));
    expect(error.field).toBe('extra.reasoning');
    expect(error.message).toContain('gpt-realtime-1.5');
    expect(() => createRealtimeSession({ model: fx!.adapter({ model: 'gpt-realtime-2' }), extra: { reasoning: { effort: 'high' } } })).not.toThrow();
    const session = createRealtimeSession({ model: fx.adapter({ model: 'gpt-audio-1.5' }), logger: recordingLogger() });
    try {
      await session.connect();
      const before = fx.inbound('session.update').length;
      const update = await session.updateSession({ extra: { reasoning: { effort: 'low' } } }).then(() => undefined, (e: unknown) => e);
      expect(update).toBeInstanceOf(ConfigValidationError);
      expect((update as ConfigValidationError).field).toBe('extra.reasoning');
      expect((update as ConfigValidationError).message).toContain('gpt-audio-1.5');
      expect(fx.inbound('session.update')).toHaveLength(before);
    } finally {
      await session.close();
    }
  });

  it('idleTimeoutMs needs server_vad: a turn detection update that drops it is refused, nothing sent', async () => {
    fx = await fixture();
    const session = createRealtimeSession({ model: fx.adapter({ idleTimeoutMs: 5000 }), logger: recordingLogger() });
    try {
      await session.connect();
      const before = fx.inbound('session.update').length;
      const error = await session.updateSession({ turnDetection: { type: 'semantic_vad' } }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).field).toBe('idleTimeoutMs');
      expect(fx.inbound('session.update')).toHaveLength(before);
      expect(session.actor.getSnapshot().context.config.turnDetection.type).toBe('server_vad');
    } finally {
      await session.close();
    }
  });
});

describe('openai profiles: current default, deprecated models', () => {
  it('defaults to gpt-realtime-2.1 and logs no deprecation for it', async () => {
    fx = await fixture();
    const logger = recordingLogger();
    const model = openaiRealtime({ apiKey: TEST_KEY, url: fx.emulator.openaiUrl });
    expect(model.model).toBe('gpt-realtime-2.1');
    createRealtimeSession({ model, logger });
    expect(logger.warnings).toEqual([]);
  });

  it('a deprecated model logs profile.deprecated with its shutdown date once, at creation, and still connects', async () => {
    fx = await fixture();
    const logger = recordingLogger();
    const session = createRealtimeSession({ model: fx.adapter({ model: 'gpt-realtime-mini' }), logger });
    try {
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]!.fields).toMatchObject({
        event: 'profile.deprecated',
        provider: 'openai',
        model: 'gpt-realtime-mini',
        shutdown: '2027-01-20',
        replacement: 'gpt-realtime-2.1-mini',
      });
      expect(logger.warnings[0]!.msg).toContain('2027-01-20');
      await session.connect();
      expect(logger.warnings).toHaveLength(1);
    } finally {
      await session.close();
    }
  });

  it('every deprecated id in the table shuts down on 2027-01-20; unknown ids (Azure deployments) take every option', () => {
    const deprecated = Object.entries(OPENAI_PROFILES.ga.models).filter(([, p]) => p.deprecated);
    expect(deprecated.map(([id]) => id).sort()).toEqual(
      ['gpt-audio-mini', 'gpt-audio-mini-2025-12-15', 'gpt-realtime', 'gpt-realtime-2025-08-28', 'gpt-realtime-mini', 'gpt-realtime-mini-2025-12-15'],
    );
    expect(deprecated.every(([, p]) => p.deprecated!.shutdown === '2027-01-20')).toBe(true);
    expect(resolveProfile(OPENAI_PROFILES.ga, 'my-azure-deployment').options).toContain('reasoningEffort');
  });
});
