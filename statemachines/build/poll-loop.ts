import type { StepStatus } from '../../lambdas/shared/contracts';
import { type StepSpec, stepStates } from '../../lambdas/shared/steps';
import { type Catcher, type ChoiceRule, placeholder, type State } from './asl';
import { ERROR_PATH, unknownStatus, unknownStatusStateName } from './failure';
import { LAMBDA_TASK_TIMEOUT_SECONDS, lambdaRetry, type TransientPolicy } from './retry';

const READY: StepStatus = 'READY';
const PENDING: StepStatus = 'PENDING';

export interface PollLoopProps {
  readonly step: StepSpec;
  readonly transient: TransientPolicy;
  /** Where the step's result lands: `$` inside a Parallel branch, `$.steps` at the top level. */
  readonly resultsPath: string;
  /** Task parameters besides `previous`, `wait` and `executionArn`. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Where to go when the step reports READY. */
  readonly next: string;
  /** The step's failure route (Catch target and where an unknown status goes). */
  readonly onFailure: string;
}

/**
 * One poll-loop shape for every step: the act Task, then the check Task until READY. There is no
 * Wait state: each invocation reads AWS every `pollSeconds` for up to `windowSeconds`
 * (`lambdas/shared/step-loop.ts`), so a step ends within a poll of AWS finishing at two
 * transitions per window, and the Lambda throws `WaitTimeoutError` once `budgetMinutes` are spent.
 * Every Task retries transient errors and catches the rest into `onFailure`.
 */
export function pollLoop(props: PollLoopProps): Record<string, State> {
  const { step } = props;
  const names = stepStates(step);
  if (step.waitKey === undefined) throw new Error(`${step.label} has no wait settings key`);
  const result = `${props.resultsPath}.${step.resultPath}`;
  const parameters = (previous: boolean) => ({
    ...(previous ? { 'previous.$': result } : {}),
    'wait.$': `$.preflight.timings.${step.waitKey}`,
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
    TimeoutSeconds: LAMBDA_TASK_TIMEOUT_SECONDS,
    Retry: lambdaRetry(props.transient),
    Catch: catchAll,
    Next: names.done,
  });
  const status = (value: StepStatus): ChoiceRule => ({ Variable: `${result}.status`, StringEquals: value });
  return {
    [names.act]: task(false),
    [names.done]: {
      Type: 'Choice',
      Choices: [
        { ...status(READY), Next: props.next },
        { ...status(PENDING), Next: names.check },
      ],
      Default: unknownStatusStateName(step.label),
    },
    [names.check]: task(true),
    ...unknownStatus(step, [PENDING, READY]),
  };
}
