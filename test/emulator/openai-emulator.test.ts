/** The OpenAI emulator's own protocol behaviour, driven by a raw `ws` client. */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/index.js';

type Frame = Record<string, any>;
let emulator: Emulator | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await emulator?.close();
  emulator = undefined;
});

async function connect(options: StartEmulatorOptions = {}, headers: Record<string, string> = { Authorization: 'Bearer sk-x-12345678' }) {
  emulator = await startEmulator(options);
  const ws = new WebSocket(emulator.openaiUrl, { headers });
  sockets.push(ws);
  const frames: Frame[] = [];
  ws.on('message', (data) => {
    try {
      frames.push(JSON.parse(String(data)));
    } catch {
      frames.push({ type: '<malformed>' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (type: string, timeoutMs = 2000): Promise<Frame> => {
    const started = Date.now();
    for (;;) {
      const found = frames.find((f) => f['type'] === type);
      if (found) {
        frames.splice(frames.indexOf(found), 1);
        return found;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`no ${type}; have ${frames.map((f) => f['type']).join(', ')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const send = (frame: Frame) => ws.send(JSON.stringify(frame));
  return { ws, frames, next, send };
}

describe('openai emulator protocol', () => {
  it('refuses a handshake without credentials with 401', async () => {
    emulator = await startEmulator();
    const ws = new WebSocket(emulator.openaiUrl);
    sockets.push(ws);
    const message = await new Promise<string>((resolve) => ws.once('error', (e) => resolve(e.message)));
    expect(message).toContain('401');
  });

  it('answers errors with the client event_id for bad requests', async () => {
    const c = await connect();
    await c.next('session.created');
    c.send({ type: 'response.cancel', event_id: 'c1' });
    expect((await c.next('error')).error).toMatchObject({ code: 'response_cancel_not_active', event_id: 'c1' });
    c.send({ type: 'session.update', event_id: 'c2', session: { instructions: 'no type' } });
    expect((await c.next('error')).error).toMatchObject({ code: 'missing_required_parameter', param: 'session.type', event_id: 'c2' });
    c.send({ type: 'input_audio_buffer.commit', event_id: 'c3' });
    expect((await c.next('error')).error).toMatchObject({ code: 'input_audio_buffer_commit_empty', event_id: 'c3' });
    c.send({ type: 'conversation.item.truncate', event_id: 'c4', item_id: 'nope', content_index: 0, audio_end_ms: 5 });
    expect((await c.next('error')).error).toMatchObject({ code: 'invalid_value', param: 'item_id', event_id: 'c4' });
    c.send({ type: 'no.such.event', event_id: 'c5' });
    expect((await c.next('error')).error).toMatchObject({ code: 'invalid_value', event_id: 'c5' });
    c.ws.send('{not json');
    expect((await c.next('error')).error).toMatchObject({ code: 'invalid_json' });
  });

  it('streams a response: item/part events, paced audio deltas of PCM16, transcript, usage', async () => {
    const c = await connect();
    await c.next('session.created');
    c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi there' }] } });
    await c.next('conversation.item.added');
    await c.next('conversation.item.done');
    c.send({ type: 'response.create' });
    const done = await c.next('response.done');
    expect(done.response).toMatchObject({ status: 'completed', usage: { input_tokens: 100 } });
    const order = c.frames.map((f) => f['type']).filter((t) => t !== 'response.output_audio.delta' && t !== 'response.output_audio_transcript.delta');
    // As in the GA capture (shared/protocol/recordings/openai-ga-audio-session.captured.jsonl): the
    // response's item also joins the conversation right after output_item.added / .done.
    expect(order).toEqual([
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'conversation.item.done',
      'rate_limits.updated',
    ]);
    const added = c.frames.find((f) => f['type'] === 'conversation.item.added')!;
    expect(added['item']).toMatchObject({ type: 'message', role: 'assistant', status: 'in_progress' });
    expect(added['item']['id']).toBe(c.frames.find((f) => f['type'] === 'response.output_item.added')!['item']['id']);
    expect(c.frames.find((f) => f['type'] === 'response.content_part.added')!['part']).toEqual({ type: 'audio', transcript: '' });
    const audio = Buffer.concat(c.frames.filter((f) => f['type'] === 'response.output_audio.delta').map((f) => Buffer.from(f['delta'], 'base64')));
    expect(audio.length % 2).toBe(0);
    expect(audio.length / 48).toBeGreaterThan(500); // "You said: Hi there." is 4 words × 240 ms
  });

  it('fires configured faults after the named client event', async () => {
    const c = await connect({ openai: { faults: [{ on: 'response.create', fault: { type: 'close', code: 4001, reason: 'bye' } }] } });
    await c.next('session.created');
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    c.send({ type: 'response.create' });
    expect(await closed).toBe(4001);
  });

  it('speaks beta when asked by header: flat session and beta event names', async () => {
    const c = await connect({}, { Authorization: 'Bearer sk-x-12345678', 'OpenAI-Beta': 'realtime=v1' });
    const created = await c.next('session.created');
    expect(created.session).toMatchObject({ modalities: ['audio', 'text'], input_audio_format: 'pcm16' });
    c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Yo' }] } });
    await c.next('conversation.item.created');
    c.send({ type: 'response.create' });
    await c.next('response.done');
    expect(c.frames.some((f) => f['type'] === 'response.audio.delta')).toBe(true);
    expect(c.frames.some((f) => f['type'] === 'response.audio_transcript.done')).toBe(true);
  });

  it('conversation.item.retrieve / .delete answer retrieved / deleted, and an error naming item_id for unknown ids', async () => {
    const c = await connect();
    await c.next('session.created');
    c.send({ type: 'conversation.item.create', item: { id: 'item_u1', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi there' }] } });
    await c.next('conversation.item.done');
    c.send({ type: 'conversation.item.retrieve', event_id: 'r1', item_id: 'item_u1' });
    const retrieved = await c.next('conversation.item.retrieved');
    expect(retrieved.item).toMatchObject({ id: 'item_u1', object: 'realtime.item', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi there' }] });
    c.send({ type: 'conversation.item.delete', event_id: 'd1', item_id: 'item_u1' });
    expect(await c.next('conversation.item.deleted')).toMatchObject({ item_id: 'item_u1' });
    c.send({ type: 'conversation.item.retrieve', event_id: 'r2', item_id: 'item_u1' });
    expect((await c.next('error')).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_value', param: 'item_id', event_id: 'r2' });
    c.send({ type: 'conversation.item.delete', event_id: 'd2', item_id: 'nope' });
    expect((await c.next('error')).error).toMatchObject({ code: 'invalid_value', param: 'item_id', event_id: 'd2' });
  });

  it('a retrieved user audio item carries its transcript once transcribed (what @openai/agents-realtime asks for after every spoken turn)', async () => {
    const c = await connect();
    await c.next('session.created');
    c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { transcription: { model: 'gpt-4o-mini-transcribe' } } } } });
    await c.next('session.updated');
    const loud = Buffer.alloc(24_000); // 500 ms of a loud square wave, then 500 ms of silence
    for (let i = 0; i < loud.length; i += 2) loud.writeInt16LE(i % 96 < 48 ? 8000 : -8000, i);
    c.send({ type: 'input_audio_buffer.append', audio: loud.toString('base64') });
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(24_000).toString('base64') });
    const completed = await c.next('conversation.item.input_audio_transcription.completed');
    c.send({ type: 'conversation.item.retrieve', item_id: completed['item_id'] });
    const retrieved = await c.next('conversation.item.retrieved');
    expect(retrieved.item).toMatchObject({ id: completed['item_id'], role: 'user', content: [{ type: 'input_audio', transcript: completed['transcript'] }] });
    await c.next('response.done');
    expect(c.frames.filter((f) => f['type'] === 'error')).toEqual([]);
  });

  it('output_audio_buffer.clear (WebRTC/SIP only) is accepted without an error or a reply', async () => {
    const c = await connect();
    await c.next('session.created');
    c.send({ type: 'output_audio_buffer.clear', event_id: 'x1' });
    c.send({ type: 'conversation.item.retrieve', event_id: 'probe', item_id: 'nope' });
    expect((await c.next('error')).error).toMatchObject({ event_id: 'probe' });
    expect(c.frames.map((f) => f['type'])).toEqual([]);
  });

  it('beta takes session.temperature (echoed in session.updated) and refuses unknown fields; GA refuses temperature as the GA session has none', async () => {
    const beta = await connect({}, { Authorization: 'Bearer sk-x-12345678', 'OpenAI-Beta': 'realtime=v1' });
    await beta.next('session.created');
    beta.send({ type: 'session.update', event_id: 'b1', session: { temperature: 0.7, instructions: 'x' } });
    expect((await beta.next('session.updated')).session).toMatchObject({ temperature: 0.7, instructions: 'x' });
    beta.send({ type: 'session.update', event_id: 'b2', session: { temprature: 0.7 } });
    expect((await beta.next('error')).error).toMatchObject({ code: 'unknown_parameter', param: 'session.temprature', event_id: 'b2' });
    await emulator!.close();
    const ga = await connect();
    await ga.next('session.created');
    ga.send({ type: 'session.update', event_id: 'g1', session: { type: 'realtime', temperature: 0.7 } });
    expect((await ga.next('error')).error).toMatchObject({ code: 'unknown_parameter', param: 'session.temperature', event_id: 'g1' });
  });
});
