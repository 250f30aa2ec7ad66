/**
 * `sendAudio` with something that is not bytes (review finding 10): a typed `invalid_audio` error
 * that says what it got, not "got undefined bytes"; nothing reaches the model.
 */
import { describe, expect, it } from 'vitest';
import { createRealtimeSession, VoxstateError } from '../../index.js';
import { createScriptedModel } from '../../testing.js';

function refusal(send: () => void): VoxstateError {
  try {
    send();
  } catch (error) {
    if (error instanceof VoxstateError) return error;
    throw error;
  }
  throw new Error('sendAudio accepted it');
}

describe('sendAudio with a value that is not PCM bytes', () => {
  it('throws invalid_audio naming what it got, and sends nothing', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model });
    await session.connect();
    const send = (value: unknown) => () => session.sendAudio(value as Buffer);

    const fromString = refusal(send('abc'));
    expect(fromString.code).toBe('invalid_audio');
    expect(fromString.message).toContain('got a string (3 characters)');
    expect(fromString.message).not.toContain('undefined');
    expect(refusal(send([1, 0, 2, 0])).message).toContain('got an array');
    expect(refusal(send(new ArrayBuffer(4))).message).toContain('got an ArrayBuffer');
    expect(refusal(send(undefined)).message).toContain('got undefined');

    // Bytes still work, and are all that reached the model.
    session.sendAudio(new Int16Array([1, 2]));
    expect(Buffer.concat(model.current().userAudio)).toEqual(Buffer.from([1, 0, 2, 0]));
    await session.close();
  });
});
