import { installSimulatedAws } from '../sim/install';
import { installEnvironmentView } from '../sim/invocation';
import type { World } from '../sim/world';
import { captureOutput, type OutputCapture } from './capture';
import type { ProgressLog } from './progress';
import { installVirtualClock, type VirtualClock } from './virtual-clock';

/** Simulated second 0 of every drill (fixed, so reports are reproducible). */
export const DRILL_EPOCH_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

/**
 * The process-wide environment a drill runs in, installed together and removed together: the
 * virtual clock at the world's second 0, captured handler output, a per-invocation
 * `process.env`, and every SDK client answered by the simulated world.
 */
export class Simulation {
  private constructor(
    readonly world: World,
    private readonly clock: VirtualClock,
    private readonly capture: OutputCapture,
    private readonly restore: readonly (() => void)[],
  ) {}

  /** Install the simulation of `world`; {@link Simulation.stop} removes it. */
  static start(world: World): Simulation {
    const clock = installVirtualClock(world.clock.epochMs);
    const capture = captureOutput();
    const restoreEnv = installEnvironmentView();
    const restoreAws = installSimulatedAws(world);
    return new Simulation(world, clock, capture, [restoreAws, restoreEnv]);
  }

  /** `log` writing to the real stdout/stderr, past the capture. */
  bypass(log: ProgressLog): ProgressLog {
    return (line) => this.capture.bypass(() => log(line));
  }

  /** Run `work` to completion, moving simulated time whenever nothing else can progress. */
  drive<T>(work: Promise<T>): Promise<T> {
    return this.clock.drive(work);
  }

  /** Handler logs and SDK warnings written while the simulation ran (complete once stopped). */
  get handlerOutput(): readonly string[] {
    return this.capture.lines;
  }

  /** Remove everything {@link Simulation.start} installed. */
  stop(): void {
    for (const undo of this.restore) undo();
    this.capture.restore();
    this.clock.uninstall();
  }
}
