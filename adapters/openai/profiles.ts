/**
 * OpenAI Realtime model profiles, per protocol (see docs/providers/openai.md and
 * shared/protocol/openai-realtime-2026.md §1):
 *
 * - `reasoningEffort` (`reasoning.effort`) exists only on the reasoning models (`gpt-realtime-2*`);
 * - `idleTimeoutMs` (`turn_detection.idle_timeout_ms`), `noiseReduction` and `speed` are GA session
 *   fields every GA model takes; the beta session has noise reduction and speed but no idle timeout
 *   and no reasoning;
 * - `gpt-realtime`, `gpt-realtime-2025-08-28`, `gpt-realtime-mini*` and `gpt-audio-mini*` are
 *   deprecated, shutting down on 2027-01-20.
 *
 * What changes in place is the same on every OpenAI model (`OPENAI_CAPABILITIES`).
 */
import type { Deprecation } from '../adapter.js';
import type { ModelProfile, ProfileTable } from '../profile.js';
import type { OpenAIProtocol } from './wire.js';

/** The typed options of `openaiRealtime()` that a model may or may not take. */
export type OpenAIOption = 'reasoningEffort' | 'noiseReduction' | 'idleTimeoutMs' | 'speed';

/** The GA default: OpenAI's current reasoning model, the one the official Agents SDK defaults to. */
export const OPENAI_DEFAULT_MODEL = 'gpt-realtime-2.1';

const SHUTDOWN = '2027-01-20';
const replacedBy = (replacement: string): Deprecation => ({ shutdown: SHUTDOWN, replacement });

const REASONING: ModelProfile<OpenAIOption> = { options: ['reasoningEffort', 'noiseReduction', 'idleTimeoutMs', 'speed'] };
const PLAIN: ModelProfile<OpenAIOption> = { options: ['noiseReduction', 'idleTimeoutMs', 'speed'] };
const deprecated = (replacement: string): ModelProfile<OpenAIOption> => ({ ...PLAIN, deprecated: replacedBy(replacement) });

export const OPENAI_PROFILES: Readonly<Record<OpenAIProtocol, ProfileTable<OpenAIOption>>> = {
  ga: {
    models: {
      'gpt-realtime-2': REASONING,
      'gpt-realtime-2.1': REASONING,
      'gpt-realtime-2.1-mini': REASONING,
      'gpt-realtime-1.5': PLAIN,
      // Listed by the `openai` package and not reasoning models: no `reasoning` for them.
      'gpt-realtime-mini-2025-10-06': PLAIN,
      'gpt-audio-1.5': PLAIN,
      'gpt-audio-mini-2025-10-06': PLAIN,
      'gpt-4o-realtime-preview': PLAIN,
      'gpt-4o-realtime-preview-2024-10-01': PLAIN,
      'gpt-4o-realtime-preview-2024-12-17': PLAIN,
      'gpt-4o-realtime-preview-2025-06-03': PLAIN,
      'gpt-4o-mini-realtime-preview': PLAIN,
      'gpt-4o-mini-realtime-preview-2024-12-17': PLAIN,
      'gpt-realtime': deprecated('gpt-realtime-2.1'),
      'gpt-realtime-2025-08-28': deprecated('gpt-realtime-2.1'),
      'gpt-realtime-mini': deprecated('gpt-realtime-2.1-mini'),
      'gpt-realtime-mini-2025-12-15': deprecated('gpt-realtime-2.1-mini'),
      'gpt-audio-mini': deprecated('gpt-realtime-2.1-mini'),
      'gpt-audio-mini-2025-12-15': deprecated('gpt-realtime-2.1-mini'),
    },
    fallback: REASONING,
  },
  // The beta session object (`OpenAI-Beta: realtime=v1`) has no reasoning and no idle timeout.
  beta: { models: {}, fallback: { options: ['noiseReduction', 'speed'] } },
};
