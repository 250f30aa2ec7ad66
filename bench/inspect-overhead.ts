/**
 * Per-event cost of inspecting a session: no inspector vs @statelyai/inspect's WebSocket inspector
 * (with and without its `filter` option) vs createVoxstateInspector (pre-filter + sanitizers).
 * Run by hand (not a test):
 *
 *   npx tsx bench/inspect-overhead.ts            # N=20000 events per run, 5 runs, median
 *   N=50000 RUNS=7 npx tsx bench/inspect-overhead.ts
 *
 * Cost = process CPU time (user + system) over the burst *plus* the deferred work (conversion,
 * serialization, socket writes), divided by N. The receiver is a separate process on 127.0.0.1,
 * so its parsing is not counted. Workloads, each on a connected session (scripted model):
 * - `control`: targetless control events (`model.usage`), all of which the inspector must carry;
 * - `audio mix`: 90 % `session.sendAudio` (960-byte frames, as an embedding parent sends them) and
 *   10 % `model.usage`.
 */
import { spawn } from 'node:child_process';
import { createWebSocketInspector } from '@statelyai/inspect';
import { createActor, type InspectionEvent, type Observer } from 'xstate';
import { createSessionLogic } from '../index.js';
import { createScriptedModel } from '../adapters/scripted/index.js';
import { createVoxstateInspector } from '../inspect/inspector.js';

const N = Number(process.env['N'] ?? 20_000);
const RUNS = Number(process.env['RUNS'] ?? 5);

async function startReceiver(): Promise<{ url: string; stop: () => void }> {
  const code = `
    import { WebSocketServer } from 'ws';
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    let n = 0;
    wss.on('connection', (ws) => ws.on('message', () => n++));
    wss.on('listening', () => console.log('PORT ' + wss.address().port));
    process.stdin.on('data', () => console.log('COUNT ' + n));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /PORT (\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
  });
  return { url: `ws://127.0.0.1:${port}`, stop: () => child.kill() };
}

type Inspect = Observer<InspectionEvent> | ((e: InspectionEvent) => void) | undefined;

interface Variant {
  name: string;
  make(url: string): Promise<{ inspect: Inspect; stop(): Promise<void> | void }>;
}

const variants: Variant[] = [
  { name: 'no inspector', make: async () => ({ inspect: undefined, stop: () => {} }) },
  {
    name: '@statelyai/inspect createWebSocketInspector',
    make: async (url) => {
      const insp = createWebSocketInspector({ url });
      await new Promise((r) => setTimeout(r, 100));
      return { inspect: insp.inspect, stop: () => insp.stop() };
    },
  },
  {
    name: '… with its `filter` option (drops sendAudio)',
    make: async (url) => {
      const insp = createWebSocketInspector({
        url,
        filter: (e) => !('event' in e && (e as { event?: { type?: string } }).event?.type === 'session.sendAudio'),
      });
      await new Promise((r) => setTimeout(r, 100));
      return { inspect: insp.inspect, stop: () => insp.stop() };
    },
  },
  {
    name: 'createVoxstateInspector (pre-filter + sanitizers)',
    make: async (url) => {
      const insp = createVoxstateInspector({ url });
      await insp.ready;
      return { inspect: insp.inspect, stop: () => insp.stop() };
    },
  },
];

const frame = Buffer.alloc(960, 1);
const workloads = {
  control: (i: number) => ({ type: 'model.usage', inputTokens: i, outputTokens: 1, totalTokens: i + 1 }),
  'audio mix': (i: number) => (i % 10 === 0 ? { type: 'model.usage', inputTokens: i, outputTokens: 1, totalTokens: i + 1 } : { type: 'session.sendAudio', audio: frame }),
} as const;

const drain = async () => {
  // Timers scheduled during the burst (the package's per-event setTimeout(0)) run in order before this one.
  await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
};

async function runOnce(variant: Variant, workload: keyof typeof workloads, url: string): Promise<number> {
  const model = createScriptedModel();
  const { logic, input } = createSessionLogic({ model });
  const insp = await variant.make(url);
  const actor = createActor(logic, { input, ...(insp.inspect ? { inspect: insp.inspect } : {}) });
  actor.start();
  actor.send({ type: 'session.connect' });
  await new Promise((r) => setTimeout(r, 20));
  if (!actor.getSnapshot().matches({ link: 'connected' })) throw new Error('not connected');
  await drain();
  const make = workloads[workload];
  const events = Array.from({ length: N }, (_, i) => make(i));
  global.gc?.();
  const cpu0 = process.cpuUsage();
  for (const e of events) actor.send(e as never);
  await drain();
  const cpu = process.cpuUsage(cpu0);
  actor.stop();
  await insp.stop();
  return (cpu.user + cpu.system) / N;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const receiver = await startReceiver();
console.log(`node ${process.version}, N=${N} events per run, ${RUNS} runs (median), CPU µs per event incl. deferred work`);
try {
  for (const workload of Object.keys(workloads) as Array<keyof typeof workloads>) {
    const results = new Map<string, number[]>();
    await runOnce(variants[0]!, workload, receiver.url); // warm-up
    for (let r = 0; r < RUNS; r++) {
      for (const v of r % 2 ? [...variants].reverse() : variants) {
        const us = await runOnce(v, workload, receiver.url);
        results.set(v.name, [...(results.get(v.name) ?? []), us]);
      }
    }
    const base = median(results.get(variants[0]!.name)!);
    console.log(`\nworkload: ${workload}`);
    for (const v of variants) {
      const m = median(results.get(v.name)!);
      console.log(`  ${v.name.padEnd(52)} ${m.toFixed(2).padStart(7)} µs/event  (+${(m - base).toFixed(2)} over none)`);
    }
  }
} finally {
  receiver.stop();
}
process.exit(0);
