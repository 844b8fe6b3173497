import type { ResolvedMode, StepEvent, StepName, StepResult, StepTimings } from './contracts';
import { InvalidInputError, WaitTimeoutError } from './errors';

/** One call of a reconciling step, derived from its event. */
export interface StepCall {
  readonly step: StepName;
  /** 1 on the first (acting) call; each later call adds one. */
  readonly attempt: number;
  readonly startedAt: string;
  /** The step's wait settings; `budgetMinutes` bounds the whole step. */
  readonly wait: StepTimings;
  readonly previous?: StepResult;
}

function positiveInteger(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/**
 * Start a call of `step`: count the attempt and carry `startedAt` from `event.previous`.
 * Throws {@link InvalidInputError} when the wait settings are not positive integers or `previous`
 * is another step's result.
 */
export function beginStep(step: StepName, event: StepEvent): StepCall {
  const { previous, wait } = event;
  const bad = (['budgetMinutes', 'pollSeconds', 'windowSeconds'] as const).filter(
    (k) => !positiveInteger((wait as Partial<StepTimings> | undefined)?.[k]),
  );
  if (bad.length > 0) {
    throw new InvalidInputError(
      `${step}: wait: expected positive integers for ${bad.join(', ')}, got ${JSON.stringify(wait ?? null).replaceAll('"', "'")}`,
    );
  }
  if (previous !== undefined && previous.step !== step) {
    throw new InvalidInputError(
      `${step}: previous: expected a '${step}' result, got '${String(previous.step)}'`,
    );
  }
  return {
    step,
    attempt: (previous?.attempt ?? 0) + 1,
    startedAt: previous?.startedAt ?? new Date().toISOString(),
    wait,
    ...(previous === undefined ? {} : { previous }),
  };
}

/** Seconds since the step's first call. */
export function elapsedSeconds(call: StepCall): number {
  return (Date.now() - Date.parse(call.startedAt)) / 1000;
}

/**
 * Throw {@link WaitTimeoutError} when this call is a check and the step's budget is spent while
 * `pending` is still unmet. The acting call never times out. Call it before any mutating call a
 * check would make, so a step out of budget changes nothing.
 */
export function ensureBudget(call: StepCall, pending: string): void {
  if (call.attempt === 1) return;
  const elapsed = elapsedSeconds(call);
  if (elapsed >= call.wait.budgetMinutes * 60) {
    throw new WaitTimeoutError(
      `${call.step}: goal not met after ${Math.round(elapsed)} s (budget ${call.wait.budgetMinutes} min): still ${pending}`,
    );
  }
}

interface Extra {
  /** This call changed something (so even a first-call READY is not `alreadyDone`). */
  readonly changed?: boolean;
  readonly changeId?: string;
  readonly modeUsed?: ResolvedMode;
}

function result(call: StepCall, status: StepResult['status'], detail: string, extra: Extra): StepResult {
  return {
    step: call.step,
    status,
    attempt: call.attempt,
    startedAt: call.startedAt,
    ...(status === 'READY' ? { finishedAt: new Date().toISOString() } : {}),
    alreadyDone: status === 'READY' && call.attempt === 1 && extra.changed !== true,
    detail,
    ...(extra.changeId === undefined ? {} : { changeId: extra.changeId }),
    ...(extra.modeUsed === undefined ? {} : { modeUsed: extra.modeUsed }),
  };
}

/** The step's goal is met. `alreadyDone` when this is the first call and it changed nothing. */
export function ready(call: StepCall, detail: string, extra: Extra = {}): StepResult {
  return result(call, 'READY', detail, extra);
}

/**
 * The goal is not met yet; keep polling. Throws {@link WaitTimeoutError} (naming `detail` as what
 * is pending) when this check was the last the budget allows.
 */
export function pending(call: StepCall, detail: string, extra: Extra = {}): StepResult {
  ensureBudget(call, detail);
  return result(call, 'PENDING', detail, extra);
}

/**
 * The goal is not met yet; keep polling, whatever the budget: for a goal whose budget's end is an
 * outcome the step reports itself, not an error (scale-service's `full` goal, after traffic moved).
 */
export function waiting(call: StepCall, detail: string, extra: Extra = {}): StepResult {
  return result(call, 'PENDING', detail, extra);
}
