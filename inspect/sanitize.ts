/**
 * Sanitizers for inspection data: every value that leaves the process through an inspector (or a
 * log line built from an inspection event) goes through `sanitizeValue`. It produces a plain,
 * JSON-safe copy in which
 * - Buffers, typed arrays, ArrayBuffers and `{ type: 'Buffer', data: [...] }` become `[audio N bytes]`;
 * - the session's `AudioPlane` becomes `[audio plane]` and a `logger` becomes `[logger]`;
 * - values under secret-looking keys (apiKey, authorization, token, key, secret, password, …) become `[redacted]`;
 * - every string goes through `redactSecrets` (sk-…, ek_…, AIza…, Bearer …, ?key=) and long base64 runs become `[base64 N chars]`;
 * - functions are dropped, actor refs become `{ id }`, cycles and depth beyond the limit are cut.
 *
 * Events and snapshots then go through the application's own `sanitizeEvent` / `sanitizeContext`
 * (`InspectionSanitizers`), used by both the Stately inspector and the plain inspection callback.
 */
import type { AnyActorRef, AnyEventObject } from 'xstate';
import { AudioPlane } from '../adapters/audio-plane.js';
import { redactSecrets } from '../errors.js';

export interface SanitizeOptions {
  /** Extra key names (case-insensitive, `-`/`_` ignored) or patterns whose values are redacted. */
  secretKeys?: ReadonlyArray<string | RegExp>;
  /** Literal secret values to cut out of every string (e.g. the API key your adapter was given). */
  secrets?: readonly string[];
  /** Maximum object depth kept (default 10, as @statelyai/inspect). */
  depthLimit?: number;
  /** Strings longer than this are truncated (default 2000). */
  maxStringLength?: number;
  /** Keep functions as `{ type: name }` (as @statelyai/inspect does for machine definitions) instead of dropping them. */
  keepFunctionNames?: boolean;
}

const REDACTED = '[redacted]';

/** Normalized (lowercase, no `-`/`_`) key names that always hold credentials. */
const SECRET_KEY_NAMES = new Set([
  'apikey',
  'key',
  'xapikey',
  'xgoogapikey',
  'authorization',
  'auth',
  'proxyauthorization',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'sessiontoken',
  'authtoken',
  'bearer',
  'secret',
  'clientsecret',
  'password',
  'passwd',
  'cookie',
  'setcookie',
  'privatekey',
  'ephemeralkey',
  'credentials',
]);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

const builtinKeyVerdicts = new Map<string, boolean>();

/** Whether a property name looks like it holds a credential (`inputTokens` does not). */
export function isSecretKey(key: string, extra: SanitizeOptions['secretKeys'] = []): boolean {
  if (extra.length === 0) {
    let verdict = builtinKeyVerdicts.get(key);
    if (verdict === undefined) {
      verdict = isBuiltinSecretKey(key);
      if (builtinKeyVerdicts.size < 10_000) builtinKeyVerdicts.set(key, verdict);
    }
    return verdict;
  }
  if (isBuiltinSecretKey(key)) return true;
  for (const rule of extra) {
    if (typeof rule === 'string' ? normalizeKey(rule) === normalizeKey(key) : rule.test(key)) return true;
  }
  return false;
}

function isBuiltinSecretKey(key: string): boolean {
  const k = normalizeKey(key);
  if (SECRET_KEY_NAMES.has(k)) return true;
  if (k.endsWith('apikey') || k.endsWith('secret') || k.endsWith('password') || k.endsWith('privatekey')) return true;
  return k.endsWith('token') && !k.endsWith('tokens');
}

const BASE64_RUN = /[A-Za-z0-9+/]{256,}={0,2}/g;

function sanitizeString(text: string, options: SanitizeOptions = {}): string {
  let out = redactSecrets(text, options.secrets ?? []);
  if (out.length >= 256) out = out.replace(BASE64_RUN, (run) => `[base64 ${run.length} chars]`);
  const max = options.maxStringLength ?? 2000;
  if (out.length > max) out = `${out.slice(0, max)}…[${out.length - max} more chars]`;
  return out;
}

function binaryLength(value: unknown): number | undefined {
  if (Buffer.isBuffer(value)) return value.length;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) return value.byteLength;
  return undefined;
}

function isSerializedBuffer(value: Record<string, unknown>): boolean {
  return value['type'] === 'Buffer' && Array.isArray(value['data']);
}

function isActorRefLike(value: object): value is { id: string; sessionId?: string; send: unknown; getSnapshot: unknown } {
  const v = value as Record<string, unknown>;
  return typeof v['send'] === 'function' && typeof v['getSnapshot'] === 'function' && typeof v['id'] === 'string';
}

function isLoggerLike(value: object): boolean {
  const v = value as Record<string, unknown>;
  return typeof v['debug'] === 'function' && typeof v['info'] === 'function' && typeof v['warn'] === 'function' && typeof v['error'] === 'function';
}

/** A JSON-safe, sanitized deep copy of `value` (see the module comment for the rules). */
export function sanitizeValue(value: unknown, options: SanitizeOptions = {}): unknown {
  const depthLimit = options.depthLimit ?? 10;
  const ancestors = new Set<object>();

  const walk = (v: unknown, key: string | undefined, depth: number): unknown => {
    if (key !== undefined && v !== undefined && v !== null && v !== '' && isSecretKey(key, options.secretKeys)) return REDACTED;
    if (v === null || v === undefined || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
    if (typeof v === 'string') return sanitizeString(v, options);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'function') return options.keepFunctionNames ? { type: v.name } : undefined;
    if (typeof v === 'symbol') return undefined;
    const bytes = binaryLength(v);
    if (bytes !== undefined) return `[audio ${bytes} bytes]`;
    if (v instanceof AudioPlane) return '[audio plane]';
    const obj = v as object;
    if (key === 'logger' || isLoggerLike(obj)) return '[logger]';
    if (isActorRefLike(obj)) return { id: obj.id };
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Error) return { name: v.name, message: sanitizeString(v.message, options) };
    if (depth >= depthLimit) return '[depth limit]';
    if (ancestors.has(obj)) return '[circular]';
    ancestors.add(obj);
    try {
      if (Array.isArray(v)) {
        if (v.length > 256 && v.every((x) => typeof x === 'number')) return `[${v.length} numbers]`;
        return v.map((x) => {
          const out = walk(x, undefined, depth + 1);
          return out === undefined ? null : out;
        });
      }
      if (v instanceof Map) return walk(Object.fromEntries(v), key, depth);
      if (v instanceof Set) return walk([...v], key, depth);
      const record = v as Record<string, unknown>;
      if (isSerializedBuffer(record)) return `[audio ${(record['data'] as unknown[]).length} bytes]`;
      const toJSON = record['toJSON'];
      if (typeof toJSON === 'function') {
        const json = (toJSON as () => unknown).call(v);
        if (json !== v) return walk(json, key, depth);
      }
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(record)) {
        const child = walk(record[k], k, depth + 1);
        if (child !== undefined) out[k] = child;
      }
      return out;
    } finally {
      ancestors.delete(obj);
    }
  };

  return walk(value, undefined, 0);
}

/** The value rules plus the application's own hooks for events and contexts. */
export interface InspectionSanitizers extends SanitizeOptions {
  /** Runs after the built-in sanitizer on every event sent to (or emitted by) an actor. */
  sanitizeEvent?: (event: AnyEventObject) => AnyEventObject;
  /** Runs after the built-in sanitizer on every snapshot's context. */
  sanitizeContext?: (context: Record<string, unknown>) => Record<string, unknown>;
}

export function sanitizeEventObject(event: AnyEventObject, options: InspectionSanitizers): AnyEventObject {
  const clean = sanitizeValue(event, options) as AnyEventObject;
  return options.sanitizeEvent ? options.sanitizeEvent(clean) : clean;
}

export function sanitizeSnapshotObject(snapshot: unknown, options: InspectionSanitizers): Record<string, unknown> {
  const clean = (sanitizeValue(snapshot, options) ?? {}) as Record<string, unknown>;
  if (options.sanitizeContext && clean['context'] && typeof clean['context'] === 'object') {
    clean['context'] = options.sanitizeContext(clean['context'] as Record<string, unknown>);
  }
  return clean;
}

/** An actor's sanitized snapshot, or undefined while the actor is still being constructed. */
export function sanitizeActorSnapshot(actorRef: AnyActorRef, options: InspectionSanitizers): Record<string, unknown> | undefined {
  let snapshot: unknown;
  try {
    snapshot = actorRef.getSnapshot();
  } catch {
    return undefined;
  }
  return snapshot === undefined ? undefined : sanitizeSnapshotObject(snapshot, options);
}
