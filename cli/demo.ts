/**
 * `voxstate demo`: a whole voice-agent conversation against the in-process emulator, no key, no
 * network. Four spoken user turns: a question that needs a tool, a question the user cuts off
 * (barge-in) with a request whose tool needs approval, an instruction change with a bridge message
 * while that turn is busy, and a closing turn answered under the new instructions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuleBrain } from '../emulator/brain.js';
import { startEmulator } from '../emulator/index.js';
import { createRealtimeSession } from '../index.js';
import { reportPacedPlayback } from './paced-player.js';
import { intOption, parseCommand } from './args.js';
import { writeUtterance } from './fixtures.js';
import { startInspectorRelay, type InspectorRelay } from './inspect.js';
import { startOtlpExport, type OtlpExport } from './otlp.js';
import { prepareReport, writeReport } from './report-file.js';
import { PROVIDERS, providerNamed } from './providers.js';
import { settle, streamAudio } from './stream.js';
import { printSummary, userPrompt } from './summary.js';
import { record, Timeline } from './timeline.js';
import { demoTools } from './tools.js';
import { loadWav, prepareOutput, writeWav } from './wav.js';

export const demoSpec = {
  name: 'demo',
  usage: 'voxstate demo [--provider openai|gemini] [--output out/reply.wav] [--speed N] [--inspect] [--otlp URL] [--report FILE.json]',
  help: `
Plays a short voice conversation against the local emulator (127.0.0.1, random port): a spoken
question, a tool call and its result, a spoken answer, a barge-in, and an instruction change
mid-call with a bridge message. Prints a live timeline and writes the assistant's audio to a WAV.
No API key, no network.

  --provider <name>   openai (default; the change is applied in place) or gemini (the change
                      is queued until the turn ends, then the session resumes)
  -o, --output <wav>  where to write the assistant's audio (default out/reply.wav, 24 kHz mono PCM16)
  --speed <n>         emulator and microphone pacing, 1 = real time (default 10)
  --inspect           start a Stately inspector relay on 127.0.0.1 and print its URL
  --otlp URL          export traces and metrics over OTLP/HTTP (JSON) to the collector at URL
                      (URL/v1/traces, URL/v1/metrics); needs the OpenTelemetry SDK installed
  --report <json>     write the session report (turns, latencies, tools, errors, usage) as JSON
  --debug             print stack traces
  -h, --help          this help`,
  options: {
    provider: { type: 'string' },
    output: { type: 'string', short: 'o' },
    speed: { type: 'string' },
    inspect: { type: 'boolean' },
    otlp: { type: 'string' },
    report: { type: 'string' },
  },
} as const;

export const DEMO_TURNS = [
  "What's the weather in Paris?",
  'Tell me something about the Eiffel Tower.',
  'Sorry, book a table for 2 in Paris instead.',
  'Thank you, that is all.',
];

const NEW_INSTRUCTIONS = 'You are now the hotel concierge. Answer in one sentence.';
const BRIDGE = 'The caller is now talking to the hotel concierge.';

export async function demo(argv: string[]): Promise<number> {
  const args = parseCommand(demoSpec, argv);
  if (!args) return 0;
  const provider = providerNamed(args.provider);
  const speed = intOption('speed', args.speed, 10, 1);
  const output = args.output ?? join('out', 'reply.wav');
  prepareOutput(output);
  prepareReport(args.report);
  const info = PROVIDERS[provider];

  const otlp: OtlpExport | undefined = args.otlp === undefined ? undefined : await startOtlpExport(args.otlp);
  const emulator = await startEmulator({
    brain: createRuleBrain({ transcripts: DEMO_TURNS }),
    openai: { realtimeFactor: speed },
    gemini: { realtimeFactor: speed, vadSilenceMs: 300 },
  });
  const relay: InspectorRelay | undefined = args.inspect ? await startInspectorRelay() : undefined;
  const wavDir = mkdtempSync(join(tmpdir(), 'voxstate-demo-'));
  const url = provider === 'openai' ? emulator.openaiUrl : emulator.geminiUrl;
  const session = createRealtimeSession({
    model: await info.create({ apiKey: 'emulator-key', url }),
    instructions: 'You are a helpful travel assistant. Keep answers short.',
    tools: demoTools,
    transcription: {},
    turnDetection: { type: 'server_vad', silenceDurationMs: 300 },
    inputSampleRate: info.inputRate,
    // The reply goes to a file at ×speed: playback is reported at that pace (cli/paced-player.ts).
    playback: 'reported',
    ...(relay ? { inspect: relay.inspect } : {}),
    ...(otlp ? { telemetry: otlp.telemetry } : {}),
  });
  const timeline = new Timeline();
  const rec = record(session, timeline);
  const stopPlayer = reportPacedPlayback(session, speed);
  const quietMs = Math.max(60, 1500 / speed);
  const turnTimeout = 10_000 + 60_000 / speed;
  try {
    console.log(`voxstate demo: ${provider} protocol, emulator at ${emulator.baseUrl} (loopback), pacing ×${speed}`);
    console.log('The emulator does no speech recognition: it assigns each spoken turn a scripted transcript.');
    console.log('Its voice is a synthetic signal (one tone burst per word), not speech: the words are in the transcripts.');
    if (relay) console.log(`inspector: open ${relay.url} in a browser (it loads https://stately.ai/inspect)`);
    if (otlp) console.log(`otlp: exporting traces and metrics to ${args.otlp}`);
    session.on('tool_approval_requested', (e) => {
      timeline.line('tool', `approved ${e.name} (the demo approves every call)`);
      // The call may be gone by now (a barge-in cancelled it): say so rather than crash on the rejection.
      session.approveTool(e.callId).catch((err: Error) => timeline.line('tool', `approval of ${e.name} not applied: ${err.message}`));
    });
    /** Speaks a turn and, unless told not to, waits until it is answered and the session is quiet again. */
    const speak = async (index: number, opts: { leadMs?: number; settle?: boolean } = {}) => {
      const answered = opts.settle === false ? undefined : rec.next('response_done', () => true, turnTimeout);
      const file = writeUtterance(wavDir, `user-${index + 1}`, DEMO_TURNS[index]!, opts);
      const { pcm } = await loadWav(file, info.inputRate);
      timeline.line('user', `speaking turn ${index + 1} (${userPrompt(DEMO_TURNS[index]!)})`);
      rec.userTurn(await streamAudio(session, pcm, info.inputRate, speed));
      if (!answered) return;
      await answered;
      await settle(session, quietMs, turnTimeout);
    };

    await session.connect();
    // (a)–(c): spoken question → get_weather → spoken answer.
    await speak(0);

    // (d): the user talks over the answer; (e) the instructions change while the turn is busy.
    const answering = rec.next('audio', () => true, turnTimeout);
    await speak(1, { settle: false });
    await answering;
    const interrupted = rec.next('interrupted', () => true, turnTimeout);
    const updated = rec
      .next('tool_call', (e) => e.name === 'book_table', turnTimeout)
      .then(() => {
        timeline.line('config', `changing instructions mid-turn, bridge: “${BRIDGE}”`);
        return session.updateSession({ instructions: NEW_INSTRUCTIONS }, { bridgeMessage: BRIDGE });
      });
    // Handled now so a timeout surfaces at its await below, not as an unhandled rejection.
    for (const pending of [interrupted, updated]) pending.catch(() => undefined);
    await speak(2, { leadMs: 0, settle: false });
    await interrupted;
    await updated;
    await settle(session, quietMs, turnTimeout);

    await speak(3);
    await session.close();

    const { pcm, sampleRate } = rec.assistantAudio();
    writeWav(output, pcm, sampleRate);
    if (args.report !== undefined) writeReport(args.report, session);
    printSummary({ provider, target: `emulator at ${emulator.baseUrl}`, stats: rec.stats, output, elapsedMs: timeline.elapsedMs(), report: args.report });
    return 0;
  } finally {
    rec.stop();
    stopPlayer();
    await session.close().catch(() => undefined);
    await relay?.stop();
    await otlp?.shutdown();
    await emulator.close();
    rmSync(wavDir, { recursive: true, force: true });
  }
}
