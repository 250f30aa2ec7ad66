/**
 * The logging seam. voxstate calls a logger in pino's shape, `(fields, message)`; any
 * pino-compatible logger fits as is. `console` is recognised and given readable lines (message
 * first). Without a logger, warnings and errors go to stderr, so an exception in an application
 * listener is never silent; `VOXSTATE_LOG` (debug | info | warn | error | silent) changes that
 * level without code changes, and `silentLogger` opts out. Messages never carry audio, and what
 * voxstate renders itself passes `redactSecrets` first.
 */
import { inspect } from 'node:util';
import { redactSecrets } from './errors.js';

export interface Logger {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

type Method = Exclude<LogLevel, 'silent'>;
const METHODS: readonly Method[] = ['debug', 'info', 'warn', 'error'];
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** The default level of voxstate's own logger: warnings and errors. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'warn';

const noop = (): void => {};
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** The level `VOXSTATE_LOG` asks for, or the default when it is unset or not a level. */
export function logLevelFromEnv(env: Record<string, string | undefined> = process.env): LogLevel {
  const value = env['VOXSTATE_LOG']?.trim().toLowerCase();
  return value !== undefined && value in RANK ? (value as LogLevel) : DEFAULT_LOG_LEVEL;
}

/** One readable line: the message, then the fields (an `err` field shows its stack), secrets redacted. */
export function formatLogLine(level: Method, obj: unknown, msg: string | undefined): string {
  const fields = obj !== null && typeof obj === 'object' && Object.keys(obj).length === 0 ? undefined : obj;
  const text = msg ?? (typeof fields === 'string' ? fields : '');
  const rest = fields === undefined || typeof fields === 'string' ? '' : ` ${inspect(fields, { depth: 4, breakLength: Infinity })}`;
  return redactSecrets(`voxstate ${level}: ${text}${rest}`);
}

/** Writes lines at `level` and above to stderr (voxstate's default logger). */
export function createStderrLogger(level: LogLevel = logLevelFromEnv()): Logger {
  return fromWriter(level, (method, line) => process.stderr.write(`${line}\n`));
}

function fromWriter(level: LogLevel, write: (method: Method, line: string) => void): Logger {
  const logger = { ...silentLogger };
  for (const method of METHODS) {
    if (RANK[method] >= RANK[level]) logger[method] = (obj, msg) => write(method, formatLogLine(method, obj, msg));
  }
  return logger;
}

/**
 * The logger a session uses: voxstate's stderr logger when none is given, readable lines for
 * `console`, the given one otherwise. `console` shows `info` and above unless `VOXSTATE_LOG` says
 * otherwise: the application asked for console output, but debug lines (one per session event)
 * are for when it asks for them.
 */
export function resolveLogger(logger: Logger | undefined, env: Record<string, string | undefined> = process.env): Logger {
  if (logger === undefined) return createStderrLogger(logLevelFromEnv(env));
  if ((logger as unknown) === globalThis.console) {
    const out = globalThis.console;
    const level = env['VOXSTATE_LOG'] === undefined ? 'info' : logLevelFromEnv(env);
    return fromWriter(level, (method, line) => out[method](line));
  }
  return logger;
}
