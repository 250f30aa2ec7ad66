/**
 * The session chart's `setup()`: its types, the default actors (the adapter and tools named in the
 * input; `.provide()` may replace them) and the named delays. Guards and actions are written in their own files against this base
 * (`defineGuards`, `defineActions`: the same typing `setup().extend()` gives, so parameterized
 * actions get typed `params`) and joined in `implementations.ts`.
 */
import { setup, type ParameterizedObject } from 'xstate';
import { toolCallMachine } from '../../tools/call.machine.js';
import { modelFromInput } from './runtime.js';
import type { SessionContext, SessionEmitted, SessionEvent, SessionInput, SessionOutput } from './types.js';

export const sessionBase = setup({
  types: {
    input: {} as SessionInput,
    context: {} as SessionContext,
    events: {} as SessionEvent,
    emitted: {} as SessionEmitted,
    output: {} as SessionOutput,
    // `live`: the states in which the application's verbs are accepted (connected, or replacing the connection).
    tags: {} as 'live',
  },
  actors: {
    // The adapter and the tools named in the input (`SessionRuntime`), so one definition serves
    // every session; `.provide({ actors: { model, tool } })` still replaces either.
    model: modelFromInput,
    tool: toolCallMachine,
  },
  delays: {
    /** How long a requested response may take to start before the turn is considered idle again. */
    responseStartTimeout: 15_000,
    resumeBackoff: ({ context }) => Math.min(2_000, 200 * 2 ** Math.max(0, (context.activeSwap?.attempts ?? 1) - 1)),
    /** Resume this long after goAway: before the cut, with a margin for the reconnect. */
    goAwayForce: ({ context }) => {
      const timeLeft = context.goAwayDeadline ?? 0;
      return Math.max(0, timeLeft - Math.min(2_000, timeLeft * 0.25));
    },
    closeTimeout: 2_000,
    /** How long running background tool calls may hold back a queued swap (`backgroundCallSwapWaitMs`, default 5 s). */
    backgroundCallSwapWait: ({ context }) => context.options.backgroundCallSwapWaitMs,
    /**
     * The longest the user holds the floor without a speech_stopped (a lost frame): queued
     * requests then go out anyway. Longer than almost any single spoken turn.
     */
    userFloorTimeout: 20_000,
    /**
     * The longest a spoken turn waits, after speech_stopped, for the response the server creates
     * for it (server VAD `create_response`, which follows the commit at once): a turn the server
     * does not answer (nothing committed) does not hold queued requests and swaps longer.
     */
    userTurnResponseTimeout: 3_000,
  },
});

type ParamsMap = Record<string, ParameterizedObject['params'] | undefined>;
type Extension<A extends ParamsMap, G extends ParamsMap> = NonNullable<Parameters<typeof sessionBase.extend<A, G>>[0]>;

/** A group of named actions, typed as `setup().extend({ actions })` types them (params included). */
export function defineActions<A extends ParamsMap>(actions: NonNullable<Extension<A, {}>['actions']>) {
  return actions;
}

/** The named guards, typed as `setup().extend({ guards })` types them. */
export function defineGuards<G extends ParamsMap>(guards: NonNullable<Extension<{}, G>['guards']>) {
  return guards;
}
