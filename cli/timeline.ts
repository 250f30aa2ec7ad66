/**
 * The live timeline `demo` and `run` print, and the numbers for their summary. It listens to a
 * session's public events and to its actor's snapshots; it never drives the session.
 */
import type { StateValue } from 'xstate';
import type { RealtimeSession, SessionEventMap, SessionEventName } from '../index.js';

export interface ConversationStats {
  userTurns: number;
  responses: number;
  interrupted: number;
  toolCalls: string[];
  userAudioMs: number;
  assistantAudioMs: number;
  /** From the end of the first user turn's speech to the first assistant audio. */
  firstAudioMs: number | undefined;
  updates: string[];
  resumptions: number;
}

/** `{link:{connected:{turn:'idle',floor:'open',resumption:'none'}}}` → `link.connected(turn: idle, floor: open, resumption: none)`. */
export function compactState(value: StateValue): string {
  if (typeof value === 'string') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, inner] = entries[0]!;
    const rest = compactState(inner!);
    return rest.startsWith('(') ? key + rest : `${key}.${rest}`;
  }
  return `(${entries.map(([key, inner]) => `${key}: ${compactState(inner!)}`).join(', ')})`;
}

const clip = (text: string, max = 110): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const json = (value: unknown): string => clip(typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined', 90);

export class Timeline {
  private readonly started = performance.now();
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  line(kind: string, text: string): void {
    const t = (this.elapsedMs() / 1000).toFixed(3).padStart(7);
    this.write(`${t}s  ${kind.padEnd(9)} ${text}`);
  }
}

export interface Recording {
  stats: ConversationStats;
  /** Assistant audio so far, PCM16 LE mono. */
  assistantAudio(): { pcm: Buffer; sampleRate: number };
  /**
   * One user turn the application sent (the session does not report audio in). `voicedEndAt`
   * times the first answer when the provider reports no `speech_stopped` (Gemini).
   */
  userTurn(turn: { audioMs: number; voicedEndAt: number | undefined }): void;
  /** Resolves on the next event of `type` that passes `check`. */
  next<N extends SessionEventName>(type: N, check?: (event: SessionEventMap[N]) => boolean, timeoutMs?: number): Promise<SessionEventMap[N]>;
  stop(): void;
}

export function record(session: RealtimeSession, timeline: Timeline): Recording {
  const stats: ConversationStats = {
    userTurns: 0, responses: 0, interrupted: 0, toolCalls: [], userAudioMs: 0, assistantAudioMs: 0,
    firstAudioMs: undefined, updates: [], resumptions: 0,
  };
  const audio: Buffer[] = [];
  let sampleRate = 24_000;
  let speechStoppedAt: number | undefined;
  let voicedEndAt: number | undefined;
  let firstAudioAt: number | undefined;
  const firstAudio = (): void => {
    const turnEnd = speechStoppedAt ?? voicedEndAt;
    if (stats.firstAudioMs !== undefined || firstAudioAt === undefined || turnEnd === undefined) return;
    stats.firstAudioMs = Math.max(0, firstAudioAt - turnEnd);
    timeline.line('audio', `first assistant audio came ${Math.round(stats.firstAudioMs)} ms after the user stopped speaking`);
  };
  let lastState = '';
  const offs: Array<() => void> = [];
  const on = <N extends SessionEventName>(type: N, listener: (event: SessionEventMap[N]) => void): void => {
    offs.push(session.on(type, listener));
  };

  const sub = session.actor.subscribe((snapshot) => {
    const state = compactState(snapshot.value);
    if (state !== lastState) timeline.line('state', (lastState = state));
  });

  on('connected', (e) => timeline.line('session', `connected (connection ${e.connectionId})`));
  on('speech_started', () => timeline.line('user', 'speech started'));
  on('speech_stopped', () => {
    speechStoppedAt ??= performance.now();
    timeline.line('user', 'speech stopped');
  });
  on('transcript', (e) => {
    if (e.isFinal && e.text.trim()) timeline.line(e.role, `“${clip(e.text.trim())}”`);
  });
  on('response_created', () => timeline.line('model', 'response started'));
  on('response_done', (e) => {
    stats.responses++;
    timeline.line('model', `response ${e.status}${e.reason ? ` (${e.reason})` : ''}`);
  });
  on('audio', (e) => {
    if (firstAudioAt === undefined) {
      firstAudioAt = performance.now();
      firstAudio();
    }
    sampleRate = e.sampleRate;
    audio.push(e.audio);
    stats.assistantAudioMs += (e.audio.length / 2 / e.sampleRate) * 1000;
  });
  on('tool_call', (e) => {
    stats.toolCalls.push(e.name);
    timeline.line('tool', `call ${e.name}(${json(e.arguments)})`);
  });
  on('tool_approval_requested', (e) => timeline.line('tool', `${e.name} asks for approval`));
  on('tool_result', (e) => timeline.line('tool', `${e.name} → ${json(e.output)} (${e.status}, ${Math.round(e.durationMs)} ms)`));
  on('interrupted', (e) => {
    stats.interrupted++;
    timeline.line('barge-in', `assistant interrupted (by ${e.source})`);
  });
  on('truncated', (e) =>
    timeline.line(
      'barge-in',
      `heard ${Math.round(e.playedMs)} of ${Math.round(e.receivedMs)} ms of ${e.itemId}: ${
        session.actor.getSnapshot().context.capabilities.truncatesHeardAudio
          ? "the rest is cut from the model's memory"
          : 'the provider keeps the rest (it has no truncation)'
      }`,
    ),
  );
  on('session_updated', (e) => {
    stats.updates.push(e.outcome);
    timeline.line('config', `update ${e.outcome}: ${e.changed.join(', ') || 'nothing changed'}`);
  });
  on('update_failed', (e) => timeline.line('config', `update failed: ${e.error.message}`));
  on('resumption_queued', (e) => timeline.line('resume', `queued until the turn ends (${e.reason}: ${e.changed.join(', ')})`));
  on('session_resumed', (e) => {
    stats.resumptions++;
    timeline.line('resume', `resumed on connection ${e.connectionId} (${e.reason})`);
  });
  on('resumption_failed', (e) => timeline.line('resume', `failed after ${e.attempts} attempts: ${e.error.message}`));
  on('go_away', (e) => timeline.line('session', `provider will disconnect in ${e.timeLeftMs} ms`));
  on('error', (e) => timeline.line('error', `${e.error.code}: ${e.error.message}`));
  on('closed', (e) => timeline.line('session', `closed${e.reason ? ` (${e.reason})` : ''}`));

  return {
    stats,
    assistantAudio: () => ({ pcm: Buffer.concat(audio), sampleRate }),
    userTurn(turn) {
      stats.userTurns++;
      stats.userAudioMs += turn.audioMs;
      if (stats.userTurns === 1) voicedEndAt = turn.voicedEndAt;
      firstAudio();
    },
    next<N extends SessionEventName>(type: N, check: (event: SessionEventMap[N]) => boolean = () => true, timeoutMs = 10_000) {
      return new Promise<SessionEventMap[N]>((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no ${type} event within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref();
        const off = session.on(type, (event) => {
          if (!check(event)) return;
          clearTimeout(timer);
          off();
          resolve(event);
        });
      });
    },
    stop() {
      sub.unsubscribe();
      offs.forEach((off) => off());
    },
  };
}
