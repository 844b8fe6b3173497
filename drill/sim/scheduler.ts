/**
 * Simulated time and the changes it brings. State changes that take time (an instance becoming
 * available, a switchover finishing, a change reaching INSYNC) are scheduled events, applied
 * lazily in time order whenever an API call looks ({@link Scheduler.sync}), so the models never
 * hold a timer that could move the clock.
 */

interface ScheduledEvent {
  readonly at: number;
  readonly seq: number;
  readonly apply: () => void;
}

/** Bounds {@link Scheduler.settleAll}: events that keep scheduling more must not loop forever. */
const SETTLE_LIMIT = 100_000;

/** Virtual-time events over the drill's clock (`Date.now()`, faked by the virtual clock). */
export class Scheduler {
  private readonly queue: ScheduledEvent[] = [];
  private seq = 0;
  /** While a due event is applied, "now" is its time, not the time of the call that noticed it. */
  private applyingAt?: number;

  /** @param epochMs `Date.now()` at simulated second 0 */
  constructor(readonly epochMs: number) {}

  /** Simulated seconds since the drill started. */
  now(): number {
    return this.applyingAt ?? (Date.now() - this.epochMs) / 1000;
  }

  /** A `Date` at simulated second `t`. */
  dateAt(t: number): Date {
    return new Date(this.epochMs + t * 1000);
  }

  /** Apply `apply` at simulated second `at` (lazily, on the next `sync` at or after it). */
  schedule(at: number, apply: () => void): void {
    this.seq += 1;
    this.queue.push({ at, seq: this.seq, apply });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Apply every scheduled change due by `now`, in time order (changes may schedule more). */
  sync(now: number = this.now()): void {
    for (;;) {
      const next = this.queue[0];
      if (next === undefined || next.at > now) return;
      this.queue.shift();
      this.applyAt(next);
    }
  }

  /** Apply everything still scheduled, whatever its time: the state AWS settles into. */
  settleAll(): number {
    let last = this.now();
    for (let guard = 0; guard < SETTLE_LIMIT; guard++) {
      const next = this.queue.shift();
      if (next === undefined) break;
      last = Math.max(last, next.at);
      this.applyAt(next);
    }
    return last;
  }

  private applyAt(event: ScheduledEvent): void {
    this.applyingAt = event.at;
    try {
      event.apply();
    } finally {
      this.applyingAt = undefined;
    }
  }
}
