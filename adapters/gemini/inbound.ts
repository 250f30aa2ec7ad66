/**
 * Server messages → ModelEvents and DataEvents, with the turn bookkeeping Gemini leaves to the
 * client. Gemini has no `response.created`, so a response opens on the first content of a turn
 * (model part, output transcription or toolCall) and closes on `turnComplete`.
 *
 * Tool calls: Gemini sends `toolCall` (Vertex then `generationComplete`) and waits for the
 * `toolResponse`; the continuation that follows belongs to the same turn. The response therefore
 * stays open while calls are outstanding, even if a `turnComplete` arrives in between, so the
 * session never sees an idle gap between the tool outputs and the continuation (a resumption
 * there would lose the continuation). Cancelled calls count as settled. A NON_BLOCKING call
 * (`isNonBlocking`) holds nothing: the model keeps talking while it runs (gemini-live-2026.md §2.1),
 * so its turn ends on `turnComplete` as usual; it is still answered once, on this connection.
 *
 * Extended thinking: `turnComplete` with `interactionStatus: IN_PROGRESS` does not end the response
 * (more output of the same request follows); the one with `IDLE` does.
 *
 * Handles: Gemini sends `resumable:false` while generating and a fresh handle after the turn.
 * `responseDone` is held (briefly, `handleWaitMs`) until that fresh handle has been reported, so a
 * resumption the session starts at the idle moment uses a handle that contains the turn.
 */
import type { DataEvent, ModelEventInput } from '../events.js';
import type { Logger } from '../../logger.js';
import { UserTranscripts } from './user-transcript.js';
import { isAudible } from '../audio.js';
import { decodePcmDelta } from '../pcm-delta.js';
import { contentMessage } from './content-check.js';
import { durationMs, pcmRate, ServerMessageSchema, type ServerContent, type ServerMessage } from './wire.js';

export interface InboundDeps {
  connectionId: number;
  emit(event: ModelEventInput): void;
  deliver(event: DataEvent): void;
  logger: Logger;
  /** 0 disables the hold; it is also skipped when resumption updates are not expected. */
  handleWaitMs: number;
  /** How long after `turnComplete` a late input transcription piece still belongs to the answered user turn. */
  inputTranscriptGraceMs: number;
  /** Whether calls of this function were declared NON_BLOCKING. */
  isNonBlocking(name: string): boolean;
  onSetupComplete(sessionId: string | undefined): void;
}

export class Inbound {
  private responses = 0;
  private syntheticCalls = 0;
  private responseId: string | undefined;
  private interrupted = false;
  private audioStarted = false;
  /** Output suppressed after a client interrupt until the turn ends (automatic VAD keeps talking). */
  private muted = false;
  private transcript = '';
  private readonly userTranscripts: UserTranscripts;
  private turnCompleteSeen = false;
  /** The server cut this turn (`interrupted`: new user input): no continuation follows its calls. */
  private cutByServer = false;
  private freshHandle = true;
  private held: { responseId: string | undefined; status: 'completed' | 'cancelled' } | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  /** Calls issued on this connection and not yet answered or cancelled. */
  readonly outstanding = new Set<string>();
  /** NON_BLOCKING calls issued on this connection and not yet answered or cancelled: they hold no turn. */
  private readonly running = new Set<string>();
  /** Calls answered or cancelled on this connection: a repeated frame naming one is not a new call. */
  private readonly settled = new Set<string>();
  /** Calls that came without an id (answered without one). */
  readonly synthetic = new Set<string>();
  /** A goAway arrived: the close that follows is announced, not a server error. */
  goAwayReceived = false;

  constructor(private readonly deps: InboundDeps) {
    this.userTranscripts = new UserTranscripts(deps.connectionId, deps.inputTranscriptGraceMs, deps.deliver);
  }

  /**
   * User audio about to be sent. Only while an answered turn still takes late transcript pieces is
   * its level looked at: audible audio means the user is speaking again (see UserTranscripts).
   */
  userAudio(pcm: Buffer): void {
    if (this.userTranscripts.awaitingLatePieces && isAudible(pcm)) this.userTranscripts.userSpoke();
  }

  /** The client opened a manual activity: a new user turn starts (see UserTranscripts). */
  userActivityStarted(): void {
    this.userTranscripts.userTurnStarted(this.responseId !== undefined);
  }

  /** One frame's text. Malformed JSON is reported and skipped; the connection stays up. */
  handle(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.deps.emit({ type: 'model.error', error: { code: 'invalid_frame', message: `Gemini sent a frame that is not JSON (${text.length} chars)` } });
      return;
    }
    // Hot path: content messages (audio parts) pass a hand-written check; zod parses the rest.
    const content = contentMessage(json);
    if (content) return this.message(content);
    const parsed = ServerMessageSchema.safeParse(json);
    if (!parsed.success) {
      this.deps.emit({
        type: 'model.error',
        error: { code: 'invalid_frame', message: `Gemini sent an unexpected message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` },
      });
      return;
    }
    this.message(parsed.data);
  }

  private message(m: ServerMessage): void {
    let known = false;
    if (m.setupComplete) {
      known = true;
      this.deps.onSetupComplete(m.setupComplete.sessionId);
    }
    if (m.serverContent) {
      known = true;
      this.content(m.serverContent);
    }
    if (m.toolCall) {
      known = true;
      this.toolCall(m.toolCall.functionCalls);
    }
    if (m.toolCallCancellation) {
      known = true;
      this.cancel(m.toolCallCancellation.ids);
    }
    if (m.sessionResumptionUpdate) {
      known = true;
      const handle = m.sessionResumptionUpdate.newHandle ?? '';
      const resumable = m.sessionResumptionUpdate.resumable === true && handle.length > 0;
      this.deps.emit({ type: 'model.resumptionHandle', handle, resumable });
      if (resumable) {
        this.freshHandle = true;
        this.release();
      }
    }
    if (m.goAway) {
      known = true;
      this.goAwayReceived = true;
      this.deps.emit({ type: 'model.goAway', timeLeftMs: durationMs(m.goAway.timeLeft) ?? 0 });
    }
    if (m.usageMetadata) {
      known = true;
      const u = m.usageMetadata;
      this.deps.emit({ type: 'model.usage', inputTokens: u.promptTokenCount, outputTokens: u.responseTokenCount, totalTokens: u.totalTokenCount });
    }
    if (!known) {
      this.deps.logger.debug({ keys: Object.keys(m) }, 'gemini: unknown server message ignored');
      this.deps.deliver({ type: 'unknown', provider: 'gemini', eventType: Object.keys(m).join(',') });
    }
  }

  private content(c: ServerContent): void {
    for (const part of c.modelTurn?.parts ?? []) {
      if (part.inlineData?.data !== undefined && (part.inlineData.mimeType ?? 'audio/pcm').startsWith('audio/pcm')) {
        const id = this.open();
        if (this.muted) continue;
        // Corrupted base64 or an odd byte count never reaches listeners: reported, the part dropped.
        const delta = decodePcmDelta(part.inlineData.data);
        if (!delta.ok) {
          this.deps.emit({ type: 'model.error', error: { code: 'invalid_frame', message: `Gemini audio part of response ${id} ${delta.problem}; dropped` } });
          continue;
        }
        if (!this.audioStarted) {
          this.audioStarted = true;
          this.deps.emit({ type: 'model.outputAudioStarted', responseId: id, itemId: id });
        }
        this.deps.deliver({ type: 'audio', audio: delta.audio, sampleRate: pcmRate(part.inlineData.mimeType), itemId: id, responseId: id });
      } else if (part.text !== undefined && !part.thought) {
        const id = this.open();
        if (!this.muted) this.deps.deliver({ type: 'text', delta: part.text, itemId: id, responseId: id });
      } else {
        // executableCode, codeExecutionResult, thoughts: still content of this turn.
        this.open();
      }
    }
    const said = c.outputTranscription?.text;
    if (said) {
      const id = this.open();
      if (!this.muted) {
        this.transcript += said;
        this.deps.deliver({ type: 'transcript', role: 'assistant', text: said, isFinal: false, itemId: id });
      }
    }
    const heard = c.inputTranscription?.text;
    if (heard) this.userTranscripts.piece(heard);
    if (c.interrupted) {
      // A barge-in: the user's next turn has started.
      this.userTranscripts.userTurnStarted(true);
      this.interrupted = true;
      this.cutByServer = true;
      this.deps.emit({ type: 'model.interrupted', source: 'user' });
    }
    if (c.turnComplete) this.turnComplete(c.interactionStatus);
  }

  private toolCall(all: ReadonlyArray<{ id?: string | undefined; name: string; args?: Record<string, unknown> | undefined }>): void {
    // A repeated frame (a retry, a replay) names ids this connection already issued: an outstanding
    // call is already running, and an answered or cancelled one must not be re-armed and run again.
    const calls = all.filter((call) => !call.id || (!this.outstanding.has(call.id) && !this.running.has(call.id) && !this.settled.has(call.id)));
    if (calls.length < all.length) {
      this.deps.logger.debug({ callIds: all.filter((c) => !calls.includes(c)).map((c) => c.id) }, 'gemini: repeated function call ids ignored');
    }
    if (calls.length === 0) return;
    const responseId = this.open();
    for (const call of calls) {
      let callId = call.id;
      if (!callId) {
        callId = `gemini-call-${this.deps.connectionId}-${++this.syntheticCalls}`;
        this.synthetic.add(callId);
      }
      (this.deps.isNonBlocking(call.name) ? this.running : this.outstanding).add(callId);
      this.deps.emit({ type: 'model.functionCall', callId, name: call.name, arguments: JSON.stringify(call.args ?? {}), responseId });
    }
  }

  private cancel(ids: readonly string[]): void {
    for (const id of ids) {
      this.outstanding.delete(id);
      this.running.delete(id);
      this.settled.add(id);
    }
    this.deps.emit({ type: 'model.toolCallCancelled', callIds: [...ids] });
    // Everything was withdrawn after the turn ended: no continuation will come.
    if (this.turnCompleteSeen && this.outstanding.size === 0) this.close('cancelled');
  }

  /**
   * Marks a call answered; false when it must not be answered: this connection never issued it,
   * already has its answer, or the server cancelled it.
   */
  answer(callId: string): boolean {
    if (!this.outstanding.delete(callId) && !this.running.delete(callId)) return false;
    this.settled.add(callId);
    return true;
  }

  /** The app interrupted: its output so far is discarded, and the rest of this turn is muted. */
  clientInterrupt(): void {
    if (this.responseId !== undefined) {
      this.interrupted = true;
      this.muted = true;
    }
  }

  private open(): string {
    if (this.held) this.release();
    if (this.responseId !== undefined) {
      this.turnCompleteSeen = false;
      return this.responseId;
    }
    const id = `gemini-${this.deps.connectionId}-${++this.responses}`;
    this.userTranscripts.responseOpened(id);
    this.responseId = id;
    this.freshHandle = false;
    this.deps.emit({ type: 'model.responseCreated', responseId: id });
    return id;
  }

  private turnComplete(interactionStatus: string | undefined): void {
    // `IN_PROGRESS` (gemini-3.8-live-extended-thinking): more output of this request follows, so the
    // response is still running; `IDLE` (or no status) ends it (gemini-live-2026.md §4). An
    // interrupted response ends at its turnComplete whatever the status: what follows answers the
    // user's new turn.
    if (interactionStatus === 'IN_PROGRESS' && !this.interrupted) {
      this.open();
      return;
    }
    this.userTranscripts.turnComplete();
    if (this.responseId === undefined) {
      // A turn with no content (e.g. an empty answer): still one response for the session.
      this.open();
    }
    if (this.transcript) {
      this.deps.deliver({ type: 'transcript', role: 'assistant', text: this.transcript, isFinal: true, itemId: this.responseId });
      this.transcript = '';
    }
    // A turn the server cut with a blocking call outstanding ends here: on 3.8 new input cancels
    // the call, and it may say so with no `toolCallCancellation`, a later `toolResponse` getting no
    // reply (gemini-live-2026.md §2.1, [G4][G12]). The call stays answerable (§2.3: answer every id).
    if (this.outstanding.size > 0 && !this.cutByServer) {
      this.turnCompleteSeen = true;
      return;
    }
    this.close(this.interrupted ? 'cancelled' : 'completed');
  }

  private close(status: 'completed' | 'cancelled'): void {
    this.held = { responseId: this.responseId, status };
    this.responseId = undefined;
    this.interrupted = false;
    this.cutByServer = false;
    this.audioStarted = false;
    this.muted = false;
    this.turnCompleteSeen = false;
    this.transcript = '';
    if (this.freshHandle || this.deps.handleWaitMs <= 0) return this.release();
    this.holdTimer = setTimeout(() => this.release(), this.deps.handleWaitMs);
  }

  /** Emits a held `responseDone` (on a fresh handle, on new content, on timeout, before close). */
  release(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    this.deps.emit({ type: 'model.responseDone', responseId: held.responseId, status: held.status, reason: held.status === 'cancelled' ? 'interrupted' : undefined });
  }

  dispose(): void {
    clearTimeout(this.holdTimer);
    this.userTranscripts.finishAll();
  }
}
