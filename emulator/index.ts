/**
 * `startEmulator()`: the local realtime emulator with every protocol side registered.
 * See docs/emulator.md.
 */
import type { Brain } from './brain.js';
import { openaiControl, openaiRoute, type OpenAIEmulatorControl, type OpenAIEmulatorOptions } from './openai.js';
import { geminiControl, geminiRoute, type GeminiEmulatorControl, type GeminiEmulatorOptions } from './gemini.js';
import { startEmulatorServer, type EmulatorRoute, type RunningEmulator } from './server.js';

/** Every protocol side of the emulator. Add a provider's route here (one line). */
const routes: readonly EmulatorRoute[] = [
  openaiRoute,
  geminiRoute,
];

export interface StartEmulatorOptions {
  host?: string;
  port?: number;
  brain?: Brain;
  openai?: OpenAIEmulatorOptions;
  gemini?: GeminiEmulatorOptions;
  /** Protocol-specific knobs for other sides (e.g. `gemini`). */
  [protocol: string]: unknown;
}

export interface Emulator extends RunningEmulator {
  /** `ws://127.0.0.1:PORT/v1/realtime?model=gpt-realtime` */
  openaiUrl: string;
  /** Fault injection and live-connection listing for the OpenAI side. */
  openai: OpenAIEmulatorControl;
  /** `ws://127.0.0.1:PORT/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent` */
  geminiUrl: string;
  /** Fault injection, goAway and conversation inspection for the Gemini side. */
  gemini: GeminiEmulatorControl;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const running = await startEmulatorServer({ ...options, routes });
  return {
    ...running,
    openaiUrl: `${running.baseUrl}/v1/realtime?model=gpt-realtime`,
    openai: openaiControl(running.context),
    geminiUrl: `${running.baseUrl}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent`,
    gemini: geminiControl(running.context),
  };
}

export type { OpenAIEmulatorOptions, OpenAIEmulatorControl, OpenAIFault } from './openai.js';
export type { GeminiEmulatorOptions, GeminiEmulatorControl, GeminiFault } from './gemini.js';
export type { RunningEmulator } from './server.js';
export { createRuleBrain } from './brain.js';
export type { Brain, BrainContext, BrainReply, BrainTool } from './brain.js';
