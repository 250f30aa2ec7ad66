/**
 * The options schema splits one options object by who uses it: the machine's `SessionOptions`
 * reach the actor input, the facade's settings and wiring never reach the config, and the rest is
 * the session config. A facade setting is checked before the config, as it always was.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigValidationError, createRealtimeSession, createSessionLogic, silentLogger, type RealtimeSession } from '../../index.js';
import { createScriptedModel } from '../../testing.js';

const model = () => createScriptedModel({ responses: [] });

function thrownBy(create: () => unknown): ConfigValidationError {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return error as ConfigValidationError;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('session options', () => {
  it('machine options reach the input, facade settings stay out of the config', () => {
    const { input } = createSessionLogic({
      model: model(),
      instructions: 'Be brief.',
      autoConnect: true,
      maxConcurrentTools: 0,
      autoReconnect: false,
      inputSampleRate: 16_000,
      maxBufferedAudioMs: 100,
      logger: silentLogger,
    });
    expect(input.options).toEqual({ autoConnect: true, maxConcurrentTools: 0, autoReconnect: false });
    expect(input.config.instructions).toBe('Be brief.');
    expect(Object.keys(input.config)).not.toContain('inputSampleRate');
    expect(Object.keys(input.config)).not.toContain('maxBufferedAudioMs');
    expect(Object.keys(input.config)).not.toContain('autoConnect');
    expect(Object.keys(input.config)).not.toContain('logger');
  });

  it('no machine options: an empty object, so every machine default applies', () => {
    expect(createSessionLogic({ model: model() }).input.options).toEqual({});
  });

  it('something that is not an options object is reported as the missing model', () => {
    for (const options of [undefined, null, 'openai', 42]) {
      expect(thrownBy(() => createRealtimeSession(options as never)).field).toBe('model');
    }
  });

  it('a bad facade setting is named before a bad config field', () => {
    const error = thrownBy(() => createRealtimeSession({ model: model(), temperature: 9, maxBufferedAudioMs: -1 }));
    expect(error.field).toBe('maxBufferedAudioMs');
    expect(thrownBy(() => createRealtimeSession({ model: model(), temperature: 9 })).field).toBe('temperature');
  });

  it('createRealtimeSession returns the named RealtimeSession interface', () => {
    expectTypeOf(createRealtimeSession).returns.toEqualTypeOf<RealtimeSession>();
  });
});
