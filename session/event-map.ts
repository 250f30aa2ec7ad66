/** Every event a session publishes, by name: the statechart's control-plane events plus the audio plane's data-plane events. */
import type { DataEvent } from '../adapters/events.js';
import type { SessionEmitted } from '../machines/session/types.js';
import type { HistoryUpdatedEvent } from './history-items.js';

/** Every event a session emits: control-plane events from the statechart, data-plane events, and the facade's `history_updated`. */
export type SessionEventMap = { [E in SessionEmitted as E['type']]: E } & {
  audio: Extract<DataEvent, { type: 'audio' }>;
  text: Extract<DataEvent, { type: 'text' }>;
  transcript: Extract<DataEvent, { type: 'transcript' }>;
  unknown: Extract<DataEvent, { type: 'unknown' }>;
  history_updated: HistoryUpdatedEvent;
};
export type SessionEventName = keyof SessionEventMap;
export type AnySessionEvent = SessionEventMap[SessionEventName];
