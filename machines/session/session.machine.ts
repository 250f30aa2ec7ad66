/**
 * The realtime session statechart. Read top-down:
 * - `disconnected` → `link` (one connection: the model adapter is invoked for exactly the life of
 *   this state; entering it again opens a new connection) → `closed`.
 * - Inside `link`: `connecting` (first connection), `resuming` (a replacement connection: a context
 *   change, goAway, or a dropped socket), `connected` (four regions: the turn, the background tool
 *   calls, the floor (whether the user is speaking), and pending resumption), `closing`.
 * - Every swap started from a live connection (an update, a queued change, goAway, a drop) is a
 *   transition into `swapping`, which leaves `link` (stopping the old adapter) and enters
 *   `link.resuming` (starting the new one). Retries after a failed attempt, and the restore of the
 *   old config, go `resumeBackoff` → `link.resuming`: no connection is live to leave there.
 * - `resumeBackoff` waits between failed resumption attempts; `failed` is where an unusable session rests.
 * Audio never passes through here: see adapters/audio-plane.ts. The named guards and actions are
 * in this folder (guards.ts, actions/); the ones that read an event's payload get it as `params`.
 * Transition fragments used in several places (requests sent at once, a refused request, a failed
 * resumption attempt, why requests fail) are in transitions.ts.
 */
import { initialContext } from './context.js';
import { sessionSetup } from './implementations.js';
import { connectReasonOf } from './swap.js';
import {
  heldUntilReconnected,
  toolDecisions,
  textRequest,
  responseRequest,
  respondParams,
  requestsSentAtOnce,
  responseStarted,
  dropRefusedFollowUp,
  requeueRefused,
  failRefused,
  speechStarted,
  bargeInOverPlayback,
  interruptTransitions,
  speechStopped,
  spokenTurnEnded,
  responseFinished,
  resumptionAttemptFailed,
  NOT_STARTED,
  REPLACED,
  CLOSED,
  FAILED,
} from './transitions.js';

export const realtimeSessionMachine = sessionSetup.createMachine({
  id: 'realtimeSession',
  context: ({ input }) => initialContext(input),
  entry: 'notifyParentOfEvents',
  output: ({ context }) => ({ code: context.closeInfo?.code, reason: context.closeInfo?.reason ?? 'closed' }),
  initial: 'disconnected',
  on: {
    'xstate.done.actor.tool.*': { actions: { type: 'settleToolCall', params: ({ event }) => ({ actorId: event.actorId, outcome: event.output }) } },
    'tool.ready': { actions: { type: 'grantToolSlot', params: ({ event }) => ({ callId: event.callId }) } },
    'tool.approvalRequested': { actions: { type: 'emitApprovalRequest', params: ({ event }) => event } },
    // A human decision on a call: to its tool actor, or reported when no actor runs that call.
    ...toolDecisions,
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
          reason: connectReasonOf(context.activeSwap),
          audio: context.audio,
          logger: context.logger,
          // The old connection's socket may still be closing when this one starts: an adapter
          // whose provider refuses overlapping sockets (Gemini) waits on this before it opens.
          sockets: context.sockets,
          // The adapter named in the session's input (runtime.ts) runs unless `.provide()` gave one.
          runtime: context.runtime,
        }),
      },
      on: {
        'session.close': '.closing',
      },
      initial: 'connecting',
      states: {
        connecting: {
          description: 'Opening the first connection and waiting for the provider to be ready.',
          on: {
            'model.connected': { target: 'connected', actions: [{ type: 'markConnected', params: ({ event }) => event }, 'emitConnected'] },
            'model.connectFailed': { target: '#realtimeSession.failed', actions: ['storeConnectionError', 'forgetRefusedHandle'] },
            'model.closed': { target: '#realtimeSession.failed', actions: 'storeConnectionError' },
          },
        },

        resuming: {
          description:
            'Replacing the connection: the old one is closed, a new one opens with the canonical config and the latest resumption handle (on Gemini only once the old socket has closed). User audio is buffered meanwhile. Never reported as disconnected.',
          // `live`: the application's verbs are accepted (held until the new connection is up).
          tags: ['live'],
          entry: 'holdUserAudio',
          on: {
            'model.connected': {
              target: 'connected',
              actions: [
                { type: 'markConnected', params: ({ event }) => event },
                'emitConnected',
                { type: 'completeResumption', params: ({ event }) => event },
                'releaseUserAudio',
                'deliverHeldToolOutputs',
              ],
            },
            'model.connectFailed': resumptionAttemptFailed,
            'model.closed': resumptionAttemptFailed,
            ...heldUntilReconnected,
          },
        },

        connected: {
          description: 'The provider is ready. The turn region tracks who is talking; the backgroundCalls region the tool calls that do not hold the turn; the floor region whether the user is speaking; the resumption region holds a queued context change.',
          tags: ['live'],
          type: 'parallel',
          on: {
            'model.closed': [
              // A reconnect after a drop: a connection swap.
              {
                guard: { type: 'shouldReconnect', params: ({ event }) => ({ expected: event.expected }) },
                target: '#realtimeSession.swapping',
                actions: [{ type: 'abandonToolCalls', params: { deliver: false, keepBackground: true } }, 'storeConnectionError', 'beginReconnect'],
              },
              { target: '#realtimeSession.closed', actions: [{ type: 'abandonToolCalls', params: { deliver: false, keepBackground: false } }, 'storeCloseInfo'] },
            ],
            'model.error': { actions: { type: 'emitModelError', params: ({ event }) => event } },
            // Reported only: the server commits the silence and creates the response itself.
            'model.inputTimeout': { actions: { type: 'emitInputTimeout', params: ({ event }) => event } },
            // A response is running (or none was asked for): the refused request is requeued or failed, the turn stays.
            'model.requestRefused': [dropRefusedFollowUp, requeueRefused, { actions: failRefused }],
            // What was heard of the interrupted response is cut, item by item (once each).
            'model.interrupted': {
              // Reported by the adapter only while a response is active (server VAD, Gemini `interrupted`).
              actions: ['markResponseInterrupted', { type: 'emitInterrupted', params: ({ event }) => event }, { type: 'truncateHeardAudio', params: { playedMs: undefined, responseActive: true } }, 'interruptToolCalls'],
            },
            'model.outputAudioStarted': { guard: 'isFirstAudioOfConnection', actions: 'markAudioProduced' },
            'model.resumptionHandle': {
              guard: { type: 'isUsableHandle', params: ({ event }) => ({ handle: event.handle, resumable: event.resumable }) },
              actions: { type: 'storeResumptionHandle', params: ({ event }) => event },
            },
            'model.usage': { actions: { type: 'emitUsage', params: ({ event }) => event } },
            'model.toolCallCancelled': { actions: { type: 'cancelProviderToolCalls', params: ({ event }) => event } },
            'model.configApplied': { actions: { type: 'confirmUpdate', params: ({ event }) => event } },
            'model.configRejected': { actions: { type: 'revertUpdate', params: ({ event }) => event } },
            // Here when no turn state took it: a text without a reply, or one the provider answers by itself.
            'session.sendText': [
              { guard: { type: 'asksForResponse', params: respondParams }, actions: textRequest },
              { actions: { type: 'forwardText', params: ({ event }) => event } },
            ],
            'session.sendAudio': { actions: { type: 'forwardAudio', params: ({ event }) => event } },
            'session.commitAudio': { actions: 'forwardCommitAudio' },
            'session.clearAudio': { actions: 'forwardClearAudio' },
            // Cancel first, then cut what was heard; `interrupted` only when something was cancelled or cut.
            'session.interrupt': interruptTransitions,
            'session.toolResult': [
              {
                guard: { type: 'canAcceptToolResult', params: ({ event }) => ({ callId: event.callId }) },
                actions: { type: 'deliverApplicationToolResult', params: ({ event }) => event },
              },
              { actions: { type: 'reportRefusedToolResult', params: ({ event }) => ({ callId: event.callId }) } },
            ],
          },
          states: {
            turn: {
              description: 'Who has the floor: nobody (idle), the model (generating), or the tools (executingTools).',
              initial: 'idle',
              states: {
                idle: {
                  description: 'Nobody is generating and every tool call is answered: the only moment a connection may be replaced.',
                  // What is owed goes out one at a time: the follow-up after tool outputs, then the
                  // oldest queued request. Each makes the turn busy until its response is done.
                  always: [
                    { guard: 'isFollowUpOwed', target: 'generating.requested', actions: 'requestFollowUpResponse' },
                    // A result the server speaks by itself was delivered: its response is owed (bounded there).
                    { guard: 'isResponseOwed', target: 'generating.requested' },
                    { guard: 'canSendNextRequest', target: 'generating.requested', actions: 'sendNextRequest' },
                  ],
                  on: {
                    'model.responseCreated': { target: 'generating', actions: responseStarted },
                    'model.functionCall': { target: 'executingTools', actions: { type: 'admitToolCall', params: ({ event }) => event } },
                    ...requestsSentAtOnce,
                  },
                },
                generating: {
                  description: 'A response is being produced (tool calls may already be running).',
                  initial: 'streaming',
                  states: {
                    requested: {
                      description: 'A response was asked for and has not started yet.',
                      on: {
                        // No response is coming for a request refused outright: the turn is free again.
                        'model.requestRefused': [
                          dropRefusedFollowUp,
                          requeueRefused,
                          { guard: 'hasOutstandingToolCalls', target: '#realtimeSession.link.connected.turn.executingTools', actions: failRefused },
                          { target: '#realtimeSession.link.connected.turn.idle', actions: failRefused },
                        ],
                      },
                      // Calls admitted meanwhile still hold the turn: their outputs are owed.
                      // A request whose response never started fails visibly.
                      after: {
                        responseStartTimeout: [
                          { guard: 'hasOutstandingToolCalls', target: '#realtimeSession.link.connected.turn.executingTools', actions: { type: 'failRequests', params: NOT_STARTED } },
                          { target: '#realtimeSession.link.connected.turn.idle', actions: { type: 'failRequests', params: NOT_STARTED } },
                        ],
                      },
                    },
                    streaming: { description: 'The model is streaming its response.' },
                  },
                  on: {
                    'model.responseCreated': { target: '.streaming', actions: responseStarted },
                    'model.functionCall': { actions: { type: 'admitToolCall', params: ({ event }) => event } },
                    'model.responseDone': [
                      // A request on the wire was not answered by this response: its response is next
                      // (tool calls may run meanwhile; `requested` bounds the wait).
                      { guard: { type: 'isReplyStillOwed', params: ({ event }) => ({ status: event.status }) }, target: '.requested', actions: responseFinished },
                      { guard: 'hasOutstandingToolCalls', target: 'executingTools', actions: responseFinished },
                      { target: 'idle', actions: responseFinished },
                    ],
                    // One response at a time: a request that asks for a reply waits for this one.
                    'session.createResponse': [
                      { guard: { type: 'mustWaitForActiveResponse', params: { respond: true } }, actions: { type: 'queueRequest', params: ({ event }) => ({ requestId: event.requestId, text: undefined }) } },
                      { actions: responseRequest },
                    ],
                    'session.sendText': {
                      guard: { type: 'mustWaitForActiveResponse', params: respondParams },
                      actions: { type: 'queueRequest', params: ({ event }) => ({ requestId: event.requestId, text: event.text }) },
                    },
                  },
                },
                executingTools: {
                  description: 'The response is done but tool calls are still outstanding; their outputs are owed to this connection.',
                  // No response is active here: a queued request may go out while the tools run.
                  always: [
                    { guard: 'hasNoOutstandingToolCalls', target: 'idle' },
                    { guard: 'canSendNextRequest', target: 'generating.requested', actions: 'sendNextRequest' },
                  ],
                  on: {
                    'model.responseCreated': { target: 'generating', actions: responseStarted },
                    'model.functionCall': { actions: { type: 'admitToolCall', params: ({ event }) => event } },
                    'model.responseDone': { actions: responseFinished },
                    ...requestsSentAtOnce,
                  },
                },
              },
            },
            backgroundCalls: {
              description:
                'Tool calls that do not hold the turn (`behavior: background`): the conversation goes on while they run, and they outlive a connection swap (their outputs go to the next connection). A queued swap waits for them at most `backgroundCallSwapWaitMs`.',
              initial: 'none',
              states: {
                none: {
                  description: 'No background tool call is running.',
                  always: { guard: 'hasBackgroundCalls', target: 'running' },
                },
                running: {
                  description: 'Background tool calls are running: a queued connection swap waits for them (`isTurnIdle`), for at most `backgroundCallSwapWaitMs`.',
                  always: { guard: 'hasNoBackgroundCalls', target: 'none' },
                  after: { backgroundCallSwapWait: 'overdue' },
                },
                overdue: {
                  description: 'Background tool calls have run longer than `backgroundCallSwapWaitMs`: they no longer hold a queued swap back; their outputs follow on the next connection.',
                  always: { guard: 'hasNoBackgroundCalls', target: 'none' },
                  },
                },
              },
            // The region handles the speech events (a region's transition shadows the parallel parent's).
            floor: {
              description:
                'Whether the user has the floor (server VAD speech_started … speech_stopped, then the server\'s response to their turn). While they do, no queued request is sent over them (`canSendNextRequest`) and no queued swap runs (`isTurnIdle`).',
              initial: 'open',
              states: {
                open: {
                  description: 'The user is not speaking: queued requests may go out.',
                  on: { 'model.speechStarted': [{ guard: 'isBargeInOverPlayback', target: 'userSpeaking', actions: bargeInOverPlayback }, { target: 'userSpeaking', actions: speechStarted }], 'model.speechStopped': { actions: speechStopped } },
                },
                userSpeaking: {
                  description:
                    'The user is speaking: queued requests wait. Bounded by `userFloorTimeout`, so a lost speech_stopped does not hold them forever.',
                  on: { 'model.speechStarted': [{ guard: 'isBargeInOverPlayback', actions: bargeInOverPlayback }, { actions: speechStarted }], 'model.speechStopped': spokenTurnEnded },
                  after: { userFloorTimeout: 'open' },
                },
                userTurnCommitted: {
                  description: "The user stopped speaking and the server is creating its own response to their turn (VAD with createResponse): queued requests and a queued swap wait for it to start, so neither collides with it nor closes the socket under it. Bounded by `userTurnResponseTimeout`.",
                  on: { 'model.speechStarted': { target: 'userSpeaking', actions: speechStarted }, 'model.responseCreated': 'open' },
                  after: { userTurnResponseTimeout: 'open' },
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
                      {
                        guard: { type: 'isNoOpUpdate', params: ({ event }) => ({ delta: event.delta }) },
                        actions: { type: 'acknowledgeNoOpUpdate', params: ({ event }) => event },
                      },
                      {
                        guard: { type: 'canApplyInPlace', params: ({ event }) => ({ delta: event.delta }) },
                        actions: { type: 'applyUpdateInPlace', params: ({ event }) => event },
                      },
                      // An update applied by reconnecting at once: a connection swap.
                      { guard: 'isTurnIdle', target: '#realtimeSession.swapping', actions: { type: 'startSwapNow', params: ({ event }) => event } },
                      { target: 'pending', actions: { type: 'queueResumption', params: ({ event }) => event } },
                    ],
                    'model.goAway': { target: 'pending', actions: { type: 'queueGoAwayResumption', params: ({ event }) => event } },
                  },
                },
                pending: {
                  description:
                    'A change the provider cannot apply in place is queued (one slot, last write wins). It runs at the first idle moment, or when a goAway deadline is near.',
                  // The queued swap runs at the first idle moment: a connection swap.
                  always: { guard: 'isTurnIdle', target: '#realtimeSession.swapping', actions: 'beginQueuedSwap' },
                  after: { goAwayForce: { guard: 'hasPendingGoAway', target: 'forced' } },
                  on: {
                    'session.update': { actions: { type: 'queueResumption', params: ({ event }) => event } },
                    'model.goAway': { target: 'pending', reenter: true, actions: { type: 'queueGoAwayResumption', params: ({ event }) => event } },
                  },
                },
                forced: {
                  description:
                    'The goAway deadline is near and the turn is still busy: outstanding tool calls are answered with a cancellation on the old connection, then the queued swap runs without waiting for the turn.',
                  // Entry, not the swap's own actions: those run after the old adapter is stopped.
                  entry: { type: 'abandonToolCalls', params: { deliver: true, keepBackground: true } },
                  // A goAway swap: a connection swap.
                  always: { target: '#realtimeSession.swapping', actions: 'beginQueuedSwap' },
                },
              },
            },
          },
        },

        closing: {
          description: 'Closing the connection at the application\'s request; outstanding tool calls are answered with a cancellation first.',
          entry: [{ type: 'abandonToolCalls', params: { deliver: true, keepBackground: false } }, 'requestClose'],
          on: { 'model.closed': { target: '#realtimeSession.closed', actions: 'storeCloseInfo' } },
          after: { closeTimeout: '#realtimeSession.closed' },
        },
      },
    },

    swapping: {
      description:
        'Between two connections: leaving `link` stopped the old adapter (closing its socket); entering `link.resuming` starts the new one. Every connection swap passes here, so each is a transition of its own. Requests sent on the old connection and not yet answered fail; queued ones go to the new one.',
      entry: { type: 'failRequests', params: REPLACED },
      always: 'link.resuming',
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
      entry: ['emitLastError', 'discardUserAudio', { type: 'failRequests', params: FAILED }, { type: 'abandonToolCalls', params: { deliver: false, keepBackground: false } }],
      on: {
        'session.connect': { target: 'link.connecting', actions: 'prepareInitialConnection' },
        'session.close': 'closed',
      },
    },

    closed: {
      description: 'The session is over.',
      type: 'final',
      entry: ['discardUserAudio', { type: 'failRequests', params: CLOSED }, 'emitClosed'],
    },
  },
});

export type RealtimeSessionMachine = typeof realtimeSessionMachine;
