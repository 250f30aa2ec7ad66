/**
 * The installed voxstate package itself: its root folder (for the docs it ships) and its version,
 * found by walking up from this module to voxstate's package.json (cli/ when run from source,
 * dist/cli/ when installed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  root: string;
  version: string;
}

export function packageInfo(): PackageInfo {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'voxstate' && pkg.version) return { root: dir, version: pkg.version };
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the voxstate package.json');
}

/** Where a page of the docs (shipped in the package's docs/ folder) is on this machine. */
export const docPath = (page: string): string => join(packageInfo().root, 'docs', page);
