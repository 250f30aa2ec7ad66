/**
 * What the relay replays to a viewer that connects late: every live actor's registration and its
 * latest snapshot, then the most recent events. Replaying only the last N messages lost the root
 * session (registered at the start) as soon as N messages had gone by, so a browser opened mid-call
 * showed nothing, or orphans.
 *
 * It reads the Stately wire messages the relay forwards (JSON text, one `StatelyInspectionEvent`
 * each); anything else is relayed but not remembered.
 */
interface WireMessage {
  type?: string;
  sessionId?: string;
  rootId?: string;
  snapshot?: { status?: string };
}

interface LiveActor {
  rootId: string | undefined;
  registration: string;
  latestSnapshot: string | undefined;
}

export interface LiveActorsOptions {
  /** Recent `@xstate.event` messages replayed after the actors. Default 200. */
  recentEvents?: number;
  /** Actors remembered at most (the oldest registrations are forgotten first). Default 1000. */
  maxActors?: number;
}

export class LiveActors {
  /** By sessionId, in registration order (Map keeps insertion order). */
  private readonly actors = new Map<string, LiveActor>();
  private readonly events: string[] = [];
  private readonly recentEvents: number;
  private readonly maxActors: number;

  constructor(options: LiveActorsOptions = {}) {
    this.recentEvents = options.recentEvents ?? 200;
    this.maxActors = options.maxActors ?? 1_000;
  }

  record(text: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    const id = message.sessionId;
    if (typeof id !== 'string') return;
    switch (message.type) {
      case '@xstate.actor':
        this.actors.delete(id);
        this.actors.set(id, { rootId: message.rootId, registration: text, latestSnapshot: undefined });
        if (this.actors.size > this.maxActors) this.actors.delete(this.actors.keys().next().value!);
        break;
      case '@xstate.snapshot': {
        const actor = this.actors.get(id);
        if (!actor) return;
        // A finished actor is no longer live; a finished root takes its whole tree with it.
        if (message.snapshot?.status !== undefined && message.snapshot.status !== 'active') return this.forget(id);
        actor.latestSnapshot = text;
        break;
      }
      case '@xstate.event':
        this.events.push(text);
        if (this.events.length > this.recentEvents) this.events.shift();
        break;
    }
  }

  /** In order: registrations, recent events, latest snapshots (so the viewer ends on the current state). */
  replay(): string[] {
    const actors = [...this.actors.values()];
    return [
      ...actors.map((a) => a.registration),
      ...this.events,
      ...actors.flatMap((a) => (a.latestSnapshot === undefined ? [] : [a.latestSnapshot])),
    ];
  }

  get size(): number {
    return this.actors.size;
  }

  private forget(id: string): void {
    this.actors.delete(id);
    for (const [other, actor] of this.actors) if (actor.rootId === id) this.actors.delete(other);
  }
}
