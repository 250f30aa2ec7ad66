/**
 * `config.extra` is provider-specific JSON merged into the frame voxstate builds (OpenAI's session
 * object, Gemini's setup). It must add to that frame, never silently wipe it: a top-level
 * `Object.assign` of `extra: { audio: { input: { noise_reduction } } }` used to erase the audio
 * format, turn detection and voice. So objects merge recursively, the arrays named in
 * `appendArrays` (tool lists) are appended to, and anything else in `extra` replaces what was built.
 */

export interface MergeExtraOptions {
  /** Keys whose arrays are appended to instead of replaced, at any depth (e.g. `tools`). */
  appendArrays?: readonly string[];
}

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A new object: `base` with `extra` merged in. Neither argument is modified. */
export function mergeExtra<T extends object>(base: T, extra: Json | undefined, options: MergeExtraOptions = {}): T {
  if (!extra) return base;
  return mergeObjects(base as Json, extra, new Set(options.appendArrays ?? [])) as T;
}

function mergeObjects(base: Json, extra: Json, appendArrays: ReadonlySet<string>): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    // Prototype keys in user JSON must not reach an object's prototype chain.
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const current = out[key];
    if (isPlainObject(current) && isPlainObject(value)) out[key] = mergeObjects(current, value, appendArrays);
    else if (Array.isArray(current) && Array.isArray(value) && appendArrays.has(key)) out[key] = [...current, ...value];
    else out[key] = value;
  }
  return out;
}
