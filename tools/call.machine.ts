/**
 * One tool call's life, as its own small statechart. The session spawns one per function call
 * (id `tool.<callId>`), so each call is visible in the inspector while it runs and disappears
 * when the session stops it after its outcome.
 *
 * validating → (awaitingApproval) → waitingForSlot → running → succeeded | failed | timedOut
 *                                                              | cancelled | rejected
 */
import { assign, fromPromise, sendParent, setup } from 'xstate';
import { ToolCallRejected, toolErrorOutput, type ToolErrorOutput } from './outputs.js';
import type { PreparedCall } from './registry.js';
import type { ToolRuntime } from './runtime.js';

export interface ToolCallInput {
  callId: string;
  name: string;
  /** The raw JSON text the model produced. */
  arguments: string;
  /** Used when the tool sets no `timeoutMs` of its own. */
  defaultTimeoutMs: number;
  /** The tool names the session offers now (absent: every registered tool). */
  offeredTools?: readonly string[];
  /** The session's tool handlers (see tools/runtime.ts); absent: the provided `prepareCall`/`executeTool` decide. */
  runtime?: ToolRuntime;
}

export interface PrepareCallInput {
  name: string;
  arguments: string;
  offeredTools: readonly string[] | undefined;
  runtime?: ToolRuntime | undefined;
}

export type ToolStatus = 'succeeded' | 'failed' | 'timedOut' | 'cancelled' | 'rejected';

/** What a finished tool actor reports to the session (its actor output). */
export interface ToolOutcome {
  callId: string;
  name: string;
  status: ToolStatus;
  /** What the model is sent: the tool's result, or a structured `{ error }` output. */
  output: unknown;
  /** True when no output may be sent (the provider itself cancelled the call). */
  silent: boolean;
  durationMs: number;
}

export interface ToolCallContext extends ToolCallInput {
  args: unknown;
  needsApproval: boolean;
  cancelOnInterrupt: boolean;
  timeoutMs: number;
  status: ToolStatus | undefined;
  output: unknown;
  silent: boolean;
  createdAt: number;
  /** A decision or barge-in that arrived while the call was still being validated, applied after. */
  early: { decision?: 'approved' | 'rejected'; reason?: string; interrupted: boolean };
}

export type ToolCallEvent =
  | { type: 'tool.start' }
  | { type: 'tool.approve' }
  | { type: 'tool.reject'; reason?: string }
  | { type: 'tool.interrupt' }
  | { type: 'tool.cancel'; reason: string; silent?: boolean };

/** Events a tool actor sends to the session that spawned it. */
export type ToolParentEvent =
  | { type: 'tool.ready'; callId: string }
  | { type: 'tool.approvalRequested'; callId: string; name: string; args: unknown };

export interface ExecuteToolInput {
  callId: string;
  name: string;
  args: unknown;
  runtime?: ToolRuntime | undefined;
}

const preparedOf = (event: unknown): PreparedCall => (event as { output: PreparedCall }).output;

const rejectionOutput = (reason: string | undefined): ToolErrorOutput =>
  toolErrorOutput('rejected', reason ? `Rejected: ${reason}` : 'Rejected by the user');

function outputOf(error: unknown, fallback: ToolErrorOutput): unknown {
  return error instanceof ToolCallRejected ? error.output : fallback;
}

export const toolCallMachine = setup({
  types: {
    input: {} as ToolCallInput,
    context: {} as ToolCallContext,
    events: {} as ToolCallEvent,
    output: {} as ToolOutcome,
  },
  actors: {
    // The registry in the input (a session's `ToolRuntime`), or none; `createToolCallLogic(registry)` provides others.
    prepareCall: fromPromise<PreparedCall, PrepareCallInput>(async ({ input }) => {
      if (input.runtime) return input.runtime.registry.prepare(input.name, input.arguments, input.offeredTools);
      throw new ToolCallRejected(toolErrorOutput('unknown_tool', `Unknown tool: ${input.name} (no tools registered)`));
    }),
    executeTool: fromPromise<unknown, ExecuteToolInput>(async ({ input, signal }) => {
      if (input.runtime) return input.runtime.registry.execute(input.name, input.args, { signal, callId: input.callId, session: input.runtime.getSession() });
      throw new ToolCallRejected(toolErrorOutput('unknown_tool', `Unknown tool: ${input.name}`));
    }),
  },
  delays: {
    toolTimeout: ({ context }) => context.timeoutMs,
  },
  guards: {
    needsApproval: ({ event }) => preparedOf(event).needsApproval,
    cancelsOnInterrupt: ({ context }) => context.cancelOnInterrupt,
    wasInterruptedWhileValidating: ({ context, event }) => context.early.interrupted && preparedOf(event).cancelOnInterrupt,
    wasApprovedWhileValidating: ({ context, event }) => preparedOf(event).needsApproval && context.early.decision === 'approved',
    wasRejectedWhileValidating: ({ context, event }) => preparedOf(event).needsApproval && context.early.decision === 'rejected',
  },
  actions: {
    rememberEarlyApproval: assign({ early: ({ context }) => ({ ...context.early, decision: 'approved' as const }) }),
    rememberEarlyRejection: assign({
      early: ({ context, event }) => {
        const reason = (event as Extract<ToolCallEvent, { type: 'tool.reject' }>).reason;
        return { ...context.early, decision: 'rejected' as const, ...(reason === undefined ? {} : { reason }) };
      },
    }),
    rememberEarlyInterrupt: assign({ early: ({ context }) => ({ ...context.early, interrupted: true }) }),
    storeEarlyRejection: assign({
      status: 'rejected' as const,
      output: ({ context }) => rejectionOutput(context.early.reason),
    }),
    storePreparedCall: assign(({ context, event }) => {
      const prepared = preparedOf(event);
      return {
        args: prepared.args,
        needsApproval: prepared.needsApproval,
        cancelOnInterrupt: prepared.cancelOnInterrupt,
        timeoutMs: prepared.timeoutMs ?? context.defaultTimeoutMs,
      };
    }),
    storeRejectedCall: assign({
      status: 'failed' as const,
      output: ({ event }) =>
        outputOf((event as unknown as { error: unknown }).error, toolErrorOutput('invalid_arguments', 'Arguments could not be validated')),
    }),
    storeResult: assign({
      status: 'succeeded' as const,
      output: ({ event }) => (event as unknown as { output: unknown }).output ?? null,
    }),
    storeFailure: assign({
      status: 'failed' as const,
      output: ({ context, event }) =>
        outputOf((event as unknown as { error: unknown }).error, toolErrorOutput('tool_error', `${context.name} failed`)),
    }),
    storeTimeout: assign({
      status: 'timedOut' as const,
      output: ({ context }) => toolErrorOutput('timeout', `${context.name} did not answer within ${context.timeoutMs} ms`),
    }),
    storeCancellation: assign(({ event }) => {
      const cancel = event as Extract<ToolCallEvent, { type: 'tool.cancel' }>;
      return {
        status: 'cancelled' as const,
        silent: cancel.silent ?? false,
        output: toolErrorOutput('cancelled', `Cancelled: ${cancel.reason}`),
      };
    }),
    storeInterruption: assign({
      status: 'cancelled' as const,
      output: () => toolErrorOutput('cancelled', 'Cancelled: the user interrupted'),
    }),
    storeRejection: assign(({ event }) => ({
      status: 'rejected' as const,
      output: rejectionOutput((event as Extract<ToolCallEvent, { type: 'tool.reject' }>).reason),
    })),
    requestApproval: sendParent(({ context }): ToolParentEvent => ({
      type: 'tool.approvalRequested',
      callId: context.callId,
      name: context.name,
      args: context.args,
    })),
    requestSlot: sendParent(({ context }): ToolParentEvent => ({ type: 'tool.ready', callId: context.callId })),
  },
}).createMachine({
  id: 'toolCall',
  context: ({ input }) => ({
    ...input,
    args: undefined,
    needsApproval: false,
    cancelOnInterrupt: false,
    timeoutMs: input.defaultTimeoutMs,
    status: undefined,
    output: undefined,
    silent: false,
    createdAt: Date.now(),
    early: { interrupted: false },
  }),
  initial: 'validating',
  on: {
    'tool.cancel': { target: '.cancelled', actions: 'storeCancellation' },
  },
  states: {
    validating: {
      description: 'Looking the tool up, parsing the JSON arguments and validating them against its schema.',
      invoke: {
        src: 'prepareCall',
        input: ({ context }): PrepareCallInput => ({
          name: context.name,
          arguments: context.arguments,
          offeredTools: context.offeredTools,
          runtime: context.runtime,
        }),
        onDone: [
          { guard: 'wasInterruptedWhileValidating', target: 'cancelled', actions: ['storePreparedCall', 'storeInterruption'] },
          { guard: 'wasRejectedWhileValidating', target: 'rejected', actions: ['storePreparedCall', 'storeEarlyRejection'] },
          { guard: 'wasApprovedWhileValidating', target: 'waitingForSlot', actions: 'storePreparedCall' },
          { guard: 'needsApproval', target: 'awaitingApproval', actions: 'storePreparedCall' },
          { target: 'waitingForSlot', actions: 'storePreparedCall' },
        ],
        onError: { target: 'failed', actions: 'storeRejectedCall' },
      },
      // An async approval policy can take a while: what arrives meanwhile is kept, not dropped.
      on: {
        'tool.approve': { actions: 'rememberEarlyApproval' },
        'tool.reject': { actions: 'rememberEarlyRejection' },
        'tool.interrupt': { actions: 'rememberEarlyInterrupt' },
      },
    },
    awaitingApproval: {
      description: 'Waiting for the application to approve or reject this call (human in the loop).',
      entry: 'requestApproval',
      on: {
        'tool.approve': 'waitingForSlot',
        'tool.reject': { target: 'rejected', actions: 'storeRejection' },
        'tool.interrupt': { guard: 'cancelsOnInterrupt', target: 'cancelled', actions: 'storeInterruption' },
      },
    },
    waitingForSlot: {
      description: 'Validated; waiting for one of the session\'s concurrent tool slots.',
      entry: 'requestSlot',
      on: {
        'tool.start': 'running',
        'tool.interrupt': { guard: 'cancelsOnInterrupt', target: 'cancelled', actions: 'storeInterruption' },
      },
    },
    running: {
      description: 'The handler is running; its AbortSignal fires if this state is left early.',
      invoke: {
        src: 'executeTool',
        input: ({ context }): ExecuteToolInput => ({ callId: context.callId, name: context.name, args: context.args, runtime: context.runtime }),
        onDone: { target: 'succeeded', actions: 'storeResult' },
        onError: { target: 'failed', actions: 'storeFailure' },
      },
      after: { toolTimeout: { target: 'timedOut', actions: 'storeTimeout' } },
      on: {
        'tool.interrupt': { guard: 'cancelsOnInterrupt', target: 'cancelled', actions: 'storeInterruption' },
      },
    },
    succeeded: { type: 'final', description: 'The handler returned; its value is the output.' },
    failed: { type: 'final', description: 'Unknown tool, bad arguments, or the handler threw: a structured error output.' },
    timedOut: { type: 'final', description: 'The handler did not answer in time; it was aborted.' },
    cancelled: { type: 'final', description: 'Aborted by barge-in, the provider, or the session closing.' },
    rejected: { type: 'final', description: 'The application rejected the call.' },
  },
  output: ({ context }) => ({
    callId: context.callId,
    name: context.name,
    status: context.status ?? 'failed',
    output: context.output ?? null,
    silent: context.silent,
    durationMs: Date.now() - context.createdAt,
  }),
});

export type ToolCallMachine = typeof toolCallMachine;
