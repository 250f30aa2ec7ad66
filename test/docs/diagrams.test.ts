/**
 * The Mermaid diagrams in docs/ are generated from the machine definitions (scripts/diagrams.ts).
 * This fails when a checked-in diagram no longer matches its machine: run `npm run diagrams`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIAGRAMS, renderDocs } from '../../scripts/diagrams.js';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

describe('generated diagrams in docs/', () => {
  const rendered = renderDocs(root);

  it('renders every diagram listed in scripts/diagrams.ts', () => {
    const files = new Set(DIAGRAMS.map((d) => `${root}/${d.file}`));
    expect([...rendered.keys()].sort()).toEqual([...files].sort());
    for (const { file, name } of DIAGRAMS) {
      expect(rendered.get(`${root}/${file}`), `${file}#${name}`).toContain(`<!-- diagram:${name} -->\n\`\`\`mermaid\nstateDiagram-v2`);
    }
  });

  for (const [path, expected] of rendered) {
    const file = path.slice(root.length + 1);
    it(`${file} is up to date (run \`npm run diagrams\` if this fails)`, () => {
      expect(readFileSync(path, 'utf8')).toBe(expected);
    });
  }
});
