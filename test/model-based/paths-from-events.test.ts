/**
 * `getPathsFromEvents` on a model from `createEmbeddingTestModel` returns when the parent's context
 * changes with every event (docs/testing.md recommends it for targetless transitions). The call
 * runs in a child process, bounded, since a traversal that never ends cannot be interrupted.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, ROOT, run } from '../e2e/processes.js';

afterAll(killAll);

describe('createEmbeddingTestModel().getPathsFromEvents', { timeout: 60_000 }, () => {
  it('returns the named path on a parent whose context changes with every event', async () => {
    const result = await run(join(ROOT, 'test/model-based/scripts/paths-from-events.ts'), [], { timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const paths = JSON.parse(result.stdout) as Array<{ state: unknown; log: string[]; steps: string[] }>;
    expect(paths).toHaveLength(1);
    // States are told apart by the model's serializeState (status + value), so the path ends in the
    // abstract `listening` state; its context is that state's representative.
    expect(paths[0]!.state).toBe('listening');
    expect(paths[0]!.steps).toEqual(['xstate.init', 'voxstate.connected', 'voxstate.response_done', 'voxstate.response_done', 'hangup']);
    expect(paths[0]!.log[0]).toBe('voxstate.connected');
  });
});
