/**
 * WebSocket chores of the socket core (connection.ts): saying where a connection went without leaking a
 * query-string key, decoding a frame whatever its kind, and closing within a bound.
 */
import WebSocket from 'ws';

/** Scheme, host and path only: Gemini carries its API key in the query string. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}

/** The text of a frame: providers may send JSON in text or binary frames. */
export function frameText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * Closes a socket, terminating it if the close handshake stalls: a stalled peer must not keep the
 * socket (or the process) alive, and Gemini refuses a resume while the old socket is open.
 */
export function closeWithin(socket: WebSocket | undefined, timeoutMs: number): void {
  if (!socket || socket.readyState === WebSocket.CLOSED) return;
  if (socket.readyState !== WebSocket.OPEN) {
    socket.terminate();
    return;
  }
  socket.close(1000, 'session closed');
  const timer = setTimeout(() => socket.terminate(), timeoutMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
