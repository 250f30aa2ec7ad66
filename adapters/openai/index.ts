/**
 * `openaiRealtime()`: the OpenAI Realtime model adapter (GA protocol by default, beta on request).
 * See docs/providers/openai.md.
 */
import type { ModelAdapter } from '../adapter.js';
import { requireCredential } from '../credentials.js';
import { applyProfile, resolveProfile } from '../profile.js';
import { OPENAI_CAPABILITIES } from './capabilities.js';
import { createConnectionLogic, type ApiKeySource } from './connection.js';
import { configConflict } from './extra-conflicts.js';
import { DEFAULT_HISTORY_LIMITS, HistoryStore, type HistoryLimits } from './history.js';
import { optionConflict, type OpenAISessionOptions } from './options.js';
import { OPENAI_DEFAULT_MODEL, OPENAI_PROFILES } from './profiles.js';
import { resolveUrlModel } from './url-model.js';
import type { OpenAIProtocol } from './wire.js';

/**
 * The typed session options (`reasoningEffort`, `noiseReduction`, `idleTimeoutMs`, `speed`) are
 * checked against the model's profile (`OPENAI_PROFILES`): one the model does not take is a
 * ConfigValidationError naming the model when the session is created.
 */
export interface OpenAIRealtimeOptions extends OpenAISessionOptions {
  /**
   * A key or an ephemeral client secret (`ek_…`, see `mintOpenAIClientSecret`), both sent as
   * `Authorization: Bearer`; or a function returning one, called once per connection.
   */
  apiKey: ApiKeySource;
  /**
   * Default `gpt-realtime-2.1` (GA; the official Agents SDK's default) or `gpt-4o-realtime-preview`
   * (beta: the beta API does not list the GA models). A deprecated model (`gpt-realtime`,
   * `gpt-realtime-mini`, …) works until its shutdown date; the session logs a warning naming it.
   * Without it, a `url` with a `model` query parameter names the model; with it, that parameter is
   * set to it (the server runs the URL's model, and profiles check this one).
   */
  model?: string;
  /**
   * Endpoint override (Azure, proxies, the emulator). Default `wss://api.openai.com/v1/realtime?model=<model>`.
   * Its `model` query parameter and the `model` option are one model (see `model`).
   */
  url?: string;
  /** Extra handshake headers. */
  headers?: Record<string, string>;
  /** `ga` (default) or the legacy `beta` protocol (`OpenAI-Beta: realtime=v1`). */
  protocol?: OpenAIProtocol;
  /** How the key is sent: `authorization` (Bearer, default) or `api-key` (Azure). */
  authHeader?: 'authorization' | 'api-key';
  /** Until `session.created`; default 15000. */
  connectTimeoutMs?: number;
  /** How long a close handshake may take before the socket is terminated; default 2000. */
  closeTimeoutMs?: number;
  /** Bounds of the conversation replayed on a new connection; default 50 items / 100 KB. */
  history?: Partial<HistoryLimits>;
}

/** The model each protocol uses when none is given: one its API lists (see the beta schema's model enum). */
const DEFAULT_MODEL: Readonly<Record<OpenAIProtocol, string>> = { ga: OPENAI_DEFAULT_MODEL, beta: 'gpt-4o-realtime-preview' };

export function openaiRealtime(options: OpenAIRealtimeOptions): ModelAdapter {
  const protocol = options.protocol ?? 'ga';
  const { url, model } = resolveUrlModel(options.url, options.model, DEFAULT_MODEL[protocol]);
  const histories = new HistoryStore({ ...DEFAULT_HISTORY_LIMITS, ...options.history });
  const profile = resolveProfile(OPENAI_PROFILES[protocol], model);
  const sessionOptions: OpenAISessionOptions = {
    reasoningEffort: options.reasoningEffort,
    noiseReduction: options.noiseReduction,
    idleTimeoutMs: options.idleTimeoutMs,
    speed: options.speed,
  };
  return {
    provider: 'openai',
    model,
    capabilities: applyProfile(OPENAI_CAPABILITIES, model, profile),
    checkConfig: (config) => optionConflict(sessionOptions, config, model, protocol) ?? configConflict(config, protocol),
    logic: createConnectionLogic(
      {
        apiKey: requireCredential(options.apiKey, 'apiKey'),
        model,
        url,
        headers: options.headers ?? {},
        protocol,
        authHeader: options.authHeader ?? 'authorization',
        connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
        closeTimeoutMs: options.closeTimeoutMs ?? 2_000,
        sessionOptions,
      },
      histories,
    ),
  };
}

export { OPENAI_CAPABILITIES } from './capabilities.js';
export { OPENAI_DEFAULT_MODEL, OPENAI_PROFILES, type OpenAIOption } from './profiles.js';
export { REASONING_EFFORTS, type OpenAISessionOptions, type ReasoningEffort } from './options.js';
export type { ApiKeySource } from './connection.js';
export type { HistoryLimits } from './history.js';
export { mintOpenAIClientSecret, type MintOpenAIClientSecretOptions, type OpenAIClientSecret } from './client-secret.js';
