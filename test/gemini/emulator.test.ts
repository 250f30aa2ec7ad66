/**
 * The emulator's Gemini side driven by a raw `ws` client: protocol rules the adapter never breaks
 * on purpose (a second setup, a non-setup first message, mixed schema fields, manual activity).
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Emulator } from '../../emulator/index.js';
import { emulator, serverFrames, silence, tone } from './fixture.js';

let emu: Emulator | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await emu?.close();
  emu = undefined;
});

interface Client {
  messages: Array<Record<string, unknown>>;
  binary: boolean[];
  send(message: object): void;
  closed: Promise<{ code: number; reason: string }>;
}

async function connect(e: Emulator, path?: string): Promise<Client> {
  const ws = new WebSocket(path ? e.baseUrl + path : e.geminiUrl);
  sockets.push(ws);
  const client: Client = {
    messages: [],
    binary: [],
    send: (m) => ws.send(JSON.stringify(m)),
    closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
  ws.on('message', (data, isBinary) => {
    client.binary.push(isBinary);
    client.messages.push(JSON.parse(String(data)) as Record<string, unknown>);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return client;
}

const waitFor = async (c: Client, key: string, n = 1): Promise<void> => {
  const started = Date.now();
  while (c.messages.filter((m) => key in m || key in ((m['serverContent'] as object | undefined) ?? {})).length < n) {
    if (Date.now() - started > 3000) throw new Error(`timed out waiting for ${key}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const setup = { setup: { model: 'models/gemini-live-2.5-flash-preview' } };

describe('emulator: gemini side', () => {
  it('answers setup with setupComplete in a binary frame and rejects a second setup with 1007', async () => {
    emu = await emulator();
    const c = await connect(emu);
    c.send(setup);
    await waitFor(c, 'setupComplete');
    expect(c.binary[0]).toBe(true);
    c.send(setup);
    const closed = await c.closed;
    expect(closed.code).toBe(1007);
    expect(closed.reason).toContain('setup');
  });

  it('closes with 1007 when the first message is not setup', async () => {
    emu = await emulator();
    const c = await connect(emu);
    c.send({ clientContent: { turns: [], turnComplete: true } });
    expect((await c.closed).code).toBe(1007);
  });

  it('refuses parameters together with parametersJsonSchema', async () => {
    emu = await emulator();
    const c = await connect(emu);
    c.send({ setup: { model: 'models/x', tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'OBJECT' }, parametersJsonSchema: { type: 'object' } }] }] } });
    expect((await c.closed).code).toBe(1007);
  });

  it('answers the Vertex path too, and manual activity produces a turn', async () => {
    emu = await emulator();
    const c = await connect(emu, '/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent');
    c.send({ setup: { model: 'projects/p/locations/l/publishers/google/models/m', realtimeInputConfig: { automaticActivityDetection: { disabled: true } }, inputAudioTranscription: {} } });
    await waitFor(c, 'setupComplete');
    c.send({ realtimeInput: { activityStart: {} } });
    c.send({ realtimeInput: { audio: { mimeType: 'audio/pcm;rate=16000', data: Buffer.concat([tone(200, 16000), silence(50, 16000)]).toString('base64') } } });
    c.send({ realtimeInput: { activityEnd: {} } });
    await waitFor(c, 'turnComplete');
    const contents = c.messages.map((m) => m['serverContent'] as Record<string, unknown> | undefined).filter(Boolean);
    expect(contents[0]).toEqual({ inputTranscription: { text: '(spoken turn 1, 250 ms)' } });
    const order = contents.map((sc) => Object.keys(sc!)[0]);
    expect(order.indexOf('generationComplete')).toBeLessThan(order.indexOf('turnComplete'));
    expect(order).toContain('modelTurn');
    expect(serverFrames(emu, 'sessionResumptionUpdate')).toHaveLength(0);
  });
});

describe('emulator: what gemini-3.8-live refuses on the Gemini API (gemini-live-2026.md §1, §4)', () => {
  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['proactiveAudio: false', { proactivity: { proactiveAudio: false } }, 'proactivity.proactiveAudio'],
    ['affective dialog (any value)', { generationConfig: { enableAffectiveDialog: false } }, 'enableAffectiveDialog'],
    ['a thinking config', { generationConfig: { thinkingConfig: { thinkingLevel: 'LOW' } } }, 'thinkingConfig'],
  ];
  for (const [what, fields, named] of refused) {
    it(`closes a setup with ${what} with 1007 and a reason naming the field, before setupComplete`, async () => {
      emu = await emulator();
      const c = await connect(emu);
      c.send({ setup: { model: 'models/gemini-3.8-live', ...fields } });
      const closed = await c.closed;
      expect(closed.code).toBe(1007);
      expect(closed.reason).toContain(named);
      expect(closed.reason).toContain('gemini-3.8-live');
      expect(c.messages).toEqual([]);
    });
  }

  it('accepts proactiveAudio: true on 3.8, a thinking config on -extended-thinking, and both features on Vertex 3.8', async () => {
    emu = await emulator();
    const api = await connect(emu);
    api.send({ setup: { model: 'models/gemini-3.8-live', proactivity: { proactiveAudio: true } } });
    await waitFor(api, 'setupComplete');
    const extended = await connect(emu);
    extended.send({ setup: { model: 'models/gemini-3.8-live-extended-thinking', generationConfig: { thinkingConfig: { thinkingLevel: 'LOW' } } } });
    await waitFor(extended, 'setupComplete');
    const vertex = await connect(emu, '/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent');
    vertex.send({ setup: { model: 'projects/p/locations/us/publishers/google/models/gemini-3.8-live', proactivity: { proactiveAudio: false }, generationConfig: { enableAffectiveDialog: true } } });
    await waitFor(vertex, 'setupComplete');
  });
});
