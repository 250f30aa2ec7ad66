/**
 * The typed OpenAI session options of `openaiRealtime()`, and the check that refuses one the
 * model's profile does not take (or a value the API would refuse) before anything is sent.
 *
 * They are adapter options, fixed for the adapter's life, not fields of the canonical session
 * config: they are OpenAI's alone (the config stays provider-neutral, and every provider's change
 * table would need a row for each), and they are sent with every `session.update` the adapter
 * builds. `extra` can still change them mid-session.
 */
import type { SessionConfig } from '../../config.js';
import type { ErrorInfo } from '../../errors.js';
import { resolveProfile, unsupportedOption } from '../profile.js';
import { OPENAI_PROFILES } from './profiles.js';
import type { OpenAIProtocol } from './wire.js';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export interface OpenAISessionOptions {
  /** `reasoning.effort`, reasoning models only (`gpt-realtime-2*`). OpenAI suggests starting at `low`. */
  reasoningEffort?: ReasoningEffort;
  /** `audio.input.noise_reduction.type` (beta: `input_audio_noise_reduction`): close-talking or far-field microphones. */
  noiseReduction?: 'near_field' | 'far_field';
  /**
   * `turn_detection.idle_timeout_ms` (GA, `server_vad` only): after this much silence following the
   * model's played reply, the server commits the silence and answers (`model.inputTimeout`).
   */
  idleTimeoutMs?: number;
  /** `audio.output.speed` (beta: `speed`), 0.25–1.5; 1 is normal. Sent with the first `session.update`. */
  speed?: number;
}

/** Why these options cannot go to this model over this protocol with this config; undefined when they can. */
export function optionConflict(
  options: OpenAISessionOptions,
  config: Pick<SessionConfig, 'turnDetection' | 'extra'>,
  model: string,
  protocol: OpenAIProtocol,
): ErrorInfo | undefined {
  const profile = resolveProfile(OPENAI_PROFILES[protocol], model);
  const unsupported = unsupportedOption(profile, model, options, protocol === 'beta' ? ' (beta protocol)' : '');
  if (unsupported) return unsupported;
  if (!profile.options.includes('reasoningEffort') && extraReasoning(config.extra)) {
    // The same field through `extra` (the GA session's `reasoning`, RealtimeReasoning in the openai
    // package: "for reasoning-capable Realtime models such as gpt-realtime-2").
    return invalid('extra.reasoning', `extra.reasoning is not accepted by ${model}${protocol === 'beta' ? ' (beta protocol)' : ''}: it is not a reasoning model; remove it`);
  }
  if (options.reasoningEffort !== undefined && !REASONING_EFFORTS.includes(options.reasoningEffort)) {
    return invalid('reasoningEffort', `reasoningEffort must be one of ${REASONING_EFFORTS.join(', ')}`);
  }
  if (options.speed !== undefined && !(options.speed >= 0.25 && options.speed <= 1.5)) {
    return invalid('speed', `speed must be between 0.25 and 1.5 (got ${options.speed})`);
  }
  if (options.idleTimeoutMs !== undefined) {
    // The GA schema's bounds for `turn_detection.idle_timeout_ms`: an integer from 5000 to 30000.
    if (!Number.isInteger(options.idleTimeoutMs) || options.idleTimeoutMs < 5_000 || options.idleTimeoutMs > 30_000) {
      return invalid('idleTimeoutMs', `idleTimeoutMs must be an integer from 5000 to 30000 ms (got ${options.idleTimeoutMs})`);
    }
    if (config.turnDetection.type !== 'server_vad') {
      return invalid(
        'idleTimeoutMs',
        `idleTimeoutMs needs turnDetection 'server_vad' (OpenAI supports the idle timeout only there), but turnDetection is '${config.turnDetection.type}'`,
      );
    }
  }
  return undefined;
}

/** Whether `extra` sets the session's `reasoning` (GA; the beta session has no such field, so it is refused there too). */
function extraReasoning(extra: SessionConfig['extra']): boolean {
  return extra !== undefined && extra['reasoning'] !== undefined;
}

function invalid(param: string, message: string): ErrorInfo {
  return { code: 'invalid_config', param, message };
}
