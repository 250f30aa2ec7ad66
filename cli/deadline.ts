/**
 * `run --timeout`: one wall-clock budget for the whole conversation (connecting, streaming the
 * file, waiting for the answer and its follow-ups), so a stalled provider cannot keep the command
 * alive past it in any phase.
 */
export class Deadline {
  private readonly endsAt: number;

  constructor(readonly ms: number) {
    this.endsAt = performance.now() + ms;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** The error every phase fails with, naming what was still going on. */
  error(phase: string): Error {
    return new Error(`--timeout ${this.ms / 1000} s ran out while ${phase}`);
  }

  /** Throws `error(phase)` once the budget is spent. */
  check(phase: string): void {
    if (this.expired()) throw this.error(phase);
  }

  /** `work`, or a rejection with `error(phase)` when the budget runs out first. */
  race<T>(work: Promise<T>, phase: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.error(phase)), this.remainingMs());
      // The work itself (a socket) keeps the process alive; an abandoned race must not.
      timer.unref();
    });
    return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
  }
}
