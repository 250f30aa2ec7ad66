/**
 * The audio payload every loopback server sends and every bench client reads: 20 ms of PCM16 at
 * 24 kHz (960 bytes) whose first 8 bytes are the server's send time, `process.hrtime.bigint()`
 * (CLOCK_MONOTONIC on Linux, so the same clock in every process of the machine). A client reads it
 * in the application's `audio` callback; latency = its own `hrtime.bigint()` minus the stamp.
 */
export const FRAME_BYTES = 960;
export const FRAME_MS = 20;
export const SAMPLE_RATE = 24_000;

/** A fresh frame stamped now, base64 (what both protocols put in their JSON). */
export function stampedFrame(): string {
  const pcm = Buffer.alloc(FRAME_BYTES);
  pcm.writeBigInt64LE(process.hrtime.bigint(), 0);
  return pcm.toString('base64');
}

/** An unstamped frame (zeros), for the flat-out scenario where only throughput counts. */
export const PLAIN_FRAME_B64 = Buffer.alloc(FRAME_BYTES).toString('base64');

/** Microseconds since the stamp in `pcm` (decoded audio bytes); NaN when it cannot hold one. */
export function latencyUs(pcm: Uint8Array): number {
  if (pcm.byteLength < 8) return Number.NaN;
  const view = new DataView(pcm.buffer, pcm.byteOffset, 8);
  const sent = view.getBigInt64(0, true);
  return sent === 0n ? Number.NaN : Number(process.hrtime.bigint() - sent) / 1000;
}

/**
 * What a scenario asks of the server, carried in the URL path so every client (whose URL options
 * differ) reaches it the same way: `/bench/<mode>/<count>/…`.
 */
export type Mode = 'flood' | 'realtime' | 'tools';

export function parseBenchPath(url: string | undefined): { mode: Mode; count: number } {
  const m = /^\/bench\/(flood|realtime|tools)\/(\d+)/.exec(url ?? '');
  if (!m) return { mode: 'realtime', count: 0 };
  return { mode: m[1] as Mode, count: Math.min(Number(m[2]), 10_000_000) };
}
