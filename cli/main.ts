#!/usr/bin/env node
/**
 * The `voxstate` command line: `demo` (what `npm start` runs), `run` (a real provider),
 * `emulator` (the local emulator alone). Exit codes: 0 ok, 1 runtime failure, 2 usage error or
 * missing key. User mistakes are one line plus the command's usage line; stack traces only with
 * --debug.
 */
import { demo, demoSpec } from './demo.js';
import { emulatorCommand, emulatorSpec } from './emulator.js';
import { EXIT_RUNTIME, EXIT_USAGE, UsageError } from './errors.js';
import { run, runSpec } from './run.js';
import { docPath, packageInfo } from './package-info.js';

interface Command {
  usage: string;
  handler: (argv: string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  demo: { usage: demoSpec.usage, handler: demo },
  run: { usage: runSpec.usage, handler: run },
  emulator: { usage: emulatorSpec.usage, handler: emulatorCommand },
};

const USAGE = 'voxstate <command> [options]   (voxstate --version, voxstate --help)';

const help = (): string => `usage: ${USAGE}

commands:
  demo       a voice-agent conversation on the local emulator (no key, no network)
  run        the same flow against OpenAI Realtime or Gemini Live, from a WAV file
  emulator   start the local emulator alone and print its URLs

Run "voxstate <command> --help" for a command's options.
Docs: ${docPath('cli.md')}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(help());
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${packageInfo().version}\n`);
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  return entry.handler(rest);
}

/** The usage line printed under every usage error: the command's, or the top-level one. */
function usageFor(argv: string[]): string {
  return COMMANDS[argv[0] ?? '']?.usage ?? USAGE;
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
    if (usage) process.stderr.write(`usage: ${usageFor(argv)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else if (!usage) process.stderr.write('(run again with --debug for details)\n');
    process.exitCode = usage ? EXIT_USAGE : EXIT_RUNTIME;
  },
);
