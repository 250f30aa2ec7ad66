/**
 * Inspection for plain callbacks (a logger, a tracer): the same pre-filter and sanitizers as the
 * Stately inspector, but every kind of inspection event (microsteps with the transitions taken,
 * optionally actions) as a JSON-safe `SanitizedInspectionEvent`, handed over synchronously.
 */
import type { AnyActorRef, AnyEventObject, InspectionEvent } from 'xstate';
import { createPreFilter, type InspectionFilterOptions } from './filter.js';
import { sanitizeActorSnapshot, sanitizeEventObject, sanitizeSnapshotObject, sanitizeValue, type InspectionSanitizers } from './sanitize.js';

/** A sanitized, JSON-safe summary of any inspection event, for logs and traces. */
export interface SanitizedInspectionEvent {
  type: InspectionEvent['type'];
  actorId: string;
  sessionId: string;
  rootId: string;
  sourceId?: string;
  parentId?: string;
  event?: AnyEventObject;
  snapshot?: Record<string, unknown>;
  action?: { type: string; params?: unknown };
  /** `@xstate.microstep`: the transitions taken (`source → targets`, by state id). */
  transitions?: Array<{ source: string; event: string; targets: string[] }>;
}

export function sanitizeInspectionEvent(event: InspectionEvent, options: InspectionSanitizers = {}): SanitizedInspectionEvent {
  const out: SanitizedInspectionEvent = {
    type: event.type,
    actorId: (event.actorRef as AnyActorRef).id,
    sessionId: event.actorRef.sessionId,
    rootId: event.rootId,
  };
  switch (event.type) {
    case '@xstate.actor': {
      const parent = (event.actorRef as { _parent?: AnyActorRef })._parent;
      if (parent) out.parentId = parent.sessionId;
      const snapshot = sanitizeActorSnapshot(event.actorRef as AnyActorRef, options);
      if (snapshot !== undefined) out.snapshot = snapshot;
      break;
    }
    case '@xstate.event':
      out.event = sanitizeEventObject(event.event, options);
      if (event.sourceRef) out.sourceId = event.sourceRef.sessionId;
      break;
    case '@xstate.snapshot':
      out.event = sanitizeEventObject(event.event, options);
      out.snapshot = sanitizeSnapshotObject(event.snapshot, options);
      break;
    case '@xstate.action':
      out.action = sanitizeValue({ type: event.action.type, params: event.action.params }, options) as SanitizedInspectionEvent['action'];
      break;
    case '@xstate.microstep': {
      out.event = sanitizeEventObject(event.event, options);
      const transitions = (event as { _transitions?: Array<{ source: { id: string }; eventType: string; target?: Array<{ id: string }> }> })._transitions ?? [];
      out.transitions = transitions.map((t) => ({ source: t.source.id, event: t.eventType, targets: (t.target ?? []).map((n) => n.id) }));
      break;
    }
  }
  return out;
}

export interface InspectionCallbackOptions extends InspectionSanitizers, InspectionFilterOptions {
  /** Inspection event kinds passed on. Default: actor, event, snapshot, microstep (not action). */
  types?: ReadonlyArray<InspectionEvent['type']>;
}

/**
 * An `inspect` callback that applies the same pre-filter and sanitizers and hands each event to
 * `callback` (a logger, a tracer). Work is synchronous (keep the callback cheap), except for
 * `@xstate.actor` records: those wait a microtask, because an actor's snapshot (with its input)
 * cannot be read while it is being constructed.
 */
export function createInspectionCallback(
  callback: (event: SanitizedInspectionEvent) => void,
  options: InspectionCallbackOptions = {},
): (event: InspectionEvent) => void {
  const preFilter = createPreFilter(options);
  const types = new Set(options.types ?? ['@xstate.actor', '@xstate.event', '@xstate.snapshot', '@xstate.microstep']);
  return (event) => {
    if (!types.has(event.type) || preFilter(event)) return;
    if (event.type === '@xstate.actor') queueMicrotask(() => callback(sanitizeInspectionEvent(event, options)));
    else callback(sanitizeInspectionEvent(event, options));
  };
}
