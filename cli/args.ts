/**
 * `util.parseArgs` with the CLI's conventions: `--help` on every command, unknown flags and stray
 * positionals are usage errors (exit 2) with the command's usage line.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  name: string;
  usage: string;
  help: string;
  options: O;
}

export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies Options;

/** What a command's flags parse to (spelled out so the declaration build can name it). */
export type ParsedFlags<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string;
} & { help?: boolean; debug?: boolean };

/** Parses `argv` for one command; returns undefined after printing help. */
export function parseCommand<O extends Options>(spec: CommandSpec<O>, argv: string[]): ParsedFlags<O> | undefined {
  type Config = { args: string[]; options: O & typeof COMMON_OPTIONS; strict: true; allowPositionals: false };
  let parsed: ReturnType<typeof parseArgs<Config>>;
  try {
    const options = { ...COMMON_OPTIONS, ...spec.options } as O & typeof COMMON_OPTIONS;
    parsed = parseArgs<Config>({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(`${message.replace(/^Unknown option/, 'unknown option')}\nusage: ${spec.usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`usage: ${spec.usage}\n\n${spec.help.trim()}\n`);
    return undefined;
  }
  return parsed.values as ParsedFlags<O>;
}

/** A non-negative integer flag value. */
export function intOption(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} must be ${min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`}, got "${value}"`);
  }
  return n;
}
