/**
 * What makes `run` exit 1 even when an answer came: an error the provider reported (`server_error`),
 * a response the provider ended as failed (`response_failed`: quota, a server failure mid-answer),
 * or a resumption that gave up. The run is one scripted turn with no retry, so nothing recovers
 * from them; a malformed frame the session skipped (`invalid_frame`) is only printed.
 */
import type { RealtimeSession } from '../index.js';

const UNRECOVERED = new Set(['server_error', 'response_failed', 'resumption_failed']);

export interface FailureWatch {
  /** Throws one error naming the first failure (and how many there were). */
  throwIfAny(): void;
  stop(): void;
}

export function watchFailures(session: RealtimeSession): FailureWatch {
  const failures: string[] = [];
  const offs = [
    session.on('error', (e) => {
      if (UNRECOVERED.has(e.error.code)) failures.push(`${e.error.providerCode ?? e.error.code}: ${e.error.message}`);
    }),
    session.on('resumption_failed', (e) => failures.push(`resumption failed: ${e.error.message}`)),
  ];
  return {
    throwIfAny() {
      if (failures.length === 0) return;
      const more = failures.length > 1 ? ` (and ${failures.length - 1} more, see the timeline)` : '';
      throw new Error(`the provider reported an error the run could not recover from: ${failures[0]}${more}`);
    },
    stop: () => offs.forEach((off) => off()),
  };
}
