/**
 * The sockets of one session that have not finished closing. The session keeps one ledger for its
 * whole life and hands it to every connection it opens (`AdapterInput.sockets`), so a replacement
 * connection can wait until its predecessor's socket has closed (close handshake done, or the
 * socket terminated when the handshake timed out) before it opens its own: Gemini refuses a resume
 * (1011) while an earlier socket of the same session is still open.
 */
import type WebSocket from 'ws';

export class SocketLedger {
  private readonly closing = new Set<Promise<void>>();

  /** Records a socket until it emits `close`. */
  track(socket: WebSocket): void {
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    this.closing.add(closed);
    void closed.then(() => this.closing.delete(closed));
  }

  /** How many tracked sockets have not closed yet. */
  get openCount(): number {
    return this.closing.size;
  }

  /** A live resource, not state: snapshots, checkpoints and the inspector see only the count. */
  toJSON(): { openSockets: number } {
    return { openSockets: this.closing.size };
  }

  /** Resolves once every socket tracked so far has closed (at once when none is open). */
  async allClosed(): Promise<void> {
    await Promise.all([...this.closing]);
  }
}
