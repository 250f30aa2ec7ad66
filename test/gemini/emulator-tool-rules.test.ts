/**
 * The emulator's Gemini tool rules per model (emulator/gemini-tool-rules.ts), with a raw `ws`
 * client, since voxstate's adapter always declares `behavior`: a declaration without it is
 * NON_BLOCKING on 3.8 (the model keeps talking) and BLOCKING on older models; new user input
 * cancels a running BLOCKING call (`toolCallCancellation`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Emulator } from '../../emulator/index.js';
import { emulator, until } from './fixture.js';

let emu: Emulator | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await emu?.close();
  emu = undefined;
});

type Json = Record<string, any>;

async function session(model: string, behavior?: string) {
  emu = await emulator();
  const ws = new WebSocket(emu.geminiUrl);
  sockets.push(ws);
  const messages: Json[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Json));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const send = (m: object) => ws.send(JSON.stringify(m));
  const declaration: Json = { name: 'get_weather', description: 'Weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } };
  if (behavior) declaration['behavior'] = behavior;
  send({ setup: { model: `models/${model}`, generationConfig: { responseModalities: ['TEXT'] }, tools: [{ functionDeclarations: [declaration] }] } });
  await until(() => messages.some((m) => 'setupComplete' in m), 'setupComplete');
  const ask = (text: string) => send({ clientContent: { turns: [{ role: 'user', parts: [{ text }] }], turnComplete: true } });
  const after = (key: string) => messages.slice(messages.findIndex((m) => key in m) + 1);
  return { messages, send, ask, after };
}

const spoke = (messages: Json[]) => messages.some((m) => m['serverContent']?.modelTurn);

describe('emulator: Gemini tool rules per model', () => {
  it('3.8 without behavior: NON_BLOCKING, the model keeps talking and ends its turn before the result', async () => {
    const s = await session('gemini-3.8-live');
    s.ask('weather in Paris?');
    await until(() => s.messages.some((m) => m['serverContent']?.turnComplete), 'turnComplete');
    expect(spoke(s.after('toolCall'))).toBe(true);
  });

  it('2.5 without behavior: BLOCKING, the model waits for the toolResponse', async () => {
    const s = await session('gemini-2.5-flash-native-audio-preview-12-2025');
    s.ask('weather in Paris?');
    await until(() => s.messages.some((m) => 'toolCall' in m), 'toolCall');
    await new Promise((r) => setTimeout(r, 150));
    expect(spoke(s.after('toolCall'))).toBe(false);
    expect(s.messages.some((m) => m['serverContent']?.turnComplete)).toBe(false);
  });

  it('a BLOCKING call on 3.8 is cancelled by new user input', async () => {
    const s = await session('gemini-3.8-live', 'BLOCKING');
    s.ask('weather in Paris?');
    await until(() => s.messages.some((m) => 'toolCall' in m), 'toolCall');
    const id = s.messages.find((m) => 'toolCall' in m)!['toolCall'].functionCalls[0].id;
    s.ask('never mind, tell me a joke');
    await until(() => s.messages.some((m) => 'toolCallCancellation' in m), 'toolCallCancellation');
    expect(s.messages.find((m) => 'toolCallCancellation' in m)!['toolCallCancellation']).toEqual({ ids: [id] });
  });

  it('a late NON_BLOCKING result with SILENT goes into the context without speech', async () => {
    const s = await session('gemini-3.8-live', 'NON_BLOCKING');
    s.ask('weather in Paris?');
    await until(() => s.messages.some((m) => m['serverContent']?.turnComplete), 'turnComplete');
    const id = s.messages.find((m) => 'toolCall' in m)!['toolCall'].functionCalls[0].id;
    const before = s.messages.length;
    s.send({ toolResponse: { functionResponses: [{ id, name: 'get_weather', response: { output: { sky: 'sunny' } }, scheduling: 'SILENT' }] } });
    await until(() => emu!.gemini.history().some((t) => t.text.includes('get_weather returned')), 'the result in the context');
    await new Promise((r) => setTimeout(r, 100));
    expect(s.messages.slice(before).filter((m) => m['serverContent']?.modelTurn)).toEqual([]);
  });
});
