/**
 * The smallest voxstate program: connect, say something, print what the assistant answered, close.
 *
 *   npx tsx examples/minimal-session.ts
 *
 * It starts the local emulator unless VOXSTATE_OPENAI_URL is set (then OPENAI_API_KEY is used,
 * e.g. VOXSTATE_OPENAI_URL=wss://api.openai.com/v1/realtime?model=gpt-realtime-2.1).
 */
import { openaiRealtime } from '../adapters/openai/index.js';
import { startEmulator } from '../emulator/index.js';
import { createRealtimeSession } from '../index.js';

const emulator = process.env.VOXSTATE_OPENAI_URL ? undefined : await startEmulator();
const session = createRealtimeSession({
  model: openaiRealtime({
    apiKey: process.env.OPENAI_API_KEY ?? 'sk-emulator',
    url: process.env.VOXSTATE_OPENAI_URL ?? emulator!.openaiUrl,
  }),
  instructions: 'You are a cheerful assistant. Answer in one sentence.',
});

let audioBytes = 0;
session.on('audio', (e) => (audioBytes += e.audio.length));
session.on('transcript', (e) => {
  if (e.role === 'assistant' && e.isFinal) console.log(`assistant: ${e.text}`);
});
const answered = new Promise((resolve) => session.on('response_done', resolve));

await session.connect();
console.log('user: Hello, who am I talking to?');
await session.sendText('Hello, who am I talking to?');
await answered;
console.log(`received ${(audioBytes / 2 / 24_000).toFixed(1)} s of 24 kHz audio`);

await session.close();
await emulator?.close();
