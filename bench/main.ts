/**
 * `npm run bench`: hosts the loopback servers (bench/loopback/) in this process and runs each
 * client in its own child process (bench/client-main.ts), per scenario, alternating the clients for
 * the given rounds; prints the markdown report and writes it (bench/results/latest.md by default,
 * gitignored). See docs/bench.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL, type ClientName } from './clients/client.js';
import { startGeminiLoopback } from './loopback/gemini-server.js';
import { HeadroomMeter, type Headroom } from './loopback/headroom.js';
import { startOpenAILoopback } from './loopback/openai-server.js';
import type { LoopbackServer } from './loopback/server.js';
import { parsePlan, type ScenarioPlan } from './plan.js';
import { report, type ScenarioResult } from './report.js';
import { percentile, type Measured, type RunParams } from './scenarios.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs one client process; `meter` measures the server over the phase the client marks. */
function runChild(client: ClientName, params: RunParams, meter: HeadroomMeter, headroom: Headroom[]): Promise<Measured> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', 'bench/client-main.ts', client, JSON.stringify(params)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      const text = String(d);
      if (/^BEGIN$/m.test(text)) meter.start();
      if (/^END$/m.test(text)) headroom.push(meter.stop());
      out += text;
    });
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), params.timeoutMs + 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = /^RESULT (.*)$/m.exec(out);
      if (code === 0 && result) return resolveRun(JSON.parse(result[1]!) as Measured);
      const failed = /^FAILED (.*)$/m.exec(out)?.[1] ?? (signal ? `killed (${signal}) after the time limit` : `exit ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`);
      reject(new Error(failed));
    });
  });
}

async function runScenario(s: ScenarioPlan, clients: ClientName[], rounds: number, servers: Record<'openai' | 'gemini', LoopbackServer>, meter: HeadroomMeter): Promise<ScenarioResult> {
  const result: ScenarioResult = { plan: s, runs: new Map(clients.map((c) => [c, []])), failures: [], headroom: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...clients].reverse() : clients;
    for (const client of order) {
      const server = servers[PROTOCOL[client].protocol];
      server.takeToolRtts();
      const protocol = PROTOCOL[client].protocol;
      const params: RunParams = {
        scenario: s.id,
        url: server.url(s.mode, s.count),
        count: s.count,
        sessions: s.sessions,
        timeoutMs: s.timeoutMs,
        turnsAfterCalls: protocol === 'openai' ? s.count + 1 : s.count,
      };
      try {
        const measured = await runChild(client, params, meter, result.headroom);

        if (s.id === 'S3') {
          const rtts = server.takeToolRtts().sort((a, b) => a - b);
          if (rtts.length < s.count) throw new Error(`the server saw ${rtts.length} of ${s.count} tool outputs`);
          measured['round trip p50 µs'] = percentile(rtts, 50);
          measured['round trip p99 µs'] = percentile(rtts, 99);
        }
        result.runs.get(client)!.push(measured);
        process.stderr.write('.');
      } catch (error) {
        result.failures.push(`${client} round ${round + 1}: ${error instanceof Error ? error.message : String(error)}`);
        process.stderr.write('x');
      }
    }
  }
  process.stderr.write(` ${s.id} done\n`);
  return result;
}

let plan;
try {
  plan = parsePlan(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const started = Date.now();
const meter = new HeadroomMeter();
const servers = { openai: await startOpenAILoopback(), gemini: await startGeminiLoopback() };
const results: ScenarioResult[] = [];
try {
  for (const s of plan.scenarios) results.push(await runScenario(s, plan.clients, plan.rounds, servers, meter));
} finally {
  await servers.openai.close();
  await servers.gemini.close();
  meter.dispose();
}
const header = `node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${new Date().toISOString()} · ${((Date.now() - started) / 1000).toFixed(0)} s · \`npm run bench -- ${process.argv.slice(2).join(' ')}\``;
const markdown = report(plan, results, header);
console.log(markdown);
mkdirSync(dirname(resolve(root, plan.out)), { recursive: true });
writeFileSync(resolve(root, plan.out), markdown);
console.error(`written to ${plan.out}`);
const failed = results.some((r) => r.failures.length > 0 || [...r.runs.values()].some((list) => list.length === 0));
process.exit(failed ? 1 : 0);
