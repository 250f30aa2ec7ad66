/**
 * The README's fifteen lines, runnable: a tool the model calls, transcripts printed, audio counted.
 *
 *   npx tsx examples/weather.ts
 *
 * Starts the local emulator unless VOXSTATE_OPENAI_URL is set (then OPENAI_API_KEY is used).
 */
import { z } from 'zod';
import { openaiRealtime } from '../adapters/openai/index.js';
import { startEmulator } from '../emulator/index.js';
import { createRealtimeSession, defineTool } from '../index.js';

const emulator = process.env.VOXSTATE_OPENAI_URL ? undefined : await startEmulator();

const weather = defineTool({
  name: 'get_weather', description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, sky: 'sunny', celsius: 21 }),
});
const session = createRealtimeSession({
  model: openaiRealtime({ apiKey: process.env.OPENAI_API_KEY ?? 'sk-emulator', url: process.env.VOXSTATE_OPENAI_URL ?? emulator!.openaiUrl }),
  instructions: 'Be brief.', tools: [weather],
});
let audioBytes = 0;
session.on('audio', (e) => (audioBytes += e.audio.length)); // e.audio: PCM16 24 kHz, ready to play
session.on('transcript', (e) => e.isFinal && console.log(`${e.role}: ${e.text}`));
session.on('tool_result', (e) => console.log(`tool: ${e.name} → ${JSON.stringify(e.output)}`));
// Two responses: the one that calls the tool, then the spoken answer (the first with audio).
const answered = new Promise<void>((resolve) => session.on('response_done', () => audioBytes > 0 && resolve()));

await session.connect();
console.log('user: What is the weather in Paris?');
await session.sendText('What is the weather in Paris?'); // or session.sendAudio(pcm) from a microphone
await answered;
console.log(`audio: ${(audioBytes / 48_000).toFixed(1)} s`);
await session.close();
await emulator?.close();
