/**
 * What Gemini 3.8 Live on the Gemini API refuses in a `setup`, as the emulator enforces it
 * (shared/protocol/gemini-live-2026.md §1 "migration" items 2, 5, 6 and §4):
 *
 * - `proactivity.proactiveAudio: false`: "Proactive audio is always on; `proactive_audio:false` is
 *   an error";
 * - `generationConfig.enableAffectiveDialog` (any value): "Affective dialog was removed; drop
 *   `enable_affective_dialog`";
 * - `generationConfig.thinkingConfig` on `gemini-3.8-live` (not on `-extended-thinking`):
 *   "`thinking_level` is not supported on `gemini-3.8-live`; omit `thinkingConfig`".
 *
 * Vertex documents both features as on by default for the same model id, so nothing is refused
 * there. The sources say these are errors but not how the service reports them: the close code
 * (1007) and the reason text are the emulator's, the form of its other invalid-argument closes.
 */
type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});

/** The close reason for a setup 3.8 on the Gemini API refuses, or undefined when it is fine. */
export function gemini38SetupRefusal(setup: Json, platform: 'vertex' | 'geminiApi'): string | undefined {
  const model = String(setup['model'] ?? '').split('/').pop() ?? '';
  if (platform !== 'geminiApi' || !model.startsWith('gemini-3.8-live')) return undefined;
  const generation = obj(setup['generationConfig']);
  // A close reason is at most 123 bytes (RFC 6455 §5.5), so it names the field and the model only.
  const invalid = (what: string) => `Request contains an invalid argument: ${what} on ${model}.`;
  if (obj(setup['proactivity'])['proactiveAudio'] === false) return invalid('proactivity.proactiveAudio=false');
  if ('enableAffectiveDialog' in generation) return invalid('generationConfig.enableAffectiveDialog');
  if (model === 'gemini-3.8-live' && 'thinkingConfig' in generation) return invalid('generationConfig.thinkingConfig');
  return undefined;
}
