/**
 * A loopback server speaking just enough of the Gemini Live protocol for the bench
 * (docs/providers/gemini.md; BidiGenerateContent messages as in @google/genai's `LiveServerMessage`
 * and emulator/gemini.ts): `setupComplete` after `setup`, and on the first user text
 * (`realtimeInput.text`, or `clientContent` with `turnComplete`) the scenario of the URL:
 * - flood: `count` `serverContent.modelTurn` audio parts (`audio/pcm;rate=24000`), flat out, then
 *   `turnComplete`;
 * - realtime: `count` stamped parts, one every 20 ms, then `turnComplete`;
 * - tools: a `toolCall` with one function call; each `toolResponse` ends that turn
 *   (`turnComplete`) and the server starts the next call, until `count` calls. The round trip runs
 *   from sending `toolCall` to receiving its `toolResponse`.
 */
import type { LiveServerMessage } from '@google/genai';
import { PLAIN_FRAME_B64, SAMPLE_RATE, stampedFrame } from './frames.js';
import { flood, paced, startLoopback, type Connection, type LoopbackServer } from './server.js';

/** The wire fields of @google/genai's `LiveServerMessage` (a class whose getters are not on the wire). */
type ServerFrame = Partial<Pick<LiveServerMessage, 'setupComplete' | 'serverContent' | 'toolCall'>>;

const MIME = `audio/pcm;rate=${SAMPLE_RATE}`;
const audioPart = (data: string): string => JSON.stringify({ serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: MIME, data } }] } } } satisfies ServerFrame);

function serve(conn: Connection, recordRtt: (us: number) => void): void {
  const { socket, mode, count } = conn;
  const send = (message: ServerFrame) => socket.send(JSON.stringify(message));
  const turnComplete = () => send({ serverContent: { turnComplete: true } });
  let started = false;
  let calls = 0;
  const pending = new Map<string, bigint>();
  let stop = () => {};
  socket.on('close', () => stop());

  const nextCall = (): void => {
    const id = `call_${++calls}`;
    pending.set(id, process.hrtime.bigint());
    send({ toolCall: { functionCalls: [{ id, name: 'bench_tool', args: { i: calls } }] } });
  };

  const start = (): void => {
    if (started) return;
    started = true;
    if (mode === 'tools') return count > 0 ? nextCall() : turnComplete();
    if (mode === 'flood') void flood(socket, count, Buffer.from(audioPart(PLAIN_FRAME_B64))).then(turnComplete);
    else stop = paced(socket, count, 20, () => socket.send(audioPart(stampedFrame())), turnComplete);
  };

  socket.on('message', (data) => {
    let m: Record<string, Record<string, unknown> | undefined>;
    try {
      m = JSON.parse(String(data)) as typeof m;
    } catch {
      return;
    }
    if (m['setup']) return send({ setupComplete: {} });
    if (m['realtimeInput']?.['text'] !== undefined || m['clientContent']?.['turnComplete'] === true) return start();
    const responses = m['toolResponse']?.['functionResponses'];
    if (!Array.isArray(responses)) return;
    for (const r of responses as Array<{ id?: string }>) {
      const sent = r.id === undefined ? undefined : pending.get(r.id);
      if (sent === undefined) continue;
      recordRtt(Number(process.hrtime.bigint() - sent) / 1000);
      pending.delete(r.id!);
      turnComplete();
      if (calls < count) nextCall();
    }
  });
}

export function startGeminiLoopback(): Promise<LoopbackServer> {
  return startLoopback({ path: '/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent', onConnection: serve });
}
