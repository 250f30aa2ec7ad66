/**
 * `startEmulator()`: the local realtime emulator with every protocol side registered.
 * See docs/emulator.md.
 */
import type { Brain } from './brain.js';
import { openaiControl, openaiRoute, type OpenAIEmulatorControl, type OpenAIEmulatorOptions } from './openai.js';
import { geminiControl, geminiRoute, type GeminiEmulatorControl, type GeminiEmulatorOptions } from './gemini.js';
import { startEmulatorServer, type EmulatorRoute, type RunningEmulator } from './server.js';
import type { TlsCredentials } from './self-signed.js';

/** Every protocol side of the emulator. Add a provider's route here (one line). */
const routes: readonly EmulatorRoute[] = [
  openaiRoute,
  geminiRoute,
];

/** Every option is named (no index signature), so a misspelt option fails to compile. */
export interface StartEmulatorOptions {
  /** Default `127.0.0.1`; anything but loopback needs `allowNonLoopback`. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Bind a non-loopback `host` (anyone who can reach the port can use the emulator). */
  allowNonLoopback?: boolean;
  /** `true`: `wss:` with a generated self-signed certificate (see `Emulator.certificate`); or your own `{ cert, key }` (PEM). */
  tls?: boolean | TlsCredentials;
  brain?: Brain;
  openai?: OpenAIEmulatorOptions;
  gemini?: GeminiEmulatorOptions;
}

export interface Emulator extends RunningEmulator {
  /** `ws://127.0.0.1:PORT/v1/realtime?model=gpt-realtime-2.1` (`wss:` with `tls`) */
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
    openaiUrl: `${running.baseUrl}/v1/realtime?model=gpt-realtime-2.1`,
    openai: openaiControl(running.context),
    geminiUrl: `${running.baseUrl}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent`,
    gemini: geminiControl(running.context),
  };
}

export type { OpenAIEmulatorOptions, OpenAIEmulatorControl, OpenAIFault } from './openai.js';
export type { GeminiEmulatorOptions, GeminiEmulatorControl, GeminiFault } from './gemini.js';
export type { RunningEmulator } from './server.js';
export type { TlsCredentials } from './self-signed.js';
export { createRuleBrain } from './brain.js';
export type { Brain, BrainContext, BrainReply, BrainTool } from './brain.js';
