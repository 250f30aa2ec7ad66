/**
 * Structured log records for one session. Every record voxstate writes for a session carries
 * `sessionId`, `connectionId` and `state` (after the record's own fields; a record's own `connectionId`
 * wins: it names the connection the record is about), so a pino-compatible
 * logger can index them; and the moments worth a line get one: a connection opened or replaced,
 * a failed resumption, a tool's outcome, an error event. Never audio, transcripts or arguments.
 */
import type { Logger } from '../logger.js';
import type { AnySessionEvent } from '../session/event-map.js';

export interface SessionLogFields {
  sessionId: string;
  connectionId: number;
  state: string;
}

/** The logger with the session's fields added to each record (a string `obj` becomes the message). */
export function withSessionFields(logger: Logger, fields: () => SessionLogFields): Logger {
  const wrap =
    (method: keyof Logger) =>
    (obj: unknown, msg?: string): void => {
      if (typeof obj === 'string' && msg === undefined) return logger[method]({ ...fields() }, obj);
      const own = obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? obj : obj === undefined ? {} : { value: obj };
      // A record about one connection (`connectionId` of its own, e.g. the one lost) keeps it: the session's is the current one.
      const mine = 'connectionId' in own ? { connectionId: (own as { connectionId: unknown }).connectionId } : {};
      logger[method]({ ...own, ...fields(), ...mine }, msg);
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

const TOOL_PROBLEMS = new Set(['failed', 'timedOut']);

/** The record an event deserves, if any: level, message and fields. */
export function logRecordOf(event: AnySessionEvent): { level: keyof Logger; msg: string; fields: Record<string, unknown> } | undefined {
  switch (event.type) {
    case 'connected':
      return { level: 'info', msg: 'connected', fields: { providerSessionId: event.providerSessionId } };
    case 'session_resumed':
      return { level: 'info', msg: `connection replaced (${event.reason})`, fields: { reason: event.reason, restored: event.restored } };
    case 'resumption_failed':
      return { level: 'error', msg: `resumption failed after ${event.attempts} attempts`, fields: { code: event.error.code, attempts: event.attempts } };
    case 'tool_result':
      return {
        level: TOOL_PROBLEMS.has(event.status) ? 'warn' : 'info',
        msg: `tool ${event.name} ${event.status}`,
        fields: { tool: event.name, callId: event.callId, status: event.status, durationMs: event.durationMs, delivered: event.delivered },
      };
    case 'error':
      // An error nobody listens to is already a warning (listeners.ts); this record is the indexed one.
      return { level: 'info', msg: `error event ${event.error.code}`, fields: { code: event.error.code } };
    case 'closed':
      return { level: 'info', msg: 'closed', fields: { code: event.code, reason: event.reason } };
    default:
      return undefined;
  }
}
