/**
 * Doc snippets run as a reader would run them: extracted from the page, with `voxstate` imports
 * pointed at the source (in a clone, `from 'voxstate'` needs `npm run build` first, as the README
 * says), executed with tsx, and judged by what they print.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, killAll, ROOT, run } from './processes.js';

afterAll(killAll);

/** The first ```ts block of a docs page, importing from the source tree instead of the package. */
function snippetFrom(page: string): string {
  const text = readFileSync(join(ROOT, 'docs', page), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(text)?.[1];
  if (!code) throw new Error(`no ts block in docs/${page}`);
  return code
    .replace(/from 'voxstate'/g, "from '../index.js'")
    .replace(/from 'voxstate\/(testing|emulator)'/g, "from '../$1.js'")
    .replace(/from 'voxstate\/(openai|gemini)'/g, "from '../adapters/$1/index.js'");
}

describe('doc snippets', { timeout: 60_000 }, () => {
  it('embedding.md: the call router prints the billing answer and ends', async () => {
    const file = join(ROOT, 'test', `.snippet-embedding-${process.pid}.ts`);
    writeFileSync(file, snippetFrom('embedding.md'));
    try {
      const result = await run(file, [], { env: cleanEnv() });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^billing answered \S+$/m);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
