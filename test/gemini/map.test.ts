import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LiveClientMessage } from '@google/genai';
import { parseSessionConfig } from '../../config.js';
import {
  clientTextMessage,
  contextUpdateMessage,
  modelPath,
  toOpenApiSchema,
  toolResponseMessage,
  toolResponseValue,
  toSetup,
} from '../../adapters/gemini/map.js';
import { durationMs } from '../../adapters/gemini/wire.js';
import { GEMINI_CAPABILITIES, geminiCapabilities } from '../../adapters/gemini/capabilities.js';
import { capabilitiesFor } from '../../adapters/adapter.js';

const weather = z.object({ city: z.string().describe('City name'), unit: z.enum(['c', 'f']).optional(), days: z.number().int().nullable() });
const config = parseSessionConfig({
  instructions: 'You are terse.',
  voice: 'Puck',
  temperature: 0.4,
  maxOutputTokens: 512,
  tools: [{ name: 'get_weather', description: 'Weather', parameters: z.toJSONSchema(weather, { io: 'input' }) as Record<string, unknown> }],
});
const base = { model: 'gemini-live-2.5-flash-preview', schemaDialect: 'openapi' as const, contextWindowCompression: true, resumptionHandle: undefined };

describe('gemini setup mapping', () => {
  it('maps the canonical config to a setup message', () => {
    const { setup } = toSetup(config, base);
    expect(setup.model).toBe('models/gemini-live-2.5-flash-preview');
    expect(setup.generationConfig).toEqual({
      responseModalities: ['AUDIO'],
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } } },
      temperature: 0.4,
      maxOutputTokens: 512,
    });
    expect(setup.systemInstruction).toEqual({ parts: [{ text: 'You are terse.' }] });
    expect(setup.sessionResumption).toEqual({});
    expect(setup.contextWindowCompression).toEqual({ slidingWindow: {} });
    expect(setup.outputAudioTranscription).toEqual({});
    expect(setup.inputAudioTranscription).toBeUndefined();
    expect(setup.realtimeInputConfig).toEqual({ automaticActivityDetection: { silenceDurationMs: 500 } });
  });

  it('converts JSON Schema tools to the OpenAPI subset by default', () => {
    const { setup } = toSetup(config, base);
    expect(setup.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather',
            behavior: 'BLOCKING',
            parameters: {
              type: 'OBJECT',
              properties: {
                city: { type: 'STRING', description: 'City name' },
                unit: { type: 'STRING', enum: ['c', 'f'] },
                days: { type: 'INTEGER', nullable: true, minimum: expect.any(Number), maximum: expect.any(Number) },
              },
              required: ['city', 'days'],
            },
          },
        ],
      },
    ]);
  });

  it('passes JSON Schema through with the jsonSchema dialect, without $schema', () => {
    const { setup } = toSetup(config, { ...base, schemaDialect: 'jsonSchema' });
    const decl = (setup.tools as Array<{ functionDeclarations: Array<Record<string, unknown>> }>)[0]!.functionDeclarations[0]!;
    expect(decl['parameters']).toBeUndefined();
    expect(decl['parametersJsonSchema']).toMatchObject({ type: 'object', required: ['city', 'days'] });
    expect(decl['parametersJsonSchema']).not.toHaveProperty('$schema');
  });

  it('inlines $refs and drops keywords the subset lacks', () => {
    const out = toOpenApiSchema(
      { $schema: 'x', type: 'object', additionalProperties: false, properties: { a: { $ref: '#/$defs/A' }, b: { const: 3 } }, $defs: { A: { type: ['string', 'null'] } } },
      { A: { type: ['string', 'null'] } },
    );
    expect(out).toEqual({ type: 'OBJECT', properties: { a: { type: 'STRING', nullable: true }, b: { enum: ['3'] } } });
  });

  it('sends the handle, manual activity, transcription; compression can be turned off', () => {
    const manual = parseSessionConfig({ turnDetection: { type: 'none' }, transcription: {}, outputModality: 'text' });
    const { setup } = toSetup(manual, { ...base, resumptionHandle: 'h-1', contextWindowCompression: false });
    expect(setup.sessionResumption).toEqual({ handle: 'h-1' });
    expect(setup.realtimeInputConfig).toEqual({ automaticActivityDetection: { disabled: true } });
    expect(setup.inputAudioTranscription).toEqual({});
    expect(setup.outputAudioTranscription).toBeUndefined();
    expect(setup['generationConfig']).toEqual({ responseModalities: ['TEXT'] });
    expect(setup.contextWindowCompression).toBeUndefined();
    expect(setup.systemInstruction).toBeUndefined();
  });

  it('names models for the Gemini API and Vertex', () => {
    expect(modelPath('gemini-x')).toBe('models/gemini-x');
    expect(modelPath('models/gemini-x')).toBe('models/gemini-x');
    expect(modelPath('gemini-x', { project: 'p', location: 'us-central1' })).toBe('projects/p/locations/us-central1/publishers/google/models/gemini-x');
  });

  it('merges extra last, deeply', () => {
    const withExtra = parseSessionConfig({ extra: { generationConfig: { thinkingConfig: { thinkingBudget: 0 } }, proactivity: { proactiveAudio: true } } });
    const { setup } = toSetup(withExtra, base);
    expect(setup.generationConfig).toEqual({ responseModalities: ['AUDIO'], thinkingConfig: { thinkingBudget: 0 } });
    expect(setup.proactivity).toEqual({ proactiveAudio: true });
  });
});

describe('gemini client messages', () => {
  it('wraps tool outputs that are not plain objects', () => {
    expect(toolResponseValue({ temp: 20 })).toEqual({ temp: 20 });
    expect(toolResponseValue({ error: 'boom' })).toEqual({ error: 'boom' });
    expect(toolResponseValue('{"temp":20}')).toEqual({ temp: 20 });
    expect(toolResponseValue('sunny')).toEqual({ result: 'sunny' });
    expect(toolResponseValue([1, 2])).toEqual({ result: [1, 2] });
    expect(toolResponseValue(undefined)).toEqual({ result: null });
    const message: LiveClientMessage = toolResponseMessage('c1', 'get_weather', 7);
    expect(message).toEqual({ toolResponse: { functionResponses: [{ id: 'c1', name: 'get_weather', response: { result: 7 } }] } });
  });

  it('sends text turns and context updates', () => {
    expect(clientTextMessage('hi', 'user', false)).toEqual({ clientContent: { turns: [{ role: 'user', parts: [{ text: 'hi' }] }], turnComplete: false } });
    expect(contextUpdateMessage(parseSessionConfig({ instructions: 'New.' }), ['instructions', 'tools'], 'openapi')).toEqual({
      contextUpdate: { systemInstruction: { parts: [{ text: 'New.' }] }, tools: { tools: [] } },
    });
  });

  it('parses proto Durations', () => {
    expect(durationMs('10s')).toBe(10_000);
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs('0.250s')).toBe(250);
    expect(durationMs('soon')).toBeUndefined();
  });
});

describe('gemini capabilities', () => {
  it('needs resumption for every field unless contextUpdate is on for the model', () => {
    const row = capabilitiesFor(GEMINI_CAPABILITIES, 'any');
    expect(Object.values(row.change).every((rule) => rule === 'resumption')).toBe(true);
    expect(row.needsFollowUpResponse).toBe(false);
    // Audio rates are not a capability: every INPUT_SAMPLE_RATES rate is resampled by the adapter.
    expect(Object.keys(row).sort()).toEqual(['change', 'needsFollowUpResponse', 'requestInterruptsResponse', 'speaksBackgroundResults', 'takesResponseRequests']);
    const enabled = capabilitiesFor(geminiCapabilities(['m1']), 'm1');
    expect(enabled.change.instructions).toBe('inPlace');
    expect(enabled.change.tools).toBe('inPlace');
    expect(enabled.change.voice).toBe('resumption');
  });
});
