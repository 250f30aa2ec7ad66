import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { realtimeSessionMachine, toolCallMachine } from '../../index.js';

function statesWithoutDescription(node: AnyStateNode): string[] {
  const own = node.path.length > 0 && !node.description ? [node.path.join('.')] : [];
  return [...own, ...Object.values(node.states).flatMap((child) => statesWithoutDescription(child as AnyStateNode))];
}

describe('the inspector can explain every state', () => {
  it('every state of the session and tool machines has a description', () => {
    expect(statesWithoutDescription(realtimeSessionMachine.root)).toEqual([]);
    expect(statesWithoutDescription(toolCallMachine.root)).toEqual([]);
  });
});
