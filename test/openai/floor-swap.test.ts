/**
 * A connection swap never cuts the user's spoken turn (OpenAI, server VAD against the emulator):
 * a voice change asked for while the user speaks waits until speech has stopped and the server's
 * own response to the turn has started and finished; all of the turn's audio goes to the old
 * connection and the turn is answered there. And a request made while the user speaks goes out
 * after the server's own response to their turn has started and finished, so it never collides
 * with it (no `conversation_already_has_active_response`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession } from '../../index.js';
import { silence, tone } from './fixture.js';
import { record } from '../session/event-log.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('the floor holds a connection swap back', () => {
  it('a voice change while the user speaks runs after their turn is answered, not in the middle of it', async () => {
    emulator = await startEmulator({ openai: { realtimeFactor: 8 } });
    const session = createRealtimeSession({
      model: openaiRealtime({ apiKey: 'sk-test-floor', url: emulator.openaiUrl }),
      turnDetection: { type: 'server_vad', silenceDurationMs: 200 },
    });
    const log = record(session);
    await session.connect();
    await session.sendText('Hi there').reply;
    for (let i = 0; i < 6; i++) session.sendAudio(tone(40));
    await log.waitFor('speech_started');
    const update = session.updateSession({ voice: 'echo' });
    for (let i = 0; i < 10; i++) session.sendAudio(silence(40));
    await update;
    await log.waitFor('session_resumed');
    const types = log.types();
    // The spoken turn ends and is answered on the first connection; only then is it replaced.
    expect(types.indexOf('speech_stopped')).toBeGreaterThan(types.indexOf('speech_started'));
    expect(types.lastIndexOf('response_done')).toBeLessThan(types.indexOf('session_resumed'));
    expect(log.of('response_done').map((r) => r.status)).toEqual(['completed', 'completed']);
    const appends = (connection: number) =>
      emulator!.context.log.entries.filter((e) => e.connection === connection && e.direction === 'in' && (e.frame as { type?: string }).type === 'input_audio_buffer.append').length;
    expect(appends(1)).toBeGreaterThan(0);
    expect(appends(2)).toBe(0);
    await session.close();
  }, 20_000);

  it('a text asking for a reply while the user speaks waits for the server\'s response to their turn: no refusal, both answered', async () => {
    emulator = await startEmulator({ openai: { realtimeFactor: 8 } });
    const session = createRealtimeSession({
      model: openaiRealtime({ apiKey: 'sk-test-floor', url: emulator.openaiUrl }),
      turnDetection: { type: 'server_vad', silenceDurationMs: 200 },
    });
    const log = record(session);
    await session.connect();
    for (let i = 0; i < 6; i++) session.sendAudio(tone(40));
    await log.waitFor('speech_started');
    const request = session.sendText('And one more thing');
    for (let i = 0; i < 10; i++) session.sendAudio(silence(40));
    const reply = await request.reply;
    expect(reply?.status).toBe('completed');
    const done = log.of('response_done');
    expect(done).toHaveLength(2);
    expect(done[0]!.requestId).toBeUndefined();
    expect(done[1]!.requestId).toBe(log.of('request_sent')[0]!.requestId);
    const refused = emulator.context.log.entries.filter((e) => e.direction === 'out' && (e.frame as { type?: string }).type === 'error');
    expect(refused).toEqual([]);
    await session.close();
  }, 20_000);
});
