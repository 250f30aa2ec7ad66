/**
 * `voxstate run`: one spoken turn from a WAV file against a real provider (or any endpoint with
 * --url, such as the emulator): stream it like a microphone, let server VAD end the turn (or
 * commit when it did not), wait for the answer and its tool follow-ups, write the reply to a WAV.
 */
import { createRealtimeSession } from '../index.js';
import { redactSecrets } from '../errors.js';
import { intOption, parseCommand } from './args.js';
import { UsageError } from './errors.js';
import { startInspectorRelay, type InspectorRelay } from './inspect.js';
import { startOtlpExport, type OtlpExport } from './otlp.js';
import { prepareReport, writeReport } from './report-file.js';
import { apiKeyFor, PROVIDERS, providerNamed } from './providers.js';
import { Deadline } from './deadline.js';
import { watchFailures } from './failures.js';
import { settle, silence, streamAudio, watchServerTurn } from './stream.js';
import { printSummary } from './summary.js';
import { record, Timeline } from './timeline.js';
import { demoTools } from './tools.js';
import { describeBitDepth, loadWav, prepareOutput, writeWav } from './wav.js';

/** Silence after the file, longer than server VAD's default 500 ms, so VAD can close the turn. */
const TRAILING_SILENCE_MS = 800;
/** How long, after the last frame and the last VAD event, the CLI waits for VAD before committing. */
const VAD_GRACE_MS = 2_000;

export const runSpec = {
  name: 'run',
  usage: 'voxstate run --provider openai|gemini --input in.wav [--output out.wav] [--instructions TEXT] [--voice NAME] [--tools demo] [--model ID] [--url WS_URL] [--fast] [--timeout S] [--inspect] [--otlp URL] [--report FILE.json]',
  help: `
Sends one spoken turn from a WAV file to the provider and writes the spoken answer to a WAV.
Any WAV (rate, channels, bit depth) is accepted; it is resampled to what the provider takes
(24 kHz for OpenAI, 16 kHz for Gemini). Keys come from OPENAI_API_KEY or GEMINI_API_KEY
(GOOGLE_API_KEY also works for Gemini).

  --provider <name>       openai (default) or gemini
  -i, --input <wav>       the user's audio (required)
  -o, --output <wav>      the assistant's audio (default out/reply.wav, 24 kHz mono PCM16)
  --instructions <text>   system instructions (default: a short helpful assistant)
  --voice <name>          provider voice, e.g. alloy (OpenAI) or Puck (Gemini)
  --tools demo            declare the demo tools get_weather and book_table (canned data;
                          book_table needs approval, which the CLI grants and prints)
  --model <id>            provider model (default: the adapter's default)
  --url <ws-url>          endpoint override, e.g. the URL "voxstate emulator" prints
  --fast                  stream the file as fast as possible instead of in real time
  --timeout <s>           give up (exit 1) if the run has not finished this many seconds after it
                          started connecting: connecting, streaming and waiting for the answer
                          all count (default 60, plus the file's length in real time)
  --inspect               start a Stately inspector relay on 127.0.0.1 and print its URL
  --otlp URL              export traces and metrics over OTLP/HTTP (JSON) to the collector at URL
                          (URL/v1/traces, URL/v1/metrics); needs the OpenTelemetry SDK installed
  --report <json>         write the session report (turns, latencies, tools, errors, usage) as JSON
                          (written on failure too)
  --debug                 print stack traces
  -h, --help              this help`,
  options: {
    provider: { type: 'string' },
    input: { type: 'string', short: 'i' },
    output: { type: 'string', short: 'o' },
    instructions: { type: 'string' },
    voice: { type: 'string' },
    tools: { type: 'string' },
    model: { type: 'string' },
    url: { type: 'string' },
    fast: { type: 'boolean' },
    timeout: { type: 'string' },
    inspect: { type: 'boolean' },
    otlp: { type: 'string' },
    report: { type: 'string' },
  },
} as const;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(runSpec, argv);
  if (!args) return 0;
  const provider = providerNamed(args.provider);
  if (!args.input) throw new UsageError('--input <wav> is required');
  if (args.tools !== undefined && args.tools !== 'demo') throw new UsageError(`--tools takes "demo", got "${args.tools}"`);
  if (args.url !== undefined && !/^wss?:\/\//.test(args.url)) throw new UsageError(`--url must start with ws:// or wss://, got "${redactSecrets(args.url)}"`);
  const timeoutS = args.timeout === undefined ? undefined : intOption('timeout', args.timeout, 60, 1);
  const apiKey = apiKeyFor(provider);
  const info = PROVIDERS[provider];
  const input = await loadWav(args.input, info.inputRate);
  const pace = args.fast ? Infinity : 1;
  // The budget covers streaming too: by default a real-time run gets the file's length on top.
  const defaultTimeoutS = 60 + (pace === Infinity ? 0 : Math.ceil(input.source.durationMs / 1000));
  const timeoutMs = (timeoutS ?? defaultTimeoutS) * 1000;
  const output = args.output ?? 'out/reply.wav';
  // Before the session: a paid turn must not end in "cannot write the reply".
  prepareOutput(output);
  prepareReport(args.report);

  const otlp: OtlpExport | undefined = args.otlp === undefined ? undefined : await startOtlpExport(args.otlp);
  const relay: InspectorRelay | undefined = args.inspect ? await startInspectorRelay() : undefined;
  const session = createRealtimeSession({
    model: await info.create({ apiKey, ...(args.model ? { model: args.model } : {}), ...(args.url ? { url: args.url } : {}) }),
    instructions: args.instructions ?? 'You are a helpful voice assistant. Keep answers short.',
    ...(args.voice ? { voice: args.voice } : {}),
    tools: args.tools === 'demo' ? demoTools : [],
    transcription: {},
    inputSampleRate: info.inputRate,
    ...(relay ? { inspect: relay.inspect } : {}),
    ...(otlp ? { telemetry: otlp.telemetry } : {}),
  });
  const timeline = new Timeline();
  const rec = record(session, timeline);
  session.on('tool_approval_requested', (e) => {
    timeline.line('tool', `approved ${e.name} (run approves every call)`);
    // The call may be gone by now (a barge-in cancelled it): say so rather than crash on the rejection.
    session.approveTool(e.callId).catch((err: Error) => timeline.line('tool', `approval of ${e.name} not applied: ${err.message}`));
  });
  const turn = watchServerTurn(session);
  const failures = watchFailures(session);
  let reportWritten = false;
  try {
    const { source } = input;
    console.log(`voxstate run: ${provider}${args.url ? ` at ${redactSecrets(args.url, [apiKey])}` : ''}, input ${args.input} (${source.sampleRate} Hz, ${source.channels} ch, ${describeBitDepth(source.bitDepth)}, ${(source.durationMs / 1000).toFixed(1)} s)`);
    if (relay) console.log(`inspector: open ${relay.url} in a browser (it loads https://stately.ai/inspect)`);
    if (otlp) console.log(`otlp: exporting traces and metrics to ${args.otlp}`);
    const deadline = new Deadline(timeoutMs);
    await deadline.race(session.connect(), 'connecting');
    const responded = deadline.race(rec.next('response_done', () => true, timeoutMs), 'waiting for the answer');
    responded.catch(() => undefined);
    timeline.line('user', `streaming ${args.input}${pace === Infinity ? ' (fast)' : ' in real time'}`);
    rec.userTurn(await streamAudio(session, input.pcm, info.inputRate, pace, deadline));
    if (provider === 'gemini') {
      // Gemini reports no VAD events; audioStreamEnd (what a commit maps to) closes the turn.
      timeline.line('user', 'end of file: audio stream ended');
      await session.commitAudio();
    } else {
      // Trailing silence lets server VAD close the turn; only when it did not does the CLI commit.
      await streamAudio(session, silence(TRAILING_SILENCE_MS, info.inputRate), info.inputRate, pace, deadline);
      if (!(await turn.turnClosed(VAD_GRACE_MS, deadline))) {
        timeline.line('user', 'committing the turn (server VAD did not end it)');
        await session.commitAudio();
        await session.createResponse();
      }
    }
    await responded;
    await settle(session, 1_000, deadline.remainingMs(), () => deadline.error('waiting for the session to settle'));
    await session.close();
    const { pcm, sampleRate } = rec.assistantAudio();
    writeWav(output, pcm, sampleRate);
    if (args.report !== undefined) {
      writeReport(args.report, session, [apiKey]);
      reportWritten = true;
    }
    printSummary({ provider, target: args.url ? redactSecrets(args.url, [apiKey]) : 'provider default endpoint', stats: rec.stats, output, elapsedMs: timeline.elapsedMs(), report: args.report });
    // The answer may have come, but a turn the provider reported an error for is not a success.
    failures.throwIfAny();
    return 0;
  } finally {
    turn.stop();
    failures.stop();
    rec.stop();
    await session.close().catch(() => undefined);
    // A run that failed still leaves its report (what happened, with the error): the file a team keeps per call.
    if (args.report !== undefined && !reportWritten) {
      try {
        writeReport(args.report, session, [apiKey]);
        console.log(`session report → ${args.report}`);
      } catch (error) {
        process.stderr.write(`warning: --report ${args.report}: not written (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
      }
    }
    await relay?.stop();
    await otlp?.shutdown();
  }
}
