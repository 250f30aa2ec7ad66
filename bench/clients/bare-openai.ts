/**
 * The limit on the OpenAI protocol: a bare `ws` client that parses each frame's JSON, decodes the
 * base64 of audio deltas, and answers each function call with `conversation.item.create`
 * (`function_call_output`) and `response.create`, as the GA protocol asks
 * (/work/shared/protocol/openai-realtime-2026.md).
 */
import { WebSocket } from 'ws';
import { opened, type BenchClient } from './client.js';

export const bareOpenAI: BenchClient = {
  async open(url, hooks) {
    const socket = new WebSocket(url, { headers: { Authorization: 'Bearer sk-bench' }, perMessageDeflate: false });
    let ready!: () => void;
    const updated = new Promise<void>((resolve) => (ready = resolve));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; delta?: string; call_id?: string };
      switch (frame.type) {
        case 'response.output_audio.delta':
          return hooks.onAudio(Buffer.from(frame.delta ?? '', 'base64'));
        case 'response.done':
          return hooks.onTurnDone();
        case 'response.function_call_arguments.done':
          hooks.onToolCall();
          socket.send(JSON.stringify({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: frame.call_id, output: '{"ok":true}' } }));
          return socket.send(JSON.stringify({ type: 'response.create' }));
        case 'session.updated':
          return ready();
        default:
          return;
      }
    });
    await opened(socket);
    socket.send(
      JSON.stringify({
        type: 'session.update',
        session: { type: 'realtime', tools: [{ type: 'function', name: 'bench_tool', description: 'bench', parameters: { type: 'object', properties: { i: { type: 'number' } } } }] },
      }),
    );
    await updated;
    return {
      start: () => socket.send(JSON.stringify({ type: 'response.create' })),
      close: () => socket.close(),
    };
  },
};
