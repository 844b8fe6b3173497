import type { StepStatus } from '../../lambdas/shared/contracts';
import { type StepSpec, stepStates } from '../../lambdas/shared/steps';
import { type Catcher, type ChoiceRule, placeholder, type State } from './asl';
import { ERROR_PATH, unknownStatus, unknownStatusStateName } from './failure';
import { lambdaRetry, type TransientPolicy } from './retry';

const READY: StepStatus = 'READY';
const PENDING: StepStatus = 'PENDING';

/** A first wait other than the step's default, chosen by a condition on the step's first result. */
export interface ConditionalFirstWait {
  readonly name: string;
  readonly when: ChoiceRule;
  readonly secondsPath: string;
  readonly comment: string;
}

export interface PollLoopProps {
  readonly step: StepSpec;
  readonly transient: TransientPolicy;
  /** Task parameters besides `previous`, `maxAttempts` and `executionArn`. */
  readonly parameters?: Readonly<Record<string, string>>;
  readonly conditionalFirstWaits?: readonly ConditionalFirstWait[];
  /** Where to go when the step reports READY. */
  readonly next: string;
  /** The step's failure route (Catch target and where an unknown status goes). */
  readonly onFailure: string;
}

/**
 * One poll-loop shape for every step: act, then wait the expected duration, then check every
 * `pollSeconds` until READY; the Lambda counts attempts and throws `WaitTimeoutError` past
 * `maxAttempts`. Every Task retries transient errors and catches the rest into `onFailure`.
 */
export function pollLoop(props: PollLoopProps): Record<string, State> {
  const { step } = props;
  const names = stepStates(step);
  if (step.waitKey === undefined) throw new Error(`${step.label} has no wait settings key`);
  const timings = `$.preflight.timings.${step.waitKey}`;
  const result = `$.${step.resultPath}`;
  const parameters = (previous: boolean) => ({
    ...(previous ? { 'previous.$': result } : {}),
    'maxAttempts.$': `${timings}.maxAttempts`,
    ...props.parameters,
    'executionArn.$': '$$.Execution.Id',
  });
  const catchAll: readonly Catcher[] = [
    { ErrorEquals: ['States.ALL'], ResultPath: ERROR_PATH, Next: props.onFailure },
  ];
  const task = (previous: boolean): State => ({
    Type: 'Task',
    Resource: placeholder(step.substitution),
    Parameters: parameters(previous),
    ResultPath: result,
    Retry: lambdaRetry(props.transient),
    Catch: catchAll,
    Next: names.done,
  });
  const status = (value: StepStatus): ChoiceRule => ({ Variable: `${result}.status`, StringEquals: value });
  const firstCall: ChoiceRule = { Variable: `${result}.attempt`, NumericEquals: 1 };
  const conditional = props.conditionalFirstWaits ?? [];
  const states: Record<string, State> = {
    [names.act]: task(false),
    [names.done]: {
      Type: 'Choice',
      Choices: [
        { ...status(READY), Next: props.next },
        ...conditional.map((w) => ({ And: [status(PENDING), firstCall, w.when], Next: w.name })),
        { And: [status(PENDING), firstCall], Next: names.firstWait },
        { ...status(PENDING), Next: names.poll },
      ],
      Default: unknownStatusStateName(step.label),
    },
    [names.firstWait]: {
      Type: 'Wait',
      Comment: `Wait the expected duration of ${step.label} before the first check.`,
      SecondsPath: `${timings}.expectedWaitSeconds`,
      Next: names.check,
    },
  };
  for (const w of conditional) {
    states[w.name] = { Type: 'Wait', Comment: w.comment, SecondsPath: w.secondsPath, Next: names.check };
  }
  states[names.poll] = { Type: 'Wait', SecondsPath: `${timings}.pollSeconds`, Next: names.check };
  states[names.check] = task(true);
  return { ...states, ...unknownStatus(step, [PENDING, READY]) };
}
