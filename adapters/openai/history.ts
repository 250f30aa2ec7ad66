/**
 * The conversation as text, kept per session so a new connection (voice change, reconnect) can
 * replay it. OpenAI cannot resume a session, so this is the only way the model keeps its context.
 *
 * It lives outside the connection actor, keyed by the session's audio port (one per session): one
 * adapter object may serve many sessions, and the actor is recreated for every connection.
 */
import type { AudioPort } from '../audio-port.js';
import { heardFraction } from '../heard-text.js';

export type HistoryItem =
  /**
   * `itemId`: set on a spoken user turn, whose place is reserved before its transcript arrives, and
   * on an assistant transcript, so a truncation can cut it to the heard part.
   */
  | { kind: 'message'; role: 'user' | 'assistant' | 'system'; text: string; itemId?: string }
  | { kind: 'function_call'; callId: string; name: string; arguments: string }
  | { kind: 'function_call_output'; callId: string; output: string };

export interface HistoryLimits {
  maxItems: number;
  maxBytes: number;
}

/** Truncations remembered for a transcript still to come. */
const MAX_TRUNCATED = 32;

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxItems: 50, maxBytes: 100_000 };

function size(item: HistoryItem): number {
  switch (item.kind) {
    case 'message':
      return item.text.length;
    case 'function_call':
      return item.name.length + item.arguments.length;
    case 'function_call_output':
      return item.output.length;
  }
}

export class ConversationHistory {
  private items: HistoryItem[] = [];
  private bytes = 0;
  /** Fraction heard of truncated assistant items whose transcript may still be on its way (bounded). */
  private readonly heard = new Map<string, number>();
  /** How many function_call items of each call id are held (kept with `items`, so no lookup rebuilds it). */
  private readonly calls = new Map<string, number>();

  constructor(private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {}

  add(item: HistoryItem): void {
    const fraction = item.kind === 'message' && item.itemId !== undefined ? this.heard.get(item.itemId) : undefined;
    if (fraction !== undefined && item.kind === 'message') item = { ...item, text: heardFraction(item.text, fraction) };
    if (item.kind === 'message' && item.text.trim() === '') return;
    this.items.push(item);
    this.bytes += size(item);
    if (item.kind === 'function_call') this.calls.set(item.callId, (this.calls.get(item.callId) ?? 0) + 1);
    // An output whose call is not here (trimmed away, or never recorded) would be refused by the API.
    this.trim(item.kind === 'function_call_output' && !this.calls.has(item.callId));
  }

  /**
   * An assistant item was truncated after `fraction` of its audio was played: its transcript (now,
   * or when it arrives) is replaced by the heard part (an estimate, see heard-text.ts).
   */
  truncated(itemId: string, fraction: number): void {
    this.heard.set(itemId, fraction);
    if (this.heard.size > MAX_TRUNCATED) this.heard.delete(this.heard.keys().next().value!);
    const entry = this.items.find((i) => i.kind === 'message' && i.role === 'assistant' && i.itemId === itemId);
    if (!entry || entry.kind !== 'message') return;
    const text = heardFraction(entry.text, fraction);
    this.bytes += text.length - entry.text.length;
    entry.text = text;
  }

  /** Whether a function call with this id is recorded (a repeated call frame must not be replayed twice). */
  hasCall(callId: string): boolean {
    return this.calls.has(callId);
  }

  /**
   * Holds the place of a committed user audio item. Its transcript is produced asynchronously and
   * may arrive after the response it led to; `transcribed` fills it in here, so a replay keeps
   * the order in which things were said.
   */
  reserve(itemId: string): void {
    this.items.push({ kind: 'message', role: 'user', text: '', itemId });
    this.trim();
  }

  /** The transcript of a user audio item: fills its reserved place, or appends when it has none. */
  transcribed(itemId: string | undefined, text: string): void {
    const reserved = itemId === undefined ? undefined : this.items.find((i) => i.kind === 'message' && i.itemId === itemId);
    if (!reserved || reserved.kind !== 'message') return this.add({ kind: 'message', role: 'user', text });
    reserved.text = text;
    this.bytes += text.length;
    this.trim();
  }

  /** The items to replay, oldest first. Never holds an output whose call was trimmed away. */
  snapshot(): readonly HistoryItem[] {
    // A reserved place whose transcript never came (it failed) has nothing to replay.
    return this.items.filter(isFilled);
  }

  /** Items that will be replayed (reserved places still waiting for a transcript do not count). */
  get length(): number {
    return this.items.filter(isFilled).length;
  }

  /**
   * Applies the bounds. Cheap when nothing is over them (one pass, no allocation); the orphan
   * sweep runs only when a function_call left or `orphanAdded` (an output came without its call).
   */
  private trim(orphanAdded = false): void {
    // Oldest real items go first. A reserved place stays where it is (its transcript, when it
    // comes, belongs there), unless too many are waiting: then the oldest ones go.
    let filled = 0;
    for (const item of this.items) if (isFilled(item)) filled++;
    let callRemoved = false;
    while (filled > 1 && (filled > this.limits.maxItems || this.bytes > this.limits.maxBytes)) {
      const oldest = this.items.findIndex(isFilled);
      const removed = this.items.splice(oldest, 1)[0]!;
      this.bytes -= size(removed);
      if (removed.kind === 'function_call') {
        const left = (this.calls.get(removed.callId) ?? 1) - 1;
        if (left > 0) this.calls.set(removed.callId, left);
        else this.calls.delete(removed.callId);
        callRemoved = true;
      }
      filled--;
    }
    let waiting = this.items.length - filled;
    while (waiting > this.limits.maxItems) {
      this.items.splice(this.items.findIndex((i) => !isFilled(i)), 1);
      waiting--;
    }
    if (!callRemoved && !orphanAdded) return;
    // The API rejects a function_call_output without its function_call, wherever it stands.
    this.items = this.items.filter((i) => {
      if (i.kind !== 'function_call_output' || this.calls.has(i.callId)) return true;
      this.bytes -= size(i);
      return false;
    });
  }
}

/** Not a reserved place still waiting for its transcript. */
function isFilled(item: HistoryItem): boolean {
  return item.kind !== 'message' || item.text.trim() !== '';
}

/** One history per session (keyed by its audio port), per adapter object. */
export class HistoryStore {
  private readonly bySession = new WeakMap<AudioPort, ConversationHistory>();
  constructor(private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {}

  for(session: AudioPort): ConversationHistory {
    let history = this.bySession.get(session);
    if (!history) {
      history = new ConversationHistory(this.limits);
      this.bySession.set(session, history);
    }
    return history;
  }
}
