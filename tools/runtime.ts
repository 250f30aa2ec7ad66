/**
 * How a tool call reaches its handlers. Two ways, the same steps:
 * - `ToolRuntime` (the default): the session's registry travels in the call's input, so one tool
 *   machine definition serves every session (no `.provide()` per session, issue 15);
 * - `createToolCallLogic(registry)`: binds a registry through `.provide()`, for a test or a parent
 *   app that provides the tool actor itself (then the input's runtime is ignored).
 */
import { fromPromise } from 'xstate';
import { toolCallMachine, type ExecuteToolInput, type PrepareCallInput } from './call.machine.js';
import type { PreparedCall, ToolRegistry } from './registry.js';

/** One session's tool handlers and what a handler sees as its session; passed in the tool call's input. */
export class ToolRuntime {
  constructor(
    readonly registry: ToolRegistry,
    readonly getSession: () => unknown = () => undefined,
  ) {}

  /** What an inspector or a log shows instead of the registry (its handlers and schemas are no data). */
  toJSON(): string {
    return `[tool runtime: ${this.registry.size} tools]`;
  }
}

export function createToolCallLogic(registry: ToolRegistry, getSession: () => unknown = () => undefined) {
  return toolCallMachine.provide({
    actors: {
      prepareCall: fromPromise<PreparedCall, PrepareCallInput>(({ input }) => registry.prepare(input.name, input.arguments, input.offeredTools)),
      executeTool: fromPromise<unknown, ExecuteToolInput>(({ input, signal }) =>
        registry.execute(input.name, input.args, { signal, callId: input.callId, session: getSession() }),
      ),
    },
  });
}
