/**
 * The connection-swap record (`Swap`, types.ts): what a new connection is told about why it opens,
 * and how in-place updates still in flight ride along with a swap.
 */
import type { ConnectReason } from '../../adapters/adapter.js';
import type { MutableField } from '../../config.js';
import type { SessionContext, Swap } from './types.js';

/**
 * The adapter's `reason` (and `session_resumed.reason`) for a connection opened for `swap`
 * (`null`: the first connection). A goAway swap and a reconnect after a drop look the same to the
 * provider: the conversation continues on a new socket.
 */
export function connectReasonOf(swap: Swap | null): ConnectReason {
  if (!swap) return 'initial';
  if (swap.why === 'goAway') return 'reconnect';
  return swap.why;
}

export function unionOfFields(a: readonly MutableField[], b: readonly MutableField[]): MutableField[] {
  return [...new Set([...a, ...b])];
}

/**
 * In-place updates still waiting for the old connection's confirmation ride along with the swap
 * that replaces it: the new connection opens with the canonical config, which already holds them,
 * so they settle with it ('resumed', or failed if it fails). Their bridge message is kept when the
 * swap has none of its own.
 */
export function withInFlightUpdates(
  context: SessionContext,
  swap: Swap,
): { activeSwap: Swap; inFlightUpdates: SessionContext['inFlightUpdates'] } {
  const inFlight = Object.entries(context.inFlightUpdates);
  if (inFlight.length === 0) return { activeSwap: swap, inFlightUpdates: context.inFlightUpdates };
  const bridge = inFlight.map(([, u]) => u.bridgeMessage).filter((b) => b !== undefined).at(-1);
  return {
    inFlightUpdates: {},
    activeSwap: {
      ...swap,
      requestIds: [...inFlight.map(([id]) => id), ...swap.requestIds],
      changed: unionOfFields(inFlight.flatMap(([, u]) => u.changed), swap.changed),
      bridgeMessage: swap.bridgeMessage ?? bridge,
    },
  };
}
