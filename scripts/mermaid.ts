/**
 * Renders an XState machine definition as a Mermaid `stateDiagram-v2`, so the diagrams in docs/
 * come from the machines themselves. Only transitions that change state are drawn (targetless
 * ones — tool bookkeeping, emitted events — would be self-loops that hide the shape); each edge is
 * labelled with its event and guard.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

interface Edge {
  from: string;
  to: string;
  label: string;
}

const idOf = (node: AnyStateNode) => (node.path.length === 0 ? '[*]' : node.path.join('_'));

function eventLabel(eventType: string, node: AnyStateNode): string {
  if (eventType === '') return 'always';
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}`;
  for (const [prefix, word] of [['xstate.done.actor.', 'done'], ['xstate.error.actor.', 'error']] as const) {
    if (!eventType.startsWith(prefix)) continue;
    const id = eventType.slice(prefix.length);
    // Invoked actors get generated ids; their source name reads better.
    const invoked = node.invoke.find((i) => i.id === id);
    const src = invoked && typeof invoked.src === 'string' ? invoked.src : id;
    return `${word} ${src}`;
  }
  return eventType;
}

function guardLabel(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return ` [${guard}]`;
  if (typeof guard === 'object' && guard && 'type' in guard) return ` [${String((guard as { type: unknown }).type)}]`;
  return ' [guard]';
}

function collectEdges(node: AnyStateNode, edges: Edge[]): void {
  const transitions: Array<{ eventType: string; target?: readonly AnyStateNode[] | undefined; guard?: unknown }> = [];
  for (const [eventType, list] of node.transitions) for (const t of list) transitions.push({ ...t, eventType });
  for (const t of node.always ?? []) transitions.push({ ...t, eventType: '' });
  for (const t of transitions) {
    for (const target of t.target ?? []) {
      edges.push({ from: idOf(node), to: idOf(target), label: `${eventLabel(t.eventType, node)}${guardLabel(t.guard)}` });
    }
  }
  for (const child of Object.values(node.states) as AnyStateNode[]) collectEdges(child, edges);
}

function renderStates(node: AnyStateNode, indent: string, lines: string[]): void {
  const children = Object.values(node.states) as AnyStateNode[];
  if (node.type === 'parallel') {
    children.forEach((region, i) => {
      if (i > 0) lines.push(`${indent}--`);
      lines.push(`${indent}state "${region.key}" as ${idOf(region)} {`);
      renderRegion(region, `${indent}  `, lines);
      lines.push(`${indent}}`);
    });
    return;
  }
  renderRegion(node, indent, lines);
}

function renderRegion(node: AnyStateNode, indent: string, lines: string[]): void {
  const children = Object.values(node.states) as AnyStateNode[];
  const initial = node.type === 'compound' ? (node.initial?.target?.[0] as AnyStateNode | undefined) : undefined;
  if (initial) lines.push(`${indent}[*] --> ${idOf(initial)}`);
  for (const child of children) {
    const grand = Object.values(child.states);
    if (grand.length > 0) {
      lines.push(`${indent}state "${child.key}" as ${idOf(child)} {`);
      renderStates(child, `${indent}  `, lines);
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}state "${child.key}" as ${idOf(child)}`);
    }
    if (child.type === 'final') lines.push(`${indent}${idOf(child)} --> [*]`);
  }
}

export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  renderStates(machine.root, '  ', lines);
  const edges: Edge[] = [];
  collectEdges(machine.root, edges);
  const seen = new Set<string>();
  for (const edge of edges) {
    const line = `  ${edge.from} --> ${edge.to}: ${edge.label}`;
    if (edge.from === '[*]' || seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  return lines.join('\n');
}

/** Replaces the block between `<!-- diagram:NAME -->` and `<!-- /diagram:NAME -->` in a markdown text. */
export function spliceDiagram(markdown: string, name: string, mermaid: string): string {
  const start = `<!-- diagram:${name} -->`;
  const end = `<!-- /diagram:${name} -->`;
  const i = markdown.indexOf(start);
  const j = markdown.indexOf(end);
  if (i < 0 || j < i) throw new Error(`markers for diagram "${name}" not found`);
  return `${markdown.slice(0, i + start.length)}\n\`\`\`mermaid\n${mermaid}\n\`\`\`\n${markdown.slice(j)}`;
}
