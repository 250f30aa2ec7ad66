/**
 * A session embedded in a parent machine tells the parent what it emits, as `voxstate.<type>`
 * events tagged with its id, so the parent handles turn ends, tool results, resumptions, errors and
 * close in its own transitions.
 */
import { defineActions } from '../setup.js';
import type { SessionEmitted, SessionParentEvent } from '../types.js';

/** The event a parent machine receives for one emitted session event. */
export function toParentEvent(event: SessionEmitted, sessionId: string): SessionParentEvent {
  return { ...event, type: `voxstate.${event.type}`, sessionId } as SessionParentEvent;
}

export const parentActions = defineActions({
  notifyParentOfEvents: ({ self }) => {
    const parent = self._parent;
    if (!parent) return;
    self.on('*', (event) => {
      const parentEvent = toParentEvent(event as SessionEmitted, self.id);
      if (event.type !== 'closed') return parent.send(parentEvent);
      // `closed` is emitted while the session enters its final state, before XState sends the
      // parent `xstate.done.actor.<id>`. Delivered then, a parent that goes final on
      // `voxstate.closed` would be stopped before that done event arrives ("event sent to
      // stopped actor"). So it goes once this step is over, to a parent still running.
      queueMicrotask(() => {
        if (parent.getSnapshot().status === 'active') parent.send(parentEvent);
      });
    });
  },
});
