/**
 * Gemini ephemeral tokens in the emulator (Gemini Developer API, v1alpha): `POST
 * /v1alpha/auth_tokens` mints one with the real API key; a client presents it as `?access_token=`
 * on the `BidiGenerateContentConstrained` endpoint. The rules played, from `@google/genai`'s
 * `AuthToken`: `uses` (default 1, 0 = unlimited) counts new sessions only — a resume (a setup
 * carrying a handle) does not count; `newSessionExpireTime` (default now + 60 s) refuses new
 * sessions after it; `expireTime` (default now + 30 min) refuses any connection after it. How the
 * service refuses is not documented: the emulator answers HTTP 401 at the handshake and closes
 * with 1008 at `setup` (its own choice). See docs/emulator.md ("Ephemeral credentials").
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { requestPath, type EmulatorContext, type HttpReply } from './server.js';

interface MintedToken {
  uses: number;
  used: number;
  expireTime: number;
  newSessionExpireTime: number;
  /** The `bidiGenerateContentSetup` the token was minted with (locked fields), as sent. */
  setup: Record<string, unknown> | undefined;
}

const DEFAULT_EXPIRE_MS = 30 * 60_000;
const DEFAULT_NEW_SESSION_EXPIRE_MS = 60_000;
const stores = new WeakMap<EmulatorContext, Map<string, MintedToken>>();
const AUTH_TOKENS_PATH = /^\/v1alpha\/auth_tokens$/;

function storeOf(context: EmulatorContext): Map<string, MintedToken> {
  let store = stores.get(context);
  if (!store) stores.set(context, (store = new Map()));
  return store;
}

const googleError = (status: number, message: string, code: string): HttpReply => ({ status, body: { error: { code: status, message, status: code } } });

function time(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** `POST /v1alpha/auth_tokens` (key in `x-goog-api-key` or `?key=`); undefined for other requests. */
export function mintGeminiToken(request: IncomingMessage, body: string, context: EmulatorContext, requiredKey: string | undefined): HttpReply | undefined {
  if (request.method !== 'POST' || !AUTH_TOKENS_PATH.test(requestPath(request.url))) return undefined;
  const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
  const header = request.headers['x-goog-api-key'];
  const presented = (typeof header === 'string' ? header : undefined) ?? query.get('key') ?? undefined;
  if (!presented || (requiredKey !== undefined && presented !== requiredKey)) {
    return googleError(401, 'API key not valid. Please pass a valid API key.', 'UNAUTHENTICATED');
  }
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    json = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return googleError(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT');
  }
  const now = Date.now();
  const expireTime = time(json['expireTime'], now + DEFAULT_EXPIRE_MS);
  const newSessionExpireTime = time(json['newSessionExpireTime'], now + DEFAULT_NEW_SESSION_EXPIRE_MS);
  const uses = json['uses'] === undefined ? 1 : json['uses'];
  if (expireTime === undefined || newSessionExpireTime === undefined || typeof uses !== 'number' || !Number.isInteger(uses) || uses < 0) {
    return googleError(400, 'Request contains an invalid argument.', 'INVALID_ARGUMENT');
  }
  const setup = json['bidiGenerateContentSetup'];
  const name = `auth_tokens/${randomBytes(16).toString('hex')}`;
  storeOf(context).set(name, {
    uses,
    used: 0,
    expireTime,
    newSessionExpireTime,
    setup: setup && typeof setup === 'object' ? (setup as Record<string, unknown>) : undefined,
  });
  return { status: 200, body: { name } };
}

/** The handshake check on the Constrained endpoint: a token this emulator minted, not expired. */
export function checkGeminiToken(token: string | null, context: EmulatorContext): string | undefined {
  const minted = token ? storeOf(context).get(token) : undefined;
  if (!minted) return 'Ephemeral token not valid.';
  if (Date.now() > minted.expireTime) return 'Ephemeral token expired.';
  return undefined;
}

/**
 * A `setup` on a token's connection: a new session takes one use and must start before
 * `newSessionExpireTime`; a resume takes none. Returns the refusal, or undefined.
 */
export function admitGeminiTokenSession(token: string, resuming: boolean, context: EmulatorContext): string | undefined {
  const minted = storeOf(context).get(token);
  if (!minted || Date.now() > minted.expireTime) return 'Ephemeral token expired.';
  if (resuming) return undefined;
  if (Date.now() > minted.newSessionExpireTime) return 'Ephemeral token no longer accepts new sessions.';
  if (minted.uses !== 0 && minted.used >= minted.uses) return 'Ephemeral token has no uses left.';
  minted.used++;
  return undefined;
}
