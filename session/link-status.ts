/**
 * What the facade asks of the session's snapshot, each question answered in one place and none by
 * a list of state names: liveness is the chart's `live` tag; "offline" is whether the chart would
 * open a connection on `session.connect`.
 */
import type { SnapshotFrom } from 'xstate';
import type { RealtimeSessionMachine } from '../machines/session/session.machine.js';

type SessionSnapshot = SnapshotFrom<RealtimeSessionMachine>;

/** Connected, or swapping connections (which the application never sees as a disconnect): verbs are accepted. */
export function isLive(snapshot: SessionSnapshot): boolean {
  return snapshot.status === 'active' && snapshot.hasTag('live');
}

/**
 * No connection open, opening, closing or being restored: never connected yet, or the last attempt
 * failed. `connect()` would open one; `close()` has nothing to close.
 */
export function isOffline(snapshot: SessionSnapshot): boolean {
  return snapshot.status === 'active' && snapshot.can({ type: 'session.connect' });
}

/** The whole state value as text: a flat state's name ('disconnected', 'failed', 'closed'), else the JSON of the value. */
export function stateName(snapshot: SessionSnapshot): string {
  return typeof snapshot.value === 'string' ? snapshot.value : JSON.stringify(snapshot.value);
}
