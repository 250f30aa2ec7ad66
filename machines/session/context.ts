/**
 * The session's initial context, built from its input, and every default and bound the chart's
 * actions apply (each defined here once).
 */
import { AudioPlane } from '../../adapters/audio-plane.js';
import { SocketLedger } from '../../adapters/socket-ledger.js';
import { resolveLogger } from '../../logger.js';
import type { SessionContext, SessionInput, SessionOptions } from './types.js';

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  autoExecuteTools: true,
  autoRespondTools: true,
  maxConcurrentTools: 4,
  toolTimeoutMs: 30_000,
  autoReconnect: true,
  maxResumeAttempts: 3,
  autoConnect: false,
  backgroundCallSwapWaitMs: 5_000,
};

/** The sample rate of user audio sent without one (`session.sendAudio` from a parent machine). */
export const DEFAULT_INPUT_SAMPLE_RATE = 24_000;

/** Intents the application may send while a connection is swapped; later ones are dropped. */
export const MAX_DEFERRED_INTENTS = 100;

/** Requests that ask for a reply which may wait for the active response; later ones fail at once (`request_dropped`). */
export const MAX_QUEUED_REQUESTS = 100;

/**
 * How many times a request may be refused because a response was already running and go again;
 * the next such refusal fails it (`request_refused`), so a request is never re-sent forever.
 */
export const MAX_REQUEST_REFUSALS = 3;

/** Updates the application may request while a connection is swapped; later ones fail at once. */
export const MAX_DEFERRED_UPDATES = 20;

/**
 * How many calls the ledger keeps (with their outputs); the oldest go first. A provider repeats a
 * call frame within moments (a retransmission, a resumed connection asking again), not hundreds
 * of calls later; outstanding calls are refused regardless, through `toolCalls`.
 */
export const MAX_CALL_LEDGER = 256;

/** How many settled-but-unsent results (autoRespondTools off) stay answerable; the oldest go first. */
export const MAX_UNSENT_TOOL_RESULTS = 64;

/** Builds the machine's initial context from its input. */
export function initialContext(input: SessionInput): SessionContext {
  return {
    provider: input.provider,
    model: input.model,
    config: input.config,
    liveConfig: input.config,
    capabilities: input.capabilities,
    options: { ...DEFAULT_SESSION_OPTIONS, ...input.options },
    audio: input.audio ?? new AudioPlane(),
    sockets: new SocketLedger(),
    logger: input.logger ?? resolveLogger(undefined),
    runtime: input.runtime,
    connectionId: 0,
    resumptionHandle: undefined,
    providerSessionId: undefined,
    hasProducedAudio: false,
    followUpOwed: false,
    responseInterrupted: false,
    requests: [],
    requestSeq: 0,
    toolCalls: {},
    callLedger: [],
    runningTools: [],
    toolQueue: [],
    unsentToolResults: {},
    queuedSwap: null,
    activeSwap: null,
    inFlightUpdates: {},
    deferredIntents: [],
    deferredUpdates: [],
    goAwayDeadline: null,
    lastError: null,
    closeInfo: null,
  };
}
