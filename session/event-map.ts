/** Every event a session publishes, by name: the statechart's control-plane events plus the audio plane's data-plane events. */
import type { DataEvent } from '../adapters/events.js';
import type { SessionEmitted } from '../machines/session/types.js';
import type { HistoryUpdatedEvent } from './history-items.js';
import type { SessionReportEvent } from '../telemetry/report.js';

/** Every event a session emits: control-plane events from the statechart, data-plane events, and the facade's `history_updated` and `session_report`. */
export type SessionEventMap = { [E in SessionEmitted as E['type']]: E } & {
  audio: Extract<DataEvent, { type: 'audio' }>;
  text: Extract<DataEvent, { type: 'text' }>;
  transcript: Extract<DataEvent, { type: 'transcript' }>;
  unknown: Extract<DataEvent, { type: 'unknown' }>;
  history_updated: HistoryUpdatedEvent;
  session_report: SessionReportEvent;
};
export type SessionEventName = keyof SessionEventMap;
export type AnySessionEvent = SessionEventMap[SessionEventName];
