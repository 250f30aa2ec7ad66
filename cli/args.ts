/**
 * `util.parseArgs` with the CLI's conventions: `--help` on every command, unknown flags and stray
 * positionals are usage errors (exit 2; main.ts prints the command's usage line under each).
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
    parsed = parseArgs<Config>({ args: joinNegativeNumbers(argv, options), strict: true, allowPositionals: false, options });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(message.replace(/^Unknown option/, 'unknown option'));
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`usage: ${spec.usage}\n\n${spec.help.trim()}\n`);
    return undefined;
  }
  return parsed.values as ParsedFlags<O>;
}

/**
 * `--port -1` → `--port=-1`: parseArgs refuses a value that starts with a dash as "ambiguous", which
 * tells the user nothing; joined, the value reaches the flag's own check ("must be …, got "-1"").
 */
function joinNegativeNumbers(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** An integer flag value in [min, max]. */
export function intOption(name: string, value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = max !== Number.MAX_SAFE_INTEGER ? `an integer from ${min} to ${max}` : min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`;
    throw new UsageError(`--${name} must be ${range}, got "${value}"`);
  }
  return n;
}
