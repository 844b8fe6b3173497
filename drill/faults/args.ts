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
  /**
   * What the optional `:argument` means, and its default. `kind` is how it is read: a positive
   * number, a whole one, a name, or `name-int`: a name, a whole number or both (`name:int`, see
   * {@link nameAndInt}).
   */
  readonly argument?: {
    readonly meaning: string;
    readonly default: string;
    readonly kind: 'number' | 'int' | 'name' | 'name-int';
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

/** A name is lower case and starts with a letter (as config entry names do); a count is digits. */
const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Read a `name-int` argument: `name`, `int` or `name:int` (a name never starts with a digit, so the
 * two never mix up). Either part may be absent; the caller applies the defaults.
 */
export function nameAndInt(fault: string, raw: string): { readonly name?: string; readonly count?: number } {
  const parts = raw.split(':');
  const [first = '', second] = parts;
  if (parts.length > 2 || (second !== undefined && !NAME.test(first))) {
    throw new DrillUsageError(
      `--fault ${fault}:${raw}: expected name, a whole number, or name:number after ':'`,
    );
  }
  if (second !== undefined) return { name: first, count: positiveInt(fault, second) };
  return NAME.test(first) ? { name: first } : { count: positiveInt(fault, first) };
}
