/**
 * Two rules of issue 13 stated on what actually crossed the model boundary (the scripted model's
 * connections: the intents the session sent, the model events delivered to it), not on the
 * chart's own bookkeeping:
 *
 * - **never two active responses**: on a provider that takes explicit response requests, the
 *   session never asks for a response while one is active (created, not done) or while an earlier
 *   request for one is unanswered (no response started since, not refused, not given up on by
 *   `responseStartTimeout`), on the same connection;
 * - **never a resume while the old socket is open**: a connection that resumes (carries a
 *   resumption handle) opens only once every earlier connection is closed.
 */
import type { AnyEventObject } from 'xstate';
import type { ClientIntent } from '../../adapters/events.js';
import type { ScriptedModel } from '../../testing.js';

const asksForResponse = (intent: ClientIntent): boolean =>
  intent.type === 'client.createResponse' || (intent.type === 'client.text' && intent.respond);

/** Follows one path's wire, step by step; `step` returns the violations that step caused. */
export function createResponseWire(model: ScriptedModel, explicitRequests: boolean) {
  let connectionId = -1;
  let seen = 0;
  let active = false;
  let outstanding = 0;
  return {
    /** Call after the step's event ran (`delivered`: a model event pushed on an open connection). */
    step(event: AnyEventObject, delivered: boolean): string[] {
      const out: string[] = [];
      const connection = model.connections.at(-1);
      if (!connection) return out;
      if (connection.connectionId !== connectionId) {
        connectionId = connection.connectionId;
        seen = 0;
        active = false;
        outstanding = 0;
      }
      if (delivered && event.type === 'model.responseCreated') {
        active = true;
        outstanding = Math.max(0, outstanding - 1);
      }
      if (delivered && event.type === 'model.responseDone') active = false;
      if (delivered && event.type === 'model.requestRefused') outstanding = Math.max(0, outstanding - 1);
      if (event.type.startsWith('xstate.after') && event.type.includes('responseStartTimeout')) outstanding = 0;
      for (const intent of connection.intents.slice(seen)) {
        if (!explicitRequests || !asksForResponse(intent)) continue;
        if (active) out.push(`connection ${connectionId}: a response was requested while one was active`);
        else if (outstanding > 0) out.push(`connection ${connectionId}: a response was requested while an earlier request was unanswered`);
        outstanding++;
      }
      seen = connection.intents.length;
      return out;
    },
  };
}

/** Every connection that resumed opened alone: no earlier socket of the session was still open. */
export function resumeWhileOpenViolations(model: ScriptedModel): string[] {
  return model.connections
    .filter((c) => c.input.resumptionHandle !== undefined && c.openAtStart > 0)
    .map((c) => `connection ${c.connectionId} resumed while ${c.openAtStart} earlier connection(s) were open`);
}
