/**
 * The application's intents: forwarded to the adapter on a live connection, or held while the
 * connection is swapped (handled by the new one, in order).
 */
import { enqueueActions, sendTo } from 'xstate';
import type { ClientIntent } from '../../../adapters/events.js';
import { DEFAULT_INPUT_SAMPLE_RATE, MAX_DEFERRED_INTENTS, MAX_DEFERRED_UPDATES } from '../context.js';
import { pcmRefusal } from '../refusals.js';
import { defineActions } from '../setup.js';
import { requestIdOf } from './requests.js';
import type { DeferredIntent, SessionEventOf } from '../types.js';

export const intentActions = defineActions({
  forwardText: sendTo('model', (_, params: SessionEventOf<'session.sendText'>): ClientIntent => ({
    type: 'client.text',
    text: params.text,
    role: 'user',
    respond: params.respond ?? true,
  })),
  forwardCommitAudio: sendTo('model', { type: 'client.commitAudio' } satisfies ClientIntent),
  forwardClearAudio: sendTo('model', { type: 'client.clearAudio' } satisfies ClientIntent),
  forwardCreateResponse: sendTo('model', { type: 'client.createResponse' } satisfies ClientIntent),
  forwardInterrupt: sendTo('model', (_, params: SessionEventOf<'session.interrupt'>): ClientIntent =>
    params.playedMs === undefined ? { type: 'client.interrupt' } : { type: 'client.interrupt', playedMs: params.playedMs },
  ),
  /** Embedding path for audio; the facade writes to the audio plane directly (and refuses odd lengths itself). */
  forwardAudio: enqueueActions(({ context, enqueue }, params: SessionEventOf<'session.sendAudio'>) => {
    const refusal = pcmRefusal(params.audio);
    if (refusal) enqueue.emit({ type: 'error', error: { code: 'invalid_audio', message: refusal } });
    else context.audio.sendUserAudio(params.audio, params.sampleRate ?? DEFAULT_INPUT_SAMPLE_RATE);
  }),
  deferIntent: enqueueActions(({ context, enqueue }, params: DeferredIntent) => {
    if (context.deferredIntents.length < MAX_DEFERRED_INTENTS) {
      enqueue.assign({ deferredIntents: [...context.deferredIntents, params] });
      return;
    }
    // Dropped: a caller waiting for a reply hears so.
    const requestId = requestIdOf(params);
    if (requestId !== undefined) {
      const error = { code: 'request_dropped', message: `More than ${MAX_DEFERRED_INTENTS} intents while the connection was being replaced` };
      enqueue.emit({ type: 'request_failed', requestId, error });
    }
  }),
  deferUpdate: enqueueActions(({ context, enqueue }, params: SessionEventOf<'session.update'>) => {
    if (context.deferredUpdates.length >= MAX_DEFERRED_UPDATES) {
      enqueue.emit({
        type: 'update_failed',
        requestId: params.requestId,
        error: { code: 'resumption_failed', message: `More than ${MAX_DEFERRED_UPDATES} updates while the connection was being replaced` },
      });
      return;
    }
    enqueue.assign({ deferredUpdates: [...context.deferredUpdates, params] });
  }),
});
