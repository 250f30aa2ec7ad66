/**
 * The per-session report (`session.report()`, and the `session_report` event at close): what a
 * team stores per call. Built from the events the session publishes, whether or not OpenTelemetry
 * is in use; a handful of counters, never audio or transcripts.
 */
import { redactSecrets } from '../errors.js';
import type { AnySessionEvent } from '../session/event-map.js';

export interface ToolReport {
  calls: number;
  /** Results by status (`succeeded`, `failed`, `timedOut`, `rejected`, `cancelled`, …). */
  outcomes: Record<string, number>;
  /** Sum of the calls' durations (from the call to its result). */
  totalMs: number;
  maxMs: number;
}

export interface LatencySummary {
  count: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  maxMs: number | undefined;
}

export interface SessionReport {
  /** voxstate's id for this session (also `gen_ai.conversation.id` on its spans and `sessionId` in its logs). */
  sessionId: string;
  provider: string;
  model: string;
  startedAt: string;
  /** Set once the session has closed. */
  endedAt: string | undefined;
  durationMs: number;
  /** Connections opened (the first one and every replacement: a `connected` event each). */
  connections: number;
  turns: {
    /**
     * User turns: speech the provider detected (its end of speech, or a final user transcript for
     * an item without one: Gemini reports no end of speech) and texts that asked for a reply.
     */
    user: number;
    /** Responses the model started; how they ended. */
    responses: number;
    completed: number;
    interrupted: number;
    /** Responses that ended neither completed nor cancelled (failed, incomplete, or cut off when their connection ended). */
    failed: number;
    /** Assistant items cut where the user stopped hearing them on a barge-in (`truncated` events). */
    truncated: number;
  };
  latency: {
    /** From the end of the user's speech to the first assistant audio. */
    timeToFirstAudio: LatencySummary;
    /** From `response_created` to `response_done`. */
    response: LatencySummary;
  };
  tools: Record<string, ToolReport>;
  /** Connection replacements: why, the new connection, whether the provider kept the conversation's context (`session_resumed.restored`), when (ms from the start). */
  resumptions: Array<{ reason: string; connectionId: number; restored: boolean; atMs: number }>;
  resumptionFailures: number;
  /** At most 50, secrets redacted. */
  errors: Array<{ code: string; message: string; atMs: number }>;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  audio: { inputSeconds: number; outputSeconds: number };
  closed: { code: number | undefined; reason: string } | undefined;
}

export interface SessionReportEvent {
  type: 'session_report';
  report: SessionReport;
}

const MAX_ERRORS = 50;
const MAX_SAMPLES = 1000;

function summarize(samples: number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50Ms: undefined, p95Ms: undefined, maxMs: undefined };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { count: samples.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) };
}

/** Keeps the figures of one session as its events go by. */
export class ReportCollector {
  private readonly startedAt: number;
  private endedAt: number | undefined;
  private connections = 0;
  private readonly turns = { user: 0, responses: 0, completed: 0, interrupted: 0, failed: 0, truncated: 0 };
  /** User items already counted as a turn (by speech_stopped), so their transcript does not count again. */
  private readonly countedUserItems = new Set<string>();
  private readonly ttfa: number[] = [];
  private readonly responseMs: number[] = [];
  private readonly tools: Record<string, ToolReport> = {};
  private readonly resumptions: SessionReport['resumptions'] = [];
  private resumptionFailures = 0;
  private readonly errors: SessionReport['errors'] = [];
  private readonly usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  private readonly audio = { inputSeconds: 0, outputSeconds: 0 };
  private closed: SessionReport['closed'];
  private speechStoppedAt: number | undefined;
  private responseStartedAt: number | undefined;

  constructor(
    private readonly ids: { sessionId: string; provider: string; model: string },
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** User audio sent (seconds). */
  userAudio(seconds: number): void {
    this.audio.inputSeconds += seconds;
  }

  observe(event: AnySessionEvent, at: number = this.now()): void {
    switch (event.type) {
      case 'connected':
        this.connections++;
        return;
      case 'session_resumed':
        this.resumptions.push({ reason: event.reason, connectionId: event.connectionId, restored: event.restored, atMs: at - this.startedAt });
        return;
      case 'resumption_failed':
        this.resumptionFailures++;
        return;
      case 'speech_stopped':
        this.turns.user++;
        if (event.itemId !== undefined) this.countUserItem(event.itemId);
        this.speechStoppedAt = at;
        return;
      case 'transcript':
        // Gemini sends no end of speech: a spoken turn shows as the user's final transcript.
        if (event.role === 'user' && event.isFinal && event.itemId !== undefined && !this.countedUserItems.has(event.itemId)) {
          this.turns.user++;
          this.countUserItem(event.itemId);
        }
        return;
      case 'truncated':
        this.turns.truncated++;
        return;
      case 'request_sent':
        if (event.requestId.startsWith('reply_')) this.turns.user++;
        return;
      case 'audio':
        this.audio.outputSeconds += event.audio.length / 2 / event.sampleRate;
        if (this.speechStoppedAt !== undefined) {
          if (this.ttfa.length < MAX_SAMPLES) this.ttfa.push(at - this.speechStoppedAt);
          this.speechStoppedAt = undefined;
        }
        return;
      case 'response_created':
        this.turns.responses++;
        this.responseStartedAt = at;
        return;
      case 'response_done':
        if (event.status === 'completed') this.turns.completed++;
        else if (event.status === 'cancelled') this.turns.interrupted++;
        else this.turns.failed++;
        if (this.responseStartedAt !== undefined && this.responseMs.length < MAX_SAMPLES) this.responseMs.push(at - this.responseStartedAt);
        this.responseStartedAt = undefined;
        return;
      case 'tool_call':
        this.toolOf(event.name).calls++;
        return;
      case 'tool_result': {
        const tool = this.toolOf(event.name);
        tool.outcomes[event.status] = (tool.outcomes[event.status] ?? 0) + 1;
        tool.totalMs += event.durationMs;
        tool.maxMs = Math.max(tool.maxMs, event.durationMs);
        return;
      }
      case 'usage':
        this.usage.inputTokens += event.inputTokens ?? 0;
        this.usage.outputTokens += event.outputTokens ?? 0;
        this.usage.totalTokens += event.totalTokens ?? (event.inputTokens ?? 0) + (event.outputTokens ?? 0);
        return;
      case 'error':
        if (this.errors.length < MAX_ERRORS) this.errors.push({ code: event.error.code, message: redactSecrets(event.error.message), atMs: at - this.startedAt });
        return;
      case 'closed':
        this.closed = { code: event.code, reason: event.reason };
        this.end(at);
        return;
      default:
        return;
    }
  }

  /** The connection ended: a response still open was cut off and counts as failed. */
  connectionEnded(at: number = this.now()): void {
    if (this.responseStartedAt === undefined) return;
    this.turns.failed++;
    if (this.responseMs.length < MAX_SAMPLES) this.responseMs.push(at - this.responseStartedAt);
    this.responseStartedAt = undefined;
  }

  private countUserItem(itemId: string): void {
    if (this.countedUserItems.size >= MAX_SAMPLES) this.countedUserItems.clear();
    this.countedUserItems.add(itemId);
  }

  /** Marks the session ended (idempotent). */
  end(at: number = this.now()): void {
    this.endedAt ??= at;
  }

  get ended(): boolean {
    return this.endedAt !== undefined;
  }

  report(): SessionReport {
    const end = this.endedAt ?? this.now();
    return {
      ...this.ids,
      startedAt: new Date(this.startedAt).toISOString(),
      endedAt: this.endedAt === undefined ? undefined : new Date(this.endedAt).toISOString(),
      durationMs: end - this.startedAt,
      connections: this.connections,
      turns: { ...this.turns },
      latency: { timeToFirstAudio: summarize(this.ttfa), response: summarize(this.responseMs) },
      tools: Object.fromEntries(Object.entries(this.tools).map(([name, t]) => [name, { ...t, outcomes: { ...t.outcomes } }])),
      resumptions: this.resumptions.map((r) => ({ ...r })),
      resumptionFailures: this.resumptionFailures,
      errors: this.errors.map((e) => ({ ...e })),
      usage: { ...this.usage },
      // Whole milliseconds: the sums of many chunk durations carry floating-point noise.
      audio: { inputSeconds: toMillis(this.audio.inputSeconds), outputSeconds: toMillis(this.audio.outputSeconds) },
      closed: this.closed && { ...this.closed },
    };
  }

  private toolOf(name: string): ToolReport {
    return (this.tools[name] ??= { calls: 0, outcomes: {}, totalMs: 0, maxMs: 0 });
  }
}

const toMillis = (seconds: number): number => Math.round(seconds * 1000) / 1000;
