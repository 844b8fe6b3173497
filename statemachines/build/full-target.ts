import type { FullTargetReport, ServiceGoal, StepStatus } from '../../lambdas/shared/contracts';
import { FULL_TARGET_STATES, STEP_RESULTS_PATH, STEPS } from '../../lambdas/shared/steps';
import { placeholder, type State, type TaskState } from './asl';
import { ERROR_PATH } from './failure';
import { LAMBDA_TASK_TIMEOUT_SECONDS, lambdaRetry } from './retry';

const READY: StepStatus = 'READY';
const PENDING: StepStatus = 'PENDING';
const FULL: ServiceGoal = 'full';
const STOPPED: FullTargetReport['state'] = 'STOPPED';

/**
 * After traffic moved and the old region was fenced: when the service step ended `partial`, call
 * its Lambda again with goal `full` (same wait settings, same budget: it continues the step from
 * its last result) until every service is at its target count or the budget ends. The Lambda ends
 * READY either way; an error is recorded at `$.steps.service.fullTarget` (`STOPPED`), and the run
 * goes on to `next` as promoted. When nothing is partial, one Choice and no Lambda call.
 *
 * After fencing, not before: fencing stops the old region writing (unplanned), and a poll that
 * only watches ECS place tasks already asked for must not delay it.
 */
export function scaleToFullTarget(next: string): Record<string, State> {
  const step = STEPS.service;
  const names = FULL_TARGET_STATES;
  const result = `${STEP_RESULTS_PATH}.${step.resultPath}`;
  const task: TaskState = {
    Type: 'Task',
    Resource: placeholder(step.substitution),
    Parameters: {
      'previous.$': result,
      'wait.$': `$.preflight.timings.${step.waitKey}`,
      goal: FULL,
      'runStartedAt.$': '$$.Execution.StartTime',
      'executionArn.$': '$$.Execution.Id',
    },
    ResultPath: result,
    TimeoutSeconds: LAMBDA_TASK_TIMEOUT_SECONDS,
    Retry: lambdaRetry('transientAws'),
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: ERROR_PATH, Next: names.failed }],
    Next: names.done,
  };
  const partial = `${result}.partial`;
  const status = `${result}.status`;
  return {
    [names.decide]: {
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: partial, IsPresent: true },
            { Variable: partial, BooleanEquals: true },
          ],
          Next: names.act,
        },
      ],
      Default: next,
    },
    [names.act]: task,
    [names.done]: {
      Type: 'Choice',
      Choices: [
        { Variable: status, StringEquals: READY, Next: next },
        { Variable: status, StringEquals: PENDING, Next: names.check },
      ],
      Default: names.unknown,
    },
    [names.check]: task,
    [names.unknown]: {
      Type: 'Pass',
      Parameters: {
        Error: 'UnknownStepStatus',
        Cause: `${names.act} returned a status other than ${PENDING} or ${READY}`,
      },
      ResultPath: ERROR_PATH,
      Next: names.failed,
    },
    [names.failed]: {
      Type: 'Pass',
      Comment: 'Scaling on after traffic moved is best effort: record why it stopped and finish the run.',
      Parameters: {
        state: STOPPED,
        'lines.$': `States.Array(States.Format('scaling on to the target count stopped: {}: {}', ${ERROR_PATH}.Error, ${ERROR_PATH}.Cause))`,
      },
      ResultPath: `${result}.fullTarget`,
      Next: next,
    },
  };
}
