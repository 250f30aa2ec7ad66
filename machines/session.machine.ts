/**
 * The realtime session statechart. Read top-down:
 * - `disconnected` → `link` (one connection: the model adapter is invoked for exactly the life of
 *   this state; re-entering it opens a new connection) → `closed`.
 * - Inside `link`: `connecting` (first connection), `resuming` (a replacement connection: a context
 *   change, goAway, or a dropped socket), `connected` (two regions: the turn, and pending
 *   resumption), `closing`.
 * - `resumeBackoff` waits between failed resumption attempts; `failed` is where an unusable session rests.
 * Audio never passes through here: see adapters/audio-plane.ts.
 */
import type { ModelAdapterLogic } from '../adapters/adapter.js';
import { initialContext, sessionSetup } from './session.setup.js';

// While a replacement connection is being opened, intents wait for it and audio goes to the
// bounded hold buffer (forwardAudio decides), so nothing the application sends is lost.
const heldUntilReconnected = {
  'session.sendText': { actions: 'deferIntent' },
  'session.commitAudio': { actions: 'deferIntent' },
  'session.clearAudio': { actions: 'deferIntent' },
  'session.createResponse': { actions: 'deferIntent' },
  'session.sendAudio': { actions: 'forwardAudio' },
  'session.update': { actions: 'deferUpdate' },
} as const;

// A resumption attempt that did not produce a connection: retry (up to the cap), or give up on
// the mutation and restore the old config, or fail when nothing can be restored.
const resumptionAttemptFailed = [
  { guard: 'canRetryResumption', target: '#realtimeSession.resumeBackoff', actions: ['storeConnectionError', 'forgetRefusedHandle', 'countFailedAttempt'] },
  { guard: 'isMutationResumption', target: '#realtimeSession.resumeBackoff', actions: ['storeConnectionError', 'forgetRefusedHandle', 'dropMutation'] },
  { target: '#realtimeSession.failed', actions: ['storeConnectionError', 'forgetRefusedHandle', 'failResumption'] },
] as const;

export const realtimeSessionMachine = sessionSetup.createMachine({
  id: 'realtimeSession',
  context: ({ input }) => initialContext(input),
  entry: 'notifyParentOfEvents',
  output: ({ context }) => ({ code: context.closeInfo?.code, reason: context.closeInfo?.reason ?? 'closed' }),
  initial: 'disconnected',
  on: {
    'xstate.done.actor.tool.*': { actions: 'settleToolCall' },
    'tool.ready': { actions: 'grantToolSlot' },
    'tool.approvalRequested': { actions: 'emitApprovalRequest' },
    'session.approveTool': [
      { guard: 'isToolActorCall', actions: 'forwardApproval' },
      { actions: 'reportUnknownToolCall' },
    ],
    'session.rejectTool': [
      { guard: 'isToolActorCall', actions: 'forwardRejection' },
      { actions: 'reportUnknownToolCall' },
    ],
  },
  states: {
    disconnected: {
      description: 'Created, not connected yet. `connect()` opens the first connection.',
      always: { guard: 'shouldAutoConnect', target: 'link.connecting', actions: 'prepareInitialConnection' },
      on: {
        'session.connect': { target: 'link.connecting', actions: 'prepareInitialConnection' },
        'session.close': 'closed',
      },
    },

    link: {
      description: 'One connection to the provider. The model adapter lives exactly as long as this state.',
      entry: 'openConnection',
      invoke: {
        id: 'model',
        src: 'model',
        input: ({ context }) => ({
          config: context.config,
          resumptionHandle: context.resumptionHandle,
          connectionId: context.connectionId,
          reason: context.connectReason,
          audio: context.audio,
          logger: context.logger,
        }),
      },
      on: {
        // Re-entering `link` stops the old adapter (closing its socket first) and starts a new one.
        'link.restart': { target: '.resuming', reenter: true },
        'session.close': '.closing',
      },
      initial: 'connecting',
      states: {
        connecting: {
          description: 'Opening the first connection and waiting for the provider to be ready.',
          on: {
            'model.connected': { target: 'connected', actions: ['markConnected', 'emitConnected'] },
            'model.connectFailed': { target: '#realtimeSession.failed', actions: ['storeConnectionError', 'forgetRefusedHandle'] },
            'model.closed': { target: '#realtimeSession.failed', actions: 'storeConnectionError' },
          },
        },

        resuming: {
          description:
            'Replacing the connection: the old one is closed, a new one opens with the canonical config and the latest resumption handle. User audio is buffered meanwhile. Never reported as disconnected.',
          // `live`: the application's verbs are accepted (held until the new connection is up).
          tags: ['live'],
          entry: 'holdUserAudio',
          on: {
            'model.connected': {
              target: 'connected',
              actions: ['markConnected', 'emitConnected', 'completeResumption', 'releaseUserAudio'],
            },
            'model.connectFailed': resumptionAttemptFailed,
            'model.closed': resumptionAttemptFailed,
            ...heldUntilReconnected,
          },
        },

        connected: {
          description: 'The provider is ready. The turn region tracks who is talking; the resumption region holds a queued context change.',
          tags: ['live'],
          type: 'parallel',
          on: {
            'model.closed': [
              { guard: 'shouldReconnect', actions: [{ type: 'abandonToolCalls', params: { deliver: false } }, 'storeConnectionError', 'prepareReconnect'] },
              { target: '#realtimeSession.closed', actions: [{ type: 'abandonToolCalls', params: { deliver: false } }, 'storeCloseInfo'] },
            ],
            'model.error': { actions: 'emitModelError' },
            'model.speechStarted': { actions: 'emitSpeechStarted' },
            'model.speechStopped': { actions: 'emitSpeechStopped' },
            'model.interrupted': { actions: ['emitInterrupted', 'interruptToolCalls'] },
            'model.outputAudioStarted': { guard: 'isFirstAudioOfConnection', actions: 'markAudioProduced' },
            'model.resumptionHandle': { guard: 'isUsableHandle', actions: 'storeResumptionHandle' },
            'model.usage': { actions: 'emitUsage' },
            'model.toolCallCancelled': { actions: 'cancelProviderToolCalls' },
            'model.configApplied': { actions: 'confirmUpdate' },
            'model.configRejected': { actions: 'revertUpdate' },
            'session.sendText': { actions: 'forwardText' },
            'session.sendAudio': { actions: 'forwardAudio' },
            'session.commitAudio': { actions: 'forwardCommitAudio' },
            'session.clearAudio': { actions: 'forwardClearAudio' },
            'session.interrupt': { actions: 'forwardInterrupt' },
            'session.toolResult': [
              { guard: 'canAcceptToolResult', actions: 'deliverApplicationToolResult' },
              { actions: 'reportRefusedToolResult' },
            ],
          },
          states: {
            turn: {
              description: 'Who has the floor: nobody (idle), the model (generating), or the tools (executingTools).',
              initial: 'idle',
              states: {
                idle: {
                  description: 'Nobody is generating and every tool call is answered: the only moment a connection may be replaced.',
                  always: { guard: 'isFollowUpOwed', target: 'generating.requested', actions: 'requestFollowUpResponse' },
                  on: {
                    'model.responseCreated': { target: 'generating', actions: 'emitResponseCreated' },
                    'model.functionCall': { target: 'executingTools', actions: 'admitToolCall' },
                    'session.createResponse': { target: 'generating.requested', actions: 'forwardCreateResponse' },
                    // A message that asks for a reply makes the turn busy at once, so a resumption
                    // cannot replace the connection before the reply starts.
                    'session.sendText': { guard: 'asksForResponse', target: 'generating.requested', actions: 'forwardText' },
                  },
                },
                generating: {
                  description: 'A response is being produced (tool calls may already be running).',
                  initial: 'streaming',
                  states: {
                    requested: {
                      description: 'A response was asked for and has not started yet.',
                      // Calls admitted meanwhile still hold the turn: their outputs are owed.
                      after: {
                        responseStartTimeout: [
                          { guard: 'hasOutstandingToolCalls', target: '#realtimeSession.link.connected.turn.executingTools' },
                          { target: '#realtimeSession.link.connected.turn.idle' },
                        ],
                      },
                    },
                    streaming: { description: 'The model is streaming its response.' },
                  },
                  on: {
                    'model.responseCreated': { target: '.streaming', actions: 'emitResponseCreated' },
                    'model.functionCall': { actions: 'admitToolCall' },
                    'model.responseDone': [
                      { guard: 'hasOutstandingToolCalls', target: 'executingTools', actions: 'emitResponseDone' },
                      { target: 'idle', actions: 'emitResponseDone' },
                    ],
                    'session.createResponse': { actions: 'forwardCreateResponse' },
                  },
                },
                executingTools: {
                  description: 'The response is done but tool calls are still outstanding; their outputs are owed to this connection.',
                  always: { guard: 'hasNoOutstandingToolCalls', target: 'idle' },
                  on: {
                    'model.responseCreated': { target: 'generating', actions: 'emitResponseCreated' },
                    'model.functionCall': { actions: 'admitToolCall' },
                    'model.responseDone': { actions: 'emitResponseDone' },
                    'session.createResponse': { actions: 'forwardCreateResponse' },
                  },
                },
              },
            },
            resumption: {
              description: 'A context change the provider cannot apply in place, waiting for the turn to become idle.',
              initial: 'none',
              states: {
                none: {
                  description: 'No context change is waiting.',
                  on: {
                    'session.update': [
                      { guard: 'isNoOpUpdate', actions: 'acknowledgeNoOpUpdate' },
                      { guard: 'canApplyInPlace', actions: 'applyUpdateInPlace' },
                      { guard: 'isTurnIdle', actions: 'startResumptionNow' },
                      { target: 'pending', actions: 'queueResumption' },
                    ],
                    'model.goAway': { target: 'pending', actions: 'queueGoAwayResumption' },
                  },
                },
                pending: {
                  description:
                    'A change the provider cannot apply in place is queued (one slot, last write wins). It runs at the first idle moment, or when a goAway deadline is near.',
                  always: { guard: 'isTurnIdle', target: 'none', actions: 'beginPendingResumption' },
                  after: {
                    goAwayForce: {
                      guard: 'hasPendingGoAway',
                      target: 'none',
                      actions: [{ type: 'abandonToolCalls', params: { deliver: true } }, 'beginPendingResumption'],
                    },
                  },
                  on: {
                    'session.update': { actions: 'queueResumption' },
                    'model.goAway': { target: 'pending', reenter: true, actions: 'queueGoAwayResumption' },
                  },
                },
              },
            },
          },
        },

        closing: {
          description: 'Closing the connection at the application\'s request; outstanding tool calls are answered with a cancellation first.',
          entry: [{ type: 'abandonToolCalls', params: { deliver: true } }, 'requestClose'],
          on: { 'model.closed': { target: '#realtimeSession.closed', actions: 'storeCloseInfo' } },
          after: { closeTimeout: '#realtimeSession.closed' },
        },
      },
    },

    resumeBackoff: {
      description: 'A resumption attempt failed; waiting before the next one. Still not reported as disconnected.',
      tags: ['live'],
      entry: 'holdUserAudio',
      after: { resumeBackoff: 'link.resuming' },
      on: {
        'session.close': 'closed',
        ...heldUntilReconnected,
      },
    },

    failed: {
      description: 'The connection could not be opened or restored. `connect()` tries again.',
      entry: ['emitLastError', 'discardUserAudio'],
      on: {
        'session.connect': { target: 'link.connecting', actions: 'prepareInitialConnection' },
        'session.close': 'closed',
      },
    },

    closed: {
      description: 'The session is over.',
      type: 'final',
      entry: ['discardUserAudio', 'emitClosed'],
    },
  },
});

export type RealtimeSessionMachine = typeof realtimeSessionMachine;

/** The machine with a given adapter logic (and optionally a tool-call logic) provided. */
export function withModel(logic: ModelAdapterLogic) {
  return realtimeSessionMachine.provide({ actors: { model: logic } });
}
