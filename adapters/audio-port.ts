/**
 * What an adapter may do with the session's audio: the narrow port it is given instead of the
 * whole `AudioPlane` (which also holds, releases and discards audio for the chart, and counts it
 * for the facade). An adapter delivers the model's output, attaches a sink for the user's audio
 * once its connection can carry it, and hands back what it accepted but could not send.
 */
import type { DataEvent } from './events.js';

export interface UserAudioSink {
  /** PCM16 LE mono at `sampleRate`. */
  sendAudio(pcm: Buffer, sampleRate: number): void;
}

export interface AudioPort {
  /** Model output (audio, text, transcript deltas, `unknown`) to the listeners. Hot path. */
  deliver(event: DataEvent): void;
  /** The connection can carry user audio: send it to `sink` (audio held for it is flushed first). */
  attach(sink: UserAudioSink, connectionId: number): void;
  /** Per connection, so a closing old connection cannot detach its successor. */
  detach(connectionId: number): void;
  /** Audio accepted and not sent when the connection ended; it goes to the next connection. */
  returnUnsent(chunks: ReadonlyArray<{ pcm: Buffer; sampleRate: number }>): void;
}
