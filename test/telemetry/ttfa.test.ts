/**
 * Time to first audio on OpenAI (issue 18), where the provider reports the end of the user's
 * speech: one histogram point and one `first_audio` span event per spoken turn, both measured from
 * `speech_stopped` to the first `audio` event after it; a text turn adds none.
 */
import { describe, expect, it } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { createRuleBrain, startEmulator } from '../../emulator/index.js';
import { synthesize } from '../../emulator/speech.js';
import { createRealtimeSession, silentLogger } from '../../index.js';
import { record, waitUntil } from '../session/event-log.js';
import { otelSdk } from './fixture.js';

describe('time to first audio', () => {
  it('is recorded for a spoken turn, from speech_stopped to the first audio', async () => {
    const emulator = await startEmulator({ brain: createRuleBrain({ transcripts: ['Hello there'] }) });
    const sdk = otelSdk();
    try {
      const session = createRealtimeSession({ model: openaiRealtime({ apiKey: 'sk-test-TTFA-0123456789', url: emulator.openaiUrl }), telemetry: { tracer: sdk.tracer, meter: sdk.meter }, logger: silentLogger });
      const log = record(session);
      await session.connect();
      const speech = synthesize('hello there');
      for (let i = 0; i < speech.length; i += 960) session.sendAudio(speech.subarray(i, i + 960));
      session.sendAudio(Buffer.alloc(24_000));
      await log.waitFor('response_done', undefined, 5000);
      await session.sendText('And now?').reply;
      await waitUntil(() => log.of('response_done').length >= 2, 'the text turn');
      await session.close();

      const stoppedAt = log.events.findIndex((e) => e.type === 'speech_stopped');
      expect(stoppedAt).toBeGreaterThanOrEqual(0);
      expect(log.events.slice(stoppedAt).some((e) => e.type === 'audio')).toBe(true);
      const points = (await sdk.collect()).get('voxstate.turn.time_to_first_audio') ?? [];
      const counts = points.map((p) => (p.value as { count: number; sum: number }).count);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
      const sumS = (points[0]!.value as { sum: number }).sum;
      const marked = sdk.spans.getFinishedSpans().flatMap((s) => s.events).filter((e) => e.name === 'first_audio' && e.attributes?.['voxstate.time_to_first_audio_ms'] !== undefined);
      expect(marked).toHaveLength(1);
      expect(sumS * 1000).toBeCloseTo(Number(marked[0]!.attributes!['voxstate.time_to_first_audio_ms']), 3);
      expect(session.report().latency.timeToFirstAudio.count).toBe(1);
    } finally {
      await sdk.shutdown();
      await emulator.close();
    }
  });
});
