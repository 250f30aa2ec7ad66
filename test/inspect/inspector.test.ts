/**
 * The inspector against a local WebSocket receiver (127.0.0.1, ephemeral port): a session with a
 * tool call, audio, a secret-holding adapter and a resumption. The transitions must arrive in
 * order, tool actors must appear, and no key, token or audio payload may appear in any message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { createWebSocketReceiver, type StatelyInspectionEvent } from '@statelyai/inspect';
import { fromCallback } from 'xstate';
import { z } from 'zod';
import { createRealtimeSession, defineTool, type ModelAdapter } from '../../index.js';
import { createScriptedModel, type ScriptedModelOptions } from '../../testing.js';
import type { AdapterInput } from '../../adapters/adapter.js';
import type { ClientIntent } from '../../adapters/events.js';
import { createInspectionCallback, type SanitizedInspectionEvent } from '../../inspect/callback.js';
import { createVoxstateInspector } from '../../inspect/inspector.js';
import { sanitizeValue } from '../../inspect/sanitize.js';
import { record, waitUntil } from '../session/event-log.js';

const API_KEY = 'sk-test-SECRET1234567890abcdef';
// Not shaped like any known key: only the key-name rule can catch it.
const OPAQUE_TOKEN = 'opaque-TOKEN-9f8e7d6c5b4a';
const AUDIO_BYTE = 0x5a; // 'Z': base64 "WlpaWlpa…", JSON Buffer data "90,90,90…"
const frame = () => Buffer.alloc(960, AUDIO_BYTE);

/** A scripted model behind an adapter whose closure holds an API key, as a real one would. */
function secretHoldingModel(apiKey: string, options: ScriptedModelOptions) {
  const scripted = createScriptedModel(options);
  const inner = scripted.logic as unknown as { config: (args: unknown) => unknown };
  const headers = { Authorization: `Bearer ${apiKey}` };
  const logic = fromCallback<ClientIntent, AdapterInput>((args) => {
    void headers.Authorization; // the closure keeps the secret alive for the connection's life
    return inner.config(args) as () => void;
  });
  const adapter: ModelAdapter = { provider: scripted.provider, model: scripted.model, capabilities: scripted.capabilities, logic };
  return { scripted, adapter };
}

async function startReceiver(listenOn = 0) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: listenOn });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const messages: string[] = [];
  wss.on('connection', (ws) => ws.on('message', (data) => messages.push(data.toString())));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    messages,
    parsed: () => messages.map((m) => JSON.parse(m) as StatelyInspectionEvent),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (taken from the system, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A plain `ws` client of the relay, as the browser page is: every message it gets, parsed. */
async function viewer(wsUrl: string) {
  const ws = new WebSocket(wsUrl);
  const messages: StatelyInspectionEvent[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as StatelyInspectionEvent));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { messages, close: () => ws.terminate() };
}

/** `{ link: { connected: {...} } }` → 'link.connected'; 'disconnected' → 'disconnected'. */
function phase(value: unknown): string {
  if (typeof value === 'string') return value;
  const [top, inner] = Object.entries(value as Record<string, unknown>)[0]!;
  return typeof inner === 'string' ? `${top}.${inner}` : `${top}.${Object.keys(inner as object)[0]}`;
}

function dedupe(values: string[]): string[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

function assertNoLeaks(texts: readonly string[]) {
  for (const text of texts) {
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('SECRET123');
    expect(text).not.toContain(OPAQUE_TOKEN);
    expect(text).not.toContain('"type":"Buffer"');
    expect(text).not.toContain('WlpaWlpa');
    expect(text).not.toMatch(/(90,){16}/);
    // The machine definition names the event; no event record or snapshot may carry one.
    expect(text).not.toMatch(/"event":\{"type":"session\.sendAudio"/);
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('createVoxstateInspector against a local WebSocket receiver', () => {
  it('streams the session in order, shows tool actors, and leaks no key, token or audio', async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const inspector = createVoxstateInspector({ url: receiver.url });
    cleanups.push(() => inspector.stop());
    await inspector.ready;

    const lookup = defineTool({
      name: 'lookup_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => ({ city, sky: 'sunny' }),
    });
    const { scripted, adapter } = secretHoldingModel(API_KEY, {
      change: { instructions: 'resumption' },
      connectDelayMs: 15,
      responses: [
        { toolCalls: [{ callId: 'call_a', name: 'lookup_weather', arguments: { city: 'Oslo' } }] },
        { audio: [frame(), frame()], transcript: 'It is sunny in Oslo.' },
        { transcript: 'Billing here.' },
      ],
    });
    const session = createRealtimeSession({
      model: adapter,
      instructions: 'You are triage.',
      tools: [lookup],
      extra: { apiKey: API_KEY, authorization: `Bearer ${OPAQUE_TOKEN}`, session_token: OPAQUE_TOKEN, note: 'kept' },
      inspect: inspector.inspect,
    });
    const log = record(session);
    await session.connect();

    await session.sendText('What is the weather in Oslo?');
    await log.waitFor('tool_result', (e) => e.callId === 'call_a');
    await waitUntil(() => log.of('response_done').length === 2 && session.actor.getSnapshot().matches({ link: { connected: { turn: 'idle' } } }), 'the follow-up response');
    // An embedding parent sends audio as events; these are the high-rate ones the pre-filter drops.
    for (let i = 0; i < 5; i++) session.actor.send({ type: 'session.sendAudio', audio: frame() });

    const updated = session.updateSession({ instructions: 'You are billing.' }, { bridgeMessage: `Transferred. The caller read out ${API_KEY}.` });
    await waitUntil(() => session.actor.getSnapshot().matches({ link: 'resuming' }), 'resuming');
    session.sendAudio(frame()); // held in the audio plane while resuming
    expect(await updated).toBe('resumed');
    await waitUntil(() => log.of('response_done').length === 3, 'the bridge response');
    expect(scripted.current().input.config.instructions).toBe('You are billing.');
    await session.close();
    await inspector.stop();
    await waitUntil(() => receiver.messages.length === inspector.stats.sent, 'every message at the receiver');

    const events = receiver.parsed();
    const root = events.find((e) => e.type === '@xstate.actor' && e.name === 'realtimeSession');
    expect(root).toBeDefined();
    const rootSnapshots = events.filter((e): e is Extract<StatelyInspectionEvent, { type: '@xstate.snapshot' }> =>
      e.type === '@xstate.snapshot' && e.sessionId === root!.sessionId,
    );
    expect(dedupe(rootSnapshots.map((e) => phase((e.snapshot as { value?: unknown }).value)))).toEqual([
      'disconnected',
      'link.connecting',
      'link.connected',
      'link.resuming',
      'link.connected',
      'link.closing',
      'closed',
    ]);
    // The turn inside the first connection: a response, its tool call, the follow-up.
    const turns = dedupe(
      rootSnapshots
        .map((e) => ((e.snapshot as { value?: unknown }).value as { link?: { connected?: { turn?: unknown } } }).link?.connected?.turn)
        .filter((t) => t !== undefined)
        .map((t) => (typeof t === 'string' ? t : `generating.${Object.values(t as object)[0]}`)),
    );
    // idle → the text asked for a reply → the response with the tool call → (the tool answered)
    // the follow-up the session asked for.
    expect(turns.slice(0, 3)).toEqual(['idle', 'generating.requested', 'generating.streaming']);
    expect(turns.indexOf('generating.requested', 2)).toBeGreaterThan(2);

    // The tool actor appears as a child of the session and runs to its outcome.
    const tool = events.find((e) => e.type === '@xstate.actor' && e.name === 'tool.call_a');
    expect(tool).toMatchObject({ parentId: root!.sessionId });
    const toolStates = dedupe(
      events
        .filter((e) => e.type === '@xstate.snapshot' && e.sessionId === tool!.sessionId)
        .map((e) => String((e as { snapshot: { value: unknown } }).snapshot.value)),
    );
    expect(toolStates).toEqual(expect.arrayContaining(['running', 'succeeded']));
    expect(toolStates.indexOf('running')).toBeLessThan(toolStates.indexOf('succeeded'));
    // The model adapter child (one per connection) is there too.
    expect(events.filter((e) => e.type === '@xstate.actor' && e.name === 'model').length).toBe(2);

    // Nothing secret, no audio: the raw text of every message.
    assertNoLeaks(receiver.messages);
    const all = receiver.messages.join('\n');
    expect(all).toContain('[audio plane]');
    expect(all).toContain('[redacted]');
    expect(all).toContain('"note":"kept"');
    expect(all).toContain('Transferred. The caller read out [redacted].');
    expect(inspector.stats.dropped).toBeGreaterThanOrEqual(5 * 2); // event + snapshot per sendAudio
  });

  it('starts a loopback relay that createWebSocketReceiver (the browser stand-in) reads from', async () => {
    const inspector = createVoxstateInspector({ relay: { port: 0 } });
    cleanups.push(() => inspector.stop());
    await inspector.ready;
    expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(inspector.url!).then((r) => r.text());
    expect(page).toContain(inspector.wsUrl!);
    expect(page).toContain('https://stately.ai/inspect');

    const received: StatelyInspectionEvent[] = [];
    createWebSocketReceiver({ server: inspector.wsUrl! }).subscribe((e) => received.push(e));
    const model = createScriptedModel();
    const session = createRealtimeSession({ model, extra: { apiKey: API_KEY }, inspect: inspector.inspect });
    await session.connect();
    // The receiver's socket may open after the session started (a loaded machine): the relay
    // replays live actors to a late viewer, so wait for that before closing — a viewer that
    // connects after the close sees no closed actor.
    await waitUntil(() => received.some((e) => e.type === '@xstate.actor'), 'the session actor at the receiver');
    await session.close();
    await waitUntil(() => received.some((e) => e.type === '@xstate.snapshot' && (e.snapshot as { value?: unknown }).value === 'closed'), 'the closed snapshot at the receiver');
    expect(received.find((e) => e.type === '@xstate.actor')).toMatchObject({ name: 'realtimeSession' });
    assertNoLeaks(received.map((e) => JSON.stringify(e)));
  });

  it('a relay whose port is taken rejects ready with a readable error; the process and the session carry on', async () => {
    const first = createVoxstateInspector({ relay: { port: 0 } });
    cleanups.push(() => first.stop());
    await first.ready;
    const port = Number(new URL(first.url!).port);
    const second = createVoxstateInspector({ relay: { port } });
    cleanups.push(() => second.stop());
    await expect(second.ready).rejects.toMatchObject({ code: 'connection_failed', message: expect.stringContaining('already in use') });
    const session = createRealtimeSession({ model: createScriptedModel(), inspect: second.inspect });
    await session.connect();
    expect(session.connected).toBe(true);
    await session.close();
  });
});

describe('createVoxstateInspector: delivery', () => {
  it('with nothing listening at url, ready rejects and nothing counts as sent; a receiver that starts later gets the queue', async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    const inspector = createVoxstateInspector({ url });
    cleanups.push(() => inspector.stop());
    await expect(inspector.ready).rejects.toMatchObject({ code: 'connection_failed', message: expect.stringContaining(`Could not reach the inspector receiver at ${url}`) });

    const session = createRealtimeSession({ model: createScriptedModel(), inspect: inspector.inspect });
    await session.connect();
    await session.close();
    await waitUntil(() => inspector.stats.queued > 0 && session.state === 'closed', 'messages queued for the receiver');
    expect(inspector.stats.sent).toBe(0);

    const receiver = await startReceiver(port);
    cleanups.push(receiver.close);
    // The transport retries with backoff (250 ms, doubling): the queue goes out on its next attempt.
    await waitUntil(() => inspector.stats.queued === 0 && receiver.messages.length === inspector.stats.sent, 'the queue at the late receiver', 5_000);
    expect(inspector.stats.sent).toBeGreaterThan(0);
    expect(inspector.stats.discarded).toBe(0);
    expect(receiver.parsed()[0]).toMatchObject({ type: '@xstate.actor', name: 'realtimeSession' });
  });

  it('a viewer that connects to the relay late sees every live actor and its latest snapshot, not only the last 200 messages', async () => {
    const inspector = createVoxstateInspector({ relay: { port: 0 }, dropEvents: [] });
    cleanups.push(() => inspector.stop());
    await inspector.ready;
    const early = await viewer(inspector.wsUrl!);
    cleanups.push(early.close);

    const session = createRealtimeSession({ model: createScriptedModel(), inspect: inspector.inspect });
    cleanups.push(() => session.close());
    await session.connect();
    // 250 audio events (kept: dropEvents is empty), an event and a snapshot each: 500 messages
    // after the session and its model registered.
    for (let i = 0; i < 250; i++) session.actor.send({ type: 'session.sendAudio', audio: frame() });
    await waitUntil(() => inspector.stats.queued === 0 && inspector.stats.sent > 500 && early.messages.length === inspector.stats.sent, 'everything at the relay');

    const late = await viewer(inspector.wsUrl!);
    cleanups.push(late.close);
    // A marker sent live after the replay: once it is there, the replay is complete.
    session.actor.send({ type: 'session.sendAudio', audio: Buffer.alloc(2) });
    const isMarker = (e: StatelyInspectionEvent) => e.type === '@xstate.event' && JSON.stringify(e.event).includes('[audio 2 bytes]');
    await waitUntil(() => late.messages.some(isMarker), 'the live marker at the late viewer');
    const replayed = late.messages.slice(0, late.messages.findIndex(isMarker));

    const registrations = replayed.filter((e) => e.type === '@xstate.actor');
    expect(registrations.map((e) => (e as { name: string }).name)).toEqual(['realtimeSession', 'model']);
    const root = registrations[0]!;
    // The replay ends on the current state of each live actor.
    const rootSnapshots = replayed.filter((e) => e.type === '@xstate.snapshot' && e.sessionId === root.sessionId);
    expect(phase((rootSnapshots.at(-1) as { snapshot: { value: unknown } }).snapshot.value)).toBe('link.connected');
    expect(replayed.findIndex((e) => e === rootSnapshots.at(-1))).toBeGreaterThan(replayed.findIndex((e) => e === root));
    expect(replayed.filter((e) => e.type === '@xstate.event')).toHaveLength(200);
  });
});

describe('sanitizers for plain inspection callbacks', () => {
  it('createInspectionCallback gives sanitized records, microsteps included, audio events dropped', async () => {
    const seen: SanitizedInspectionEvent[] = [];
    const model = createScriptedModel({ responses: [{ audio: [frame()] }] });
    const session = createRealtimeSession({
      model,
      extra: { apiKey: API_KEY, token: OPAQUE_TOKEN },
      inspect: createInspectionCallback((e) => seen.push(e)),
    });
    await session.connect();
    session.actor.send({ type: 'session.sendAudio', audio: frame() });
    await session.close();
    const texts = seen.map((e) => JSON.stringify(e));
    assertNoLeaks(texts);
    const connect = seen.find((e) => e.type === '@xstate.microstep' && e.event?.type === 'session.connect');
    expect(connect?.transitions).toEqual([
      { source: 'realtimeSession.disconnected', event: 'session.connect', targets: ['realtimeSession.link.connecting'] },
    ]);
    const input = seen.find((e) => e.type === '@xstate.actor' && e.actorId === 'model')?.snapshot?.['input'] as Record<string, unknown>;
    expect(input).toMatchObject({ audio: '[audio plane]', logger: '[logger]', config: { extra: { apiKey: '[redacted]', token: '[redacted]' } } });
  });

  it('sanitizeValue: binary, keys, strings, cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic['self'] = cyclic;
    const out = sanitizeValue({
      audio: Buffer.alloc(4),
      samples: new Int16Array(8),
      json: JSON.parse(JSON.stringify({ b: Buffer.alloc(3) })),
      apiKey: 'anything',
      'x-api-key': 'anything',
      Authorization: 'Bearer abc.def',
      refreshToken: 'r',
      usage: { inputTokens: 3, outputTokens: 4, maxOutputTokens: 'inf' },
      text: `key=${API_KEY}`,
      b64: 'A'.repeat(300),
      fn: () => 1,
      cyclic,
    });
    expect(out).toEqual({
      audio: '[audio 4 bytes]',
      samples: '[audio 16 bytes]',
      json: { b: '[audio 3 bytes]' },
      apiKey: '[redacted]',
      'x-api-key': '[redacted]',
      Authorization: '[redacted]',
      refreshToken: '[redacted]',
      usage: { inputTokens: 3, outputTokens: 4, maxOutputTokens: 'inf' },
      text: 'key=[redacted]',
      b64: '[base64 300 chars]',
      cyclic: { name: 'x', self: '[circular]' },
    });
  });
});

