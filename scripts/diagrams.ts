/**
 * Regenerates the Mermaid diagrams in docs/ from the machine definitions:
 *   npm run diagrams
 * test/docs/diagrams.test.ts fails when a checked-in diagram differs from what this writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { realtimeSessionMachine } from '../machines/session/session.machine.js';
import { toolCallMachine } from '../tools/call.machine.js';
import { spliceDiagram, toMermaid } from './mermaid.js';

export const DIAGRAMS = [
  { file: 'docs/architecture.md', name: 'session', machine: realtimeSessionMachine },
  { file: 'docs/conversation.md', name: 'session', machine: realtimeSessionMachine },
  { file: 'docs/tools.md', name: 'tool', machine: toolCallMachine },
] as const;

export function renderDocs(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const { file, name, machine } of DIAGRAMS) {
    const path = `${root}/${file}`;
    const current = out.get(path) ?? readFileSync(path, 'utf8');
    out.set(path, spliceDiagram(current, name, toMermaid(machine)));
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
  for (const [path, text] of renderDocs(root)) writeFileSync(path, text);
  console.log(`diagrams written: ${DIAGRAMS.map((d) => `${d.file}#${d.name}`).join(', ')}`);
}
