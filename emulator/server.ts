/**
 * The local realtime emulator: one `ws` server on loopback that speaks the providers' wire
 * protocols, so the test suite, the examples and `npm start` run with no API key and no network.
 * Each protocol side registers a route (which URL paths it answers) and handles its own connections.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createRuleBrain, type Brain } from './brain.js';
import { selfSignedCertificate, type TlsCredentials } from './self-signed.js';

export interface EmulatorContext {
  brain: Brain;
  /** Per-protocol options, read by each side (e.g. `openai`, `gemini`). */
  options: EmulatorOptions;
  /** Every frame in and out, for tests: newest last, bounded. */
  log: EmulatorLog;
}

export interface EmulatorLogEntry {
  protocol: string;
  connection: number;
  direction: 'in' | 'out';
  frame: unknown;
}

export class EmulatorLog {
  readonly entries: EmulatorLogEntry[] = [];
  constructor(private readonly max = 20_000) {}
  add(entry: EmulatorLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
  }
  /** Frames of one direction, optionally of one protocol. */
  frames(direction: 'in' | 'out', protocol?: string): unknown[] {
    return this.entries.filter((e) => e.direction === direction && (!protocol || e.protocol === protocol)).map((e) => e.frame);
  }
}

export type ConnectionHandler = (socket: WebSocket, request: IncomingMessage, context: EmulatorContext, connection: number) => void;

export interface EmulatorRoute {
  protocol: string;
  /** Matches the request path (without query). */
  matches(pathname: string): boolean;
  handle: ConnectionHandler;
  /**
   * Optional handshake check, before the upgrade: return a status (e.g. 401) and message to refuse
   * the connection the way the real service does, or undefined to accept it.
   */
  authorize?(request: IncomingMessage, context: EmulatorContext): { status: number; message: string } | undefined;
  /**
   * Optional plain HTTP endpoints of this protocol (e.g. minting ephemeral credentials): the
   * request with its body read as text; undefined when the request is not this route's.
   */
  http?(request: IncomingMessage, body: string, context: EmulatorContext): HttpReply | undefined;
}

/** A JSON answer to a plain HTTP request. */
export interface HttpReply {
  status: number;
  body: unknown;
}

/** Request bodies larger than this are refused (413): the REST routes take small JSON documents. */
const MAX_HTTP_BODY = 1_000_000;

export interface EmulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  brain?: Brain;
  /**
   * Serve `wss:` instead of `ws:`: `true` generates a self-signed certificate for localhost,
   * 127.0.0.1 and ::1 (returned as `certificate`, for clients to trust); or give your own PEM pair.
   */
  tls?: boolean | TlsCredentials;
  /** Protocol routes; each protocol side exports its route. */
  routes: readonly EmulatorRoute[];
  /** Protocol-specific knobs, keyed by protocol name. */
  [protocol: string]: unknown;
}

export interface RunningEmulator {
  host: string;
  port: number;
  /** `ws://host:port`, or `wss://host:port` with `tls`. */
  baseUrl: string;
  /** `http://host:port`, or `https://host:port` with `tls`: the REST routes (ephemeral credentials). */
  httpUrl: string;
  /** With `tls`: the PEM certificate the server presents; clients must trust it (`ca`, `NODE_EXTRA_CA_CERTS`). */
  certificate: string | undefined;
  context: EmulatorContext;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The path of a request target, without the query. Repeated slashes are one: `@google/genai` joins
 * its base URL (which ends in `/`) and `/ws/…` into `//ws/…`, which `new URL` would read as a host.
 */
export function requestPath(target: string | undefined): string {
  const path = (target ?? '/').split('?')[0]!.replace(/\/{2,}/g, '/');
  return path.startsWith('/') ? path : `/${path}`;
}

export async function startEmulatorServer(options: EmulatorOptions & { allowNonLoopback?: boolean }): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !options.allowNonLoopback) {
    throw new Error(`The emulator binds to loopback only; pass allowNonLoopback to bind ${host}`);
  }
  const context: EmulatorContext = { brain: options.brain ?? createRuleBrain(), options, log: new EmulatorLog() };
  const onRequest: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_HTTP_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_HTTP_BODY) return void res.writeHead(413).end();
      const body = Buffer.concat(chunks).toString('utf8');
      for (const route of options.routes) {
        const reply = route.http?.(req, body, context);
        if (reply) return void res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      }
      res.writeHead(426, { 'content-type': 'text/plain' }).end('voxstate emulator: connect with a WebSocket\n');
    });
  };
  const credentials = options.tls === true ? await selfSignedCertificate() : options.tls || undefined;
  const server: Server = credentials ? createTlsServer({ cert: credentials.cert, key: credentials.key }, onRequest) : createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true });
  let connections = 0;
  server.on('upgrade', (request, socket, head) => {
    const pathname = requestPath(request.url);
    const route = options.routes.find((r) => r.matches(pathname));
    if (!route) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const refusal = route.authorize?.(request, context);
    if (refusal) {
      const body = JSON.stringify({ error: { message: refusal.message } });
      socket.end(
        `HTTP/1.1 ${refusal.status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => route.handle(ws, request, context, ++connections));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    baseUrl: `${credentials ? 'wss' : 'ws'}://${urlHost}:${port}`,
    httpUrl: `${credentials ? 'https' : 'http'}://${urlHost}:${port}`,
    certificate: credentials?.cert,
    context,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
