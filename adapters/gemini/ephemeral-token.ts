/**
 * Gemini ephemeral tokens (Gemini Developer API only, v1alpha, Preview): a server holding the real
 * API key mints a short-lived token (`mintGeminiToken`, `POST /v1alpha/auth_tokens`) and gives it
 * to a browser or another untrusted client, which passes it to `geminiLive({ apiKey })` (a string,
 * or a function that fetches a fresh one per connection). A credential named `auth_tokens/…` is
 * sent the way `@google/genai` sends it: method `BidiGenerateContentConstrained`, API version
 * v1alpha, `?access_token=` instead of `?key=`. A resume does not count as one of the token's
 * `uses`; a new session must start before `newSessionExpireTime`. See docs/providers/gemini.md.
 */
import { optionError, type CredentialSource } from '../credentials.js';
import { postMintRequest } from '../mint-request.js';

/** What every ephemeral token's name starts with (the SDK's test, too). */
const TOKEN_PREFIX = 'auth_tokens/';

const GEMINI_REST_URL = 'https://generativelanguage.googleapis.com';

export function isEphemeralToken(credential: string): boolean {
  return credential.startsWith(TOKEN_PREFIX);
}

const VERTEX_TOKEN_MESSAGE =
  'vertex.accessToken is a Gemini API ephemeral token (auth_tokens/…): Vertex AI has no ephemeral tokens; ' +
  'pass it as apiKey without vertex, or give Vertex a short-lived OAuth access token';

/**
 * Vertex AI has no ephemeral tokens (gemini-live-2026.md §6 and §7; `mintGeminiToken` is Gemini API
 * only), so an `auth_tokens/…` credential given as `vertex.accessToken` is a configuration mistake:
 * refused when the adapter is created (a string) or when the function returns one (that
 * connection fails with `invalid_config`), instead of being sent as a Bearer token.
 */
export function refuseEphemeralOnVertex<T extends CredentialSource>(source: T): T {
  if (typeof source === 'string') {
    if (isEphemeralToken(source)) throw optionError('vertex.accessToken', VERTEX_TOKEN_MESSAGE);
    return source;
  }
  const checked = async (): Promise<string> => {
    const token = await source();
    if (isEphemeralToken(token)) throw optionError('vertex.accessToken', VERTEX_TOKEN_MESSAGE);
    return token;
  };
  return checked as T;
}

/**
 * The token endpoint for a Gemini API Live URL: `…generativelanguage.<version>.GenerativeService.BidiGenerateContent`
 * becomes `…generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained`. Any
 * other URL (a proxy's) is kept as given.
 */
export function constrainedUrl(url: string): string {
  return url.replace(
    /generativelanguage\.v1(?:alpha|beta)?\.GenerativeService\.BidiGenerateContent(?:Constrained)?(?=$|\?)/,
    'generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained',
  );
}

export interface MintGeminiTokenOptions {
  /** The real Gemini API key (server side only; sent as `x-goog-api-key`). */
  apiKey: string;
  /** How many new sessions the token may start; default 1 (the service's), 0 = unlimited. A resume is not a use. */
  uses?: number;
  /** After this no message is accepted (the service may close the session): default now + 30 min, at most 20 h. */
  expireTime?: Date | string;
  /** After this no new session starts: default now + 60 s, at most 20 h. Size it for reconnects. */
  newSessionExpireTime?: Date | string;
  /**
   * Locks the session config to this `setup` (wire format, e.g. `{ model: 'models/…',
   * generationConfig: { responseModalities: ['AUDIO'] } }`): sent as `bidiGenerateContentSetup`.
   */
  liveConnectConstraints?: Record<string, unknown>;
  /** Extra fields to lock (`fieldMask`, comma-separated field paths), as the REST API takes it. */
  fieldMask?: string;
  /** Default `https://generativelanguage.googleapis.com` (the emulator's `httpUrl` in tests). */
  baseUrl?: string;
  /** Default the global `fetch`. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface GeminiEphemeralToken {
  /** `auth_tokens/…`: pass it as `geminiLive({ apiKey })`. */
  token: string;
}

const iso = (value: Date | string | undefined): string | undefined => (value instanceof Date ? value.toISOString() : value);

/** Mints a Gemini ephemeral token (server side). Errors name the HTTP status, never the key. */
export async function mintGeminiToken(options: MintGeminiTokenOptions): Promise<GeminiEphemeralToken> {
  const body: Record<string, unknown> = {};
  if (options.uses !== undefined) body['uses'] = options.uses;
  if (options.expireTime !== undefined) body['expireTime'] = iso(options.expireTime);
  if (options.newSessionExpireTime !== undefined) body['newSessionExpireTime'] = iso(options.newSessionExpireTime);
  if (options.liveConnectConstraints !== undefined) body['bidiGenerateContentSetup'] = options.liveConnectConstraints;
  if (options.fieldMask !== undefined) body['fieldMask'] = options.fieldMask;
  const json = await postMintRequest({
    provider: 'Gemini',
    what: 'an ephemeral token',
    url: `${(options.baseUrl ?? GEMINI_REST_URL).replace(/\/+$/, '')}/v1alpha/auth_tokens`,
    headers: { 'x-goog-api-key': options.apiKey },
    body,
    apiKey: options.apiKey,
    fetch: options.fetch,
    signal: options.signal,
  });
  const name = json['name'];
  if (typeof name !== 'string' || !isEphemeralToken(name)) throw new Error('Gemini answered the token request without an auth_tokens/… name');
  return { token: name };
}
