/** Every name the package exports at runtime is documented in docs/api.md. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as gemini from '../../adapters/gemini/index.js';
import * as openai from '../../adapters/openai/index.js';
import * as emulator from '../../emulator/index.js';
import * as main from '../../index.js';
import * as testing from '../../testing.js';

const api = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

describe('docs/api.md', () => {
  for (const [entry, module] of Object.entries({ voxstate: main, 'voxstate/testing': testing, 'voxstate/openai': openai, 'voxstate/gemini': gemini, 'voxstate/emulator': emulator })) {
    it(`documents every runtime export of ${entry}`, () => {
      expect(Object.keys(module).length).toBeGreaterThan(0);
      const undocumented = Object.keys(module).filter((name) => !new RegExp(`\\b${name}\\b`).test(api));
      expect(undocumented).toEqual([]);
    });
  }
});
