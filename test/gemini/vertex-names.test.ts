/**
 * Vertex endpoints and model resource names: the adapter must build what `@google/genai` builds
 * (issue 11, items 1 and 2).
 */
import { describe, expect, it } from 'vitest';
import { GoogleGenAI } from '@google/genai';
import { vertexUrl } from '../../adapters/gemini/connection.js';
import { modelPath } from '../../adapters/gemini/map.js';

/** The WebSocket base and API version the official client picks for a Vertex location. */
function officialVertexUrl(location: string): string {
  const ai = new GoogleGenAI({ vertexai: true, project: 'p', location });
  const client = (ai as unknown as { apiClient: { getWebsocketBaseUrl(): string; getApiVersion(): string } }).apiClient;
  return `${client.getWebsocketBaseUrl()}ws/google.cloud.aiplatform.${client.getApiVersion()}.LlmBidiService/BidiGenerateContent`;
}

describe('gemini: Vertex endpoints', () => {
  for (const location of ['global', 'us', 'eu', 'us-central1', 'europe-west4']) {
    it(`${location}: the same URL as @google/genai`, () => {
      expect(vertexUrl(location)).toBe(officialVertexUrl(location));
    });
  }

  it('global, us and eu use their own hosts', () => {
    expect(new URL(vertexUrl('global')).host).toBe('aiplatform.googleapis.com');
    expect(new URL(vertexUrl('us')).host).toBe('aiplatform.us.rep.googleapis.com');
    expect(new URL(vertexUrl('eu')).host).toBe('aiplatform.eu.rep.googleapis.com');
    expect(new URL(vertexUrl('asia-northeast1')).host).toBe('asia-northeast1-aiplatform.googleapis.com');
  });
});

describe('gemini: model resource names', () => {
  const vertex = { project: 'proj', location: 'us-central1' };
  const full = 'projects/proj/locations/us-central1/publishers/google/models/gemini-live-2.5-flash';

  it('every Vertex spelling becomes exactly the full publisher path of the configured project', () => {
    for (const given of [
      'gemini-live-2.5-flash',
      'google/gemini-live-2.5-flash',
      'models/gemini-live-2.5-flash',
      'publishers/google/models/gemini-live-2.5-flash',
      full,
      'projects/other/locations/europe-west4/publishers/google/models/gemini-live-2.5-flash',
    ]) {
      expect(modelPath(given, vertex), given).toBe(full);
    }
  });

  it('the Gemini API takes models/X', () => {
    expect(modelPath('gemini-live-2.5-flash')).toBe('models/gemini-live-2.5-flash');
    expect(modelPath('models/gemini-live-2.5-flash')).toBe('models/gemini-live-2.5-flash');
    expect(modelPath('tunedModels/mine')).toBe('tunedModels/mine');
  });
});
