import type { ResolvedMode, StepEvent, StepName, StepResult } from './contracts';
import { InvalidInputError, WaitTimeoutError } from './errors';

/** One call of a reconciling step, derived from its event. */
export interface StepCall {
  readonly step: StepName;
  /** 1 on the first (acting) call; each check adds one. */
  readonly attempt: number;
  readonly startedAt: string;
  /** Checks allowed after the acting call (`maxAttempts` in the timings config). */
  readonly maxAttempts: number;
  readonly previous?: StepResult;
}

/**
 * Start a call of `step`: count the attempt and carry `startedAt` from `event.previous`.
 * Throws {@link InvalidInputError} when `maxAttempts` is not a positive integer or `previous` is
 * another step's result.
 */
export function beginStep(step: StepName, event: StepEvent): StepCall {
  const { previous, maxAttempts } = event;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InvalidInputError(
      `${step}: maxAttempts: expected a positive integer, got ${String(maxAttempts)}`,
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
    maxAttempts,
    ...(previous === undefined ? {} : { previous }),
  };
}

/**
 * Throw {@link WaitTimeoutError} when this call is a check and the check budget is spent while
 * `pending` is still unmet. The acting call never times out. Call it before any mutating call a
 * check would make, so a step out of budget changes nothing.
 */
export function ensureBudget(call: StepCall, pending: string): void {
  const checks = call.attempt - 1;
  if (checks >= call.maxAttempts) {
    throw new WaitTimeoutError(
      `${call.step}: goal not met after ${checks} check(s) (maxAttempts ${call.maxAttempts}): still ${pending}`,
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
