/**
 * Gemini model profiles through the public API against the emulator: the typed options reach the
 * exact setup fields (type-checked against `@google/genai` in map.ts), an option the model does not
 * take on its platform is a ConfigValidationError naming the model, a field Gemini 3.8 refuses is
 * never sent (typed or through `extra`), and the default model is `gemini-3.8-live`.
 */
import { describe, expect, it } from 'vitest';
import { GEMINI_DEFAULT_MODEL, GEMINI_PROFILES, geminiLive, type GeminiLiveOptions } from '../../adapters/gemini/index.js';
import { resolveProfile } from '../../adapters/profile.js';
import { ConfigValidationError, createRealtimeSession, silentLogger, type RealtimeSessionOptions } from '../../index.js';
import { API_KEY, adapterFor, clientFrames, useGeminiFixture } from './fixture.js';
import type { Emulator } from '../../emulator/index.js';
import { refusal } from '../adapters/config-refusal.js';

const fx = useGeminiFixture();
type Json = Record<string, any>;
const weatherTool = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
const TOKEN = 'ya29.vertex-token-for-tests-0123456789';


/** Connects a session with these adapter options and returns the setup the emulator received. */
async function setupSent(emu: Emulator, options: Partial<GeminiLiveOptions>, config: Partial<RealtimeSessionOptions> = {}): Promise<Json> {
  const session = createRealtimeSession({ model: adapterFor(emu, options), logger: silentLogger, ...config });
  try {
    await session.connect();
    return (clientFrames(emu, 'setup').at(-1) as Json)['setup'];
  } finally {
    await session.close();
  }
}

function vertex(emu: Emulator, model: string, options: Partial<GeminiLiveOptions> = {}): Partial<GeminiLiveOptions> {
  const url = `${emu.baseUrl}/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent`;
  return { apiKey: undefined, url, model, vertex: { project: 'proj', location: 'us', accessToken: () => TOKEN }, ...options };
}

describe('gemini profiles: typed options on the wire', () => {
  it('2.5 native audio takes every option: sensitivity, language, proactivity, affective dialog, thinking, built-in tools', async () => {
    const emu = await fx.emulator({ gemini: { apiKey: TOKEN } });
    const setup = await setupSent(
      emu,
      vertex(emu, 'gemini-live-2.5-flash-native-audio', {
        vadSensitivity: { start: 'low', end: 'high' },
        languageCode: 'de-DE',
        proactiveAudio: true,
        affectiveDialog: true,
        thinking: { budget: 512, includeThoughts: false },
        googleSearch: true,
        codeExecution: true,
      }),
      { voice: 'Puck', tools: [weatherTool] },
    );
    expect(setup['realtimeInputConfig'].automaticActivityDetection).toEqual({
      startOfSpeechSensitivity: 'START_SENSITIVITY_LOW',
      endOfSpeechSensitivity: 'END_SENSITIVITY_HIGH',
      silenceDurationMs: 500,
    });
    expect(setup['generationConfig'].speechConfig).toEqual({ voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } }, languageCode: 'de-DE' });
    expect(setup['proactivity']).toEqual({ proactiveAudio: true });
    expect(setup['generationConfig'].enableAffectiveDialog).toBe(true);
    expect(setup['generationConfig'].thinkingConfig).toEqual({ thinkingBudget: 512, includeThoughts: false });
    expect(setup['tools']).toEqual([
      { functionDeclarations: [expect.objectContaining({ name: 'get_weather' })] },
      { googleSearch: {} },
      { codeExecution: {} },
    ]);
  });

  it('the default is gemini-3.8-live; Google Search rides beside function tools; thinking levels go upper-case', async () => {
    const emu = await fx.emulator();
    expect(GEMINI_DEFAULT_MODEL).toBe('gemini-3.8-live');
    const setup = await setupSent(emu, { googleSearch: true, codeExecution: false }, { turnDetection: { type: 'semantic_vad' } });
    expect(setup['model']).toBe('models/gemini-3.8-live');
    expect(setup['tools']).toEqual([{ googleSearch: {} }]);
    const thinking = await setupSent(emu, { model: 'gemini-3.8-live-extended-thinking', thinking: { level: 'low' }, vadSensitivity: { start: 'high' } }, { turnDetection: { type: 'semantic_vad' } });
    expect(thinking['generationConfig'].thinkingConfig).toEqual({ thinkingLevel: 'LOW' });
    expect(thinking['realtimeInputConfig']).toEqual({ automaticActivityDetection: { startOfSpeechSensitivity: 'START_SENSITIVITY_HIGH' } });
  });

  it('3.8 on the Gemini API: proactive audio is always on, so proactiveAudio: true is accepted and not sent', async () => {
    const emu = await fx.emulator();
    const setup = await setupSent(emu, { model: 'gemini-3.8-live', proactiveAudio: true, affectiveDialog: false, languageCode: 'en-US' });
    expect(setup['generationConfig'].speechConfig).toEqual({ languageCode: 'en-US' });
    expect(setup['proactivity']).toBeUndefined();
    expect(setup['generationConfig'].enableAffectiveDialog).toBeUndefined();
  });
});

describe('gemini profiles: what 3.8 refuses is a config error naming the model, never a frame', () => {
  const cases: Array<[string, Partial<GeminiLiveOptions>, string]> = [
    ['proactiveAudio: false', { proactiveAudio: false }, 'proactiveAudio'],
    ['affective dialog', { affectiveDialog: true }, 'affectiveDialog'],
    ['thinking', { thinking: { level: 'high' } }, 'thinking'],
    ['code execution', { codeExecution: true }, 'codeExecution'],
  ];
  for (const [what, options, field] of cases) {
    it(`${what} on gemini-3.8-live (Gemini API)`, async () => {
      const emu = await fx.emulator();
      const error = refusal(() => createRealtimeSession({ model: adapterFor(emu, { model: 'gemini-3.8-live', ...options }), logger: silentLogger }));
      expect(error.field).toBe(field);
      expect(error.message).toContain('gemini-3.8-live (Gemini API)');
      expect(clientFrames(emu)).toEqual([]);
    });
  }

  it('the same fields through extra are refused too, at creation and for an update, with nothing sent', async () => {
    const emu = await fx.emulator();
    const model = adapterFor(emu);
    const error = refusal(() => createRealtimeSession({ model, logger: silentLogger, extra: { generationConfig: { enableAffectiveDialog: false } } }));
    expect(error.field).toBe('extra.generationConfig.enableAffectiveDialog');
    expect(error.message).toContain('gemini-3.8-live');
    const session = createRealtimeSession({ model, logger: silentLogger });
    try {
      await session.connect();
      const update = await session.updateSession({ extra: { proactivity: { proactiveAudio: false } } }).then(() => undefined, (e: unknown) => e);
      expect(update).toBeInstanceOf(ConfigValidationError);
      expect((update as ConfigValidationError).field).toBe('extra.proactivity.proactiveAudio');
      expect(clientFrames(emu, 'setup')).toHaveLength(1);
    } finally {
      await session.close();
    }
  });

  it('on Vertex the same model takes proactive audio and affective dialog (on by default there)', async () => {
    const emu = await fx.emulator({ gemini: { apiKey: TOKEN } });
    const setup = await setupSent(emu, vertex(emu, 'gemini-3.8-live', { proactiveAudio: false, affectiveDialog: true }));
    expect(setup['proactivity']).toEqual({ proactiveAudio: false });
    expect(setup['generationConfig'].enableAffectiveDialog).toBe(true);
  });

  it('options that contradict the session: sensitivity with manual turns, a spoken language with text output', async () => {
    const emu = await fx.emulator();
    const model = adapterFor(emu, { vadSensitivity: { start: 'low' }, languageCode: 'fr-FR' });
    expect(refusal(() => createRealtimeSession({ model, logger: silentLogger, turnDetection: { type: 'none' } })).field).toBe('vadSensitivity');
    expect(refusal(() => createRealtimeSession({ model, logger: silentLogger, outputModality: 'text' })).field).toBe('languageCode');
  });

  it('thinking.level on a 2.5 model is refused (2.5 takes a budget), typed and through extra, at creation and for an update', async () => {
    const vertexEmu = await fx.emulator({ gemini: { apiKey: TOKEN } });
    const typed = refusal(() => createRealtimeSession({ model: adapterFor(vertexEmu, vertex(vertexEmu, 'gemini-live-2.5-flash-native-audio', { thinking: { level: 'low' } })), logger: silentLogger }));
    const emu = await fx.emulator();
    expect(typed.field).toBe('thinking.level');
    expect(typed.message).toContain('gemini-live-2.5-flash-native-audio (Vertex AI)');
    const api25 = 'gemini-2.5-flash-native-audio-preview-12-2025';
    expect(refusal(() => createRealtimeSession({ model: adapterFor(emu, { model: api25, thinking: { level: 'high', budget: 10 } }), logger: silentLogger })).field).toBe('thinking.level');
    const viaExtra = refusal(() => createRealtimeSession({ model: adapterFor(emu, { model: api25 }), logger: silentLogger, extra: { generationConfig: { thinkingConfig: { thinkingLevel: 'LOW' } } } }));
    expect(viaExtra.field).toBe('extra.generationConfig.thinkingConfig.thinkingLevel');
    expect(viaExtra.message).toContain(api25);
    const session = createRealtimeSession({ model: adapterFor(emu, { model: api25, thinking: { budget: 256 } }), logger: silentLogger });
    try {
      await session.connect();
      const update = await session.updateSession({ extra: { generationConfig: { thinkingConfig: { thinkingLevel: 'HIGH' } } } }).then(() => undefined, (e: unknown) => e);
      expect(update).toBeInstanceOf(ConfigValidationError);
      expect((update as ConfigValidationError).field).toBe('extra.generationConfig.thinkingConfig.thinkingLevel');
      expect(clientFrames(emu, 'setup')).toHaveLength(1);
    } finally {
      await session.close();
    }
  });

  it("googleSearch with toolChoice 'none' is a config error (the Live setup has no tool config), at creation and for an update", async () => {
    const emu = await fx.emulator();
    const model = adapterFor(emu, { googleSearch: true });
    const error = refusal(() => createRealtimeSession({ model, logger: silentLogger, toolChoice: 'none' }));
    expect(error.field).toBe('googleSearch');
    expect(error.message).toContain('gemini-3.8-live');
    const session = createRealtimeSession({ model, logger: silentLogger });
    try {
      await session.connect();
      const update = await session.updateSession({ toolChoice: 'none' }).then(() => undefined, (e: unknown) => e);
      expect(update).toBeInstanceOf(ConfigValidationError);
      expect((update as ConfigValidationError).field).toBe('googleSearch');
      expect(clientFrames(emu, 'setup')).toHaveLength(1);
    } finally {
      await session.close();
    }
  });

  it('unknown ids (tuned models, new releases) take every option and the server decides', () => {
    expect(resolveProfile(GEMINI_PROFILES.geminiApi, 'gemini-9-live').options).toContain('affectiveDialog');
    const model = geminiLive({ apiKey: API_KEY, model: 'gemini-9-live', affectiveDialog: true, codeExecution: true });
    expect(() => createRealtimeSession({ model, logger: silentLogger })).not.toThrow();
  });
});
