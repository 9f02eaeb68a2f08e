/** setTimeout cannot wait longer than this (about 24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Messages sent with a scheduled enqueue time, held by sequence number until due (or cancelled). */
export class ScheduledMessages {
  private readonly pending = new Map<number, NodeJS.Timeout>();

  hold(sequenceNumber: number, dueAt: number, release: () => void): void {
    const wait = (): void => {
      const remaining = dueAt - Date.now();
      if (remaining > 0) {
        this.pending.set(sequenceNumber, setTimeout(wait, Math.min(remaining, MAX_TIMER_MS)));
        return;
      }
      this.pending.delete(sequenceNumber);
      release();
    };
    wait();
  }

  /** Forgets a scheduled message; false when it was unknown or already enqueued. */
  cancel(sequenceNumber: number): boolean {
    const timer = this.pending.get(sequenceNumber);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.pending.delete(sequenceNumber);
    return true;
  }

  get count(): number {
    return this.pending.size;
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
