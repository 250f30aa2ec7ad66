/**
 * What the adapter puts in `setup`: `extra` merged deeply (issue 11, item 3), contradictions with
 * the session refused as config errors, and every FunctionDeclaration carrying a description
 * (item 6). Through the adapter and the session, against the emulator over loopback.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigValidationError, createRealtimeSession, defineTool } from '../../index.js';
import { record } from '../session/event-log.js';
import { adapterFor, clientFrames, tone, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
type Json = Record<string, any>;
const weatherTool = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
const setupOf = (emu: Parameters<typeof clientFrames>[0]): Json => (clientFrames(emu, 'setup')[0] as Json)['setup'];

describe('gemini setup: extra merges deeply', () => {
  it('extra.tools are appended to the function declarations, not put in their place', async () => {
    const emu = await fx.emulator();
    const h = fx.start(emu, { config: { tools: [weatherTool], extra: { tools: [{ googleSearch: {} }] } } });
    await h.waitForEvent('model.connected');
    const tools = setupOf(emu)['tools'];
    expect(tools).toHaveLength(2);
    expect(tools[0].functionDeclarations.map((d: Json) => d['name'])).toEqual(['get_weather']);
    expect(tools[1]).toEqual({ googleSearch: {} });
  });

  it('a nested extra adds to realtimeInputConfig without dropping disabled:true in manual mode', async () => {
    const emu = await fx.emulator();
    const h = fx.start(emu, {
      config: { turnDetection: { type: 'none' }, extra: { realtimeInputConfig: { turnCoverage: 'TURN_INCLUDES_ALL_INPUT', automaticActivityDetection: { prefixPaddingMs: 20 } } } },
    });
    await h.waitForEvent('model.connected');
    expect(setupOf(emu)['realtimeInputConfig']).toEqual({ automaticActivityDetection: { disabled: true, prefixPaddingMs: 20 }, turnCoverage: 'TURN_INCLUDES_ALL_INPUT' });
    // Manual activity works on that connection: the emulator would close with 1007 otherwise.
    // User audio opens a manual activity (activityStart), a commit ends it (activityEnd).
    h.audio.sendUserAudio(tone(100, 16000), 16000);
    h.send({ type: 'client.commitAudio' });
    await h.waitForEvent('model.responseDone');
    expect(h.events.some((e) => e.type === 'model.closed')).toBe(false);
  });

  it('extra.generationConfig keeps the modality and voice it does not name', async () => {
    const emu = await fx.emulator();
    const h = fx.start(emu, { config: { voice: 'Puck', extra: { generationConfig: { speechConfig: { languageCode: 'de-DE' } } } } });
    await h.waitForEvent('model.connected');
    expect(setupOf(emu)['generationConfig']).toEqual({
      responseModalities: ['AUDIO'],
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } }, languageCode: 'de-DE' },
    });
  });
});

describe('gemini setup: a merged setup that contradicts the session is a config error', () => {
  const conflicts = [
    { what: 'manual activity with automatic detection switched back on', turnDetection: { type: 'none' as const }, disabled: false },
    { what: 'automatic turn detection with detection disabled', turnDetection: { type: 'server_vad' as const }, disabled: true },
  ];
  for (const c of conflicts) {
    it(`${c.what}: connectFailed invalid_config naming the field, nothing sent`, async () => {
      const emu = await fx.emulator();
      const h = fx.start(emu, { config: { turnDetection: c.turnDetection, extra: { realtimeInputConfig: { automaticActivityDetection: { disabled: c.disabled } } } } });
      const failed = await h.waitForEvent('model.connectFailed');
      expect(failed.error.code).toBe('invalid_config');
      expect(failed.error.param).toBe('extra.realtimeInputConfig.automaticActivityDetection.disabled');
      expect(failed.error.message).toContain('extra.realtimeInputConfig.automaticActivityDetection.disabled');
      expect(clientFrames(emu)).toHaveLength(0);
    });
  }

  it('extra.generationConfig.responseModalities that flips outputModality: connectFailed invalid_config naming the field, nothing sent', async () => {
    const emu = await fx.emulator();
    const h = fx.start(emu, { config: { outputModality: 'audio', extra: { generationConfig: { responseModalities: ['TEXT'] } } } });
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error).toMatchObject({ code: 'invalid_config', param: 'extra.generationConfig.responseModalities' });
    expect(clientFrames(emu)).toHaveLength(0);
  });

  it('createRealtimeSession throws the typed error naming the field (the adapter is asked before anything is sent)', async () => {
    const emu = await fx.emulator();
    const create = () =>
      createRealtimeSession({
        model: adapterFor(emu),
        turnDetection: { type: 'none' },
        extra: { realtimeInputConfig: { automaticActivityDetection: { disabled: false } } },
      });
    expect(create).toThrow(ConfigValidationError);
    try {
      create();
    } catch (error) {
      expect((error as ConfigValidationError).code).toBe('invalid_config');
      expect((error as ConfigValidationError).field).toBe('extra.realtimeInputConfig.automaticActivityDetection.disabled');
    }
    expect(clientFrames(emu, 'setup')).toHaveLength(0);
  });

  it('an update that introduces the contradiction is refused at once, naming the field, and changes nothing', async () => {
    const emu = await fx.emulator();
    const session = createRealtimeSession({ model: adapterFor(emu), turnDetection: { type: 'none' } });
    try {
      await session.connect();
      const error = await session
        .updateSession({ extra: { realtimeInputConfig: { automaticActivityDetection: { disabled: false } } } })
        .then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).field).toBe('extra.realtimeInputConfig.automaticActivityDetection.disabled');
      expect(session.actor.getSnapshot().context.config.extra).toBeUndefined();
      // Still on the first connection, and no setup with the contradiction ever reached the wire.
      const setups = clientFrames(emu, 'setup').map((f) => (f as Json)['setup']);
      expect(setups).toHaveLength(1);
      expect(setups[0].realtimeInputConfig.automaticActivityDetection.disabled).toBe(true);
    } finally {
      await session.close();
    }
  });
});

describe('gemini setup: FunctionDeclaration.description is always sent', () => {
  it('a tool defined without a description is declared with its name as the description', async () => {
    const emu = await fx.emulator();
    const lookup = defineTool({ name: 'lookup_order', parameters: z.object({ id: z.string() }), execute: async () => ({}) });
    const session = createRealtimeSession({ model: adapterFor(emu), tools: [lookup, defineTool({ name: 'ping', description: '  ', parameters: z.object({}), execute: async () => 'pong' })] });
    try {
      await session.connect();
      const declarations = setupOf(emu)['tools'][0].functionDeclarations as Json[];
      expect(declarations.map((d) => [d['name'], d['description']])).toEqual([
        ['lookup_order', 'lookup_order'],
        ['ping', 'ping'],
      ]);
    } finally {
      await session.close();
    }
  });
});
