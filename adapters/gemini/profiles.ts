/**
 * Gemini Live model profiles, per platform (the Gemini Developer API and Vertex AI differ for the
 * same model id). Sources: shared/protocol/gemini-live-2026.md §1, §4, §7 and
 * docs/providers/gemini.md. What the table says, in short:
 *
 * - `gemini-3.8-live` on the Gemini API: proactive audio is always on (`proactiveAudio: false` is
 *   refused by the server), affective dialog was removed (the field is refused), no thinking
 *   config, no code execution; Google Search grounding is supported.
 * - `gemini-3.8-live` on Vertex: proactive audio and affective dialog exist (on by default there).
 * - `gemini-3.8-live-extended-thinking`: the 3.8 API rules, plus a thinking config.
 * - older models (2.5 native audio, 3.1 Flash Live preview): proactive audio, affective dialog and
 *   thinking exist; 3.1's set is inferred from Google's 3.1 → 3.8 migration notes.
 * - `vadSensitivity` (`automaticActivityDetection.start/endOfSpeechSensitivity`) and `languageCode`
 *   (`speechConfig.languageCode`) exist on every Live model the SDK serves.
 *
 * No Gemini Live model has a published shutdown date yet, so no row is `deprecated`. Unknown ids
 * (tuned models, new releases) take every option and the server decides.
 */
import type { ModelProfile, ProfileTable } from '../profile.js';

export type GeminiOption =
  | 'vadSensitivity'
  | 'languageCode'
  | 'proactiveAudio'
  | 'affectiveDialog'
  | 'thinking'
  | 'googleSearch'
  | 'codeExecution';

export type GeminiPlatform = 'geminiApi' | 'vertex';

/** The default model on both platforms: Gemini 3.8 Live, GA since 2026-09. */
export const GEMINI_DEFAULT_MODEL = 'gemini-3.8-live';

const EVERYTHING: readonly GeminiOption[] = [
  'vadSensitivity', 'languageCode', 'proactiveAudio', 'affectiveDialog', 'thinking', 'googleSearch', 'codeExecution',
];

const LIVE_38_API: ModelProfile<GeminiOption> = {
  options: ['vadSensitivity', 'languageCode', 'googleSearch'],
  fixed: { proactiveAudio: true, affectiveDialog: false },
};
const LIVE_38_VERTEX: ModelProfile<GeminiOption> = {
  options: ['vadSensitivity', 'languageCode', 'proactiveAudio', 'affectiveDialog', 'googleSearch'],
};
// 2.5 models take a thinking budget, not a thinking level: shared/protocol/gemini-live-2026.md §4
// ("thinking": the Vertex pages show `thinking_budget` for 2.5 Live), and the @google/genai types
// say of `thinkingLevel` "Use with earlier models shall result in error" (on the tuning config;
// its ThinkingConfig does not say per model). Level on 2.5 is refused before the server sees it.
const NATIVE_AUDIO_25: ModelProfile<GeminiOption> = { options: EVERYTHING, fields: { thinking: ['budget', 'includeThoughts'] } };
const FLASH_LIVE_31: ModelProfile<GeminiOption> = {
  options: ['vadSensitivity', 'languageCode', 'proactiveAudio', 'affectiveDialog', 'thinking', 'googleSearch'],
};

export const GEMINI_PROFILES: Readonly<Record<GeminiPlatform, ProfileTable<GeminiOption>>> = {
  geminiApi: {
    models: {
      'gemini-3.8-live': LIVE_38_API,
      'gemini-3.8-live-extended-thinking': { ...LIVE_38_API, options: [...LIVE_38_API.options, 'thinking'] },
      'gemini-3.1-flash-live-preview': FLASH_LIVE_31,
      'gemini-2.5-flash-native-audio-preview-12-2025': NATIVE_AUDIO_25,
      'gemini-2.5-flash-native-audio-preview-09-2025': NATIVE_AUDIO_25,
    },
    fallback: { options: EVERYTHING },
  },
  vertex: {
    models: {
      'gemini-3.8-live': LIVE_38_VERTEX,
      'gemini-live-2.5-flash-native-audio': NATIVE_AUDIO_25,
    },
    fallback: { options: EVERYTHING },
  },
};

/**
 * How a model takes tool calls: `background` — it accepts `behavior: NON_BLOCKING` declarations
 * (asynchronous function calling); `scheduling` — `FunctionResponse.scheduling` is sent for a
 * non-blocking call's output.
 *
 * - `gemini-3.1-flash-live-preview` has synchronous function calling only; 2.5 native audio and
 *   3.8 have both (gemini-live-2026.md §1, [G5]; 3.8 makes NON_BLOCKING its default, [G2]).
 * - Vertex and `scheduling` conflict (§7, §9): Google's Vertex 3.8 migration page describes
 *   `scheduling=interrupt` [G4] and the SDK forwards the field, but LiveKit, running in production,
 *   found "scheduling is not supported by vertex" and stopped sending it [G11]. voxstate takes the
 *   safe side: on Vertex the field is not sent, so the server applies its default, WHEN_IDLE. A
 *   refused field would fail the whole toolResponse and leave the call unanswered; a missing one
 *   only turns `interrupt`/`silent` into `whenIdle`. Change the row when Vertex confirms support.
 */
export interface GeminiToolProfile {
  background: boolean;
  scheduling: boolean;
}

export const GEMINI_TOOL_PROFILES: Readonly<Record<GeminiPlatform, { models: Readonly<Record<string, GeminiToolProfile>>; fallback: GeminiToolProfile }>> = {
  geminiApi: {
    models: { 'gemini-3.1-flash-live-preview': { background: false, scheduling: false } },
    fallback: { background: true, scheduling: true },
  },
  vertex: {
    models: {},
    fallback: { background: true, scheduling: false },
  },
};

export function toolProfileOf(platform: GeminiPlatform, model: string): GeminiToolProfile {
  const table = GEMINI_TOOL_PROFILES[platform];
  return Object.hasOwn(table.models, model) ? table.models[model]! : table.fallback;
}
