/**
 * The session machine made ready to run: options parsed, tools registered, and the actor input
 * built, with the model adapter and the tool registry in it (`SessionRuntime`): the machine itself
 * is the one shared definition, never provided per session. Shared by `createRealtimeSession()` and
 * `createSessionLogic()` (embedding).
 */
import { capabilitiesFor } from '../adapters/adapter.js';
import { logDeprecation } from '../adapters/profile.js';
import { AudioPlane } from '../adapters/audio-plane.js';
import type { InputSampleRate } from '../adapters/resampler.js';
import { parseSessionConfig } from '../config.js';
import { resolveLogger } from '../logger.js';
import { realtimeSessionMachine, type RealtimeSessionMachine } from '../machines/session/session.machine.js';
import { SessionRuntime } from '../machines/session/runtime.js';
import type { SessionInput } from '../machines/session/types.js';
import { ToolRegistry } from '../tools/registry.js';
import { ToolRuntime } from '../tools/runtime.js';
import { assertModelAccepts, parseRealtimeSessionOptions, type ParsedSessionOptions, type SessionLogicOptions } from './options.js';
import { registerTools } from './tools.js';

export interface PreparedSession {
  /** The session machine: one definition shared by every session (its adapter and tools are in `input.runtime`). */
  logic: RealtimeSessionMachine;
  /** The input to create, invoke or spawn it with. */
  input: SessionInput;
  /** Where the handlers of the session's tools are registered (an update adds to it). */
  registry: ToolRegistry;
  /** The facade's own settings. */
  facade: { inputSampleRate: InputSampleRate; connectTimeoutMs: number; maxBufferedAudioMs: number };
  /** The options' wiring (model, tools, listeners, inspection, logger) as given. */
  wiring: ParsedSessionOptions['wiring'];
}

/**
 * Builds the provided machine and its input from parsed options. `audio`: the facade's own plane
 * (it listens to it); without one, a plane sized by `maxBufferedAudioMs`. `getSession`: what a tool
 * handler sees as its session. Throws ConfigValidationError.
 */
export function prepareSession(options: ParsedSessionOptions, audio: AudioPlane | undefined, getSession: () => unknown): PreparedSession {
  const { wiring, facade, machine, config: configInput } = options;
  const registry = new ToolRegistry();
  const config = parseSessionConfig({ ...configInput, tools: registerTools(registry, wiring.tools ?? []) });
  assertModelAccepts(wiring.model, config);
  const capabilities = capabilitiesFor(wiring.model.capabilities, wiring.model.model);
  const logger = resolveLogger(wiring.logger);
  if (capabilities.deprecated) logDeprecation(logger, wiring.model.provider, wiring.model.model, capabilities.deprecated);
  return {
    // One machine definition for every session: the adapter and the tools travel in the input.
    logic: realtimeSessionMachine,
    input: {
      provider: wiring.model.provider,
      model: wiring.model.model,
      config,
      capabilities,
      options: machine,
      audio: audio ?? new AudioPlane({ maxBufferedMs: facade.maxBufferedAudioMs, playback: facade.playback }),
      logger,
      runtime: new SessionRuntime(wiring.model.logic, new ToolRuntime(registry, getSession)),
    },
    registry,
    facade,
    wiring,
  };
}

/**
 * For embedding: the session machine, plus the input to invoke or spawn it with (the input carries
 * the model adapter and the tools, so `logic` is the same object for every session). A parent machine puts `logic` in its `setup({ actors })` and receives the
 * session's events as `voxstate.<type>` (see `SessionParentEvent`); set `autoConnect: true` or send
 * `{ type: 'session.connect' }`. Output audio: `input.audio.onOutput(listener)`.
 */
export function createSessionLogic(options: SessionLogicOptions): { logic: RealtimeSessionMachine; input: SessionInput } {
  const prepared = prepareSession(parseRealtimeSessionOptions(options), undefined, () => undefined);
  return { logic: prepared.logic, input: prepared.input };
}
