/**
 * Which user turn an `inputTranscription` piece belongs to. Gemini gives input transcription no
 * ordering guarantee relative to the rest of the stream: a piece of what the user said can arrive
 * after the model's `turnComplete` for that turn. Such a late piece still belongs to that turn, not
 * to the user's next one (which would otherwise merge "What is one?" into "What is two?").
 *
 * Each user turn gets its own `itemId`; deltas carry it and the turn's final transcript (the whole
 * text, `isFinal: true`) is delivered once the turn can get no more pieces:
 * - after the model's `turnComplete`, pieces keep going to the turn that was answered for
 *   `graceMs`, then its final is delivered;
 * - earlier when the next user turn visibly starts: the client sends audible audio again (the
 *   user speaks; pieces of the new words cannot arrive before their audio was sent, so what
 *   arrives from then on is the new turn's), a new response opens, the server reports a barge-in
 *   (`interrupted`), or the client opens a manual activity (`activityStart`);
 * - when the connection ends.
 * Pieces after a barge-in belong to the user turn that interrupted, and the `turnComplete` of the
 * interrupted response does not end that turn.
 *
 * A turn knows the response that answers it (the one that opened while it was the current turn,
 * or before its first piece): its pieces carry that response's id as `before`, so a turn whose
 * first words arrive only after its answer is still placed before the answer (`session.history`).
 */
import type { DataEvent } from '../events.js';

interface UserTurn {
  itemId: string;
  text: string;
  /** The id of the response that answers this turn, once one opened. */
  answer: string | undefined;
}

export class UserTranscripts {
  private turns = 0;
  private current: UserTurn | undefined;
  private closing: { turn: UserTurn; timer: NodeJS.Timeout } | undefined;
  /** A new user turn began while a response was open; that response's `turnComplete` does not end it. */
  private carried = false;
  /** The response that opened for the current turn, which may get its first piece only later. */
  private answer: string | undefined;

  constructor(
    private readonly connectionId: number,
    private readonly graceMs: number,
    private readonly deliver: (event: DataEvent) => void,
  ) {}

  piece(text: string): void {
    const turn = this.closing?.turn ?? (this.current ??= this.newTurn());
    turn.text += text;
    this.deliver({ type: 'transcript', role: 'user', text, isFinal: false, itemId: turn.itemId, ...before(turn) });
  }

  /** The model finished a turn: the user turn it answered gets `graceMs` for late pieces. */
  turnComplete(): void {
    this.finishClosing();
    if (this.carried) {
      this.carried = false;
      return;
    }
    const turn = this.current ?? this.newTurn();
    this.current = undefined;
    this.answer = undefined;
    if (this.graceMs <= 0) return this.finish(turn);
    this.closing = { turn, timer: setTimeout(() => this.finishClosing(), this.graceMs) };
  }

  /** Whether the answered turn is still taking late pieces (the adapter then watches user audio). */
  get awaitingLatePieces(): boolean {
    return this.closing !== undefined;
  }

  /** The user is speaking again: the answered turn's late pieces are over. */
  userSpoke(): void {
    this.finishClosing();
  }

  /** A new model response opened (`responseId`): the previous user turn was answered and gets nothing more; the current one is answered by it. */
  responseOpened(responseId: string): void {
    this.finishClosing();
    if (this.current) this.current.answer ??= responseId;
    else this.answer ??= responseId;
  }

  /**
   * The user started a new turn (server `interrupted`, client `activityStart`): what arrives from
   * now on is that turn's. `duringResponse`: the open response's `turnComplete` must not end it.
   */
  userTurnStarted(duringResponse: boolean): void {
    if (this.carried) return;
    this.finishClosing();
    if (this.current) this.finish(this.current);
    this.current = undefined;
    this.answer = undefined;
    this.carried = duringResponse;
  }

  /** The connection ended: every turn still open is final now. */
  finishAll(): void {
    this.finishClosing();
    if (this.current) this.finish(this.current);
    this.current = undefined;
    this.carried = false;
  }

  private finishClosing(): void {
    const closing = this.closing;
    if (!closing) return;
    this.closing = undefined;
    clearTimeout(closing.timer);
    this.finish(closing.turn);
  }

  private finish(turn: UserTurn): void {
    if (turn.text) this.deliver({ type: 'transcript', role: 'user', text: turn.text, isFinal: true, itemId: turn.itemId, ...before(turn) });
  }

  private newTurn(): UserTurn {
    return { itemId: `gemini-user-${this.connectionId}-${++this.turns}`, text: '', answer: this.answer };
  }
}

function before(turn: UserTurn): { before?: string } {
  return turn.answer === undefined ? {} : { before: turn.answer };
}
