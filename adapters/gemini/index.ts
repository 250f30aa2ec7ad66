/**
 * `geminiLive()`: the Gemini Live (BidiGenerateContent) model adapter, for the Gemini Developer API
 * and Vertex AI. See docs/providers/gemini.md.
 */
import type { SessionConfig } from '../../config.js';
import type { ModelAdapter } from '../adapter.js';
import { credentialError, optionError, requireCredential } from '../credentials.js';
import { applyProfile, resolveProfile, sentOptions } from '../profile.js';
import { geminiCapabilities } from './capabilities.js';
import { createConnectionLogic, type TokenSource } from './connection.js';
import { refuseEphemeralOnVertex } from './ephemeral-token.js';
import { toSetup, type SchemaDialect } from './map.js';
import { backgroundToolConflict, optionConflict, profileFieldConflict, type GeminiSetupOptions } from './options.js';
import { GEMINI_DEFAULT_MODEL, GEMINI_PROFILES, toolProfileOf } from './profiles.js';
import { setupConflict } from './setup-check.js';
import type { JsonObject } from './wire.js';

/**
 * The typed setup options (`vadSensitivity`, `languageCode`, `proactiveAudio`, `affectiveDialog`,
 * `thinking`, `googleSearch`, `codeExecution`) are checked against the model's profile on its
 * platform (`GEMINI_PROFILES`): one the model does not take is a ConfigValidationError naming the
 * model when the session is created.
 */
export interface GeminiLiveOptions extends GeminiSetupOptions {
  /**
   * Gemini Developer API key (sent as `?key=`), or a function returning one, called per connection.
   * An ephemeral token (`auth_tokens/…`, see `mintGeminiToken`) is accepted the same way and sent to
   * the `BidiGenerateContentConstrained` method as `?access_token=`. Not needed with `vertex`.
   */
  apiKey?: TokenSource;
  /** Default `gemini-3.8-live` (`GEMINI_DEFAULT_MODEL`). `models/…` and full Vertex paths are accepted too. */
  model?: string;
  /** Endpoint override (proxies, the emulator). The API key is still appended as `?key=`. */
  url?: string;
  /** Vertex AI: regional endpoint, `Authorization: Bearer <accessToken>`, publisher model path. */
  vertex?: { project: string; location: string; accessToken: TokenSource };
  /** Tool schema field: `openapi` (legacy `parameters`, default) or `jsonSchema` (`parametersJsonSchema`). */
  schemaDialect?: SchemaDialect;
  /** Default true (`{slidingWindow:{}}`): without it audio sessions end at 15 minutes. An object is sent as-is. */
  contextWindowCompression?: boolean | Record<string, unknown>;
  /**
   * Experimental in-place `contextUpdate` for instructions and tools. Off by default; when on, the
   * capabilities table marks instructions/tools/toolChoice `inPlace` for this model.
   */
  contextUpdate?: boolean;
  /**
   * How `client.text` is sent. Default: `clientContent` (with its role, and `turnComplete` false for
   * text that asks for no reply), except `realtimeInput` for the Gemini 3.x Live models before 3.8,
   * which take `clientContent` only to seed history (3.8 accepts it for the whole session).
   */
  textInput?: 'clientContent' | 'realtimeInput';
  /** Until `setupComplete`; default 15000. */
  connectTimeoutMs?: number;
  /** How long a close handshake may take before the socket is terminated; default 2000. */
  closeTimeoutMs?: number;
  /** How long `responseDone` waits for the fresh resumption handle after `turnComplete`; default 250, 0 = never. */
  handleWaitMs?: number;
  /**
   * How long after the model's `turnComplete` a late `inputTranscription` piece still belongs to
   * the user turn that was answered (Gemini does not order input transcription with the rest);
   * that turn's final user transcript is delivered then. Default 1000; 0 = final at `turnComplete`.
   */
  inputTranscriptGraceMs?: number;
  /**
   * A connection's lifetime cap: `rotationNoticeMs` before it, the adapter reports a goAway of its
   * own and the session swaps to a resumed connection at the first idle moment (forced near the
   * deadline), as for the server's goAway. Default 58 minutes (sessions were seen closed at exactly
   * 58:00 with 1011 "Deadline expired"); 0 = no proactive rotation.
   */
  maxConnectionMs?: number;
  /** How long before `maxConnectionMs` the rotation is announced (the goAway's `timeLeftMs`); default 120000. */
  rotationNoticeMs?: number;
}

/** The longest delay a Node timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The observed lifetime cap of a Gemini Live connection (see `maxConnectionMs`). */
export const GEMINI_MAX_CONNECTION_MS = 58 * 60_000;

/** Gemini 3.x Live before 3.8 takes mid-session text only as `realtimeInput.text`. */
function takesRealtimeText(bareModel: string): boolean {
  return bareModel.startsWith('gemini-3') && !/^gemini-3\.(?:[89]|\d{2,})/.test(bareModel);
}

export function geminiLive(options: GeminiLiveOptions): ModelAdapter {
  const model = options.model ?? GEMINI_DEFAULT_MODEL;
  // With Vertex the access token authenticates and an apiKey is not used.
  const credential = options.vertex
    ? refuseEphemeralOnVertex(requireCredential(options.vertex.accessToken, 'vertex.accessToken'))
    : options.apiKey !== undefined
      ? requireCredential(options.apiKey, 'apiKey')
      : undefined;
  if (credential === undefined) throw credentialError('apiKey', 'geminiLive needs an apiKey or vertex credentials');
  const maxConnectionMs = options.maxConnectionMs ?? GEMINI_MAX_CONNECTION_MS;
  const rotationNoticeMs = options.rotationNoticeMs ?? 120_000;
  // A timer takes at most 2^31-1 ms; anything else (Infinity, a negative) would fire at once, again and again.
  if (!Number.isInteger(maxConnectionMs) || maxConnectionMs < 0 || maxConnectionMs > MAX_TIMER_MS) {
    throw optionError('maxConnectionMs', `maxConnectionMs must be an integer from 0 (no rotation) to ${MAX_TIMER_MS} ms (got ${maxConnectionMs})`);
  }
  if (!Number.isInteger(rotationNoticeMs) || rotationNoticeMs < 0 || (maxConnectionMs > 0 && rotationNoticeMs >= maxConnectionMs)) {
    throw optionError('rotationNoticeMs', `rotationNoticeMs must be an integer from 0 to below maxConnectionMs (got ${rotationNoticeMs})`);
  }
  const bareModel = model.split('/').pop() ?? model;
  const schemaDialect = options.schemaDialect ?? 'openapi';
  const contextWindowCompression = options.contextWindowCompression ?? true;
  const platform = options.vertex ? 'vertex' : 'geminiApi';
  const profile = resolveProfile(GEMINI_PROFILES[platform], bareModel);
  const typed: GeminiSetupOptions = {
    vadSensitivity: options.vadSensitivity,
    languageCode: options.languageCode,
    proactiveAudio: options.proactiveAudio,
    affectiveDialog: options.affectiveDialog,
    thinking: options.thinking,
    googleSearch: options.googleSearch,
    codeExecution: options.codeExecution,
  };
  const features = sentOptions(profile, typed);
  const toolProfile = toolProfileOf(platform, bareModel);
  const checkSetup = (setup: JsonObject, config: SessionConfig) =>
    optionConflict(typed, config, profile, bareModel, platform) ??
    backgroundToolConflict(config, toolProfile, bareModel, platform) ??
    profileFieldConflict(setup, profile, bareModel, platform) ??
    setupConflict(setup, config);
  return {
    provider: 'gemini',
    model,
    capabilities: applyProfile(geminiCapabilities(options.contextUpdate ? [model] : []), model, profile),
    checkConfig: (config) =>
      checkSetup(
        toSetup(config, { model, vertex: options.vertex, schemaDialect, contextWindowCompression, resumptionHandle: undefined, features }).setup,
        config,
      ),
    logic: createConnectionLogic({
      credential,
      model,
      url: options.url,
      vertex: options.vertex && { project: options.vertex.project, location: options.vertex.location },
      schemaDialect,
      contextWindowCompression,
      contextUpdate: options.contextUpdate ?? false,
      textInput: options.textInput ?? (takesRealtimeText(bareModel) ? 'realtimeInput' : 'clientContent'),
      connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
      closeTimeoutMs: options.closeTimeoutMs ?? 2_000,
      handleWaitMs: options.handleWaitMs ?? 250,
      inputTranscriptGraceMs: options.inputTranscriptGraceMs ?? 1000,
      maxConnectionMs,
      rotationNoticeMs,
      features,
      sendsScheduling: toolProfile.scheduling,
      checkSetup,
    }),
  };
}

export { GEMINI_CAPABILITIES, GEMINI_DEFAULT_CAPABILITIES, geminiCapabilities } from './capabilities.js';
export { GEMINI_DEFAULT_MODEL, GEMINI_PROFILES, GEMINI_TOOL_PROFILES, type GeminiOption, type GeminiPlatform, type GeminiToolProfile } from './profiles.js';
export type { GeminiSetupOptions, ThinkingLevel } from './options.js';
export { GEMINI_API_URL, vertexUrl, type TokenSource } from './connection.js';
export { toSetup, toOpenApiSchema, modelPath, type SchemaDialect } from './map.js';
export { mintGeminiToken, type MintGeminiTokenOptions, type GeminiEphemeralToken } from './ephemeral-token.js';
