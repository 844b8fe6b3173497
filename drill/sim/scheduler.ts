/**
 * Simulated time and the changes it brings. State changes that take time (an instance becoming
 * available, a switchover finishing, a change reaching INSYNC) are scheduled events, applied
 * lazily in time order whenever an API call looks ({@link Scheduler.sync}), so the models never
 * hold a timer that could move the clock.
 *
 * A step guard bounds the events: a model whose event reschedules itself without time moving (a
 * zero duration in the timing model, e.g. a task that fails its health check and is replaced at the
 * same instant) would otherwise loop forever inside one `sync`. The guard trips once, names the
 * event that looped, and every later `sync` throws the same error, so the drill ends with it.
 */

interface ScheduledEvent {
  readonly at: number;
  readonly seq: number;
  /** What the event does, for the step guard's message (e.g. `ECS task start (svc)`). */
  readonly label: string;
  readonly apply: () => void;
}

/**
 * Events applied at one simulated instant before the guard calls it a loop. A drill applies a few
 * per resource it touches (instances, tasks, changes): hundreds at most, never thousands at once.
 */
export const MAX_EVENTS_PER_INSTANT = 10_000;
/**
 * Events applied in one drill before the guard trips. A default planned drill applies 12 (instances,
 * ASG launches, task starts, the switchover); one whose tasks fail their health checks for the
 * 6 simulated hours the virtual clock allows, a few hundred. This is far beyond any of them.
 */
export const MAX_EVENTS = 100_000;

/** The simulation's step guard tripped: an event kept rescheduling itself. */
export class SimulationRunawayError extends Error {
  override readonly name = 'SimulationRunawayError';
}

/** Virtual-time events over the drill's clock (`Date.now()`, faked by the virtual clock). */
export class Scheduler {
  private readonly queue: ScheduledEvent[] = [];
  private seq = 0;
  /** While a due event is applied, "now" is its time, not the time of the call that noticed it. */
  private applyingAt?: number;
  private applied = 0;
  private instant?: number;
  private appliedAtInstant = 0;
  private readonly recentLabels: string[] = [];
  /** Set once the step guard trips; the drill ends with it. */
  runaway?: SimulationRunawayError;

  /** @param epochMs `Date.now()` at simulated second 0 */
  constructor(readonly epochMs: number) {}

  /** Set when the drill ended: from then on "now" is that instant (the real clock is back). */
  private frozenAt?: number;

  /** Simulated seconds since the drill started. */
  now(): number {
    return this.applyingAt ?? this.frozenAt ?? (Date.now() - this.epochMs) / 1000;
  }

  /**
   * End simulated time at `at`: what is read after the drill (the report, the invariants) sees the
   * world as it was when the drill ended, not as derived models would be at the real clock's time.
   */
  freeze(at: number): void {
    this.frozenAt = at;
  }

  /** A `Date` at simulated second `t`. */
  dateAt(t: number): Date {
    return new Date(this.epochMs + t * 1000);
  }

  /** Events applied so far. */
  get eventsApplied(): number {
    return this.applied;
  }

  /** Apply `apply` at simulated second `at` (lazily, on the next `sync` at or after it). */
  schedule(at: number, apply: () => void, label = 'scheduled event'): void {
    this.seq += 1;
    this.queue.push({ at, seq: this.seq, label, apply });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /**
   * Apply every scheduled change due by `now`, in time order (changes may schedule more).
   * @throws SimulationRunawayError when the step guard trips (now or earlier in the drill)
   */
  sync(now: number = this.now()): void {
    if (this.runaway !== undefined) throw this.runaway;
    for (;;) {
      const next = this.queue[0];
      if (next === undefined || next.at > now) return;
      this.queue.shift();
      this.applyAt(next);
    }
  }

  /**
   * Apply everything still scheduled, whatever its time: the state AWS settles into.
   * @throws SimulationRunawayError when the step guard trips
   */
  settleAll(): number {
    if (this.runaway !== undefined) throw this.runaway;
    let last = this.now();
    for (;;) {
      const next = this.queue.shift();
      if (next === undefined) break;
      last = Math.max(last, next.at);
      this.applyAt(next);
    }
    return last;
  }

  private applyAt(event: ScheduledEvent): void {
    this.guard(event);
    this.applyingAt = event.at;
    try {
      event.apply();
    } finally {
      this.applyingAt = undefined;
    }
  }

  /** Count `event`; trip the guard when an instant, or the drill, holds too many. */
  private guard(event: ScheduledEvent): void {
    this.applied += 1;
    if (event.at === this.instant) this.appliedAtInstant += 1;
    else {
      this.instant = event.at;
      this.appliedAtInstant = 1;
    }
    this.recentLabels.push(event.label);
    if (this.recentLabels.length > 100) this.recentLabels.shift();
    const atInstant = this.appliedAtInstant > MAX_EVENTS_PER_INSTANT;
    if (!atInstant && this.applied <= MAX_EVENTS) return;
    const why = atInstant
      ? `${MAX_EVENTS_PER_INSTANT} events at simulated second ${event.at.toFixed(1)} without time moving`
      : `${MAX_EVENTS} events in one drill`;
    this.runaway = new SimulationRunawayError(
      `the simulation's step guard stopped the drill: ${why}; '${this.mostRecent()}' kept rescheduling itself (a zero duration in the timing model?)`,
    );
    this.queue.length = 0;
    throw this.runaway;
  }

  /** The label most frequent among the last events applied: the one that looped. */
  private mostRecent(): string {
    const counts = new Map<string, number>();
    for (const l of this.recentLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'unknown';
  }
}
