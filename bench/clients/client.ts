/**
 * The one interface every bench client implements, so a scenario (scenarios.ts) drives a bare
 * socket, the Agents SDK and voxstate the same way. Each client declares one tool, `bench_tool`
 * (`{ i: number }` → `{ ok: true }`, settled at once), and reports the application-level events:
 * the decoded audio of each delta (read where the application would read it: its `audio` callback)
 * and the end of each response / turn.
 */
export interface BenchHooks {
  onAudio(pcm: Uint8Array): void;
  onTurnDone(): void;
  onToolCall(): void;
}

export interface BenchSession {
  /** Asks for the response the scenario streams (a user message or `response.create`). */
  start(): void;
  close(): Promise<void> | void;
}

export interface BenchClient {
  /** Connects to `url` and resolves once the session is ready for `start()`. */
  open(url: string, hooks: BenchHooks): Promise<BenchSession>;
}

export type ClientName = 'bare-openai' | 'agents-sdk' | 'voxstate-openai' | 'bare-gemini' | 'voxstate-gemini' | 'voxstate-openai-otel';

export const CLIENTS: readonly ClientName[] = ['bare-openai', 'agents-sdk', 'voxstate-openai', 'bare-gemini', 'voxstate-gemini'];

/** Clients run only when `--clients` names them: `voxstate-openai-otel` is `voxstate-openai` with telemetry on (the overhead of docs/observability.md). */
export const OPTIONAL_CLIENTS: readonly ClientName[] = ['voxstate-openai-otel'];

/** Which protocol a client speaks, and the bare client its ratios are taken against. */
export const PROTOCOL: Record<ClientName, { protocol: 'openai' | 'gemini'; baseline: ClientName }> = {
  'bare-openai': { protocol: 'openai', baseline: 'bare-openai' },
  'agents-sdk': { protocol: 'openai', baseline: 'bare-openai' },
  'voxstate-openai': { protocol: 'openai', baseline: 'bare-openai' },
  'bare-gemini': { protocol: 'gemini', baseline: 'bare-gemini' },
  'voxstate-gemini': { protocol: 'gemini', baseline: 'bare-gemini' },
  'voxstate-openai-otel': { protocol: 'openai', baseline: 'bare-openai' },
};

export function opened(socket: { once(event: 'open' | 'error', fn: (e?: unknown) => void): unknown }): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (e) => reject(e instanceof Error ? e : new Error(String(e))));
  });
}
