/**
 * The tools a session is given, split in two: handlers (`defineTool`) go to the tool registry, and
 * every tool, handler or not, becomes the spec the model sees.
 */
import type { ToolSpec } from '../config.js';
import { toToolSpec, type AnyToolDefinition } from '../tools/define.js';
import type { ToolRegistry } from '../tools/registry.js';

/** A tool with a handler (`defineTool`), or a plain spec the application answers itself. */
export type SessionTool = AnyToolDefinition | ToolSpec;

export function isToolDefinition(tool: SessionTool): tool is AnyToolDefinition {
  return typeof (tool as AnyToolDefinition).execute === 'function';
}

/**
 * Registers the handlers and returns the specs the model sees. A later tool with the same name
 * replaces an earlier one, as registering twice does.
 */
export function registerTools(registry: ToolRegistry, tools: readonly SessionTool[]): ToolSpec[] {
  const specs = new Map<string, ToolSpec>();
  for (const tool of tools) {
    if (isToolDefinition(tool)) {
      registry.register(tool);
      specs.set(tool.name, toToolSpec(tool));
    } else {
      specs.set(tool.name, tool);
    }
  }
  return [...specs.values()];
}
