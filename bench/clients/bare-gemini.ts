/**
 * The limit on the Gemini Live protocol: a bare `ws` client that sends `setup`, parses each
 * message's JSON, decodes the base64 of audio parts, and answers each function call with a
 * `toolResponse` (docs/providers/gemini.md; @google/genai `LiveClientMessage`).
 */
import { WebSocket } from 'ws';
import { opened, type BenchClient } from './client.js';

interface Message {
  setupComplete?: object;
  serverContent?: { modelTurn?: { parts?: Array<{ inlineData?: { data?: string } }> }; turnComplete?: boolean };
  toolCall?: { functionCalls?: Array<{ id?: string; name?: string }> };
}

export const bareGemini: BenchClient = {
  async open(url, hooks) {
    const socket = new WebSocket(`${url}?key=bench`, { perMessageDeflate: false });
    let ready!: () => void;
    const setupDone = new Promise<void>((resolve) => (ready = resolve));
    socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as Message;
      if (m.setupComplete) return ready();
      for (const part of m.serverContent?.modelTurn?.parts ?? []) {
        if (part.inlineData?.data !== undefined) hooks.onAudio(Buffer.from(part.inlineData.data, 'base64'));
      }
      if (m.serverContent?.turnComplete) hooks.onTurnDone();
      for (const call of m.toolCall?.functionCalls ?? []) {
        hooks.onToolCall();
        socket.send(JSON.stringify({ toolResponse: { functionResponses: [{ id: call.id, name: call.name, response: { ok: true } }] } }));
      }
    });
    await opened(socket);
    socket.send(
      JSON.stringify({
        setup: {
          model: 'models/gemini-3.8-live',
          generationConfig: { responseModalities: ['AUDIO'] },
          tools: [{ functionDeclarations: [{ name: 'bench_tool', description: 'bench', parameters: { type: 'OBJECT', properties: { i: { type: 'NUMBER' } } } }] }],
        },
      }),
    );
    await setupDone;
    return {
      start: () => socket.send(JSON.stringify({ realtimeInput: { text: 'go' } })),
      close: () => socket.close(),
    };
  },
};
