/**
 * Renders docs/images/sample-trace.svg from a real captured trace: `voxstate demo --provider
 * gemini --otlp` runs in this process, exporting to a loopback OTLP/HTTP receiver started here;
 * the spans that arrive are drawn as a waterfall (one row per span, indented under its parent,
 * span events as ticks). Run with `npx tsx scripts/trace-svg.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '../cli/demo.js';

type Json = Record<string, any>;

const spans: Json[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
    if (req.url === '/v1/traces') for (const r of body['resourceSpans']) for (const s of r['scopeSpans']) spans.push(...s['spans']);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const tmp = mkdtempSync(join(tmpdir(), 'voxstate-trace-'));
const code = await demo(['--provider', 'gemini', '--otlp', url, '--output', join(tmp, 'reply.wav')]);
rmSync(tmp, { recursive: true, force: true });
server.close();
if (code !== 0 || spans.length === 0) throw new Error(`the demo failed (exit ${code}) or exported no spans`);

const ns = (v: string | number) => Number(BigInt(v) / 1000n) / 1000; // ns → ms
const byId = new Map(spans.map((s) => [s['spanId'], s]));
const depth = (s: Json): number => (s['parentSpanId'] && byId.has(s['parentSpanId']) ? 1 + depth(byId.get(s['parentSpanId'])!) : 0);
const rows = [...spans].sort((a, b) => ns(a['startTimeUnixNano']) - ns(b['startTimeUnixNano']) || depth(a) - depth(b));
const t0 = Math.min(...rows.map((s) => ns(s['startTimeUnixNano'])));
const t1 = Math.max(...rows.map((s) => ns(s['endTimeUnixNano'])));
const LABEL = 300, WIDTH = 960, ROW = 20, TOP = 40;
const x = (ms: number) => LABEL + ((ms - t0) / (t1 - t0)) * (WIDTH - LABEL - 20);
const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const colour = (name: string) =>
  name.startsWith('execute_tool') || name.startsWith('voxstate.tool') ? '#e8a33d' : name.startsWith('chat ') ? '#4c8bd6' : name === 'voxstate.resumption' ? '#c2504f' : name === 'voxstate.connection' ? '#6aa56a' : '#8a8a8a';
const parts: string[] = [];
rows.forEach((s, i) => {
  const y = TOP + i * ROW;
  const start = ns(s['startTimeUnixNano']), end = ns(s['endTimeUnixNano']);
  // The span's own name (`chat {model}`, `execute_tool {tool}`, …), shortened only if it would not fit the label column.
  const full = String(s['name']);
  const name = full.length > 40 ? `${full.slice(0, 39)}…` : full;
  parts.push(`<text x="${8 + depth(s) * 14}" y="${y + 14}">${esc(name)}</text>`);
  parts.push(`<rect x="${x(start).toFixed(1)}" y="${y + 3}" width="${Math.max(1.5, x(end) - x(start)).toFixed(1)}" height="${ROW - 6}" fill="${colour(String(s['name']))}" rx="2"/>`);
  parts.push(`<text x="${Math.min(x(end) + 4, WIDTH - 60).toFixed(1)}" y="${y + 14}" fill="#555">${Math.round(end - start)} ms</text>`);
  for (const e of s['events'] ?? []) {
    const ex = x(ns(e['timeUnixNano']));
    parts.push(`<line x1="${ex.toFixed(1)}" x2="${ex.toFixed(1)}" y1="${y + 1}" y2="${y + ROW - 1}" stroke="#222" stroke-width="1.5"><title>${esc(String(e['name']))}</title></line>`);
  }
});
const height = TOP + rows.length * ROW + 30;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="20" font-weight="bold">voxstate demo --provider gemini: one session's trace (${Math.round(t1 - t0)} ms, ${rows.length} spans; ticks are span events: connected, first_audio, interrupted)</text>
${parts.join('\n')}
<text x="8" y="${height - 10}" fill="#555">grey: session · green: connection · red: resumption · blue: response · orange: tool call and approval wait</text>
</svg>
`;
mkdirSync(join('docs', 'images'), { recursive: true });
writeFileSync(join('docs', 'images', 'sample-trace.svg'), svg);
console.log(`wrote docs/images/sample-trace.svg (${rows.length} spans)`);
