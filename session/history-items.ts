/**
 * The items of `session.history`: the conversation as the application would show it, in spoken
 * order. Shaped after the OpenAI Agents SDK's `RealtimeItem` (`@openai/agents-realtime`,
 * `items.d.ts`: `itemId`, `type`, `role`, `status`, `name`, `arguments`, `output`), flattened: a
 * message carries one `text` (its final transcript or text) instead of a content array, and a
 * truncated assistant message carries a `truncated` mark. Every snapshot is frozen.
 */
import type { ToolStatus } from '../tools/call.machine.js';

/** As in the Agents SDK: `in_progress` until final; `incomplete` when cut short (truncated, cancelled, failed). */
export type HistoryItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** Where an interrupted assistant message stopped being heard (the `truncated` event's numbers). */
export interface TruncationMark {
  /** Audio played (heard) of the item, ms. */
  readonly playedMs: number;
  /** Audio received of the item, ms. */
  readonly receivedMs: number;
}

/** A user or assistant message. */
export interface MessageItem {
  readonly type: 'message';
  /** The provider's item id (a spoken turn, an answer), or voxstate's `text-<n>` for a text sent with `sendText`. */
  readonly itemId: string;
  readonly role: 'user' | 'assistant';
  /** `audio`: spoken, `text` is its transcript; `text`: written (`sendText`, or a text-only answer). */
  readonly source: 'audio' | 'text';
  readonly status: HistoryItemStatus;
  /** The final transcript or text; while `in_progress`, what has arrived so far (`''` before any). After a truncation, only the heard part (an estimate, ending in "…"). */
  readonly text: string;
  /** Set on an assistant message the user interrupted. */
  readonly truncated?: TruncationMark;
}

/** A function call the model made, with its output once answered. */
export interface ToolCallItem {
  readonly type: 'tool_call';
  /** The call id (the same as `callId`). */
  readonly itemId: string;
  readonly callId: string;
  readonly name: string;
  /** The arguments as the model sent them (JSON text). */
  readonly arguments: string;
  /** `in_progress` until answered; `completed` once answered (whatever the outcome); `incomplete` when cancelled. */
  readonly status: HistoryItemStatus;
  /** The tool's outcome (`tool_result.status`), once answered. */
  readonly outcome?: ToolStatus;
  /** The output as text (JSON unless the tool returned a string); `null` until answered. */
  readonly output: string | null;
}

export type HistoryItem = MessageItem | ToolCallItem;

/** Published after an event changed the history at a step (an item added, made final, answered or truncated); never per delta. */
export interface HistoryUpdatedEvent {
  type: 'history_updated';
  /** The whole history after the change, oldest first (the same frozen array `session.history` returns). */
  history: readonly HistoryItem[];
}
