/** Every event a session publishes, by name: the statechart's control-plane events plus the audio plane's data-plane events. */
import type { DataEvent } from '../adapters/events.js';
import type { SessionEmitted } from '../machines/session/types.js';

/** Every event a session emits: control-plane events from the statechart plus data-plane events. */
export type SessionEventMap = { [E in SessionEmitted as E['type']]: E } & {
  audio: Extract<DataEvent, { type: 'audio' }>;
  text: Extract<DataEvent, { type: 'text' }>;
  transcript: Extract<DataEvent, { type: 'transcript' }>;
  unknown: Extract<DataEvent, { type: 'unknown' }>;
};
export type SessionEventName = keyof SessionEventMap;
export type AnySessionEvent = SessionEventMap[SessionEventName];
