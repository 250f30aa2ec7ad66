/**
 * Context changes the session applies on the live connection: a no-op, an in-place update (and the
 * provider's answer to it), and the bridge message that re-anchors the model after a change.
 * Changes that need a new connection are swaps: see resumption.ts.
 */
import { enqueueActions, stateIn } from 'xstate';
import type { ClientIntent } from '../../../adapters/events.js';
import { mergeSessionDelta, type MutableField, type SessionConfig } from '../../../config.js';
import { defineActions } from '../setup.js';
import type { SessionContext, SessionEventOf } from '../types.js';

function copyFields(target: SessionConfig, source: SessionConfig, fields: readonly MutableField[]): SessionConfig {
  const next = { ...target } as Record<MutableField, unknown> & SessionConfig;
  for (const field of fields) (next as Record<MutableField, unknown>)[field] = source[field];
  return next;
}

/**
 * Bridge message on a live connection: a user text that re-anchors the model after a change. It
 * asks for a response at once when the turn is idle (or the provider takes turns by itself);
 * otherwise the response is owed until the turn ends. Raised as the application's own text so
 * the turn region treats it the same way (an idle turn becomes busy). Returns what to raise and
 * whether a follow-up becomes owed; the action enqueues both.
 */
function bridgeFor(context: SessionContext, turnIdle: boolean, text: string): { raise: SessionEventOf<'session.sendText'>; followUpOwed: boolean } {
  const respondNow = turnIdle || !context.capabilities.needsFollowUpResponse;
  return { raise: { type: 'session.sendText', text, respond: respondNow }, followUpOwed: !respondNow };
}

// xstate types `stateIn()`'s guard-name parameter as `any`, which `check` refuses where no named
// guards are in scope (`never`); the predicate is exactly what `check` runs, so only the type is widened.
const TURN_IDLE = stateIn('#realtimeSession.link.connected.turn.idle') as never;

export const updateActions = defineActions({
  acknowledgeNoOpUpdate: enqueueActions(({ context, enqueue, check }, update: SessionEventOf<'session.update'>) => {
    enqueue.emit({ type: 'session_updated', requestId: update.requestId, outcome: 'applied', changed: [] });
    if (update.bridgeMessage) {
      const bridge = bridgeFor(context, check(TURN_IDLE), update.bridgeMessage);
      enqueue.raise(bridge.raise);
      if (bridge.followUpOwed) enqueue.assign({ followUpOwed: true });
    }
  }),
  applyUpdateInPlace: enqueueActions(({ context, enqueue }, update: SessionEventOf<'session.update'>) => {
    const { config, changed } = mergeSessionDelta(context.config, update.delta);
    enqueue.assign({
      config,
      inFlightUpdates: { ...context.inFlightUpdates, [update.requestId]: { changed, bridgeMessage: update.bridgeMessage } },
    });
    enqueue.sendTo('model', { type: 'client.updateConfig', requestId: update.requestId, config, changed } satisfies ClientIntent);
  }),
  confirmUpdate: enqueueActions(({ context, enqueue, check }, { requestId }: SessionEventOf<'model.configApplied'>) => {
    const update = context.inFlightUpdates[requestId];
    if (!update) return;
    const { [requestId]: _done, ...inFlightUpdates } = context.inFlightUpdates;
    enqueue.assign({ inFlightUpdates, liveConfig: copyFields(context.liveConfig, context.config, update.changed) });
    enqueue.emit({ type: 'session_updated', requestId, outcome: 'applied', changed: update.changed });
    if (update.bridgeMessage) {
      const bridge = bridgeFor(context, check(TURN_IDLE), update.bridgeMessage);
      enqueue.raise(bridge.raise);
      if (bridge.followUpOwed) enqueue.assign({ followUpOwed: true });
    }
  }),
  revertUpdate: enqueueActions(({ context, enqueue }, { requestId, error }: SessionEventOf<'model.configRejected'>) => {
    const update = context.inFlightUpdates[requestId];
    if (!update) return;
    const { [requestId]: _done, ...inFlightUpdates } = context.inFlightUpdates;
    enqueue.assign({ inFlightUpdates, config: copyFields(context.config, context.liveConfig, update.changed) });
    enqueue.emit({ type: 'update_failed', requestId, error: { ...error, code: 'update_rejected' } });
  }),
});
