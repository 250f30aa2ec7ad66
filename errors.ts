/**
 * Typed errors. Every error voxstate raises or emits is a `VoxstateError` with a stable `code`,
 * so applications branch on `code` rather than on message text. Messages never carry secrets:
 * adapters pass provider text through `redactSecrets` before building one.
 */
import type { ZodError } from 'zod';

export type VoxstateErrorCode =
  | 'not_connected'
  | 'invalid_config'
  | 'invalid_frame'
  | 'unknown_event'
  | 'server_error'
  | 'connection_failed'
  | 'connection_closed'
  | 'update_rejected'
  | 'resumption_failed'
  | 'resumption_rejected'
  | 'audio_buffer_overflow'
  | 'invalid_audio'
  | 'tool_error'
  | 'session_closed'
  /** The provider ended a response with status `failed` (see `response_done.statusDetails`). */
  | 'response_failed'
  /** A request that asked for a reply was sent on a connection that was replaced before answering it. */
  | 'connection_replaced'
  /** A request that asked for a reply was sent, and no response started within `responseStartTimeout`. */
  | 'response_not_started'
  /** A request that asked for a reply was refused: too many were waiting. */
  | 'request_dropped'
  /** The provider refused the request for a response (an `error` naming it), for a reason other than a response already running. */
  | 'request_refused'
  /** `createResponse()` on a provider with no way to ask for a response (Gemini answers by itself): refused at once. */
  | 'response_request_unsupported'
  /** The provider could not transcribe a user audio item (OpenAI `input_audio_transcription.failed`). */
  | 'transcription_failed';

/** The plain, serialisable shape of an error, as carried by `error` events and snapshots. */
export interface ErrorInfo {
  code: VoxstateErrorCode | (string & {});
  message: string;
  /** Provider error type or code, e.g. OpenAI `invalid_request_error` / `invalid_value`. */
  providerCode?: string;
  /** The provider field or client event the error refers to, when it says. */
  param?: string;
}

export class VoxstateError extends Error {
  readonly code: VoxstateErrorCode | (string & {});
  readonly providerCode: string | undefined;
  readonly param: string | undefined;
  constructor(info: ErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options);
    this.name = 'VoxstateError';
    this.code = info.code;
    this.providerCode = info.providerCode;
    this.param = info.param;
  }
  toJSON(): ErrorInfo {
    return errorInfo(this);
  }
}

/** A verb was called on a session that has no live connection (and is not resuming). */
export class NotConnectedError extends VoxstateError {
  constructor(verb: string, state: string) {
    super({ code: 'not_connected', message: `Cannot ${verb}: the session is not connected (state: ${state})` });
    this.name = 'NotConnectedError';
  }
}

/** A session config or update failed validation; `field` names the first offending path. */
export class ConfigValidationError extends VoxstateError {
  readonly field: string;
  readonly issues: ZodError['issues'];
  constructor(error: ZodError, prefix = '') {
    const first = error.issues[0];
    const path = first ? [prefix, ...first.path.map(String)].filter(Boolean).join('.') : prefix;
    const details = error.issues
      .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    super({ code: 'invalid_config', message: `Invalid session config: ${details}`, param: path });
    this.name = 'ConfigValidationError';
    this.field = path;
    this.issues = error.issues;
  }
}

/** A context change could not be applied: the server rejected it, or every resumption attempt failed. */
export class UpdateFailedError extends VoxstateError {
  constructor(info: ErrorInfo) {
    super(info);
    this.name = 'UpdateFailedError';
  }
}

/**
 * A request that asked for a reply (`sendText`, `createResponse`) will never be answered: `code`
 * says why (`connection_replaced`, `session_closed`, `response_not_started`, `request_dropped`,
 * `connection_failed`, `request_refused`, `response_request_unsupported`).
 */
export class RequestFailedError extends VoxstateError {
  constructor(info: ErrorInfo) {
    super(info);
    this.name = 'RequestFailedError';
  }
}

export function errorInfo(error: unknown, fallbackCode: VoxstateErrorCode = 'server_error'): ErrorInfo {
  if (error instanceof VoxstateError) {
    const info: ErrorInfo = { code: error.code, message: error.message };
    if (error.providerCode !== undefined) info.providerCode = error.providerCode;
    if (error.param !== undefined) info.param = error.param;
    return info;
  }
  if (error instanceof Error) return { code: fallbackCode, message: redactSecrets(error.message) };
  return { code: fallbackCode, message: redactSecrets(String(error)) };
}

const SECRET_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI API keys
  /\bek_[A-Za-z0-9_-]{8,}/g, // OpenAI ephemeral client secrets
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google API keys
  /\bauth_tokens(?:\/|%2F)[^\s"'&]{8,}/gi, // Gemini ephemeral tokens
  /([?&](?:key|api_key|apikey|access_token|token|client_secret)=)[^&\s"']+/gi, // keys in query strings (Gemini URLs, proxies)
  /(\/\/)[^/\s@:]+(?::[^/\s@]*)?(?=@)/g, // user:password@ in URLs
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
];

/** Strips anything that looks like a credential from text headed for a log, event or error. */
export function redactSecrets(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
    );
  }
  return out;
}
