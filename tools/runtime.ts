/**
 * Binds a tool registry to the tool-call machine through `.provide()`: the machine stays a pure
 * chart, and a test or a parent app can provide any registry (or fake the execute step).
 */
import { fromPromise } from 'xstate';
import { toolCallMachine, type ExecuteToolInput, type PrepareCallInput } from './call.machine.js';
import type { PreparedCall, ToolRegistry } from './registry.js';

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
