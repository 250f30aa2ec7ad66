/**
 * Connection swaps (`Swap`, types.ts): queueing one until the turn is idle, starting one (the
 * chart's transitions into `swapping` decide when), counting failed attempts, and finishing: the
 * new connection takes over, or the change is dropped, or the session fails.
 */
import { assign, enqueueActions } from 'xstate';
import { mergeSessionDelta } from '../../../config.js';
import { defineActions } from '../setup.js';
import { connectReasonOf, unionOfFields, withInFlightUpdates } from '../swap.js';
import type { SessionEventOf, Swap } from '../types.js';

export const resumptionActions = defineActions({
  /** An update the provider cannot apply in place, with the turn idle: swap now. */
  startSwapNow: assign(({ context }, update: SessionEventOf<'session.update'>) => {
    const { config, changed } = mergeSessionDelta(context.config, update.delta);
    const swap: Swap = { why: 'mutation', bridgeMessage: update.bridgeMessage, requestIds: [update.requestId], changed, onFailure: 'restore', attempts: 0 };
    return { config, ...withInFlightUpdates(context, swap) };
  }),
  /** The turn is busy: the update waits in the queued slot (one slot, last write wins). */
  queueResumption: enqueueActions(({ context, enqueue }, update: SessionEventOf<'session.update'>) => {
    const { config, changed } = mergeSessionDelta(context.config, update.delta);
    const previous = context.queuedSwap;
    const queuedSwap: Swap = {
      why: 'mutation',
      // One slot, last write wins: the latest bridge message replaces an earlier one.
      bridgeMessage: update.bridgeMessage ?? undefined,
      // Every queued request settles with the swap that applies it: a second `session_updated`
      // (outcome 'resumed') or `update_failed`, with its own request id.
      requestIds: [...(previous?.requestIds ?? []), update.requestId],
      changed: unionOfFields(previous?.changed ?? [], changed),
      onFailure: 'restore',
      attempts: 0,
    };
    enqueue.assign({ config, queuedSwap });
    enqueue.emit({ type: 'resumption_queued', reason: 'mutation', changed: queuedSwap.changed });
    enqueue.emit({ type: 'session_updated', requestId: update.requestId, outcome: 'queued', changed });
  }),
  /** The provider will cut the connection: swap at the first idle moment (a queued change rides along). */
  queueGoAwayResumption: enqueueActions(({ context, enqueue }, { timeLeftMs }: SessionEventOf<'model.goAway'>) => {
    const queuedSwap: Swap = context.queuedSwap ?? {
      why: 'goAway',
      bridgeMessage: undefined,
      requestIds: [],
      changed: [],
      onFailure: 'fail',
      attempts: 0,
    };
    enqueue.assign({ queuedSwap, goAwayDeadline: timeLeftMs });
    enqueue.emit({ type: 'go_away', timeLeftMs });
  }),
  /** The queued swap runs (the turn became idle, or the goAway deadline is near). */
  beginQueuedSwap: assign(({ context }) => {
    const queued = context.queuedSwap;
    if (!queued) return {};
    return { queuedSwap: null, goAwayDeadline: null, ...withInFlightUpdates(context, { ...queued, attempts: 0 }) };
  }),
  /** The provider dropped the connection: reconnect, applying a queued change on the way. */
  beginReconnect: assign(({ context }) => {
    const queued = context.queuedSwap;
    const swap: Swap = {
      why: 'reconnect',
      bridgeMessage: queued?.bridgeMessage,
      requestIds: queued?.requestIds ?? [],
      changed: queued?.changed ?? [],
      onFailure: queued?.why === 'mutation' ? 'restore' : 'fail',
      attempts: 0,
    };
    return { queuedSwap: null, goAwayDeadline: null, ...withInFlightUpdates(context, swap) };
  }),
  countFailedAttempt: assign({
    activeSwap: ({ context }) => (context.activeSwap ? { ...context.activeSwap, attempts: context.activeSwap.attempts + 1 } : null),
  }),
  completeResumption: enqueueActions(({ context, enqueue }, { restored }: SessionEventOf<'model.connected'>) => {
    const swap = context.activeSwap;
    enqueue.emit({ type: 'session_resumed', reason: connectReasonOf(swap), connectionId: context.connectionId, restored });
    for (const requestId of swap?.requestIds ?? []) {
      enqueue.emit({ type: 'session_updated', requestId, outcome: 'resumed', changed: swap?.changed ?? [] });
    }
    // Everything is handled by the new connection's own transitions, in the order it was asked
    // for: the bridge (the turn is idle, so it asks for the answer at once and the turn becomes
    // busy), then what the application sent during the swap, then updates requested meanwhile
    // (which therefore queue behind the reply instead of replacing the connection again).
    if (swap?.bridgeMessage) enqueue.raise({ type: 'session.sendText', text: swap.bridgeMessage, respond: true });
    for (const intent of context.deferredIntents) enqueue.raise(intent);
    for (const update of context.deferredUpdates) enqueue.raise(update);
    enqueue.assign({ activeSwap: null, deferredIntents: [], deferredUpdates: [] });
  }),
  /** Every attempt failed: drop the change (revert to what the provider last ran), say so, and reconnect with it. */
  dropMutation: enqueueActions(({ context, enqueue }) => {
    const swap = context.activeSwap;
    const error = context.lastError ?? { code: 'resumption_failed', message: 'Resumption failed' };
    const attempts = (swap?.attempts ?? 0) + 1;
    const failure = { code: 'resumption_failed', message: `Resumption failed after ${attempts} attempts: ${error.message}` };
    enqueue.emit({ type: 'resumption_failed', error: failure, attempts });
    for (const requestId of swap?.requestIds ?? []) enqueue.emit({ type: 'update_failed', requestId, error: failure });
    enqueue.assign({
      config: context.liveConfig,
      activeSwap: { why: 'restore', bridgeMessage: undefined, requestIds: [], changed: [], onFailure: 'fail', attempts: 0 },
    });
  }),
  failResumption: enqueueActions(({ context, enqueue }) => {
    const swap = context.activeSwap;
    const error = context.lastError ?? { code: 'resumption_failed', message: 'Resumption failed' };
    const attempts = (swap?.attempts ?? 0) + 1;
    const failure = { code: 'resumption_failed', message: `Could not reconnect after ${attempts} attempts: ${error.message}` };
    enqueue.emit({ type: 'resumption_failed', error: failure, attempts });
    // Updates waiting for the swap, and the swap's own, fail with it: there is no connection to apply them on.
    const requestIds = [...(swap?.requestIds ?? []), ...context.deferredUpdates.map((u) => u.requestId)];
    for (const requestId of requestIds) enqueue.emit({ type: 'update_failed', requestId, error: failure });
    // Held intents are dropped by `failed` (its entry fails the requests among them).
    enqueue.assign({ activeSwap: null, lastError: failure, config: context.liveConfig, deferredUpdates: [] });
  }),
});
