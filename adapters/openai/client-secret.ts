/**
 * OpenAI ephemeral client secrets (GA Realtime): a server holding the real API key mints one
 * (`mintOpenAIClientSecret`, `POST /v1/realtime/client_secrets`) and gives its `ek_…` value to a
 * browser or another untrusted client, which passes it as `openaiRealtime({ apiKey })`: it is sent
 * as `Authorization: Bearer ek_…` like a key. The expiry limits session creation only (a started
 * session outlives it), and one secret may create several sessions until it expires, so a
 * reconnect works with the same secret while it is valid; a function returning a fresh one per
 * connection works past that. See docs/providers/openai.md.
 */
import { postMintRequest } from '../mint-request.js';

const OPENAI_REST_URL = 'https://api.openai.com/v1';

export interface MintOpenAIClientSecretOptions {
  /** The real OpenAI API key (server side only). */
  apiKey: string;
  /** The session config the secret is bound to (GA `session` object, e.g. `{ type: 'realtime', model: 'gpt-realtime' }`). */
  session?: Record<string, unknown>;
  /** How long the secret may create sessions: 10–7200 s; the service's default is 600. */
  expiresAfterSeconds?: number;
  /** Default `https://api.openai.com/v1` (the emulator's `${httpUrl}/v1` in tests). */
  baseUrl?: string;
  /** Default the global `fetch`. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface OpenAIClientSecret {
  /** `ek_…`: pass it as `openaiRealtime({ apiKey })`. */
  value: string;
  /** Unix seconds after which the secret creates no new session. */
  expiresAt: number;
  /** The session config the service bound to it, as it answered. */
  session: Record<string, unknown> | undefined;
}

/** Mints an OpenAI Realtime client secret (server side). Errors name the HTTP status, never the key. */
export async function mintOpenAIClientSecret(options: MintOpenAIClientSecretOptions): Promise<OpenAIClientSecret> {
  const body: Record<string, unknown> = {};
  if (options.expiresAfterSeconds !== undefined) body['expires_after'] = { anchor: 'created_at', seconds: options.expiresAfterSeconds };
  if (options.session !== undefined) body['session'] = options.session;
  const json = await postMintRequest({
    provider: 'OpenAI',
    what: 'a client secret',
    url: `${(options.baseUrl ?? OPENAI_REST_URL).replace(/\/+$/, '')}/realtime/client_secrets`,
    headers: { authorization: `Bearer ${options.apiKey}` },
    body,
    apiKey: options.apiKey,
    fetch: options.fetch,
    signal: options.signal,
  });
  if (typeof json['value'] !== 'string' || typeof json['expires_at'] !== 'number') {
    throw new Error('OpenAI answered the client-secret request without a value and expires_at');
  }
  const session = json['session'] && typeof json['session'] === 'object' ? (json['session'] as Record<string, unknown>) : undefined;
  return { value: json['value'], expiresAt: json['expires_at'], session };
}
