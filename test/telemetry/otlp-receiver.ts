/** A minimal OTLP/HTTP JSON receiver on 127.0.0.1 for the tests: it records each POST, decoded. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Json = Record<string, any>;

export interface Post {
  path: string;
  contentType: string | undefined;
  body: Json;
}

export async function receiver(): Promise<{ url: string; posts: Post[]; close(): Promise<void> }> {
  const posts: Post[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Every span in the trace posts. */
export function spansOf(posts: Post[]): Json[] {
  return posts
    .filter((p) => p.path === '/v1/traces')
    .flatMap((p) => p.body['resourceSpans'].flatMap((r: Json) => r['scopeSpans'].flatMap((s: Json) => s['spans'])));
}
