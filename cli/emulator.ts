/**
 * `voxstate emulator`: the local emulator alone, for pointing your own client (or the official
 * SDKs) at it. Loopback unless --allow-non-loopback: it accepts any API key.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuleBrain } from '../emulator/brain.js';
import { startEmulator } from '../emulator/index.js';
import { intOption, parseCommand } from './args.js';
import { UsageError } from './errors.js';

export const emulatorSpec = {
  name: 'emulator',
  usage: 'voxstate emulator [--port 8787] [--host 127.0.0.1] [--allow-non-loopback] [--tls] [--speed N] [--transcript TEXT]…',
  help: `
Starts the local realtime emulator (OpenAI Realtime and Gemini Live protocols on one port), prints
its URLs and runs until Ctrl-C (SIGINT) or SIGTERM. It accepts any API key.

  --port <n>             port to listen on (default 8787; 0 picks a free one, printed on start)
  --host <addr>          address to bind (default 127.0.0.1)
  --allow-non-loopback   required to bind anything but 127.0.0.1, ::1 or localhost: anyone who can
                         reach the port can use the emulator
  --tls                  serve wss: with a self-signed certificate made at start (for clients that
                         only speak wss:, like the openai package's OpenAIRealtimeWS); its path is
                         printed: trust it with NODE_EXTRA_CA_CERTS=<path> or the client's ca option
  --speed <n>            reply pacing, 1 = real time (default 1)
  --transcript <text>    what the n-th spoken user turn "said" (repeatable; the emulator does no
                         speech recognition)
  --debug                print stack traces
  -h, --help             this help`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'allow-non-loopback': { type: 'boolean' },
    tls: { type: 'boolean' },
    speed: { type: 'string' },
    transcript: { type: 'string', multiple: true },
  },
} as const;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function emulatorCommand(argv: string[]): Promise<number> {
  const args = parseCommand(emulatorSpec, argv);
  if (!args) return 0;
  const host = args.host ?? '127.0.0.1';
  // 0 asks the system for a free port.
  const port = intOption('port', args.port, 8787, 0, 65_535);
  const allowNonLoopback = Boolean(args['allow-non-loopback']);
  if (!LOOPBACK.has(host) && !allowNonLoopback) {
    throw new UsageError(`refusing to bind ${host}: the emulator accepts any key; pass --allow-non-loopback to expose it`);
  }
  const speed = intOption('speed', args.speed, 1, 1);
  const emulator = await startEmulator({
    host,
    port,
    allowNonLoopback,
    tls: Boolean(args.tls),
    brain: createRuleBrain({ transcripts: args.transcript ?? [] }),
    openai: { realtimeFactor: speed },
    gemini: { realtimeFactor: speed },
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use on ${host} (try --port 0)`);
    throw error;
  });
  console.log(`voxstate emulator listening on ${emulator.baseUrl}`);
  console.log(`  openai  ${emulator.openaiUrl}`);
  console.log(`  gemini  ${emulator.geminiUrl}`);
  // The certificate is public (the key stays in memory); it lives as long as the emulator does.
  const certDir = emulator.certificate ? mkdtempSync(join(tmpdir(), 'voxstate-emulator-')) : undefined;
  if (certDir) {
    const certPath = join(certDir, 'cert.pem');
    writeFileSync(certPath, emulator.certificate!);
    console.log(`  cert    ${certPath} (self-signed; trust it with NODE_EXTRA_CA_CERTS=${certPath})`);
  }
  console.log('Any API key is accepted. Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
  console.log('emulator stopped');
  return 0;
}
