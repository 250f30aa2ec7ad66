/**
 * The credential-minting helpers' one REST call (adapters/mint-request.ts), against a loopback
 * server that answers badly: a refusal carries the provider's message with the key redacted, and
 * a 200 that is not JSON (a proxy's HTML page) is a readable error, not a bare SyntaxError.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mintGeminiToken } from '../../adapters/gemini/index.js';
import { mintOpenAIClientSecret } from '../../adapters/openai/index.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function answering(status: number, body: string): Promise<string> {
  server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'text/html' }).end(body));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const KEY = 'sk-live-mint-0123456789abcdef';

describe('minting against a provider that answers badly', () => {
  it('a 200 that is not JSON is a readable error naming the provider', async () => {
    const baseUrl = await answering(200, '<html>proxy login</html>');
    await expect(mintOpenAIClientSecret({ apiKey: KEY, baseUrl })).rejects.toThrow(/^OpenAI answered the request for a client secret with something that is not a JSON object/);
    await expect(mintGeminiToken({ apiKey: KEY, baseUrl })).rejects.toThrow(/^Gemini answered the request for an ephemeral token with something that is not a JSON object/);
  });

  it('a refusal carries the provider\'s message with the key redacted', async () => {
    const baseUrl = await answering(401, JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }));
    const error = await mintOpenAIClientSecret({ apiKey: KEY, baseUrl }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^OpenAI refused to mint a client secret: HTTP 401: Incorrect API key provided: \[redacted\]$/);
  });
});
