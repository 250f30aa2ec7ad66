/** Which connection phase a session snapshot is in: what the connection spans follow. */
import type { SnapshotFrom } from 'xstate';
import type { RealtimeSessionMachine } from '../machines/session/session.machine.js';

type SessionSnapshot = SnapshotFrom<RealtimeSessionMachine>;

/** `opening`: a connection attempt (first or replacement); `open`: connected or closing; `none`: no connection. */
export type LinkPhase = 'opening' | 'open' | 'none';

export interface LinkView {
  phase: LinkPhase;
  /** Why the opening connection opens: `initial`, or the swap's reason (`mutation`, `goAway`, `reconnect`, `restore`). */
  reason: string;
  connectionId: number;
  /** The code of the error that ended the last connection or attempt (the chart's `lastError`, cleared when a connection opens). */
  error: string | undefined;
  /** The session rests in `failed` (its connect or resumption failed; `connect()` may try again). */
  failed: boolean;
}

export function linkView(snapshot: SessionSnapshot): LinkView {
  const value = snapshot.value as unknown;
  const link = snapshot.status === 'active' && typeof value === 'object' && value !== null && 'link' in value ? (value as { link: unknown }).link : undefined;
  const phase: LinkPhase = link === 'connecting' || link === 'resuming' ? 'opening' : link === undefined ? 'none' : 'open';
  return { phase, reason: snapshot.context.activeSwap?.why ?? 'initial', connectionId: snapshot.context.connectionId, error: snapshot.context.lastError?.code, failed: value === 'failed' };
}
