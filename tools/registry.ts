/**
 * The tool registry: name → definition, and the two steps the tool actor runs against it —
 * preparing a call (lookup, JSON parse, schema validation, approval policy) and executing it.
 * It enters a session in its input (`ToolRuntime`, tools/runtime.ts) or through `.provide()`
 * (`createToolCallLogic`), never a module global.
 */
import { redactSecrets } from '../errors.js';
import type { AnyToolDefinition, ToolExecuteContext } from './define.js';
import { toToolSpec } from './define.js';
import { ToolCallRejected, toolErrorOutput } from './outputs.js';
import type { ToolSpec } from '../config.js';

export interface PreparedCall {
  args: unknown;
  needsApproval: boolean;
  timeoutMs: number | undefined;
  cancelOnInterrupt: boolean;
}

export class ToolRegistry {
  private readonly tools = new Map<string, AnyToolDefinition>();

  constructor(tools: readonly AnyToolDefinition[] = []) {
    for (const tool of tools) this.register(tool);
  }

  /** Registering a name again replaces the earlier definition (last registration wins). */
  register(tool: AnyToolDefinition): void {
    this.tools.set(tool.name, tool);
  }

  get(name: string): AnyToolDefinition | undefined {
    return this.tools.get(name);
  }

  get size(): number {
    return this.tools.size;
  }

  specs(): ToolSpec[] {
    return [...this.tools.values()].map(toToolSpec);
  }

  /**
   * Lookup, parse and validate; throws `ToolCallRejected` with the output the model should see.
   * `offered`: the tool names the session offers the model now; a registered tool outside it (one
   * an update removed) is as unknown as one never registered.
   */
  async prepare(name: string, rawArguments: string, offered?: readonly string[]): Promise<PreparedCall> {
    const tool = offered && !offered.includes(name) ? undefined : this.tools.get(name);
    if (!tool) {
      const known = offered ? offered.filter((n) => this.tools.has(n)) : [...this.tools.keys()];
      throw new ToolCallRejected(
        toolErrorOutput('unknown_tool', `Unknown tool: ${name}${known.length ? ` (available: ${known.join(', ')})` : ''}`),
      );
    }
    let parsed: unknown;
    try {
      parsed = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments);
    } catch (error) {
      throw new ToolCallRejected(
        toolErrorOutput('invalid_arguments', `Arguments for ${name} are not valid JSON: ${(error as Error).message}`),
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ToolCallRejected(toolErrorOutput('invalid_arguments', `Arguments for ${name} must be a JSON object`));
    }
    let args: unknown = parsed;
    if (tool.schema) {
      const result = tool.schema.safeParse(parsed);
      if (!result.success) {
        const issues = result.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.') || '(arguments)',
          message: issue.message,
        }));
        throw new ToolCallRejected(
          toolErrorOutput(
            'invalid_arguments',
            `Arguments for ${name} failed validation: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
            issues,
          ),
        );
      }
      args = result.data;
    }
    const policy = tool.needsApproval;
    const needsApproval = typeof policy === 'function' ? await policy(args as never) : policy;
    return { args, needsApproval, timeoutMs: tool.timeoutMs, cancelOnInterrupt: tool.cancelOnInterrupt };
  }

  async execute(name: string, args: unknown, context: ToolExecuteContext): Promise<unknown> {
    const tool = this.tools.get(name);
    if (!tool) throw new ToolCallRejected(toolErrorOutput('unknown_tool', `Unknown tool: ${name}`));
    try {
      return await tool.execute(args as never, context);
    } catch (error) {
      if (error instanceof ToolCallRejected) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new ToolCallRejected(toolErrorOutput('tool_error', `${name} failed: ${redactSecrets(message)}`));
    }
  }
}
