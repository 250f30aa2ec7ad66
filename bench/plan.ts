/**
 * The bench's command line and what it implies: which scenarios, how many rounds, how many frames,
 * calls and sessions (full run, or `--quick`: the same scenarios with small counts).
 */
import { CLIENTS, OPTIONAL_CLIENTS, type ClientName } from './clients/client.js';
import type { Mode } from './loopback/frames.js';
import type { ScenarioId } from './scenarios.js';

export interface ScenarioPlan {
  id: ScenarioId;
  title: string;
  mode: Mode;
  count: number;
  sessions: number;
  timeoutMs: number;
}

export interface Plan {
  quick: boolean;
  rounds: number;
  clients: ClientName[];
  scenarios: ScenarioPlan[];
  out: string;
}

export const USAGE = `npm run bench -- [--quick] [--scenario S1[,S2…]] [--rounds N] [--sessions N] [--clients a,b] [--out file]
  --quick       2 rounds, small counts, S4 with 50 sessions, S5 only if asked (a smoke run, under a minute)
  --scenario    S1 flat out · S2 one real-time session · S3 sequential tool calls · S4 many real-time sessions · S5 1,000 sessions
  --rounds      rounds of alternating clients (default 5; --quick 2)
  --sessions    sessions in S4 (default 200; --quick 50)
  --clients     a subset of ${CLIENTS.join(', ')}; also ${OPTIONAL_CLIENTS.join(', ')} (voxstate-openai with telemetry on)
  --out         the markdown file written (default bench/results/latest.md)`;

export function parsePlan(argv: readonly string[]): Plan {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick' || arg === '--help') flags.set(arg, 'true');
    else if (arg.startsWith('--') && i + 1 < argv.length) flags.set(arg, argv[++i]!);
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (flags.has('--help')) throw new Error(USAGE);
  const quick = flags.has('--quick');
  const int = (flag: string, fallback: number, max: number): number => {
    const raw = flags.get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${flag} must be an integer from 1 to ${max}`);
    return n;
  };
  const sessions = int('--sessions', quick ? 50 : 200, 5000);
  const q = (full: number, small: number) => (quick ? small : full);
  const all: ScenarioPlan[] = [
    { id: 'S1', title: 'one session flat out', mode: 'flood', count: q(20_000, 2_000), sessions: 1, timeoutMs: 60_000 },
    { id: 'S2', title: 'one real-time session', mode: 'realtime', count: q(500, 25), sessions: 1, timeoutMs: 30_000 },
    { id: 'S3', title: 'sequential tool calls', mode: 'tools', count: q(200, 30), sessions: 1, timeoutMs: 60_000 },
    { id: 'S4', title: `${sessions} real-time sessions`, mode: 'realtime', count: q(250, 25), sessions, timeoutMs: 120_000 },
    { id: 'S5', title: '1,000 real-time sessions', mode: 'realtime', count: q(250, 25), sessions: 1000, timeoutMs: 180_000 },
  ];
  const wanted = flags.get('--scenario')?.split(',') ?? all.filter((s) => !quick || s.id !== 'S5').map((s) => s.id);
  const scenarios = wanted.map((id) => {
    const found = all.find((s) => s.id === id.trim().toUpperCase());
    if (!found) throw new Error(`unknown scenario ${id}\n${USAGE}`);
    return found;
  });
  const clients = (flags.get('--clients')?.split(',') ?? [...CLIENTS]) as ClientName[];
  for (const c of clients) if (!CLIENTS.includes(c) && !OPTIONAL_CLIENTS.includes(c)) throw new Error(`unknown client ${c}\n${USAGE}`);
  return { quick, rounds: int('--rounds', quick ? 2 : 5, 50), clients, scenarios, out: flags.get('--out') ?? 'bench/results/latest.md' };
}
