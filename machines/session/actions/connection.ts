/**
 * Actions of the connection's life: opening, connected, failed, closing, closed, and the user
 * audio held while a connection is swapped.
 */
import { assign, emit, sendTo } from 'xstate';
import type { ClientIntent } from '../../../adapters/events.js';
import { unsentAcrossSwap } from '../call-ledger.js';
import { defineActions } from '../setup.js';
import type { SessionEventOf } from '../types.js';

export const connectionActions = defineActions({
  prepareInitialConnection: assign({ activeSwap: null, lastError: null, closeInfo: null }),
  openConnection: assign({
    connectionId: ({ context }) => context.connectionId + 1,
    hasProducedAudio: false,
    providerSessionId: undefined,
    // A blocking call's result owed to the old connection can never be sent on the new one; a
    // background call's can (its output goes to the next connection: machines/session/tool-output.ts).
    unsentToolResults: ({ context }) => unsentAcrossSwap(context.unsentToolResults),
  }),
  markConnected: assign(({ context }, params: SessionEventOf<'model.connected'>) => ({
    liveConfig: context.config,
    providerSessionId: params.providerSessionId,
    lastError: null,
  })),
  emitConnected: emit(({ context }) => ({
    type: 'connected' as const,
    connectionId: context.connectionId,
    providerSessionId: context.providerSessionId,
  })),
  storeConnectionError: assign({
    lastError: ({ event }) =>
      event.type === 'model.connectFailed'
        ? event.error
        : event.type === 'model.closed'
          ? { code: 'connection_closed', message: `Connection closed (${event.code ?? 'no code'}): ${event.reason || 'no reason'}` }
          : { code: 'connection_failed', message: 'Connection failed' },
  }),
  emitLastError: emit(({ context }) => ({
    type: 'error' as const,
    error: context.lastError ?? { code: 'connection_failed', message: 'Connection failed' },
  })),
  /**
   * The provider refused a setup that carried the handle (expired, or unknown to it): the next
   * attempt starts a fresh provider session instead of failing the same way every time. The
   * conversation's server-side context is lost then, which `session_resumed.restored: false` says.
   */
  forgetRefusedHandle: assign({
    resumptionHandle: ({ context, event }) =>
      event.type === 'model.connectFailed' && event.error.code === 'resumption_rejected' ? undefined : context.resumptionHandle,
  }),
  storeResumptionHandle: assign({ resumptionHandle: (_, params: SessionEventOf<'model.resumptionHandle'>) => params.handle }),
  markAudioProduced: assign({ hasProducedAudio: true }),
  /** The streaming response was interrupted: a later interruption of it cancels and reports nothing. */
  markResponseInterrupted: assign({ responseInterrupted: true }),
  clearResponseInterrupted: assign({ responseInterrupted: false }),
  holdUserAudio: ({ context }) => context.audio.hold(),
  releaseUserAudio: ({ context }) => context.audio.release(),
  discardUserAudio: ({ context }) => context.audio.discard(),
  requestClose: sendTo('model', { type: 'client.close' } satisfies ClientIntent),
  storeCloseInfo: assign({
    closeInfo: ({ event, context }) =>
      event.type === 'model.closed' ? { code: event.code, reason: event.reason } : (context.closeInfo ?? { code: undefined, reason: 'closed' }),
  }),
  emitClosed: emit(({ context }) => ({
    type: 'closed' as const,
    code: context.closeInfo?.code,
    reason: context.closeInfo?.reason ?? 'closed',
  })),
});
