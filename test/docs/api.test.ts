/** Every name the package exports, at runtime and as a type, is documented in docs/api.md. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
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

  it('documents every exported type of each entry point (read with the TypeScript compiler)', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const entries = ['index.ts', 'testing.ts', 'adapters/openai/index.ts', 'adapters/gemini/index.ts', 'emulator/index.ts'].map((e) => root + e);
    const program = ts.createProgram(entries, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true });
    const checker = program.getTypeChecker();
    const undocumented = entries.flatMap((entry) => {
      const file = program.getSourceFile(entry);
      const symbol = file && checker.getSymbolAtLocation(file);
      if (!symbol) throw new Error(`no module symbol for ${entry}`);
      const names = checker.getExportsOfModule(symbol).map((s) => s.name);
      expect(names.length).toBeGreaterThan(0);
      return names.filter((name) => !new RegExp(`\\b${name}\\b`).test(api)).map((name) => `${entry.slice(root.length)}: ${name}`);
    });
    expect(undocumented).toEqual([]);
  }, 20_000);
});
