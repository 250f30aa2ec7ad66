/**
 * What both loopback servers share: a `ws` server on 127.0.0.1 (a free port), the scenario read
 * from the URL path (frames.ts), the tool round trips the server timed, and paced or flat-out
 * sending with back-pressure (a send waits while the socket holds more than 4 MB unsent).
 */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { parseBenchPath, type Mode } from './frames.js';

export interface LoopbackServer {
  /** The URL a client connects to for one scenario (`mode`, `count` frames or calls). */
  url(mode: Mode, count: number): string;
  /** Round trips (µs) from sending a call's arguments to receiving its output, since the last take. */
  takeToolRtts(): number[];
  close(): Promise<void>;
}

export interface Connection {
  socket: WebSocket;
  mode: Mode;
  count: number;
}

export interface ServerParts {
  /** The first part of the URL after the scenario path (the provider's own path). */
  path: string;
  onConnection(conn: Connection, recordRtt: (us: number) => void): void;
}

const HIGH_WATER = 4 * 1024 * 1024;

/** Sends `count` frames as fast as the socket drains; resolves when all are written or it closed. */
export async function flood(socket: WebSocket, count: number, frame: Buffer): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(frame, { binary: false });
    if (socket.bufferedAmount > HIGH_WATER) {
      for (let waits = 0; socket.bufferedAmount > HIGH_WATER / 2 && waits < 10_000; waits++) {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  }
}

/** Calls `send(i)` every `ms` for `count` ticks; `done()` after the last. Returns a stop function. */
export function paced(socket: WebSocket, count: number, ms: number, send: (i: number) => void, done: () => void): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.readyState !== WebSocket.OPEN) return clearInterval(timer);
    send(i++);
    if (i >= count) {
      clearInterval(timer);
      done();
    }
  }, ms);
  return () => clearInterval(timer);
}

export async function startLoopback(parts: ServerParts): Promise<LoopbackServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const port = (wss.address() as AddressInfo).port;
  let rtts: number[] = [];
  wss.on('connection', (socket, request) => {
    socket.on('error', () => undefined);
    const { mode, count } = parseBenchPath(request.url);
    parts.onConnection({ socket, mode, count }, (us) => rtts.push(us));
  });
  return {
    url: (mode, count) => `ws://127.0.0.1:${port}/bench/${mode}/${count}${parts.path}`,
    takeToolRtts: () => {
      const taken = rtts;
      rtts = [];
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
