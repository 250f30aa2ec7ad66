/**
 * The Gemini emulator's tool-call rules per model (shared/protocol/gemini-live-2026.md §2):
 * - a declaration without `behavior` is NON_BLOCKING on 3.8 (the 3.8 docs, [G2; G3]) and BLOCKING
 *   on older models (the v1beta proto's default);
 * - a NON_BLOCKING call's `FunctionResponse.scheduling` is INTERRUPT, WHEN_IDLE (the default,
 *   also for an absent or unknown value) or SILENT (§2.2).
 */
export type CallBehavior = 'BLOCKING' | 'NON_BLOCKING';
export type ResultScheduling = 'INTERRUPT' | 'WHEN_IDLE' | 'SILENT';

/** 3.8 and later Live models make asynchronous function calling the default. */
export function defaultBehavior(model: string): CallBehavior {
  return /^gemini-3\.(?:[89]|\d{2,})/.test(model) ? 'NON_BLOCKING' : 'BLOCKING';
}

/**
 * On 3.8 an `INTERRUPT` result that arrives while the user is talking waits for the user to finish;
 * on 2.5 it played over the user (gemini-live-2026.md §2.2, [G4]). Older models keep the 2.5 rule.
 */
export function interruptWaitsForUser(model: string): boolean {
  return defaultBehavior(model) === 'NON_BLOCKING';
}

export function declaredBehavior(declared: unknown, model: string): CallBehavior {
  return declared === 'BLOCKING' || declared === 'NON_BLOCKING' ? declared : defaultBehavior(model);
}

export function schedulingOf(value: unknown): ResultScheduling {
  return value === 'INTERRUPT' || value === 'SILENT' ? value : 'WHEN_IDLE';
}

/** What the emulated model says while a non-blocking call runs (it keeps talking, [G3]). */
export const WORKING_ON_IT = 'I am working on that in the background.';
