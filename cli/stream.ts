/**
 * Driving a session the way a microphone would: 20 ms frames, paced against the wall clock
 * (drift-free: each frame is due at start + n × frame / factor), and waiting for the turn to settle.
 */
import { rms } from '../emulator/speech.js';
import type { RealtimeSession } from '../index.js';
import type { Deadline } from './deadline.js';

const FRAME_MS = 20;

export interface Streamed {
  audioMs: number;
  /** `performance.now()` when the last voiced frame went out (the end of the user's speech). */
  voicedEndAt: number | undefined;
}

/** RMS (0..32767) above which a frame counts as voiced, for timing only. */
const VOICED_RMS = 300;

/**
 * Sends PCM16 mono in 20 ms frames. `factor` 1 = real time, Infinity = as fast as possible. With a
 * `deadline`, streaming stops (and throws) once it runs out, between two frames.
 */
export async function streamAudio(session: RealtimeSession, pcm: Buffer, sampleRate: number, factor: number, deadline?: Deadline): Promise<Streamed> {
  const frameBytes = ((sampleRate * FRAME_MS) / 1000) * 2;
  const started = performance.now();
  let frames = 0;
  let voicedEndAt: number | undefined;
  for (let offset = 0; offset < pcm.length; offset += frameBytes) {
    deadline?.check('streaming the input');
    const frame = pcm.subarray(offset, offset + frameBytes);
    session.sendAudio(frame);
    if (rms(frame) > VOICED_RMS) voicedEndAt = performance.now();
    frames++;
    const due = started + (frames * FRAME_MS) / factor;
    const wait = due - performance.now();
    // Even unpaced, yield now and then so the socket and the timeline keep up.
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    else if (frames % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return { audioMs: (pcm.length / 2 / sampleRate) * 1000, voicedEndAt };
}

export function silence(ms: number, sampleRate: number): Buffer {
  return Buffer.alloc(Math.round((sampleRate * ms) / 1000) * 2);
}

/** Whether the session is connected with nobody talking, no tool running and no change queued. */
export function isSettled(session: RealtimeSession): boolean {
  const s = session.actor.getSnapshot();
  return s.matches({ link: { connected: { turn: 'idle', resumption: 'none' } } });
}

/**
 * Waits until the session has been settled and quiet (no session event) for `quietMs`: the end
 * of a turn including tool follow-ups, resumptions and bridge replies.
 */
export async function settle(session: RealtimeSession, quietMs: number, timeoutMs: number, timeoutError?: () => Error): Promise<void> {
  let last = performance.now();
  const off = session.on('*', () => {
    last = performance.now();
  });
  const deadline = performance.now() + timeoutMs;
  try {
    for (;;) {
      const now = performance.now();
      if (isSettled(session) && now - last >= quietMs) return;
      if (now > deadline) throw timeoutError?.() ?? new Error(`the session did not settle within ${timeoutMs} ms (state ${JSON.stringify(session.state)})`);
      if (session.actor.getSnapshot().status !== 'active') throw new Error('the session ended unexpectedly');
      await new Promise((resolve) => setTimeout(resolve, Math.min(20, quietMs)));
    }
  } finally {
    off();
  }
}

/**
 * What the provider's voice activity detection said about the user's turn, from listeners attached
 * before streaming starts.
 */
export interface ServerTurnWatch {
  /**
   * After the file and its trailing silence went out: resolves true once VAD has closed the turn
   * (a `speech_stopped` with no speech after it), false when no VAD event came for `graceMs` (VAD
   * heard nothing, or never ended the turn: the caller commits). The decision waits for the
   * server: with `--fast` the whole file is on the wire before the server analysed any of it, and
   * judging by the events that had arrived by then sent a commit that landed after VAD's own, as a
   * phantom second turn (VAD's leftover silence) plus a `response.create` that collided with VAD's
   * response (`conversation_already_has_active_response`).
   */
  turnClosed(graceMs: number, deadline: Deadline): Promise<boolean>;
  stop(): void;
}

export function watchServerTurn(session: RealtimeSession): ServerTurnWatch {
  let speaking = false;
  let stops = 0;
  let changed: (() => void) | undefined;
  const offs = [
    session.on('speech_started', () => {
      speaking = true;
      changed?.();
    }),
    session.on('speech_stopped', () => {
      speaking = false;
      stops++;
      changed?.();
    }),
  ];
  const closed = () => stops > 0 && !speaking;
  return {
    turnClosed(graceMs, deadline) {
      if (closed()) return Promise.resolve(true);
      const decided = new Promise<boolean>((resolve) => {
        let timer: NodeJS.Timeout;
        const arm = () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            changed = undefined;
            resolve(false);
          }, graceMs);
        };
        changed = () => {
          if (!closed()) return arm();
          clearTimeout(timer);
          changed = undefined;
          resolve(true);
        };
        arm();
      });
      return deadline.race(decided, 'waiting for the provider to end the turn');
    },
    stop() {
      changed = undefined;
      offs.forEach((off) => off());
    },
  };
}
