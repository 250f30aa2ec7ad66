/**
 * The providers the CLI can talk to, with what each needs: a key variable and an input rate.
 * Adapters load on demand, so one provider's adapter failing to load never breaks the other.
 */
import type { ModelAdapter } from '../index.js';
import { UsageError } from './errors.js';

export interface ProviderInfo {
  /** Environment variables read for the key, first found wins. */
  keyVariables: string[];
  /** The PCM16 rate the CLI sends (the provider's native input rate). */
  inputRate: 16_000 | 24_000;
  create(options: { apiKey: string; model?: string; url?: string }): Promise<ModelAdapter>;
}

export const PROVIDERS = {
  openai: {
    keyVariables: ['OPENAI_API_KEY'],
    inputRate: 24_000,
    async create({ apiKey, model, url }) {
      const { openaiRealtime } = await import('../adapters/openai/index.js');
      return openaiRealtime({ apiKey, ...(model ? { model } : {}), ...(url ? { url } : {}) });
    },
  },
  gemini: {
    keyVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    inputRate: 16_000,
    async create({ apiKey, model, url }) {
      const adapter = await import('../adapters/gemini/index.js').catch((error: unknown) => {
        throw new UsageError(`the Gemini adapter is not available in this build (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
      });
      return adapter.geminiLive({ apiKey, ...(model ? { model } : {}), ...(url ? { url } : {}) });
    },
  },
} satisfies Record<string, ProviderInfo>;

export type ProviderName = keyof typeof PROVIDERS;

export function providerNamed(name: string | undefined): ProviderName {
  const value = name ?? 'openai';
  if (!(value in PROVIDERS)) throw new UsageError(`unknown provider "${value}" (use openai or gemini)`);
  return value as ProviderName;
}

/** The API key from the environment, or a usage error naming the variable to set. */
export function apiKeyFor(name: ProviderName, env: NodeJS.ProcessEnv = process.env): string {
  const info: ProviderInfo = PROVIDERS[name];
  for (const variable of info.keyVariables) {
    const value = env[variable]?.trim();
    if (value) return value;
  }
  throw new UsageError(
    `${info.keyVariables[0]} is not set: export your ${name} API key to use --provider ${name} (no key needed for "voxstate demo", which runs on the local emulator)`,
  );
}
