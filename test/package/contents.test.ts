/**
 * What `npm pack` would publish: the license package.json names, and the docs that the README, the
 * docs themselves and `voxstate --help` point to, so every link works for someone who installed
 * the package (not only in a clone).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function packedFiles(): Set<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const [pack] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return new Set(pack!.files.map((f) => f.path));
}

const markdownIn = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? markdownIn(join(dir, d.name)) : d.name.endsWith('.md') ? [join(dir, d.name)] : [],
  );

describe('the published package', () => {
  const files = packedFiles();

  it('carries the MIT license package.json declares', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string };
    expect(pkg.license).toBe('MIT');
    expect(files.has('LICENSE')).toBe(true);
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} voxstate contributors\n/);
  });

  it('ships every docs page, and every relative link in the README and the docs resolves inside the package', () => {
    const pages = ['README.md', ...markdownIn('docs')];
    for (const page of pages.slice(1)) expect(files, page).toContain(page);
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(root, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!) || target!.startsWith('#')) continue; // web links, anchors
        const path = normalize(join(dirname(page), target!.split('#')[0]!));
        if (!files.has(path)) broken.push(`${page} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
