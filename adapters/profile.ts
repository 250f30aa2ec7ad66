/**
 * Model profiles as data: for one provider, a table of model ids (per platform where the provider
 * has several) saying which typed options exist on each model, which are fixed by the model, what
 * changes in place, and whether the provider has deprecated it. An adapter resolves its profile
 * once, when it is created; the checks below turn an option the profile does not support into an
 * `invalid_config` error naming the model, which the session raises as a ConfigValidationError
 * (through `ModelAdapter.checkConfig`) before anything is sent.
 */
import type { ErrorInfo } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MutableField } from '../config.js';
import type { CapabilityTable, ChangeRule, Deprecation } from './adapter.js';

export interface ModelProfile<Option extends string> {
  /** The typed options this model takes (each mapped to its wire field by the adapter). */
  options: readonly Option[];
  /**
   * Options the model has a fixed value for (e.g. Gemini 3.8 on the Gemini API: proactive audio
   * always on). Asking for that value is accepted and sends nothing; any other value is refused.
   */
  fixed?: Readonly<Partial<Record<Option, unknown>>>;
  /**
   * For an object-valued option, the sub-fields this model takes (e.g. `thinking: ['budget',
   * 'includeThoughts']` on Gemini 2.5, which has a thinking budget and no thinking level). An
   * option not listed here takes every sub-field.
   */
  fields?: Readonly<Partial<Record<Option, readonly string[]>>>;
  /** Overrides of the provider's default change rules for this model. */
  change?: Partial<Record<MutableField, ChangeRule>>;
  deprecated?: Deprecation;
}

/** One provider's (or platform's) profiles: known model ids, and the row for every other id. */
export interface ProfileTable<Option extends string> {
  models: Readonly<Record<string, ModelProfile<Option>>>;
  /**
   * For ids the table does not know (new releases, Azure deployment names, tuned models): every
   * option is passed through and the provider decides.
   */
  fallback: ModelProfile<Option>;
}

/** The profile of one model id: its row, or the fallback. */
export function resolveProfile<Option extends string>(table: ProfileTable<Option>, model: string): ModelProfile<Option> {
  return Object.hasOwn(table.models, model) ? table.models[model]! : table.fallback;
}

/**
 * The provider's capability table for one adapter: `table` with this model's profile (change rules,
 * deprecation) added to the model's row.
 */
export function applyProfile<Option extends string>(table: CapabilityTable, model: string, profile: ModelProfile<Option>): CapabilityTable {
  const row = { ...table.models?.[model] };
  if (profile.change) row.change = { ...profile.change, ...row.change };
  if (profile.deprecated) row.deprecated = profile.deprecated;
  return { ...table, models: { ...table.models, [model]: row } };
}

/**
 * The first typed option the profile does not take, as an `invalid_config` error naming the
 * option and the model; undefined when every option given is supported. `given` holds the
 * options the user set (undefined values are not set).
 */
export function unsupportedOption<Option extends string>(
  profile: ModelProfile<Option>,
  model: string,
  given: Readonly<Partial<Record<Option, unknown>>>,
  where = '',
): ErrorInfo | undefined {
  for (const [option, value] of Object.entries(given) as Array<[Option, unknown]>) {
    if (value === undefined) continue;
    const fixed = profile.fixed && Object.hasOwn(profile.fixed, option) ? { value: profile.fixed[option] } : undefined;
    if (fixed) {
      if (JSON.stringify(fixed.value) === JSON.stringify(value)) continue;
      return {
        code: 'invalid_config',
        param: option,
        message: `${option} is fixed to ${JSON.stringify(fixed.value)} on ${model}${where}; it cannot be ${JSON.stringify(value)}`,
      };
    }
    if (!profile.options.includes(option)) {
      return { code: 'invalid_config', param: option, message: `${option} is not supported by ${model}${where}` };
    }
    const fields = profile.fields?.[option];
    if (fields && typeof value === 'object' && value !== null) {
      const field = Object.entries(value).find(([key, v]) => v !== undefined && !fields.includes(key))?.[0];
      if (field !== undefined) {
        return {
          code: 'invalid_config',
          param: `${option}.${field}`,
          message: `${option}.${field} is not supported by ${model}${where}; it takes ${fields.map((f) => `${option}.${f}`).join(', ')}`,
        };
      }
    }
  }
  return undefined;
}

/** The options of `given` that carry a value and go on the wire (not fixed by the profile). */
export function sentOptions<Option extends string, T extends Partial<Record<Option, unknown>>>(profile: ModelProfile<Option>, given: T): T {
  const out = { ...given };
  for (const option of Object.keys(profile.fixed ?? {}) as Option[]) delete (out as Partial<Record<Option, unknown>>)[option];
  return out;
}

/** The warning the session logs once, at creation, for a deprecated model (`event: 'profile.deprecated'`). */
export function logDeprecation(logger: Logger, provider: string, model: string, deprecated: Deprecation): void {
  logger.warn(
    { event: 'profile.deprecated', provider, model, shutdown: deprecated.shutdown, replacement: deprecated.replacement },
    `${provider} model ${model} is deprecated and shuts down on ${deprecated.shutdown}; use ${deprecated.replacement}`,
  );
}
