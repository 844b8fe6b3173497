import type { StepSpec } from '../../lambdas/shared/steps';
import type { FailState, PassState, State } from './asl';

/**
 * One way to route a failure. Every path that ends an execution in failure records what failed
 * (`<Step>Failed`), publishes the failure notification and only then reaches the Fail state; the
 * graph test (`test/statemachines/graph.test.ts`) walks the definition to hold us to it.
 */

/** Where a caught error lands in the state: `{ Error, Cause }`. */
export const ERROR_PATH = '$.error';

/** Separates the step's label from the error name in a Parallel branch's failure (`Step/Error`). */
const BRANCH_ERROR_SEPARATOR = '/';

export function failedStateName(label: string): string {
  return `${label}Failed`;
}

export function unknownStatusStateName(label: string): string {
  return `${label}StatusUnknown`;
}

/** The failure record the notification carries; `failedStep` is the step's label. */
function failureRecord(
  failedStep: string | { readonly path: string },
  error: string,
  next: string,
): PassState {
  return {
    Type: 'Pass',
    Parameters: {
      outcome: 'FAILED',
      ...(typeof failedStep === 'string' ? { failedStep } : { 'failedStep.$': failedStep.path }),
      'error.$': error,
      'cause.$': `${ERROR_PATH}.Cause`,
      'stateReached.$': '$',
    },
    Next: next,
  };
}

/** A top-level step's failure route: record the failure, then notify (`notify`). */
export function topLevelFailure(step: StepSpec, notify: string): Record<string, State> {
  return stateFailure(step.label, notify);
}

/** The failure route of a top-level state that is not a step (e.g. the approval request). */
export function stateFailure(label: string, notify: string): Record<string, State> {
  return { [failedStateName(label)]: failureRecord(label, `${ERROR_PATH}.Error`, notify) };
}

/**
 * A step's Choice found a status it does not know: treat it as the step failing (so it is
 * notified), with `UnknownStepStatus` as the error.
 */
export function unknownStatus(step: StepSpec, known: readonly string[]): Record<string, PassState> {
  return {
    [unknownStatusStateName(step.label)]: {
      Type: 'Pass',
      Parameters: {
        Error: 'UnknownStepStatus',
        Cause: `${step.label} returned a status other than ${known.join(' or ')}`,
      },
      ResultPath: ERROR_PATH,
      Next: failedStateName(step.label),
    },
  };
}

/**
 * Inside a Parallel branch the notification cannot be reached (state names are unique per
 * machine), so the branch fails with `<Step>/<Error>`: Step Functions then stops the other branch
 * at once, and the Parallel's Catch ({@link parallelFailure}) recovers both parts.
 */
export function branchFailure(step: StepSpec): Record<string, State> {
  const stop: FailState = {
    Type: 'Fail',
    ErrorPath: `${ERROR_PATH}.Error`,
    CausePath: `${ERROR_PATH}.Cause`,
  };
  return {
    [failedStateName(step.label)]: {
      Type: 'Pass',
      Parameters: {
        'Error.$': `States.Format('${step.label}${BRANCH_ERROR_SEPARATOR}{}', ${ERROR_PATH}.Error)`,
        'Cause.$': `${ERROR_PATH}.Cause`,
      },
      ResultPath: ERROR_PATH,
      Next: `${step.label}Stopped`,
    },
    [`${step.label}Stopped`]: stop,
  };
}

/** The Parallel's failure route: split `<Step>/<Error>` back into the failed step and its error. */
export function parallelFailure(parallelName: string, notify: string): Record<string, State> {
  const part = (i: number) =>
    `States.ArrayGetItem(States.StringSplit(${ERROR_PATH}.Error, '${BRANCH_ERROR_SEPARATOR}'), ${i})`;
  return { [failedStateName(parallelName)]: failureRecord({ path: part(0) }, part(1), notify) };
}
