/**
 * The scenarios as one client process runs them (the parent process hosts the loopback servers and
 * adds what only the server can see: tool round trips and its own headroom). Every wait is bounded
 * by `deadline`: a run that does not finish in time fails instead of hanging.
 */
import { latencyUs } from './loopback/frames.js';
import type { BenchClient, BenchHooks, BenchSession } from './clients/client.js';

export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4' | 'S5';

export interface RunParams {
  scenario: ScenarioId;
  url: string;
  /** Frames per session (S1, S2, S4, S5) or tool calls (S3). */
  count: number;
  sessions: number;
  timeoutMs: number;
  /**
   * S3: the turn ends the client sees once the server has every output — OpenAI: one
   * `response.done` per call plus the empty response to the last `response.create` (count + 1);
   * Gemini: one `turnComplete` per `toolResponse` (count).
   */
  turnsAfterCalls: number;
}

/** What a client process measured: named numbers, units in the names (see report.ts). */
export type Measured = Record<string, number>;

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
const wallNow = (): number => Number(process.hrtime.bigint()) / 1000;

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Tells the parent (which hosts the server) where the measured phase starts and ends: a line on stdout. */
function phase(mark: 'BEGIN' | 'END'): void {
  process.stdout.write(`${mark}\n`);
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

class Counter implements BenchHooks {
  audio = 0;
  turns = 0;
  tools = 0;
  latencies: number[] | undefined;
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  constructor(keepLatencies: boolean) {
    if (keepLatencies) this.latencies = [];
  }
  onAudio(pcm: Uint8Array): void {
    this.audio++;
    if (this.latencies) this.latencies.push(latencyUs(pcm));
    this.check();
  }
  onTurnDone(): void {
    this.turns++;
    this.check();
  }
  onToolCall(): void {
    this.tools++;
    this.check();
  }
  until(test: () => boolean, deadline: number, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what} (audio ${this.audio}, turns ${this.turns}, tools ${this.tools})`)), Math.max(0, deadline - Date.now()));
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
  private check(): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => (w.test() ? (w.resolve(), false) : true));
  }
}

async function one(client: BenchClient, p: RunParams, keepLatencies: boolean): Promise<Measured> {
  const deadline = Date.now() + p.timeoutMs;
  const counter = new Counter(keepLatencies);
  const session = await client.open(p.url, counter);
  const cpu0 = cpuNow();
  const wall0 = wallNow();
  phase('BEGIN');
  session.start();
  if (p.scenario === 'S3') {
    await counter.until(() => counter.tools >= p.count, deadline, `${p.count} tool calls`);
    // The last output is sent after the handler settles; the server's next turn end follows it.
    await counter.until(() => counter.turns >= p.turnsAfterCalls, deadline, 'the turn after the last call');
  } else {
    await counter.until(() => counter.audio >= p.count && counter.turns >= 1, deadline, `${p.count} audio deltas`);
  }
  const cpu = cpuNow() - cpu0;
  const wall = wallNow() - wall0;
  phase('END');
  await session.close();
  if (p.scenario === 'S3') return { 'CPU µs/call': cpu / p.count };
  const out: Measured = { 'CPU µs/event': cpu / p.count };
  if (p.scenario === 'S1') out['events/s'] = (p.count / wall) * 1e6;
  if (counter.latencies) {
    const sorted = Float64Array.from(counter.latencies).sort();
    out['latency p50 ms'] = percentile(sorted, 50) / 1000;
    out['latency p99 ms'] = percentile(sorted, 99) / 1000;
  }
  return out;
}

/** S4/S5: `sessions` real-time sessions at once. */
async function many(client: BenchClient, p: RunParams): Promise<Measured> {
  const deadline = Date.now() + p.timeoutMs;
  const counter = new Counter(true);
  // One session first, so lazily loaded code and warm caches do not count as per-session cost.
  const warm = await client.open(p.url.replace(/\/bench\/realtime\/\d+/, '/bench/realtime/0'), new Counter(false));
  await warm.close();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const rss0 = process.memoryUsage().rss;
  const cpu0 = cpuNow();
  const sessions: BenchSession[] = [];
  const BATCH = 50;
  for (let i = 0; i < p.sessions; i += BATCH) {
    const batch = Math.min(BATCH, p.sessions - i);
    sessions.push(...(await Promise.all(Array.from({ length: batch }, () => client.open(p.url, counter)))));
    if (Date.now() > deadline) throw new Error(`timed out opening sessions (${sessions.length} of ${p.sessions})`);
  }
  const setupCpu = cpuNow() - cpu0;
  const cpu1 = cpuNow();
  phase('BEGIN');
  for (const s of sessions) s.start();
  const total = p.sessions * p.count;
  await counter.until(() => counter.audio >= total / 2, deadline, 'half the audio');
  gc();
  const rss1 = process.memoryUsage().rss;
  await counter.until(() => counter.audio >= total && counter.turns >= p.sessions, deadline, `${total} audio deltas`);
  const cpu = cpuNow() - cpu1;
  phase('END');
  await Promise.all(sessions.map((s) => s.close()));
  const sorted = Float64Array.from(counter.latencies!).sort();
  return {
    'RSS KB/session': (rss1 - rss0) / 1024 / p.sessions,
    'CPU µs/event': cpu / total,
    'latency p99 ms': percentile(sorted, 99) / 1000,
    'set-up CPU µs/session': setupCpu / p.sessions,
  };
}

export function runScenario(client: BenchClient, p: RunParams): Promise<Measured> {
  switch (p.scenario) {
    case 'S1':
      return one(client, p, false);
    case 'S2':
      return one(client, p, true);
    case 'S3':
      return one(client, p, false);
    case 'S4':
    case 'S5':
      return many(client, p);
  }
}
