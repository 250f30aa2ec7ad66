/**
 * Facts from the provider reported to the application as emitted events (the control plane:
 * audio, text and transcripts go around the chart, through the audio plane).
 */
import { emit } from 'xstate';
import { defineActions } from '../setup.js';
import { answeredRequestIndex } from '../answered-request.js';
import type { SessionEventOf } from '../types.js';

export const reportActions = defineActions({
  emitResponseCreated: emit((_, params: SessionEventOf<'model.responseCreated'>) => ({ type: 'response_created' as const, responseId: params.responseId })),
  /** Names the request the response answered (settled right after by `settleAnsweredRequest`). */
  emitResponseDone: emit(({ context }, params: SessionEventOf<'model.responseDone'>) => {
    const requestId = context.requests[answeredRequestIndex(context.requests)]?.requestId;
    return {
      type: 'response_done' as const,
      responseId: params.responseId,
      status: params.status,
      reason: params.reason,
      ...(params.statusDetails ? { statusDetails: params.statusDetails } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    };
  }),
  emitSpeechStarted: emit((_, params: SessionEventOf<'model.speechStarted'>) => ({
    type: 'speech_started' as const,
    audioStartMs: params.audioStartMs,
    itemId: params.itemId,
  })),
  emitSpeechStopped: emit((_, params: SessionEventOf<'model.speechStopped'>) => ({
    type: 'speech_stopped' as const,
    audioEndMs: params.audioEndMs,
    itemId: params.itemId,
  })),
  /** The provider's idle timeout fired (OpenAI `idleTimeoutMs`): reported only; the server itself commits the silence and answers. */
  emitInputTimeout: emit((_, params: SessionEventOf<'model.inputTimeout'>) => ({
    type: 'input_timeout' as const,
    audioStartMs: params.audioStartMs,
    audioEndMs: params.audioEndMs,
    itemId: params.itemId,
  })),
  emitInterrupted: emit((_, params: Pick<SessionEventOf<'model.interrupted'>, 'source'>) => ({ type: 'interrupted' as const, source: params.source })),
  emitUsage: emit((_, params: SessionEventOf<'model.usage'>) => ({
    type: 'usage' as const,
    inputTokens: params.inputTokens,
    outputTokens: params.outputTokens,
    totalTokens: params.totalTokens,
  })),
  emitModelError: emit((_, params: SessionEventOf<'model.error'>) => ({ type: 'error' as const, error: params.error })),
});
