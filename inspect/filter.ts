/**
 * The pre-filter: runs on the raw XState inspection event, before anything is serialized, so a
 * high-rate event (`session.sendAudio` from an embedding parent, or any type you list) costs a Set
 * lookup instead of a conversion. The `@statelyai/inspect` package's own `filter` option runs only
 * after each event and snapshot was converted (~25 µs/event).
 */
import type { AnyEventObject, InspectionEvent } from 'xstate';

/** Events dropped before serialization unless you pass your own `dropEvents`. */
export const DEFAULT_DROPPED_EVENTS: readonly string[] = ['session.sendAudio'];

export interface InspectionFilterOptions {
  /** Event types dropped before serialization (default: `DEFAULT_DROPPED_EVENTS`). Pass `[]` to keep all. */
  dropEvents?: Iterable<string>;
  /** Extra pre-filter on the raw inspection event: return false to drop it. */
  filter?: (event: InspectionEvent) => boolean;
}

/** Builds the pre-filter: true means drop. */
export function createPreFilter(options: InspectionFilterOptions = {}): (event: InspectionEvent) => boolean {
  const drop = new Set(options.dropEvents ?? DEFAULT_DROPPED_EVENTS);
  const filter = options.filter;
  return (event) => {
    const e = (event as { event?: AnyEventObject }).event;
    if (e !== undefined && drop.has(e.type)) return true;
    return filter !== undefined && !filter(event);
  };
}
