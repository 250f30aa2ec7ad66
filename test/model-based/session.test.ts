/**
 * Model-based tests of the session machine. The model is the real `realtimeSessionMachine`,
 * traversed with `xstate/graph`; every generated path is replayed on the real runtime (the same
 * machine with the scripted adapter and real tool actors, created through `createSessionLogic`)
 * and after every step the real actor must agree with the model (`sessionInvariants`). Coverage is
 * measured on the real actors (inspection microsteps), and the last test fails if any transition of
 * the session machine was never taken. docs/testing.md explains the approach.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { coverage, pathsFor, runPath, scenarios } from './session-model.js';
import { describePath } from './paths.js';

for (const scenario of scenarios) {
  describe(`session model: ${scenario.name}`, () => {
    const paths = pathsFor(scenario);
    it('generates a bounded, non-empty set of paths', () => {
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.length).toBeLessThan(600);
    });
    for (const path of paths) {
      it(describePath(path), () => runPath(scenario, path));
    }
  });
}

describe('session machine transition coverage', () => {
  afterAll(() => {
    console.log(`[model-based] session machine ${coverage.report()}`);
  });

  // A transition no path can take is dead code in the chart: this fails until it is removed or reached.
  it('every transition of the session machine was exercised on the real runtime', () => {
    const missing = coverage.missing().map((t) => t.key);
    expect(missing, coverage.report()).toEqual([]);
    expect(coverage.all.length).toBeGreaterThan(70);
  });
});
