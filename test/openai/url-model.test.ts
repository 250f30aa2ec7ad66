/**
 * One model per OpenAI adapter: a `url` with `?model=` (the emulator's openaiUrl, the CLI's --url,
 * VOXSTATE_OPENAI_URL) names the model the server runs, so profiles, deprecation warnings and option
 * checks must use that model; a `model` option goes into that parameter. And the emulator plays the
 * profile rule: `reasoning` only on the reasoning models.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { createRealtimeSession, type Logger } from '../../index.js';
import { refusal } from '../adapters/config-refusal.js';
import { fixture, TEST_KEY, type Fixture } from './fixture.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

function recordingLogger(): Logger & { warnings: unknown[] } {
  const warnings: unknown[] = [];
  const noop = () => {};
  return { warnings, debug: noop, info: noop, error: noop, warn: (fields) => warnings.push(fields) };
}

const withModel = (url: string, model: string) => url.replace(/\?model=[^&]*/, `?model=${model}`);

describe('openai: the url model parameter and the model option are one model', () => {
  it("without a model option, the url's model is the adapter's: reasoningEffort on gpt-realtime is refused, and its deprecation is logged", async () => {
    fx = await fixture();
    const url = withModel(fx.emulator.openaiUrl, 'gpt-realtime');
    const error = refusal(() => createRealtimeSession({ model: openaiRealtime({ apiKey: TEST_KEY, url, reasoningEffort: 'high' }) }));
    expect(error.field).toBe('reasoningEffort');
    expect(error.message).toContain('gpt-realtime');
    const model = openaiRealtime({ apiKey: TEST_KEY, url });
    expect(model.model).toBe('gpt-realtime');
    const logger = recordingLogger();
    createRealtimeSession({ model, logger });
    expect(logger.warnings).toEqual([expect.objectContaining({ event: 'profile.deprecated', model: 'gpt-realtime' })]);
  });

  it("with a model option, the url's model parameter is set to it: the server runs the model that was checked", async () => {
    fx = await fixture();
    const url = `${withModel(fx.emulator.openaiUrl, 'gpt-realtime')}&extra=1`;
    const session = createRealtimeSession({ model: openaiRealtime({ apiKey: TEST_KEY, url, model: 'gpt-realtime-2.1', reasoningEffort: 'low' }) });
    try {
      await session.connect();
      expect(fx.outbound('session.created')[0]!['session']).toMatchObject({ model: 'gpt-realtime-2.1' });
      expect(fx.outbound('error')).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it("the emulator's openaiUrl names the default model, gpt-realtime-2.1", async () => {
    fx = await fixture();
    expect(new URL(fx.emulator.openaiUrl).searchParams.get('model')).toBe('gpt-realtime-2.1');
    expect(openaiRealtime({ apiKey: TEST_KEY, url: fx.emulator.openaiUrl }).model).toBe('gpt-realtime-2.1');
  });
});

describe('emulator: reasoning only on the reasoning models', () => {
  async function update(url: string, session: Record<string, unknown>): Promise<Record<string, any>> {
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    try {
      const reply = new Promise<Record<string, any>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer to session.update')), 3000);
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data)) as Record<string, any>;
          if (frame['type'] === 'session.updated' || frame['type'] === 'error') {
            clearTimeout(timer);
            resolve(frame);
          }
        });
      });
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(JSON.stringify({ type: 'session.update', event_id: 'evt_1', session: { type: 'realtime', ...session } }));
      return await reply;
    } finally {
      ws.close();
    }
  }

  it('refuses session.reasoning on gpt-realtime and gpt-realtime-1.5 (unsupported_parameter) and takes it on gpt-realtime-2.1', async () => {
    fx = await fixture();
    for (const model of ['gpt-realtime', 'gpt-realtime-1.5', 'gpt-realtime-2025-08-28']) {
      const frame = await update(withModel(fx.emulator.openaiUrl, model), { reasoning: { effort: 'low' } });
      expect(frame).toMatchObject({ type: 'error', error: { code: 'unsupported_parameter', param: 'session.reasoning', event_id: 'evt_1' } });
    }
    const ok = await update(fx.emulator.openaiUrl, { reasoning: { effort: 'low' } });
    expect(ok).toMatchObject({ type: 'session.updated', session: { model: 'gpt-realtime-2.1', reasoning: { effort: 'low' } } });
  });
});
