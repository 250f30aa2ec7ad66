/**
 * The session asks the OpenAI adapter about a config before anything is sent (`checkConfig`): an
 * `extra` that contradicts the session is a ConfigValidationError at creation and for an update,
 * naming the field, and a refused update changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { ConfigValidationError, createRealtimeSession } from '../../index.js';
import { TEST_KEY } from './fixture.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('openai: an extra that contradicts the session is refused before it is sent', () => {
  it('at creation: the audio format voxstate streams cannot be replaced through extra', async () => {
    emulator = await startEmulator();
    const model = openaiRealtime({ apiKey: TEST_KEY, url: emulator.openaiUrl });
    let error: unknown;
    try {
      createRealtimeSession({ model, extra: { audio: { output: { format: { type: 'audio/pcmu' } } } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).field).toBe('extra.audio.output.format');
    // Tuning what voxstate does not rely on is fine.
    expect(() => createRealtimeSession({ model, extra: { audio: { input: { noise_reduction: { type: 'near_field' } } } } })).not.toThrow();
  });

  it('for an update: rejected at once, nothing sent, the config unchanged', async () => {
    emulator = await startEmulator();
    const session = createRealtimeSession({ model: openaiRealtime({ apiKey: TEST_KEY, url: emulator.openaiUrl }), instructions: 'x' });
    try {
      await session.connect();
      const updatesBefore = emulator.context.log.frames('in', 'openai').filter((f) => (f as { type?: string }).type === 'session.update').length;
      const error = await session.updateSession({ extra: { output_modalities: ['text'] } }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).field).toBe('extra.output_modalities');
      expect(session.actor.getSnapshot().context.config.extra).toBeUndefined();
      const updatesAfter = emulator.context.log.frames('in', 'openai').filter((f) => (f as { type?: string }).type === 'session.update').length;
      expect(updatesAfter).toBe(updatesBefore);
    } finally {
      await session.close();
    }
  });
});
