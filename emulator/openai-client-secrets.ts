/**
 * OpenAI Realtime client secrets in the emulator (GA): `POST /v1/realtime/client_secrets` mints an
 * `ek_…` value with the real key (Bearer); a client then connects with `Authorization: Bearer ek_…`.
 * The rules played, from `openai`'s `ClientSecretCreateParams`: `expires_after.seconds` is 10–7200
 * (default 600); the expiry limits session creation only, and one secret may create several
 * sessions until it expires. An `ek_…` the emulator did not mint, or one past its expiry, is
 * refused at the handshake (HTTP 401). See docs/emulator.md ("Ephemeral credentials").
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { requestPath, type EmulatorContext, type HttpReply } from './server.js';

const DEFAULT_SECONDS = 600;
const secrets = new WeakMap<EmulatorContext, Map<string, number>>();
const PATHS = new Set(['/v1/realtime/client_secrets', '/openai/v1/realtime/client_secrets']);

function storeOf(context: EmulatorContext): Map<string, number> {
  let store = secrets.get(context);
  if (!store) secrets.set(context, (store = new Map()));
  return store;
}

const openaiError = (status: number, message: string, code: string | null, param: string | null = null): HttpReply => ({
  status,
  body: { error: { message, type: 'invalid_request_error', param, code } },
});

export function isClientSecret(credential: string): boolean {
  return credential.startsWith('ek_');
}

/** `POST /v1/realtime/client_secrets`; undefined for other requests. `presented` is the Bearer credential. */
export function mintClientSecret(
  request: IncomingMessage,
  body: string,
  context: EmulatorContext,
  presented: string | undefined,
  requiredKey: string | undefined,
): HttpReply | undefined {
  if (request.method !== 'POST' || !PATHS.has(requestPath(request.url))) return undefined;
  if (!presented) return openaiError(401, 'Missing bearer or basic authentication in header', null);
  // A client secret cannot mint another one.
  if (isClientSecret(presented) || (requiredKey !== undefined && presented !== requiredKey)) {
    return openaiError(401, 'Incorrect API key provided', 'invalid_api_key');
  }
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    json = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return openaiError(400, 'We could not parse the JSON body of your request.', null);
  }
  const expiresAfter = json['expires_after'] as { seconds?: unknown } | undefined;
  const seconds = expiresAfter?.seconds ?? DEFAULT_SECONDS;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 10 || seconds > 7200) {
    return openaiError(400, 'Invalid expires_after.seconds: expected an integer between 10 and 7200.', 'invalid_value', 'expires_after.seconds');
  }
  const requested = json['session'] && typeof json['session'] === 'object' ? (json['session'] as Record<string, unknown>) : {};
  const expiresAt = Math.floor(Date.now() / 1000) + seconds;
  const value = `ek_${randomBytes(16).toString('hex')}`;
  storeOf(context).set(value, expiresAt * 1000);
  const session = { type: 'realtime', object: 'realtime.session', id: `sess_${randomBytes(8).toString('hex')}`, model: 'gpt-realtime', ...requested, expires_at: 0 };
  return { status: 200, body: { value, expires_at: expiresAt, session } };
}

/** A handshake presenting an `ek_…`: refused unless this emulator minted it and it may still create sessions. */
export function checkClientSecret(value: string, context: EmulatorContext): string | undefined {
  const expiresAt = storeOf(context).get(value);
  if (expiresAt === undefined || Date.now() > expiresAt) return 'Incorrect API key provided';
  return undefined;
}
