/**
 * The typed Gemini setup options of `geminiLive()` and the checks that keep the setup within the
 * model's profile (`GEMINI_PROFILES`):
 *
 * - a typed option the model does not take (or a value its profile fixes otherwise) is an
 *   `invalid_config` error naming the option and the model;
 * - a field the model refuses that arrives through `extra` (e.g.
 *   `extra.generationConfig.enableAffectiveDialog` on Gemini API 3.8) is an error naming the field:
 *   voxstate never sends a setup the server is known to refuse.
 *
 * They are adapter options, fixed for the adapter's life, not fields of the canonical session
 * config: they are Gemini's alone and every one of them is a `setup` field, which Gemini changes
 * only by a new connection anyway. Every connection's setup (first, resumed) carries them.
 */
import type { SessionConfig } from '../../config.js';
import type { ErrorInfo } from '../../errors.js';
import { unsupportedOption, type ModelProfile } from '../profile.js';
import type { GeminiOption, GeminiPlatform, GeminiToolProfile } from './profiles.js';
import type { JsonObject } from './wire.js';

export type ThinkingLevel = 'minimal' | 'low' | 'medium' | 'high';

export interface GeminiSetupOptions {
  /**
   * Voice activity detection sensitivity (`realtimeInputConfig.automaticActivityDetection`
   * `startOfSpeechSensitivity` / `endOfSpeechSensitivity`): `high` detects speech starts sooner
   * and ends it sooner. The silence before a turn ends is `turnDetection.silenceDurationMs`.
   */
  vadSensitivity?: { start?: 'high' | 'low'; end?: 'high' | 'low' };
  /** The language of the spoken reply (`speechConfig.languageCode`, BCP-47, e.g. `de-DE`). */
  languageCode?: string;
  /** `proactivity.proactiveAudio`: the model may stay silent when the input is not addressed to it. */
  proactiveAudio?: boolean;
  /** `generationConfig.enableAffectiveDialog`: the reply's tone follows the user's. */
  affectiveDialog?: boolean;
  /** `generationConfig.thinkingConfig`: `level` (Gemini 3) or `budget` in tokens (2.5), `includeThoughts`. */
  thinking?: { level?: ThinkingLevel; budget?: number; includeThoughts?: boolean };
  /** The built-in Google Search tool (`tools: [{googleSearch: {}}]`), beside the function tools. */
  googleSearch?: boolean;
  /** The built-in code execution tool (`tools: [{codeExecution: {}}]`), beside the function tools. */
  codeExecution?: boolean;
}

type Json = Record<string, unknown>;
const record = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const toolWith = (setup: JsonObject, key: string): unknown =>
  (Array.isArray(setup['tools']) ? setup['tools'] : []).find((tool) => key in record(tool)) === undefined ? undefined : true;

/** Where each option lands in the setup, and how to read it back (for options that arrive through `extra`). */
const WIRE: Record<GeminiOption, { path: string; read(setup: JsonObject): unknown }> = {
  vadSensitivity: {
    path: 'realtimeInputConfig.automaticActivityDetection.startOfSpeechSensitivity',
    read: (s) => {
      const detection = record(record(s['realtimeInputConfig'])['automaticActivityDetection']);
      return detection['startOfSpeechSensitivity'] ?? detection['endOfSpeechSensitivity'];
    },
  },
  languageCode: { path: 'generationConfig.speechConfig.languageCode', read: (s) => record(record(s['generationConfig'])['speechConfig'])['languageCode'] },
  proactiveAudio: { path: 'proactivity.proactiveAudio', read: (s) => record(s['proactivity'])['proactiveAudio'] },
  affectiveDialog: { path: 'generationConfig.enableAffectiveDialog', read: (s) => record(s['generationConfig'])['enableAffectiveDialog'] },
  thinking: { path: 'generationConfig.thinkingConfig', read: (s) => record(s['generationConfig'])['thinkingConfig'] },
  googleSearch: { path: 'tools[].googleSearch', read: (s) => toolWith(s, 'googleSearch') },
  codeExecution: { path: 'tools[].codeExecution', read: (s) => toolWith(s, 'codeExecution') },
};

/** The wire names of an object-valued option's sub-fields (`ModelProfile.fields` names the typed ones). */
const WIRE_FIELDS: Partial<Record<GeminiOption, Record<string, string>>> = {
  thinking: { level: 'thinkingLevel', budget: 'thinkingBudget', includeThoughts: 'includeThoughts' },
};

/** A wire sub-field of `option` in the setup that the profile does not take (e.g. `thinkingLevel` on 2.5). */
function refusedSubfield(option: GeminiOption, value: unknown, profile: ModelProfile<GeminiOption>): string | undefined {
  const fields = profile.fields?.[option];
  const names = WIRE_FIELDS[option];
  if (!fields || !names || value === undefined) return undefined;
  return Object.entries(names).find(([typed, wireName]) => !fields.includes(typed) && record(value)[wireName] !== undefined)?.[1];
}

const PLATFORM_NAME: Record<GeminiPlatform, string> = { geminiApi: 'Gemini API', vertex: 'Vertex AI' };

/** The options as the profile check sees them: a built-in tool set to `false` is not asked for. */
function given(options: GeminiSetupOptions): Partial<Record<GeminiOption, unknown>> {
  return { ...options, googleSearch: options.googleSearch || undefined, codeExecution: options.codeExecution || undefined };
}

/** A typed option this model does not take, or one that contradicts the session config. */
export function optionConflict(
  options: GeminiSetupOptions,
  config: Pick<SessionConfig, 'turnDetection' | 'outputModality' | 'toolChoice'>,
  profile: ModelProfile<GeminiOption>,
  model: string,
  platform: GeminiPlatform,
): ErrorInfo | undefined {
  const unsupported = unsupportedOption(profile, model, given(options), ` (${PLATFORM_NAME[platform]})`);
  if (unsupported) return unsupported;
  if (options.vadSensitivity && config.turnDetection.type === 'none') {
    return {
      code: 'invalid_config',
      param: 'vadSensitivity',
      message: "vadSensitivity tunes automatic activity detection, but turnDetection is {type:'none'} (manual activity)",
    };
  }
  if (options.googleSearch && config.toolChoice === 'none') {
    // The Live setup has `tools` and no `toolConfig` (LiveClientSetup in @google/genai), so
    // toolChoice 'none' is sent as no tools at all: Google Search would be dropped silently.
    return {
      code: 'invalid_config',
      param: 'googleSearch',
      message: `googleSearch needs tools, but toolChoice is 'none' (a Gemini Live setup has no tool config: 'none' sends no tools) on ${model}`,
    };
  }
  if (options.languageCode !== undefined && config.outputModality !== 'audio') {
    return { code: 'invalid_config', param: 'languageCode', message: "languageCode sets the spoken reply's language, but outputModality is 'text'" };
  }
  return undefined;
}

/**
 * A field of the merged setup (what `extra` added) that this model does not take; the typed
 * options never produce one (they are checked first and fixed values are not sent).
 */
export function profileFieldConflict(
  setup: JsonObject,
  profile: ModelProfile<GeminiOption>,
  model: string,
  platform: GeminiPlatform,
): ErrorInfo | undefined {
  for (const [option, wire] of Object.entries(WIRE) as Array<[GeminiOption, (typeof WIRE)[GeminiOption]]>) {
    const subfield = refusedSubfield(option, wire.read(setup), profile);
    if (subfield) {
      return {
        code: 'invalid_config',
        param: `extra.${wire.path}.${subfield}`,
        message: `extra.${wire.path}.${subfield} is not accepted by ${model} (${PLATFORM_NAME[platform]}): remove it`,
      };
    }
    if (profile.options.includes(option) || wire.read(setup) === undefined) continue;
    const fixed = profile.fixed && Object.hasOwn(profile.fixed, option) ? ` (fixed to ${JSON.stringify(profile.fixed[option])} there)` : '';
    return {
      code: 'invalid_config',
      param: `extra.${wire.path}`,
      message: `extra.${wire.path} is not accepted by ${model} (${PLATFORM_NAME[platform]})${fixed}: remove it`,
    };
  }
  return undefined;
}

/** A background tool on a model with synchronous function calls only (`GEMINI_TOOL_PROFILES`). */
export function backgroundToolConflict(
  config: Pick<SessionConfig, 'tools'>,
  tools: GeminiToolProfile,
  model: string,
  platform: GeminiPlatform,
): ErrorInfo | undefined {
  const background = config.tools.find((tool) => tool.behavior === 'background');
  if (!background || tools.background) return undefined;
  return {
    code: 'invalid_config',
    param: 'tools',
    message: `Tool "${background.name}" is a background tool (behavior: 'background'), but ${model} (${PLATFORM_NAME[platform]}) has synchronous function calls only: make it blocking or use another model`,
  };
}
