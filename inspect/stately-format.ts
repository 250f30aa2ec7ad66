/**
 * The Stately wire format: converts one raw XState inspection event, sanitized, into the
 * `StatelyInspectionEvent` that `createWebSocketInspector` from `@statelyai/inspect` would send (one
 * JSON text message each). Only actor, event and snapshot records are carried; the protocol has no
 * place for `@xstate.action` or `@xstate.microstep`.
 */
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import { sanitizeActorSnapshot, sanitizeEventObject, sanitizeSnapshotObject, sanitizeValue, type InspectionSanitizers, type SanitizeOptions } from './sanitize.js';

// The protocol version the Stately receiver expects, taken from the installed package itself.
const STATELY_VERSION: string = (() => {
  let version = '0.7.2';
  createInspector({ send: (e) => void (version = e._version) }).event('voxstate', { type: 'voxstate.probe' });
  return version;
})();

/** The inspection event kinds the Stately protocol carries. */
export const STATELY_PROTOCOL_TYPES: ReadonlySet<string> = new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']);

const definitionCache = new WeakMap<object, string>();

function definitionOf(actorRef: AnyActorRef, name: string, options: SanitizeOptions): string {
  const logic = (actorRef as { logic?: { config?: unknown } }).logic;
  const config = logic?.config;
  if (!logic || typeof config !== 'object' || config === null) return JSON.stringify({ id: name });
  let cached = definitionCache.get(logic);
  if (cached === undefined) {
    // Machine configs nest deeper than snapshots; functions keep their name, as the package does.
    cached = JSON.stringify(sanitizeValue(config, { ...options, depthLimit: Math.max(32, options.depthLimit ?? 0), keepFunctionNames: true }));
    definitionCache.set(logic, cached);
  }
  return cached;
}

/** Converts one raw inspection event to the Stately wire format, sanitized. Undefined: not carried. */
export function toStatelyEvent(event: InspectionEvent, options: InspectionSanitizers = {}): StatelyInspectionEvent | undefined {
  const base = { _version: STATELY_VERSION, createdAt: Date.now().toString(), id: null as unknown as string, rootId: event.rootId };
  switch (event.type) {
    case '@xstate.actor': {
      const actorRef = event.actorRef as AnyActorRef & { _parent?: AnyActorRef; logic?: { config?: { id?: string } } };
      const config = actorRef.logic?.config;
      let name = actorRef.id;
      if (name === actorRef.sessionId && config && typeof config === 'object' && config.id) name = config.id;
      return {
        ...base,
        type: '@xstate.actor',
        name,
        definition: definitionOf(actorRef, name, options),
        parentId: actorRef._parent?.sessionId,
        sessionId: actorRef.sessionId,
        snapshot: sanitizeActorSnapshot(actorRef, options) ?? sanitizeSnapshotObject({ status: 'active' }, options),
      } as StatelyInspectionEvent;
    }
    case '@xstate.event':
      return {
        ...base,
        type: '@xstate.event',
        event: sanitizeEventObject(event.event, options),
        sourceId: event.sourceRef?.sessionId,
        sessionId: event.actorRef.sessionId,
      } as StatelyInspectionEvent;
    case '@xstate.snapshot':
      return {
        ...base,
        type: '@xstate.snapshot',
        event: sanitizeEventObject(event.event, options),
        snapshot: sanitizeSnapshotObject(event.snapshot, options),
        sessionId: event.actorRef.sessionId,
      } as StatelyInspectionEvent;
    default:
      return undefined;
  }
}
