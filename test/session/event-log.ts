/** A session's published events, recorded in order, and bounded waits for them (real timers; no sleep longer than 50 ms). */
import type { AnySessionEvent, RealtimeSession, SessionEventMap, SessionEventName } from '../../index.js';

/**
 * The default bound is generous (8 s, under the 10 s test timeout): it only matters when something
 * is wrong, and CI runs test files in parallel on two cores next to spawned CLI processes.
 */
export const DEFAULT_WAIT_MS = 8000;

export async function waitUntil(predicate: () => boolean, what = 'condition', timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Records every event a session publishes, in order. */
export function record(session: RealtimeSession) {
  const events: AnySessionEvent[] = [];
  session.on('*', (e) => events.push(e));
  return {
    events,
    types: () => events.map((e) => e.type),
    of<N extends SessionEventName>(type: N): SessionEventMap[N][] {
      return events.filter((e) => e.type === type) as SessionEventMap[N][];
    },
    async waitFor<N extends SessionEventName>(
      type: N,
      predicate: (e: SessionEventMap[N]) => boolean = () => true,
      timeoutMs = DEFAULT_WAIT_MS,
    ): Promise<SessionEventMap[N]> {
      let found: SessionEventMap[N] | undefined;
      await waitUntil(() => {
        found = (events.filter((e) => e.type === type) as SessionEventMap[N][]).find(predicate);
        return found !== undefined;
      }, `event ${type}`, timeoutMs);
      return found!;
    },
  };
}

/** The session actor's state value as a dotted path list, e.g. ['link.connected.turn.idle', ...]. */
export function statePaths(session: RealtimeSession): string[] {
  const out: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === 'string') out.push(prefix ? `${prefix}.${value}` : value);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    }
  };
  walk(session.actor.getSnapshot().value, '');
  return out;
}

export const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));
