/**
 * `npm run build` compiles to dist/ and every entry of the exports map resolves to built JS plus
 * types, so `import { createRealtimeSession } from 'voxstate'` works from a script in the package.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('package build and exports', () => {
  it('builds, and every export resolves to JS and types that work when imported by name', () => {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe', timeout: 120_000 });
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { exports: Record<string, { types: string; import: string }> };
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './testing', './openai', './gemini', './emulator']));
    for (const [entry, target] of Object.entries(pkg.exports)) {
      expect(existsSync(`${root}${target.import}`), `${entry} → ${target.import}`).toBe(true);
      expect(existsSync(`${root}${target.types}`), `${entry} → ${target.types}`).toBe(true);
    }
    const script = `${root}.exports-check.mjs`;
    const specifiers = Object.keys(pkg.exports).map((e) => (e === '.' ? 'voxstate' : `voxstate/${e.slice(2)}`));
    writeFileSync(
      script,
      [
        ...specifiers.map((s, i) => `import * as m${i} from '${s}';`),
        `const names = { ${specifiers.map((s, i) => `'${s}': Object.keys(m${i}).sort()`).join(', ')} };`,
        `const { createRealtimeSession } = m0;`,
        `const { createScriptedModel } = m${specifiers.indexOf('voxstate/testing')};`,
        `const session = createRealtimeSession({ model: createScriptedModel({ responses: [{ transcript: 'built' }] }) });`,
        `let said = '';`,
        `session.on('transcript', (e) => { if (e.isFinal) said = e.text; });`,
        `await session.connect(); await session.sendText('hi'); await new Promise((r) => setTimeout(r, 20)); await session.close();`,
        `console.log(JSON.stringify({ names, said }));`,
      ].join('\n'),
    );
    try {
      const out = execFileSync(process.execPath, [script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as { names: Record<string, string[]>; said: string };
      expect(result.said).toBe('built');
      expect(result.names['voxstate']).toEqual(expect.arrayContaining(['createRealtimeSession', 'realtimeSessionMachine', 'defineTool', 'createSessionLogic']));
      expect(result.names['voxstate/testing']).toContain('createScriptedModel');
      expect(result.names['voxstate/openai']).toContain('openaiRealtime');
      expect(result.names['voxstate/gemini']).toContain('geminiLive');
      expect(result.names['voxstate/emulator']).toContain('startEmulator');
    } finally {
      rmSync(script, { force: true });
    }

    // The published declarations may only import what an installing user gets: dependencies, Node
    // built-ins and relative files. A dev dependency there (e.g. @google/genai's types) would break
    // every consumer that type-checks libraries (skipLibCheck: false, tsc's default).
    const deps = new Set(Object.keys((JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string> }).dependencies));
    const published = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? published(join(dir, d.name)) : d.name.endsWith('.d.ts') ? [join(dir, d.name)] : []));
    const foreign: string[] = [];
    for (const file of published(`${root}dist`)) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const [, spec] of code.matchAll(/(?:from|import\(|reference types=)\s*['"]([^'"]+)['"]/g)) {
        if (spec!.startsWith('.') || spec!.startsWith('node:')) continue;
        const pkgName = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
        if (!deps.has(pkgName) && !deps.has(`@types/${pkgName}`)) foreign.push(`${file.slice(root.length)} imports ${spec}`);
      }
    }
    expect(foreign).toEqual([]);
  }, 180_000);
});
