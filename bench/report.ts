/**
 * The markdown the bench prints and writes: per scenario, one row per client with each metric's
 * median over the rounds, its min–max, and the ratio of medians to the client's bare baseline
 * (bare `ws` on the same protocol); then the server's headroom over that scenario.
 */
import { PROTOCOL, type ClientName } from './clients/client.js';
import type { Headroom } from './loopback/headroom.js';
import type { Measured } from './scenarios.js';
import type { Plan, ScenarioPlan } from './plan.js';

export interface ScenarioResult {
  plan: ScenarioPlan;
  runs: Map<ClientName, Measured[]>;
  failures: string[];
  headroom: Headroom[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  return a >= 1000 ? Math.round(x).toLocaleString('en-US') : a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function metricsOf(runs: Map<ClientName, Measured[]>): string[] {
  const names = new Set<string>();
  for (const list of runs.values()) for (const m of list) for (const k of Object.keys(m)) names.add(k);
  return [...names];
}

export function scenarioTable(result: ScenarioResult): string {
  const { plan, runs } = result;
  const metrics = metricsOf(runs);
  const lines = [`### ${plan.id} — ${plan.title}`, ''];
  lines.push(`| client | ${metrics.map((m) => `${m} median (min–max) | ×bare`).join(' | ')} |`);
  lines.push(`| --- | ${metrics.map(() => '---: | ---:').join(' | ')} |`);
  for (const [client, list] of runs) {
    const base = runs.get(PROTOCOL[client].baseline) ?? [];
    const cells = metrics.map((metric) => {
      const xs = list.map((m) => m[metric]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
      const med = median(xs);
      const baseMed = median(base.map((m) => m[metric]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)));
      const range = xs.length ? `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}` : '—';
      const ratio = Number.isFinite(med) && Number.isFinite(baseMed) && baseMed !== 0 ? `${(med / baseMed).toFixed(2)}×` : '—';
      return `${fmt(med)} (${range}) | ${ratio}`;
    });
    lines.push(`| ${client} (${list.length} runs) | ${cells.join(' | ')} |`);
  }
  const cpu = Math.max(0, ...result.headroom.map((h) => h.cpuPercent));
  const lag = Math.max(0, ...result.headroom.map((h) => h.loopDelayP99Ms));
  lines.push('', `Server headroom: at most ${cpu.toFixed(0)} % of one core busy, event-loop delay p99 at most ${lag.toFixed(1)} ms` +
    (cpu > 80 ? ' — **the server may be the limit in this scenario**.' : ' (the server is not the limit).'));
  for (const f of result.failures) lines.push(`- failed: ${f}`);
  return lines.join('\n');
}

export function report(plan: Plan, results: ScenarioResult[], header: string): string {
  return [
    '# voxstate bench',
    '',
    header,
    '',
    `${plan.quick ? 'Quick run (small counts; a smoke run, not a measurement). ' : ''}${plan.rounds} rounds, clients alternating (order reversed every other round); medians with min–max; ×bare is the ratio of medians to the bare \`ws\` client of the same protocol (lower is better for everything but events/s).`,
    '',
    ...results.map((r) => scenarioTable(r) + '\n'),
  ].join('\n');
}
