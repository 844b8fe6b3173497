import * as FakeTimers from '@sinonjs/fake-timers';

/**
 * The drill's virtual clock: fake `setTimeout`/`setInterval`/`Date` (not `setImmediate`,
 * `nextTick` or microtasks, which the interpreter and the SDK need to make progress), driven
 * timer by timer until the work settles. Wait states, Retry backoff, Lambda timeouts and the
 * simulated AWS all read this one clock.
 */
export interface VirtualClock {
  /** Run `work` to completion, advancing simulated time whenever nothing else can progress. */
  drive<T>(work: Promise<T>, options?: { readonly maxSimulatedSeconds?: number }): Promise<T>;
  uninstall(): void;
}

/** Thrown when nothing is scheduled yet the work has not settled: it waits on something outside the clock. */
export class ClockStalledError extends Error {
  override readonly name = 'ClockStalledError';
}

const realSetImmediate = setImmediate;
const realSetTimeout = setTimeout;

function turn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/** Install the fake clock at `epochMs`. */
export function installVirtualClock(epochMs: number): VirtualClock {
  const clock = FakeTimers.install({
    now: epochMs,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    loopLimit: 1_000_000,
  });
  return {
    async drive<T>(work: Promise<T>, options?: { readonly maxSimulatedSeconds?: number }): Promise<T> {
      let settled = false;
      const observed = work.then(
        (value) => {
          settled = true;
          return value;
        },
        (err: unknown) => {
          settled = true;
          throw err;
        },
      );
      // Keep the rejection handled while we drive; the caller gets it from `observed`.
      observed.catch(() => undefined);
      const limit = epochMs + (options?.maxSimulatedSeconds ?? 6 * 3600) * 1000;
      while (!settled) {
        // Let every in-flight promise chain run (they may schedule timers) before time moves.
        for (let i = 0; i < 3 && !settled; i++) await turn();
        if (settled) break;
        if (clock.countTimers() === 0) {
          // Something may be waiting on real I/O; give it a moment of wall time before giving up.
          await new Promise((resolve) => realSetTimeout(resolve, 20));
          if (settled || clock.countTimers() > 0) continue;
          throw new ClockStalledError(
            'the drill is waiting on something that no simulated timer will complete',
          );
        }
        if (clock.now > limit) {
          throw new ClockStalledError(`simulated time passed ${(limit - epochMs) / 1000} s without settling`);
        }
        await clock.nextAsync();
      }
      return observed;
    },
    uninstall(): void {
      clock.uninstall();
    },
  };
}
