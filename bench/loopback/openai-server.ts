/**
 * A loopback server speaking just enough of the OpenAI Realtime GA protocol for the bench
 * (docs/providers/openai.md; event shapes as in emulator/openai.ts and
 * /work/shared/protocol/openai-realtime-2026.md): `session.created` on connect, `session.updated`
 * for each `session.update`, and on `response.create` the scenario of the URL:
 * - flood: one response of `count` `response.output_audio.delta` frames, flat out (one prebuilt frame);
 * - realtime: one response of `count` stamped deltas, one every 20 ms;
 * - tools: one function call per `response.create` (`response.output_item.added`,
 *   `response.function_call_arguments.done`, `response.output_item.done`, `response.done`) until
 *   `count` calls; the round trip runs from sending `arguments.done` to receiving the
 *   `conversation.item.create` of its `function_call_output`. Later `response.create`s get an empty response.
 */
import { PLAIN_FRAME_B64, SAMPLE_RATE, stampedFrame } from './frames.js';
import { flood, paced, startLoopback, type Connection, type LoopbackServer } from './server.js';

type Json = Record<string, unknown>;
let seq = 0;
const eventId = () => `event_${(++seq).toString(36)}`;

function session(id: string): Json {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id,
    model: 'gpt-realtime',
    output_modalities: ['audio'],
    instructions: '',
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    audio: {
      input: { format: { type: 'audio/pcm', rate: SAMPLE_RATE }, transcription: null, noise_reduction: null, turn_detection: null },
      output: { format: { type: 'audio/pcm', rate: SAMPLE_RATE }, voice: 'alloy', speed: 1.0 },
    },
    include: null,
  };
}

const audioDelta = (responseId: string, itemId: string, delta: string): string =>
  JSON.stringify({ type: 'response.output_audio.delta', event_id: eventId(), response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, delta });

function serve(conn: Connection, recordRtt: (us: number) => void): void {
  const { socket, mode, count } = conn;
  const send = (frame: Json) => socket.send(JSON.stringify({ event_id: eventId(), ...frame }));
  const sessionId = `sess_${++seq}`;
  let responses = 0;
  let calls = 0;
  let streamed = false;
  const pending = new Map<string, bigint>();
  let stop = () => {};
  socket.on('close', () => stop());

  const begin = (): { responseId: string; itemId: string } => {
    const responseId = `resp_${++responses}`;
    const itemId = `item_${responses}`;
    send({ type: 'response.created', response: { object: 'realtime.response', id: responseId, status: 'in_progress', status_details: null, output: [], usage: null, metadata: null } });
    return { responseId, itemId };
  };
  const end = (responseId: string, output: Json[] = []) =>
    send({ type: 'response.done', response: { object: 'realtime.response', id: responseId, status: 'completed', status_details: null, output, usage: null, metadata: null } });
  const messageAdded = (responseId: string, itemId: string) =>
    send({ type: 'response.output_item.added', response_id: responseId, output_index: 0, item: { id: itemId, object: 'realtime.item', type: 'message', role: 'assistant', status: 'in_progress', content: [] } });

  const onResponseCreate = (): void => {
    const { responseId, itemId } = begin();
    if (mode === 'tools' && calls < count) {
      const callId = `call_${++calls}`;
      const item = { id: itemId, object: 'realtime.item', type: 'function_call', status: 'in_progress', name: 'bench_tool', call_id: callId, arguments: '' };
      const args = JSON.stringify({ i: calls });
      send({ type: 'response.output_item.added', response_id: responseId, output_index: 0, item });
      pending.set(callId, process.hrtime.bigint());
      send({ type: 'response.function_call_arguments.done', response_id: responseId, item_id: itemId, output_index: 0, call_id: callId, name: 'bench_tool', arguments: args });
      const done = { ...item, status: 'completed', arguments: args };
      send({ type: 'response.output_item.done', response_id: responseId, output_index: 0, item: done });
      return end(responseId, [done]);
    }
    if (mode === 'tools' || streamed) return end(responseId);
    streamed = true;
    messageAdded(responseId, itemId);
    if (mode === 'flood') {
      const frame = Buffer.from(audioDelta(responseId, itemId, PLAIN_FRAME_B64));
      void flood(socket, count, frame).then(() => end(responseId));
    } else {
      stop = paced(socket, count, 20, () => socket.send(audioDelta(responseId, itemId, stampedFrame())), () => end(responseId));
    }
  };

  socket.on('message', (data) => {
    let frame: Json;
    try {
      frame = JSON.parse(String(data)) as Json;
    } catch {
      return;
    }
    switch (frame['type']) {
      case 'session.update':
        return send({ type: 'session.updated', session: session(sessionId) });
      case 'response.create':
        return onResponseCreate();
      case 'conversation.item.create': {
        const item = (frame['item'] ?? {}) as Json;
        const sent = item['type'] === 'function_call_output' ? pending.get(String(item['call_id'])) : undefined;
        if (sent !== undefined) {
          recordRtt(Number(process.hrtime.bigint() - sent) / 1000);
          pending.delete(String(item['call_id']));
        }
        return;
      }
      default:
        return;
    }
  });
  send({ type: 'session.created', session: session(sessionId) });
}

export function startOpenAILoopback(): Promise<LoopbackServer> {
  return startLoopback({ path: '/v1/realtime?model=gpt-realtime', onConnection: serve });
}
