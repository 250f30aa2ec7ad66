/**
 * The session machine made ready to run: options parsed, tools registered, the model adapter and
 * the tool-call logic provided, and the actor input built. Shared by `createRealtimeSession()` and
 * `createSessionLogic()` (embedding).
 */
import { capabilitiesFor, type ModelAdapter } from '../adapters/adapter.js';
import { logDeprecation } from '../adapters/profile.js';
import { AudioPlane } from '../adapters/audio-plane.js';
import type { InputSampleRate } from '../adapters/resampler.js';
import { parseSessionConfig } from '../config.js';
import { resolveLogger } from '../logger.js';
import { realtimeSessionMachine, type RealtimeSessionMachine } from '../machines/session/session.machine.js';
import type { SessionInput } from '../machines/session/types.js';
import { ToolRegistry } from '../tools/registry.js';
import { createToolCallLogic } from '../tools/runtime.js';
import { assertModelAccepts, parseRealtimeSessionOptions, type ParsedSessionOptions, type SessionLogicOptions } from './options.js';
import { registerTools } from './tools.js';

export interface PreparedSession {
  /** The session machine with the model adapter and the tool registry provided. */
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

function provideSession(model: ModelAdapter, registry: ToolRegistry, getSession: () => unknown): RealtimeSessionMachine {
  return realtimeSessionMachine.provide({
    actors: { model: model.logic, tool: createToolCallLogic(registry, getSession) },
  });
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
    logic: provideSession(wiring.model, registry, getSession),
    input: {
      provider: wiring.model.provider,
      model: wiring.model.model,
      config,
      capabilities,
      options: machine,
      audio: audio ?? new AudioPlane({ maxBufferedMs: facade.maxBufferedAudioMs, playback: facade.playback }),
      logger,
    },
    registry,
    facade,
    wiring,
  };
}

/**
 * For embedding: the session machine with its model adapter and tools provided, plus the input to
 * invoke or spawn it with. A parent machine puts `logic` in its `setup({ actors })` and receives the
 * session's events as `voxstate.<type>` (see `SessionParentEvent`); set `autoConnect: true` or send
 * `{ type: 'session.connect' }`. Output audio: `input.audio.onOutput(listener)`.
 */
export function createSessionLogic(options: SessionLogicOptions): { logic: RealtimeSessionMachine; input: SessionInput } {
  const prepared = prepareSession(parseRealtimeSessionOptions(options), undefined, () => undefined);
  return { logic: prepared.logic, input: prepared.input };
}
