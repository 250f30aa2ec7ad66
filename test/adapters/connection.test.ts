/**
 * The socket core both provider adapters share (adapters/connection.ts), driven with a toy
 * protocol against a local `ws` server: its phases, the outbox, the one validating `emit`, config
 * refusal before the credential, close classification and the connect timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, setup, type AnyEventObject } from 'xstate';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { AudioInput } from '../../adapters/audio.js';
import { AudioPlane } from '../../adapters/audio-plane.js';
import type { AdapterInput } from '../../adapters/adapter.js';
import { createProviderConnection, type ConnectionPhase, type ProviderLink, type ProviderProtocol, type SocketOptions } from '../../adapters/connection.js';
import { requireCredential } from '../../adapters/credentials.js';
import type { ClientIntentInput, ModelEventInput } from '../../adapters/events.js';
import { ClientIntentSchema } from '../../adapters/events.js';
import { parseSessionConfig } from '../../config.js';
import { silentLogger } from '../../logger.js';
import { waitUntil } from '../session/event-log.js';

interface Server {
  url: string;
  /** Text frames the server received, per socket. */
  received: string[][];
  sockets: ServerSocket[];
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that answers `{"hello":…}` with `{"ready":true}` unless told to stay silent. */
async function toyServer(options: { answer?: boolean } = {}): Promise<Server> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const server: Server = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/toy`,
    received: [],
    sockets: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close(() => resolve());
      }),
  };
  wss.on('connection', (socket) => {
    const frames: string[] = [];
    server.received.push(frames);
    server.sockets.push(socket);
    socket.on('message', (data) => {
      const text = String(data);
      frames.push(text);
      if (text.startsWith('{"hello"') && options.answer !== false) socket.send('{"ready":true}');
    });
  });
  servers.push(server);
  return server;
}

interface Toy {
  raw: AnyEventObject[];
  phases: ConnectionPhase[];
  link: () => ProviderLink;
  send(intent: ClientIntentInput): void;
  stop(): void;
}

/** Runs the core with a toy protocol under a bare parent that records what the child sends back, unvalidated. */
function startToy(options: Partial<SocketOptions> & { url: string }, protocol: Partial<ProviderProtocol> = {}): Toy {
  const raw: AnyEventObject[] = [];
  const phases: ConnectionPhase[] = [];
  let current: ProviderLink | undefined;
  const logic = createProviderConnection(
    {
      name: 'toy',
      credential: 'sk-toy-secret-123456',
      credentialFailure: 'Could not get a toy key',
      target: () => ({ url: options.url, headers: {} }),
      connectTimeoutMs: 2000,
      timeoutMessage: 'the toy did not answer',
      closeTimeoutMs: 500,
      audio: { targetRate: 24_000, minBatchBytes: 0, frame: (pcm) => `{"audio":${pcm.length}}` },
      ...options,
    },
    (link) => {
      current = link;
      phases.push(link.phase);
      return {
        opened: () => {
          phases.push(link.phase);
          link.sendNow({ hello: true });
        },
        frame: (text) => {
          if (text === '{"ready":true}') {
            link.ready({ providerSessionId: 'toy_1', restored: false });
            phases.push(link.phase);
          }
        },
        intent: (intent) => {
          if (intent.type === 'client.text') link.send({ text: intent.text });
        },
        closedBeforeReady: ({ code, where }) => ({ message: `the toy at ${where} closed with ${code}` }),
        ...protocol,
      };
    },
  );
  const input: AdapterInput = {
    config: parseSessionConfig({}),
    resumptionHandle: undefined,
    connectionId: 1,
    reason: 'initial',
    audio: new AudioPlane(),
    logger: silentLogger,
  };
  const parent = setup({ types: { events: {} as AnyEventObject }, actors: { model: logic } }).createMachine({
    invoke: { id: 'model', src: 'model', input },
    on: { '*': { actions: ({ event }) => raw.push(event) } },
  });
  const actor = createActor(parent);
  actor.start();
  return {
    raw,
    phases,
    link: () => current!,
    send(intent) {
      actor.getSnapshot().children['model']?.send(ClientIntentSchema.parse(intent));
    },
    stop: () => actor.stop(),
  };
}

const types = (toy: Toy) => toy.raw.map((e) => e.type);

describe('the socket core (adapters/connection.ts)', () => {
  it('walks its phases, holds frames until ready and sends them after the first frame, in order', async () => {
    const server = await toyServer();
    const toy = startToy({ url: server.url });
    toy.send({ type: 'client.text', text: 'early' });
    await waitUntil(() => types(toy).includes('model.connected'), 'model.connected');
    toy.send({ type: 'client.text', text: 'late' });
    await waitUntil(() => server.received[0]?.length === 3, 'three frames');
    expect(server.received[0]).toEqual(['{"hello":true}', '{"text":"early"}', '{"text":"late"}']);
    expect(toy.phases).toEqual(['resolvingCredentials', 'handshaking', 'ready']);
    toy.send({ type: 'client.close' });
    await waitUntil(() => types(toy).includes('model.closed'), 'model.closed');
    expect(toy.link().phase).toBe('closed');
    expect(toy.raw.at(-1)).toEqual({ type: 'model.closed', code: 1000, reason: 'client close', expected: true });
    toy.stop();
    expect(toy.link().phase).toBe('stopped');
  });

  it('validates every event through the neutral model: defaults filled in, an invalid one a model.error', async () => {
    const server = await toyServer();
    const toy = startToy({ url: server.url });
    await waitUntil(() => types(toy).includes('model.connected'), 'model.connected');
    toy.link().emit({ type: 'model.responseDone' });
    toy.link().emit({ type: 'model.functionCall', callId: '', name: 'f', arguments: '{}' });
    toy.link().emit({ type: 'model.nonsense' } as unknown as ModelEventInput);
    expect(toy.raw.slice(-3)).toEqual([
      { type: 'model.responseDone', status: 'completed' },
      { type: 'model.error', error: { code: 'invalid_frame', message: expect.stringContaining('"model.functionCall" failed validation') } },
      { type: 'model.error', error: { code: 'invalid_frame', message: expect.stringContaining('"model.nonsense" failed validation') } },
    ]);
    toy.stop();
    expect(toy.link().phase).toBe('stopped');
  });

  it('refuses a conflicting config before the credential is asked for or anything is sent', async () => {
    const server = await toyServer();
    let asked = 0;
    const credential = () => {
      asked++;
      return 'sk-toy-secret-123456';
    };
    const toy = startToy({ url: server.url, credential }, { conflict: { code: 'invalid_config', message: 'extra contradicts turnDetection', param: 'extra.x' } });
    expect(toy.raw).toEqual([{ type: 'model.connectFailed', error: { code: 'invalid_config', message: 'extra contradicts turnDetection', param: 'extra.x' } }]);
    await new Promise((r) => setTimeout(r, 30));
    expect(asked).toBe(0);
    expect(server.sockets).toHaveLength(0);
    expect(toy.link().phase).toBe('failed');
    toy.stop();
  });

  it('an empty key from a key function is invalid_config naming the option; a throwing one a connection failure, redacted', async () => {
    const server = await toyServer();
    const empty = startToy({ url: server.url, credential: requireCredential(() => '', 'apiKey') });
    await waitUntil(() => empty.raw.length > 0, 'a failure');
    expect(empty.raw[0]).toMatchObject({ type: 'model.connectFailed', error: { code: 'invalid_config', param: 'apiKey' } });
    empty.stop();
    const throwing = startToy({
      url: server.url,
      credential: () => {
        throw new Error('vault down for sk-live-abcdefghijkl');
      },
    });
    await waitUntil(() => throwing.raw.length > 0, 'a failure');
    expect(throwing.raw[0]).toMatchObject({ type: 'model.connectFailed', error: { code: 'connection_failed' } });
    const message = (throwing.raw[0] as unknown as { error: { message: string } }).error.message;
    expect(message.startsWith('Could not get a toy key: vault down')).toBe(true);
    expect(message).not.toContain('sk-live-abcdefghijkl');
    throwing.stop();
    expect(server.sockets).toHaveLength(0);
  });

  it('a close asked for before ready is reported at once, and nothing opens afterwards', async () => {
    const server = await toyServer();
    let resolveKey: (key: string) => void = () => undefined;
    const toy = startToy({ url: server.url, credential: () => new Promise<string>((resolve) => (resolveKey = resolve)) });
    toy.send({ type: 'client.close' });
    expect(toy.raw).toEqual([{ type: 'model.closed', code: 1000, reason: 'closed before the connection was ready', expected: true }]);
    expect(toy.link().phase).toBe('closed');
    resolveKey('sk-toy-secret-123456');
    await new Promise((r) => setTimeout(r, 30));
    expect(server.sockets).toHaveLength(0);
    toy.stop();
  });

  it('a close reported before ready is the last word: the connect timer does not add a failure later', async () => {
    const server = await toyServer();
    const toy = startToy({ url: server.url, connectTimeoutMs: 50, credential: () => new Promise<string>(() => undefined) });
    toy.send({ type: 'client.close' });
    await new Promise((r) => setTimeout(r, 120));
    expect(types(toy)).toEqual(['model.closed']);
    toy.stop();
  });

  it('a close asked for during the handshake is reported when the socket closes, as expected', async () => {
    const silent = await toyServer({ answer: false });
    const toy = startToy({ url: silent.url });
    await waitUntil(() => silent.received[0]?.length === 1, 'the first frame');
    toy.send({ type: 'client.close' });
    await waitUntil(() => types(toy).includes('model.closed'), 'model.closed');
    expect(toy.raw).toEqual([{ type: 'model.closed', code: 1000, reason: 'client close', expected: true }]);
    expect(toy.link().phase).toBe('closed');
    toy.stop();
  });

  it('classifies closes: before ready a connect failure, after ready an unexpected model.closed', async () => {
    const silent = await toyServer({ answer: false });
    const early = startToy({ url: silent.url });
    await waitUntil(() => silent.sockets.length === 1 && silent.received[0]!.length === 1, 'the first frame');
    silent.sockets[0]!.close(1011, 'no');
    await waitUntil(() => early.raw.length > 0, 'a failure');
    expect(early.raw).toEqual([{ type: 'model.connectFailed', error: { code: 'connection_failed', message: expect.stringMatching(/^the toy at ws:\/\/127\.0\.0\.1:\d+\/toy closed with 1011$/) } }]);
    expect(early.link().phase).toBe('failed');
    early.stop();

    const server = await toyServer();
    const late = startToy({ url: server.url });
    await waitUntil(() => types(late).includes('model.connected'), 'model.connected');
    server.sockets[0]!.close(1001, 'going away');
    await waitUntil(() => types(late).includes('model.closed'), 'model.closed');
    expect(late.raw.at(-1)).toEqual({ type: 'model.closed', code: 1001, reason: 'going away', expected: false });
    late.stop();
  });

  it('fails an attempt that is not ready within the connect timeout', async () => {
    const silent = await toyServer({ answer: false });
    const toy = startToy({ url: silent.url, connectTimeoutMs: 50 });
    await waitUntil(() => toy.raw.length > 0, 'a failure');
    expect(toy.raw).toEqual([{ type: 'model.connectFailed', error: { code: 'connection_failed', message: 'the toy did not answer' } }]);
    toy.stop();
  });
});

describe('AudioInput.maxBatchDelayMs', () => {
  it('sends a remainder under the batch size within the delay, and not before', async () => {
    const sent: number[] = [];
    const input = new AudioInput((pcm) => sent.push(pcm.length), () => undefined, { targetRate: 16_000, minBatchBytes: 1280, maxBatchDelayMs: 40 });
    input.push(Buffer.alloc(640), 16_000);
    expect(sent).toEqual([]);
    input.push(Buffer.alloc(960), 16_000);
    expect(sent).toEqual([1600]);
    input.push(Buffer.alloc(320), 16_000);
    await waitUntil(() => sent.length === 2, 'the remainder', 1000);
    expect(sent).toEqual([1600, 320]);
    input.close();
  });
});
