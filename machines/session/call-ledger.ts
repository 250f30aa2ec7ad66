/**
 * The session's record of tool calls (`SessionContext.callLedger`, `unsentToolResults`): what each
 * call settled with and where its answer went, bounded so a long session does not grow it forever.
 */
import { MAX_CALL_LEDGER, MAX_UNSENT_TOOL_RESULTS } from './context.js';
import type { CallLedgerEntry, SessionContext, ToolCallRecord } from './types.js';

/** The ledger with `entry` replacing the one with its id (keeping its place), or appended. */
export function recordCall(ledger: readonly CallLedgerEntry[], entry: CallLedgerEntry): CallLedgerEntry[] {
  const at = ledger.findIndex((e) => e.callId === entry.callId);
  if (at >= 0) return ledger.map((e, i) => (i === at ? entry : e));
  const kept = ledger.length >= MAX_CALL_LEDGER ? ledger.slice(ledger.length - MAX_CALL_LEDGER + 1) : ledger;
  return [...kept, entry];
}

/** Records what a call settled with and where that answer went (`answeredOn`: undefined when never sent). */
export function settleInLedger(ledger: readonly CallLedgerEntry[], callId: string, output: unknown, answeredOn: number | undefined): CallLedgerEntry[] {
  const entry = ledger.find((e) => e.callId === callId);
  if (!entry) return [...ledger];
  return recordCall(ledger, { ...entry, output, settled: true, ...(answeredOn === undefined ? {} : { answeredOn }) });
}

/** Keeps a result held back (autoRespondTools off) answerable by the application, once (with the call's behavior and scheduling). */
export function rememberUnsent(unsent: SessionContext['unsentToolResults'], record: ToolCallRecord): SessionContext['unsentToolResults'] {
  const entries = Object.entries(unsent);
  if (entries.length >= MAX_UNSENT_TOOL_RESULTS) entries.splice(0, entries.length - MAX_UNSENT_TOOL_RESULTS + 1);
  return Object.fromEntries([...entries, [record.callId, { name: record.name, connectionId: record.connectionId, behavior: record.behavior, scheduling: record.scheduling }]]);
}

export function toolActorId(callId: string): `tool.${string}` {
  return `tool.${callId}`;
}

/** What a new connection keeps of the held-back results: a background call's may still be sent on it (a blocking call's never). */
export function unsentAcrossSwap(unsent: SessionContext['unsentToolResults']): SessionContext['unsentToolResults'] {
  return Object.fromEntries(Object.entries(unsent).filter(([, entry]) => entry.behavior === 'background'));
}
