/**
 * A local inspector relay, protocol-compatible with `createInspectorServer` from
 * `@statelyai/inspect/server`: an HTTP page that embeds the Stately inspector UI and a WebSocket
 * server that relays every message from one client (the inspected process) to all others (the
 * page, or `createWebSocketReceiver`). A client that joins late gets every live actor's
 * registration and latest snapshot plus the recent events (inspect/live-actors.ts), so a browser
 * opened mid-call sees the whole tree.
 *
 * Differences, on purpose: it listens on 127.0.0.1 by default (the Stately server listens on every
 * interface), accepts port 0 (an ephemeral port, reported in `url`/`wsUrl`), and `start` resolves
 * once it is listening.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { VoxstateError } from '../errors.js';
import { LiveActors } from './live-actors.js';

export interface InspectorRelayOptions {
  /** Default 8080 (as createInspectorServer). 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The inspector UI the page embeds. Default https://stately.ai/inspect (needs a browser with internet). */
  inspectorUrl?: string;
  /**
   * Recent events replayed to a client that connects late, after every live actor's registration
   * and before each one's latest snapshot. Default 200.
   */
  replay?: number;
}

export interface InspectorRelay {
  /** Open this page in a browser to see the inspector. */
  url: string;
  /** Where inspectors send (and receivers listen). */
  wsUrl: string;
  /** Number of messages relayed so far. */
  readonly messages: number;
  /** Resolves once a client (an inspector) has connected. */
  firstClient: Promise<void>;
  stop(): Promise<void>;
}

function bridgeHtml(wsUrl: string, inspectorUrl: string): string {
  return `<!DOCTYPE html>
<html>
<head><title>voxstate inspector</title>
<style>* { margin: 0; padding: 0; } html, body { height: 100%; } iframe { width: 100%; height: 100%; border: none; }</style>
</head>
<body>
<iframe id="inspector" src="${inspectorUrl}"></iframe>
<script>
  const iframe = document.getElementById('inspector');
  const buffer = [];
  let connected = false;
  window.addEventListener('message', (e) => {
    if (e.data && e.data.type === '@statelyai.connected') {
      connected = true;
      buffer.forEach((event) => iframe.contentWindow.postMessage(event, '*'));
      buffer.length = 0;
    }
  });
  const ws = new WebSocket(${JSON.stringify(wsUrl)});
  ws.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (connected) iframe.contentWindow.postMessage(data, '*');
    else buffer.push(data);
  };
</script>
</body>
</html>`;
}

export async function startInspectorRelay(options: InspectorRelayOptions = {}): Promise<InspectorRelay> {
  const host = options.host ?? '127.0.0.1';
  const inspectorUrl = options.inspectorUrl ?? 'https://stately.ai/inspect';
  const live = new LiveActors({ recentEvents: options.replay ?? 200 });
  let wsUrl = '';
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(bridgeHtml(wsUrl, inspectorUrl));
  });
  const wss = new WebSocketServer({ server: httpServer });
  // The server re-emits the HTTP server's errors (a taken port); `listen` below reports them.
  wss.on('error', () => undefined);
  let messages = 0;
  let resolveFirst!: () => void;
  const firstClient = new Promise<void>((resolve) => (resolveFirst = resolve));
  wss.on('connection', (ws) => {
    resolveFirst();
    for (const msg of live.replay()) ws.send(msg);
    ws.on('message', (data) => {
      const msg = data.toString();
      messages++;
      live.record(msg);
      for (const client of wss.clients) if (client !== ws && client.readyState === WebSocket.OPEN) client.send(msg);
    });
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      wss.close();
      const why = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
      reject(new VoxstateError({ code: 'connection_failed', message: `Could not start the inspector relay on ${host}:${options.port ?? 8080}: ${why}` }, { cause: error }));
    };
    httpServer.once('error', fail);
    httpServer.listen(options.port ?? 8080, host, () => {
      httpServer.off('error', fail);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  wsUrl = `ws://${hostForUrl}:${port}`;
  return {
    url: `http://${hostForUrl}:${port}`,
    wsUrl,
    get messages() {
      return messages;
    },
    firstClient,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => httpServer.close(() => resolve()));
      }),
  };
}
