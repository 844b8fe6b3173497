import { stepOfSubstitution } from '../../lambdas/shared/steps';

/**
 * The drill's progress lines: one per execution start and end, and per state entered, exited,
 * failed, retried or caught, stamped with simulated time (`mm:ss.s`).
 */

/** Where progress lines go (already formatted). */
export type ProgressLog = (line: string) => void;

/** A state-level interpreter event, as far as progress lines read it. */
export interface StateEvent {
  readonly at: number;
  readonly type: string;
  readonly state: string;
  readonly stateType: string;
  readonly output?: unknown;
  readonly error?: string;
}

/** Simulated seconds as `mm:ss.s`. */
export function fmtTime(t: number): string {
  const sign = t < 0 ? '-' : '';
  const a = Math.abs(t);
  const m = Math.floor(a / 60);
  const s = a - m * 60;
  return `${sign}${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}

/** ` → STATUS` for a step Lambda's Task, from the status it returned (keyed by its substitution). */
export function returnedStatus(substitution: string | undefined, output: unknown): string {
  // Where the step Lambda's result lands in the state (its Task's ResultPath).
  const key = substitution === undefined ? undefined : stepOfSubstitution(substitution)?.resultPath;
  if (key === undefined || typeof output !== 'object' || output === null) return '';
  const result = (output as Record<string, unknown>)[key];
  const status =
    typeof result === 'object' && result !== null ? (result as { status?: unknown }).status : undefined;
  return typeof status === 'string' ? ` → ${status}` : '';
}

/** States whose duration is worth a line of its own (the rest get a `·` line when left). */
const TIMED_TYPES = new Set(['Task', 'Wait', 'Parallel']);

/** Progress lines of execution number `index`. */
export class ExecutionProgress {
  private readonly tag: string;
  private readonly entered = new Map<string, number>();

  /** @param substitutionOf the definition substitution of a Task state's Lambda, if it has one */
  constructor(
    private readonly log: ProgressLog,
    index: number,
    private readonly substitutionOf: (stateName: string) => string | undefined,
  ) {
    this.tag = `#${index}`;
  }

  started(at: number, name: string, input: unknown): void {
    this.log(`${fmtTime(at)}  ${this.tag} execution ${name} started: ${JSON.stringify(input)}`);
  }

  state(ev: StateEvent): void {
    const { at, state } = ev;
    const prefix = `${fmtTime(at)}  ${this.tag}`;
    const timed = TIMED_TYPES.has(ev.stateType);
    if (ev.type === 'StateEntered') {
      this.entered.set(state, at);
      if (timed) this.log(`${prefix} ▶ ${state}`);
    } else if (ev.type === 'StateExited') {
      const took = at - (this.entered.get(state) ?? at);
      const status = ev.stateType === 'Task' ? returnedStatus(this.substitutionOf(state), ev.output) : '';
      this.log(
        timed ? `${prefix} ✔ ${state} (${took.toFixed(1)} s)${status}` : `${prefix} · ${state}${status}`,
      );
    } else if (ev.type === 'StateFailed') {
      this.log(`${prefix} ✖ ${state}: ${ev.error ?? 'failed'}`);
    } else if (ev.type === 'StateRetried') {
      this.log(`${prefix} ↻ ${state} retried`);
    } else if (ev.type === 'StateCaught') {
      this.log(`${prefix} ↪ ${state} caught`);
    }
  }

  ended(at: number, name: string, status: string, error?: string): void {
    this.log(
      `${fmtTime(at)}  ${this.tag} execution ${name} ${status}${error === undefined ? '' : `: ${error}`}`,
    );
  }
}
