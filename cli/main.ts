#!/usr/bin/env node
/**
 * The `voxstate` command line: `demo` (what `npm start` runs), `run` (a real provider),
 * `emulator` (the local emulator alone). Exit codes: 0 ok, 1 runtime failure, 2 usage error or
 * missing key. User mistakes are one line; stack traces only with --debug.
 */
import { demo } from './demo.js';
import { emulatorCommand } from './emulator.js';
import { EXIT_RUNTIME, EXIT_USAGE, UsageError } from './errors.js';
import { run } from './run.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = { demo, run, emulator: emulatorCommand };

const HELP = `usage: voxstate <command> [options]

commands:
  demo       a voice-agent conversation on the local emulator (no key, no network)
  run        the same flow against OpenAI Realtime or Gemini Live, from a WAV file
  emulator   start the local emulator alone and print its URLs

Run "voxstate <command> --help" for a command's options. Docs: docs/cli.md
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const handler = COMMANDS[command];
  if (!handler) throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  return handler(rest);
}

const argv = process.argv.slice(2);
const debug = argv.includes('--debug');
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`voxstate: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else if (!usage) process.stderr.write('(run again with --debug for details)\n');
    process.exitCode = usage ? EXIT_USAGE : EXIT_RUNTIME;
  },
);
