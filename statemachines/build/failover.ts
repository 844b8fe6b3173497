import type { PreflightStatus } from '../../lambdas/shared/contracts';
import { STEPS, type StepSpec, TOPIC_SUBSTITUTION, WORKFLOW_STATES } from '../../lambdas/shared/steps';
import { type Definition, placeholder, type State, type TaskState } from './asl';
import {
  branchFailure,
  ERROR_PATH,
  failedStateName,
  parallelFailure,
  topLevelFailure,
  unknownStatus,
  unknownStatusStateName,
} from './failure';
import { pollLoop } from './poll-loop';
import { lambdaRetry, RETRY } from './retry';

const SNS_PUBLISH = 'arn:aws:states:::sns:publish';
const PROCEED: PreflightStatus = 'PROCEED';
const NO_ACTION: readonly PreflightStatus[] = ['DRY_RUN', 'ALREADY_PROMOTED', 'IN_FLIGHT', 'COOL_DOWN'];

/** Bounds the whole execution should every step's own budget fail to; far above their sum. */
const EXECUTION_TIMEOUT_SECONDS = 7200;

/** An SNS publish whose own failure never changes how the run ends. */
function notify(subject: string, next: string): TaskState {
  return {
    Type: 'Task',
    Resource: SNS_PUBLISH,
    Parameters: {
      TopicArn: placeholder(TOPIC_SUBSTITUTION),
      'Subject.$': subject,
      'Message.$': 'States.JsonToString($)',
    },
    ResultPath: null,
    Retry: [RETRY.notification],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }],
    Next: next,
  };
}

function preflight(): Record<string, State> {
  const step = STEPS.preflight;
  const statusIs = (value: PreflightStatus) => ({ Variable: '$.preflight.status', StringEquals: value });
  return {
    Start: {
      Type: 'Pass',
      Comment: 'Wrap the raw input so a malformed one still reaches preflight’s validation.',
      Parameters: { 'input.$': '$' },
      Next: step.label,
    },
    [step.label]: {
      Type: 'Task',
      Resource: placeholder(step.substitution),
      Parameters: {
        'input.$': '$.input',
        'executionArn.$': '$$.Execution.Id',
        'startTime.$': '$$.Execution.StartTime',
        'stateMachineArn.$': '$$.StateMachine.Id',
      },
      ResultPath: `$.${step.resultPath}`,
      Retry: lambdaRetry('transientAws'),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: ERROR_PATH, Next: failedStateName(step.label) }],
      Next: WORKFLOW_STATES.decide,
    },
    [WORKFLOW_STATES.decide]: {
      Type: 'Choice',
      Choices: [
        { ...statusIs(PROCEED), Next: WORKFLOW_STATES.capacity },
        { Or: NO_ACTION.map(statusIs), Next: 'ReportNoAction' },
      ],
      Default: unknownStatusStateName(step.label),
    },
    ...unknownStatus(step, [PROCEED, ...NO_ACTION]),
    ReportNoAction: {
      Type: 'Pass',
      Parameters: {
        'outcome.$': '$.preflight.status',
        'message.$': '$.preflight.message',
        'reason.$': '$.preflight.reason',
        'targetRegion.$': '$.preflight.targetRegion',
        'preflight.$': '$.preflight',
      },
      Next: WORKFLOW_STATES.notifyNoAction,
    },
    [WORKFLOW_STATES.notifyNoAction]: notify(
      "States.Format('pilot-light: no failover to {} ({})', $.targetRegion, $.outcome)",
      WORKFLOW_STATES.noAction,
    ),
    [WORKFLOW_STATES.noAction]: { Type: 'Succeed' },
  };
}

/** A Parallel branch running one capacity step; it ends in `<Step>Ready` or fails with `<Step>/<Error>`. */
function capacityBranch(step: StepSpec) {
  const ready = `${step.label}Ready`;
  return {
    StartAt: step.label,
    States: {
      ...pollLoop({ step, transient: 'transientAws', next: ready, onFailure: failedStateName(step.label) }),
      ...branchFailure(step),
      [ready]: { Type: 'Succeed' } as const,
    },
  };
}

function capacity(): Record<string, State> {
  const { database, service } = STEPS;
  return {
    [WORKFLOW_STATES.capacity]: {
      Type: 'Parallel',
      Comment:
        'The headless cluster gets instances while the service scales: the capacity time leaves the critical path.',
      Branches: [capacityBranch(database), capacityBranch(service)],
      ResultSelector: {
        [`${database.resultPath}.$`]: `$[0].${database.resultPath}`,
        [`${service.resultPath}.$`]: `$[1].${service.resultPath}`,
      },
      ResultPath: '$.capacity',
      Catch: [
        {
          ErrorEquals: ['States.ALL'],
          ResultPath: ERROR_PATH,
          Next: failedStateName(WORKFLOW_STATES.capacity),
        },
      ],
      Next: STEPS.promotion.label,
    },
    ...parallelFailure(WORKFLOW_STATES.capacity, WORKFLOW_STATES.notifyFailure),
  };
}

function promotion(): Record<string, State> {
  const step = STEPS.promotion;
  return {
    ...pollLoop({
      step,
      transient: 'transientAws',
      parameters: { 'mode.$': '$.preflight.mode', 'requestedMode.$': '$.preflight.requestedMode' },
      conditionalFirstWaits: [
        {
          name: `${step.label}WaitFailover`,
          when: { Variable: `$.${step.resultPath}.modeUsed`, StringEquals: 'unplanned' },
          secondsPath: `$.preflight.timings.${step.waitKey}.unplannedExpectedWaitSeconds`,
          comment: 'A failover (AllowDataLoss) usually finishes sooner than a switchover.',
        },
      ],
      next: STEPS.dns.label,
      onFailure: failedStateName(step.label),
    }),
    ...topLevelFailure(step, WORKFLOW_STATES.notifyFailure),
  };
}

function dns(): Record<string, State> {
  const step = STEPS.dns;
  return {
    ...pollLoop({
      step,
      transient: 'route53ControlPlane',
      next: 'Summarize',
      onFailure: failedStateName(step.label),
    }),
    ...topLevelFailure(step, WORKFLOW_STATES.notifyFailure),
  };
}

function success(): Record<string, State> {
  const { database, service, promotion, dns } = STEPS;
  return {
    Summarize: {
      Type: 'Pass',
      Parameters: {
        outcome: 'PROMOTED',
        'mode.$': `$.${promotion.resultPath}.modeUsed`,
        'requestedMode.$': '$.preflight.requestedMode',
        'reason.$': '$.preflight.reason',
        'targetRegion.$': '$.preflight.targetRegion',
        'sourceRegion.$': '$.preflight.sourceRegion',
        'executionStartedAt.$': '$$.Execution.StartTime',
        steps: {
          [`${database.key}.$`]: `$.capacity.${database.resultPath}`,
          [`${service.key}.$`]: `$.capacity.${service.resultPath}`,
          [`${promotion.key}.$`]: `$.${promotion.resultPath}`,
          [`${dns.key}.$`]: `$.${dns.resultPath}`,
        },
      },
      Next: WORKFLOW_STATES.notifySuccess,
    },
    [WORKFLOW_STATES.notifySuccess]: notify(
      "States.Format('pilot-light: {} promoted ({})', $.targetRegion, $.mode)",
      WORKFLOW_STATES.promoted,
    ),
    [WORKFLOW_STATES.promoted]: { Type: 'Succeed' },
  };
}

function failure(): Record<string, State> {
  return {
    ...topLevelFailure(STEPS.preflight, WORKFLOW_STATES.notifyFailure),
    [WORKFLOW_STATES.notifyFailure]: notify(
      "States.Format('pilot-light: failover FAILED at {}', $.failedStep)",
      WORKFLOW_STATES.failed,
    ),
    [WORKFLOW_STATES.failed]: { Type: 'Fail', ErrorPath: '$.error', CausePath: '$.cause' },
  };
}

/**
 * The failover workflow, built from the step table: preflight, then the database and the service
 * in parallel, then the promotion, then DNS; every failure is notified.
 */
export function buildFailoverDefinition(): Definition {
  return {
    Comment:
      'pilot-light: promote this region (scale the headless Aurora cluster and the ECS service, switch or fail over the global database, flip Route 53). Generated by `npm run gen:definition` from statemachines/build/; do not edit by hand.',
    StartAt: 'Start',
    TimeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
    States: { ...preflight(), ...capacity(), ...promotion(), ...dns(), ...success(), ...failure() },
  };
}
