/**
 * Responses that end other than `completed`, and input transcriptions that fail, reach the
 * application through the whole stack: emulator → adapter → session machine → session events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession } from '../../index.js';
import { record } from '../session/event-log.js';
import { TEST_KEY } from './fixture.js';

let emulator: Emulator | undefined;
let session: ReturnType<typeof createRealtimeSession> | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
  await emulator?.close();
  emulator = undefined;
});

async function open() {
  emulator = await startEmulator();
  session = createRealtimeSession({ model: openaiRealtime({ apiKey: TEST_KEY, url: emulator.openaiUrl }), instructions: 'x' });
  const log = record(session);
  await session.connect();
  const frame = (frame: Record<string, unknown>) => emulator!.openai.inject({ type: 'frame', frame });
  const response = (id: string, status: string, statusDetails: unknown) => {
    frame({ type: 'response.created', response: { object: 'realtime.response', id, status: 'in_progress', status_details: null, output: [], usage: null } });
    frame({ type: 'response.done', response: { object: 'realtime.response', id, status, status_details: statusDetails, output: [], usage: null } });
  };
  return { log, frame, response };
}

describe('openai: failed, incomplete and cancelled responses', () => {
  it('a failed response carries status_details on response_done and also emits an error event (secrets redacted)', async () => {
    const { log, response } = await open();
    response('resp_f1', 'failed', {
      type: 'failed',
      error: { type: 'server_error', code: 'internal_error', message: `The server had an error (key ${TEST_KEY})` },
    });
    const done = await log.waitFor('response_done');
    expect(done).toMatchObject({ responseId: 'resp_f1', status: 'failed', statusDetails: { error: { type: 'server_error', code: 'internal_error' } } });
    expect(done.statusDetails?.error?.message).toContain('The server had an error');
    const error = await log.waitFor('error');
    expect(error.error).toMatchObject({ code: 'response_failed', providerCode: 'internal_error' });
    expect(error.error.message).toContain('resp_f1');
    expect(JSON.stringify(log.events)).not.toContain(TEST_KEY);
  });

  it('an incomplete response carries its reason on response_done and is not an error', async () => {
    const { log, response } = await open();
    response('resp_i1', 'incomplete', { type: 'incomplete', reason: 'max_output_tokens' });
    const done = await log.waitFor('response_done');
    expect(done).toMatchObject({ status: 'incomplete', reason: 'max_output_tokens', statusDetails: { reason: 'max_output_tokens' } });
    await session!.sendText('still there?');
    await log.waitFor('response_done', (e) => e.status === 'completed');
    expect(log.of('error')).toEqual([]);
  });

  it('a client-cancelled response carries reason client_cancelled in statusDetails', async () => {
    emulator = await startEmulator({ openai: { realtimeFactor: 1 } });
    session = createRealtimeSession({ model: openaiRealtime({ apiKey: TEST_KEY, url: emulator.openaiUrl }), instructions: 'x' });
    const log = record(session);
    await session.connect();
    await session.sendText('Tell me a long story please');
    await log.waitFor('response_created');
    await session.interrupt();
    const done = await log.waitFor('response_done');
    expect(done).toMatchObject({ status: 'cancelled', statusDetails: { reason: 'client_cancelled' } });
  });
});

describe('openai: input transcription failures', () => {
  it('conversation.item.input_audio_transcription.failed reaches the application as a transcription_failed error', async () => {
    const { log, frame } = await open();
    frame({
      type: 'conversation.item.input_audio_transcription.failed',
      item_id: 'item_u1',
      content_index: 0,
      error: { type: 'transcription_error', code: 'audio_unintelligible', message: 'The audio could not be transcribed.', param: null },
    });
    const error = await log.waitFor('error');
    expect(error.error).toMatchObject({ code: 'transcription_failed', providerCode: 'audio_unintelligible' });
    expect(error.error.message).toContain('item_u1');
    expect(error.error.message).toContain('The audio could not be transcribed.');
  });
});
