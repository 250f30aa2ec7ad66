/**
 * The logging seam. Any pino-compatible logger (or `console`) fits; the default is silent so a
 * library never writes to the application's stdout unasked. Messages never carry secrets or audio.
 */
export interface Logger {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

const noop = (): void => {};
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
