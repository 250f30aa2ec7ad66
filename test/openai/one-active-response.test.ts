/**
 * The emulator plays OpenAI's rule of one active response per connection (issue 13, item 8): a
 * second `response.create` while one is active is refused with the service's error frame
 * (`conversation_already_has_active_response`, shape in shared/protocol/openai-realtime-2026.md
 * §5), the active response goes on unharmed, the session stays open, and once it is done the next
 * `response.create` is accepted. Driven by a raw `ws` client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { TEST_KEY, until } from './fixture.js';

type Frame = Record<string, any>;
let emulator: Emulator | undefined;
let ws: WebSocket | undefined;
afterEach(async () => {
  ws?.terminate();
  ws = undefined;
  await emulator?.close();
  emulator = undefined;
});

describe('openai emulator: one active response per connection', () => {
  it('refuses a second response.create with conversation_already_has_active_response, and the session goes on', async () => {
    emulator = await startEmulator({ openai: { realtimeFactor: 4 } });
    const socket = new WebSocket(emulator.openaiUrl, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    ws = socket;
    const frames: Frame[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const send = (frame: Frame) => socket.send(JSON.stringify(frame));
    const of = (type: string) => frames.filter((f) => f['type'] === type);
    await until(() => of('session.created').length === 1, 'session.created');
    send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Tell me something' }] } });
    send({ type: 'response.create', event_id: 'c1' });
    const created = await until(() => of('response.created')[0], 'response.created');
    const active = created['response']['id'] as string;

    send({ type: 'response.create', event_id: 'c2' });
    const error = await until(() => of('error')[0], 'the error frame');
    expect(error).toEqual({
      type: 'error',
      event_id: expect.stringMatching(/^event_/),
      error: {
        type: 'invalid_request_error',
        code: 'conversation_already_has_active_response',
        message: `Conversation already has an active response in progress: ${active}. Wait until the response is finished before creating a new one.`,
        param: null,
        event_id: 'c2',
      },
    });

    // The active response is not harmed, and only one was created.
    const done = await until(() => of('response.done')[0], 'response.done');
    expect(done['response']).toMatchObject({ id: active, status: 'completed' });
    expect(of('response.created')).toHaveLength(1);
    // Recoverable: once it is done the next request is accepted on the same connection.
    send({ type: 'response.create', event_id: 'c3' });
    await until(() => of('response.created').length === 2, 'the next response');
    expect(of('error')).toHaveLength(1);
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });
});
