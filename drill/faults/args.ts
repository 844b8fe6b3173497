import { DrillUsageError } from '../errors';
import type { World } from '../sim/world';

/** What every fault is made of, and how its `:argument` is read. */

/** A rerun after a failed first execution. */
export interface Rerun {
  readonly fix: () => void;
  readonly delaySeconds: number;
  /** What the progress line says before the rerun. @default 'fault fixed' */
  readonly reason?: string;
}

/** What a fault asks of the drill besides changing the world. */
export interface ScenarioEffects {
  /** Start a second execution this many simulated seconds after the first. */
  secondTriggerAfterSeconds?: number;
  /** After the first execution fails, apply `fix` and run again `delaySeconds` later. */
  rerun?: Rerun;
  /** Task states whose next invocation(s) fail with `Lambda.ServiceException`, with counts. */
  readonly lambdaServiceExceptions: Map<string, number>;
}

/** One fault: what `--fault` prints for it, its optional argument, and what it does. */
export interface FaultDefinition {
  readonly summary: string;
  /** What the optional `:argument` means, and its default. */
  readonly argument?: {
    readonly meaning: string;
    readonly default: string;
    readonly kind: 'number' | 'int' | 'name';
  };
  apply(world: World, effects: ScenarioEffects, argument: string | undefined): void;
}

export function positiveNumber(fault: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new DrillUsageError(`--fault ${fault}:${raw}: expected a positive number after ':'`);
  }
  return n;
}

export function positiveInt(fault: string, raw: string): number {
  const n = positiveNumber(fault, raw);
  if (!Number.isInteger(n))
    throw new DrillUsageError(`--fault ${fault}:${raw}: expected a whole number after ':'`);
  return n;
}
