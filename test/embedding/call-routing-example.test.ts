/**
 * examples/call-routing.ts (two embedded sessions, each parent going final on `voxstate.closed`)
 * runs with XState's development build, which warns on stderr about any event sent to a stopped
 * actor: it must print no such warning.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, killAll, ROOT, run } from '../e2e/processes.js';

afterAll(killAll);

describe('examples/call-routing.ts under the XState development build', { timeout: 60_000 }, () => {
  it('ends both calls without an event sent to a stopped actor', async () => {
    const env = cleanEnv({ NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --conditions=development`.trim() });
    delete env['VOXSTATE_OPENAI_URL'];
    const result = await run(join(ROOT, 'examples/call-routing.ts'), [], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/switchboard: both calls ended\n$/);
    expect(result.stderr).not.toContain('stopped actor');
    expect(result.stderr).toBe('');
  });
});
