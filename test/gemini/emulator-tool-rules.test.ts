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

async function session(model: string, behavior?: string, options: { setup?: Json; emulator?: Parameters<typeof emulator>[0] } = {}) {
  emu = await emulator(options.emulator);
  const ws = new WebSocket(emu.geminiUrl);
  sockets.push(ws);
  const messages: Json[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Json));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const send = (m: object) => ws.send(JSON.stringify(m));
  const declaration: Json = { name: 'get_weather', description: 'Weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } };
  if (behavior) declaration['behavior'] = behavior;
  send({ setup: { model: `models/${model}`, generationConfig: { responseModalities: ['TEXT'] }, tools: [{ functionDeclarations: [declaration] }], ...options.setup } });
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

  for (const [model, waits] of [['gemini-3.8-live', true], ['gemini-2.5-flash-native-audio-preview-12-2025', false]] as const) {
    it(`an INTERRUPT result while the user is talking ${waits ? 'waits for the user to finish on 3.8' : 'plays over the user on 2.5'}`, async () => {
      const manual = { realtimeInputConfig: { automaticActivityDetection: { disabled: true } } };
      const s = await session(model, 'NON_BLOCKING', { setup: manual });
      s.ask('weather in Paris?');
      await until(() => s.messages.some((m) => m['serverContent']?.turnComplete), 'turnComplete');
      const id = s.messages.find((m) => 'toolCall' in m)!['toolCall'].functionCalls[0].id;
      s.send({ realtimeInput: { activityStart: {} } });
      await new Promise((r) => setTimeout(r, 50));
      const before = s.messages.length;
      s.send({ toolResponse: { functionResponses: [{ id, name: 'get_weather', response: { output: { sky: 'sunny' } }, scheduling: 'INTERRUPT' }] } });
      await until(() => emu!.gemini.history().some((t) => t.text.includes('get_weather returned')), 'the result in the context');
      await new Promise((r) => setTimeout(r, 200));
      expect(spoke(s.messages.slice(before))).toBe(!waits);
      s.send({ realtimeInput: { activityEnd: {} } });
      await until(() => spoke(s.messages.slice(before)), 'the result spoken');
    });
  }

  it('with cancelToolCallsOnInterrupt false (a 3.8 report [G12]): new input drops a BLOCKING call silently, and its late toolResponse gets no reply', async () => {
    const s = await session('gemini-3.8-live', 'BLOCKING', { emulator: { gemini: { cancelToolCallsOnInterrupt: false } } });
    s.ask('weather in Paris?');
    await until(() => s.messages.some((m) => 'toolCall' in m), 'toolCall');
    const id = s.messages.find((m) => 'toolCall' in m)!['toolCall'].functionCalls[0].id;
    s.ask('never mind, tell me a joke');
    // The interrupted turn completes, then the joke's.
    await until(() => s.messages.filter((m) => m['serverContent']?.turnComplete).length >= 2, 'the joke answered');
    const before = s.messages.length;
    s.send({ toolResponse: { functionResponses: [{ id, name: 'get_weather', response: { output: { sky: 'sunny' } } }] } });
    await new Promise((r) => setTimeout(r, 200));
    expect(s.messages.some((m) => 'toolCallCancellation' in m)).toBe(false);
    expect(s.messages.slice(before)).toEqual([]);
  });
});
