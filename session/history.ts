/**
 * `session.history`: the conversation as items, kept by the facade for the session's whole life
 * (not per connection, so a swap neither loses nor repeats anything), fed by the events the facade
 * already publishes. No per-frame work: audio frames are never looked at, a transcript or text
 * delta appends to its item in place, and a step (an item added, made final, answered, truncated)
 * is reported once.
 *
 * Spoken order: an item takes its place when it is first seen. A spoken user turn is first seen at
 * `speech_started` (OpenAI names the item there, `input_audio_buffer.speech_started.item_id`), or
 * at its first transcript piece (Gemini, which reports no speech start; OpenAI without server VAD),
 * so its transcript, which OpenAI produces asynchronously and may deliver after the answer, fills
 * that place instead of landing after the answer (the rule `adapters/openai/history.ts` follows
 * for the replay). A Gemini user piece names the answer its turn came before (`before`): a turn
 * first seen after its answer is placed before it. A text sent with `sendText` takes its place when it goes on the wire
 * (`request_sent`; at once for `respond: false`).
 */
import { heardText } from '../adapters/heard-text.js';
import type { AnySessionEvent } from './event-map.js';
import type { ToolStatus } from '../tools/call.machine.js';
import type { HistoryItem, HistoryItemStatus, MessageItem, ToolCallItem, TruncationMark } from './history-items.js';

/** Items kept by default; the oldest go first. */
export const DEFAULT_HISTORY_LIMIT = 200;

/** The `truncated` event (added with barge-in truncation): an assistant item was cut where it stopped being heard. */
export interface TruncatedInput {
  type: 'truncated';
  itemId: string;
  playedMs: number;
  receivedMs: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Entry = Mutable<MessageItem> | Mutable<ToolCallItem>;

export class SessionHistory {
  private entries: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  /** Ids of items dropped by the limit: a late transcript for one must not come back as a new item at the end. */
  private readonly dropped = new Set<string>();
  /** Texts asking for a reply, by request id, until they go on the wire. */
  private readonly pendingTexts = new Map<string, string>();
  private cached: readonly HistoryItem[] | undefined;
  private texts = 0;

  constructor(private readonly limit: number = DEFAULT_HISTORY_LIMIT) {}

  /** The history now, oldest first: a frozen array of frozen items, rebuilt only after a change. */
  get items(): readonly HistoryItem[] {
    return (this.cached ??= Object.freeze(this.entries.map(freezeItem)));
  }

  /** A text sent with `respond: false`: it is on the wire now. Returns true (a step). */
  textSent(text: string): boolean {
    this.addText(text);
    return true;
  }

  /** A text that asks for a reply: it takes its place when it goes on the wire (`request_sent`). */
  textRequested(requestId: string, text: string): void {
    this.pendingTexts.set(requestId, text);
  }

  /** Applies one published event; true when it was a step (`history_updated` is due). */
  observe(event: AnySessionEvent | TruncatedInput): boolean {
    switch (event.type) {
      case 'speech_started':
        return event.itemId !== undefined && this.open(event.itemId, 'user', 'audio') !== undefined;
      case 'transcript':
        return this.transcript(event.role, event.itemId, event.text, event.isFinal, event.before);
      case 'text':
        return this.textDelta(event.itemId ?? event.responseId, event.delta);
      case 'response_done':
        return this.responseDone(event.status === 'completed' ? 'completed' : 'incomplete');
      case 'tool_call':
        if (this.byId.has(event.callId) || this.dropped.has(event.callId)) return false;
        this.add({ type: 'tool_call', itemId: event.callId, callId: event.callId, name: event.name, arguments: event.arguments, status: 'in_progress', output: null });
        return true;
      case 'tool_result':
        return this.toolResult(event.callId, event.status, event.output);
      case 'request_sent': {
        const text = this.pendingTexts.get(event.requestId);
        if (text === undefined) return false;
        this.pendingTexts.delete(event.requestId);
        this.addText(text);
        return true;
      }
      case 'request_failed':
        this.pendingTexts.delete(event.requestId);
        return false;
      case 'truncated':
        return this.truncate(event.itemId, { playedMs: event.playedMs, receivedMs: event.receivedMs });
      default:
        return false;
    }
  }

  private transcript(role: 'user' | 'assistant', itemId: string | undefined, text: string, isFinal: boolean, before: string | undefined): boolean {
    if (itemId === undefined) {
      // No id to place it by (no provider sends one today): only a final one is kept, at the end.
      if (!isFinal) return false;
      this.add({ type: 'message', itemId: `${role}-${++this.texts}`, role, source: 'audio', status: 'completed', text });
      return true;
    }
    const existing = this.byId.get(itemId);
    const entry = existing ?? this.open(itemId, role, 'audio', before);
    if (!entry || entry.type !== 'message') return false;
    entry.source = 'audio';
    this.cached = undefined;
    if (!isFinal) {
      if (entry.status !== 'in_progress') return false;
      entry.text += text;
      return !existing; // a new item is a step; a delta to a known one is not
    }
    entry.text = entry.truncated ? heardText(text, entry.truncated.playedMs, entry.truncated.receivedMs) : text;
    if (!entry.truncated) entry.status = 'completed';
    return true;
  }

  private textDelta(itemId: string | undefined, delta: string): boolean {
    if (itemId === undefined) return false;
    const existing = this.byId.get(itemId);
    // An answer with a transcript is told by its transcript; written text goes only to a text answer.
    if (existing && (existing.type !== 'message' || existing.source !== 'text' || existing.status !== 'in_progress')) return false;
    const entry = existing ?? this.open(itemId, 'assistant', 'text');
    if (!entry || entry.type !== 'message') return false;
    entry.text += delta;
    this.cached = undefined;
    return !existing;
  }

  /** The response ended: its assistant messages still in progress are final now. */
  private responseDone(status: HistoryItemStatus): boolean {
    let changed = false;
    for (const entry of this.entries) {
      if (entry.type !== 'message' || entry.role !== 'assistant' || entry.status !== 'in_progress') continue;
      entry.status = status;
      changed = true;
    }
    if (changed) this.cached = undefined;
    return changed;
  }

  private toolResult(callId: string, outcome: ToolStatus, output: unknown): boolean {
    const entry = this.byId.get(callId);
    if (!entry || entry.type !== 'tool_call') return false;
    entry.status = outcome === 'cancelled' ? 'incomplete' : 'completed';
    entry.outcome = outcome;
    entry.output = typeof output === 'string' ? output : (JSON.stringify(output) ?? null);
    this.cached = undefined;
    return true;
  }

  private truncate(itemId: string, mark: TruncationMark): boolean {
    const entry = this.byId.get(itemId) ?? this.open(itemId, 'assistant', 'audio');
    if (!entry || entry.type !== 'message' || entry.role !== 'assistant') return false;
    entry.truncated = { ...mark };
    entry.text = heardText(entry.text, mark.playedMs, mark.receivedMs);
    entry.status = 'incomplete';
    this.cached = undefined;
    return true;
  }

  /** A new in-progress message at the end (or just before the item `before`, when kept), unless the id is known or was dropped. */
  private open(itemId: string, role: 'user' | 'assistant', source: 'audio' | 'text', before?: string): Entry | undefined {
    if (this.byId.has(itemId) || this.dropped.has(itemId)) return undefined;
    return this.add({ type: 'message', itemId, role, source, status: 'in_progress', text: '' }, before);
  }

  private addText(text: string): void {
    this.add({ type: 'message', itemId: `text-${++this.texts}`, role: 'user', source: 'text', status: 'completed', text });
  }

  private add(entry: Entry, before?: string): Entry {
    const at = before === undefined ? -1 : this.entries.findIndex((e) => e.itemId === before);
    if (at >= 0) this.entries.splice(at, 0, entry);
    else this.entries.push(entry);
    this.byId.set(entry.itemId, entry);
    while (this.entries.length > this.limit) {
      const oldest = this.entries.shift()!;
      this.byId.delete(oldest.itemId);
      this.dropped.add(oldest.itemId);
      // Remembered as long as the items kept, which bounds it too.
      if (this.dropped.size > this.limit) this.dropped.delete(this.dropped.values().next().value!);
    }
    this.cached = undefined;
    return entry;
  }
}

function freezeItem(entry: Entry): HistoryItem {
  const copy = { ...entry };
  if (copy.type === 'message' && copy.truncated) copy.truncated = Object.freeze({ ...copy.truncated });
  return Object.freeze(copy) as HistoryItem;
}
