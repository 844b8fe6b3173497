import type { NoticeKind } from '../../lambdas/notify/run-record';
import type { RunOutcome } from '../../lambdas/record-run/record';
import type { FenceReport, PreflightStatus } from '../../lambdas/shared/contracts';
import {
  FULL_TARGET_STATES,
  NOTIFIER,
  READINESS,
  RECORDER,
  STEP_RESULTS_PATH,
  STEPS,
  type StepSpec,
  TOPIC_SUBSTITUTION,
  WORKFLOW_STATES,
} from '../../lambdas/shared/steps';
import { APPROVAL_PATH, APPROVAL_STATES, approvalGate, NOT_REQUIRED } from './approval';
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
import { scaleToFullTarget } from './full-target';
import { pollLoop } from './poll-loop';
import { READINESS_PATH, readinessCheck } from './readiness';
import { LAMBDA_TASK_TIMEOUT_SECONDS, lambdaRetry, RETRY } from './retry';

const SNS_PUBLISH = 'arn:aws:states:::sns:publish';
const PROCEED: PreflightStatus = 'PROCEED';
const NO_ACTION: readonly PreflightStatus[] = [
  'DRY_RUN',
  'ALREADY_PROMOTED',
  'IN_FLIGHT',
  'COOL_DOWN',
  'SOURCE_HEALTHY',
];
/** The readiness check every run makes at its start (the approval gate's has its own name). */
export const READINESS_CHECK = READINESS.label;
/** `readiness`: its key at the top of the state before the Parallel, under `$.steps` after it. */
const READINESS_KEY = READINESS_PATH.replace(/^\$\./, '');

/** Where the run record's link lands; the final notice prints it when present. */
export const RUN_RECORD_PATH = '$.runRecord';
/** Why the record could not be written (`{ Error, Cause }`); the run ends as it would have. */
export const RUN_RECORD_ERROR_PATH = '$.runRecordError';
/** The recorder's Task on each way a run ends, entered before that ending's notice. */
export const RECORD_STATES = {
  success: `${RECORDER.label}OnSuccess`,
  failure: `${RECORDER.label}OnFailure`,
  noAction: `${RECORDER.label}OnNoAction`,
} as const;
/** Just above the recorder's 60 s timeout (`infra/constructs/run-recorder.ts`). */
const RECORD_TASK_TIMEOUT_SECONDS = 70;

/**
 * Write the run record (`lambdas/record-run`) and put its link at {@link RUN_RECORD_PATH}, then go
 * on to the notice. Never changes how the run ends: any error is kept at
 * {@link RUN_RECORD_ERROR_PATH} and the notice goes out without a link. A few quick retries only:
 * the final notice waits on them.
 */
function recordRun(outcome: RunOutcome, next: string): TaskState {
  return {
    Type: 'Task',
    Resource: placeholder(RECORDER.substitution),
    Parameters: {
      outcome,
      'state.$': '$',
      'executionArn.$': '$$.Execution.Id',
      'startTime.$': '$$.Execution.StartTime',
    },
    ResultPath: RUN_RECORD_PATH,
    TimeoutSeconds: RECORD_TASK_TIMEOUT_SECONDS,
    Retry: [RETRY.lambdaService, { ...RETRY.transientAws, MaxAttempts: 3 }],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: RUN_RECORD_ERROR_PATH, Next: next }],
    Next: next,
  };
}

/** The raw fallback: the state as JSON on the topic, when the notify Lambda could not publish. */
function rawPublish(subject: string, next: string): TaskState {
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

/**
 * A notification that never changes how the run ends: the notify Lambda publishes readable text;
 * if it cannot, the raw state goes out on the topic instead (`<name>Raw`), and the run moves on.
 */
function notify(name: string, kind: NoticeKind, rawSubject: string, next: string): Record<string, TaskState> {
  return {
    [name]: {
      Type: 'Task',
      Resource: placeholder(NOTIFIER.substitution),
      Parameters: {
        kind,
        'state.$': '$',
        'executionArn.$': '$$.Execution.Id',
        'startTime.$': '$$.Execution.StartTime',
      },
      ResultPath: null,
      TimeoutSeconds: LAMBDA_TASK_TIMEOUT_SECONDS,
      Retry: lambdaRetry('transientAws'),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: `${name}Raw` }],
      Next: next,
    },
    [`${name}Raw`]: rawPublish(rawSubject, next),
  };
}

function preflight(): Record<string, State> {
  const step = STEPS.preflight;
  const statusIs = (value: PreflightStatus) => ({ Variable: '$.preflight.status', StringEquals: value });
  return {
    Start: {
      Type: 'Pass',
      Comment:
        'Wrap the raw input so a malformed one still reaches preflight’s validation; no approval asked for until the gate says so.',
      Parameters: { 'input.$': '$', [APPROVAL_PATH.replace(/^\$\./, '')]: NOT_REQUIRED },
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
      TimeoutSeconds: LAMBDA_TASK_TIMEOUT_SECONDS,
      Retry: lambdaRetry('transientAws'),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: ERROR_PATH, Next: failedStateName(step.label) }],
      Next: WORKFLOW_STATES.decide,
    },
    [WORKFLOW_STATES.decide]: {
      Type: 'Choice',
      Choices: [
        { ...statusIs(PROCEED), Next: APPROVAL_STATES.decide },
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
      Next: RECORD_STATES.noAction,
    },
    [RECORD_STATES.noAction]: recordRun('NO_ACTION', WORKFLOW_STATES.notifyNoAction),
    ...notify(
      WORKFLOW_STATES.notifyNoAction,
      'NO_ACTION',
      "States.Format('pilot-light: no failover to {} ({})', $.targetRegion, $.outcome)",
      WORKFLOW_STATES.noAction,
    ),
    [WORKFLOW_STATES.noAction]: { Type: 'Succeed' },
    ...approvalGate({
      proceed: WORKFLOW_STATES.parallel,
      recheck: step.label,
      notifyNoAction: RECORD_STATES.noAction,
      notifyFailure: RECORD_STATES.failure,
    }),
  };
}

/** A Parallel branch running `steps` one after the other; it ends in `<last>Ready` or fails with `<Step>/<Error>`. */
function branch(
  steps: readonly StepSpec[],
  parameters: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
) {
  const last = steps[steps.length - 1];
  if (last === undefined) throw new Error('a branch needs at least one step');
  const ready = `${last.label}Ready`;
  const states: Record<string, State> = {};
  steps.forEach((step, i) => {
    Object.assign(
      states,
      pollLoop({
        step,
        transient: 'transientAws',
        resultsPath: '$',
        ...(parameters[step.key] === undefined ? {} : { parameters: parameters[step.key] }),
        next: steps[i + 1]?.label ?? ready,
        onFailure: failedStateName(step.label),
      }),
      branchFailure(step),
    );
  });
  states[ready] = { Type: 'Succeed' };
  return { StartAt: steps[0]?.label ?? ready, States: states };
}

/**
 * The start notification, alongside the work so it costs the RTO nothing. It lists the red
 * readiness checks: evaluated here unless the approval gate already did (`$.readiness` present).
 * Nothing waits on readiness: an outage does not.
 */
function startNotificationBranch() {
  const done = 'StartNotified';
  const decide = 'Readiness?';
  return {
    StartAt: decide,
    States: {
      [decide]: {
        Type: 'Choice',
        Choices: [{ Variable: READINESS_PATH, IsPresent: true, Next: WORKFLOW_STATES.notifyStart }],
        Default: READINESS_CHECK,
      } as const,
      ...readinessCheck(READINESS_CHECK, WORKFLOW_STATES.notifyStart),
      ...notify(
        WORKFLOW_STATES.notifyStart,
        'START',
        "States.Format('pilot-light: failover to {} started', $.preflight.targetRegion)",
        done,
      ),
      [done]: { Type: 'Succeed' } as const,
    },
  };
}

/** The nested Parallel of the database branch: the instances and the S3 drain, side by side. */
export const INSTANCES_AND_DRAIN = 'InstancesAndDrain';
/** Where it leaves both results in the database branch's state. */
const INSTANCES_AND_DRAIN_KEY = 'instancesAndDrain';

/**
 * The database branch: the instances and the S3 drain side by side, then the promotion, which
 * both gate. The drain's reading does not wait for the instances, and on a failover, where it
 * only reads main's backlog once, its invocation leaves the critical path (issue 24).
 */
function databaseBranch(promotionParameters: Readonly<Record<string, string>>) {
  const { database, replication, promotion } = STEPS;
  const rest = branch([promotion], { [promotion.key]: promotionParameters });
  return {
    StartAt: INSTANCES_AND_DRAIN,
    States: {
      [INSTANCES_AND_DRAIN]: {
        Type: 'Parallel' as const,
        Comment:
          'The instances and the S3 drain side by side; a failure of either fails the branch unchanged.',
        Branches: [branch([database]), branch([replication])],
        ResultSelector: {
          [`${database.resultPath}.$`]: `$[0].${database.resultPath}`,
          [`${replication.resultPath}.$`]: `$[1].${replication.resultPath}`,
        },
        ResultPath: `$.${INSTANCES_AND_DRAIN_KEY}`,
        Next: rest.StartAt,
      },
      ...rest.States,
    },
  };
}

/**
 * The database branch adds instances and drains S3 replication side by side, then promotes:
 * `unplanned` as soon as its instances are available, `planned` once the service is ready too (the
 * promote Lambda waits for it: a switchover before this region can serve would cut writes in the
 * old one). The service scales alongside. The drain (`lambdas/drain-replication`) comes before the
 * promotion, not beside it: on a failback it waits until the DR bucket's backlog to main is 0, and
 * if that never happens the run fails with the database still where traffic is (a drain failing
 * after the switchover would leave DR serving traffic against a read-only database). On a failover
 * it reads main's backlog once and does not wait. Traffic moves after the Parallel, when both
 * branches are done.
 */
function scaleAndPromote(): Record<string, State> {
  const { database, service, promotion, replication } = STEPS;
  const name = WORKFLOW_STATES.parallel;
  const promotionParameters = {
    'mode.$': '$.preflight.mode',
    'requestedMode.$': '$.preflight.requestedMode',
  };
  return {
    [name]: {
      Type: 'Parallel',
      Comment:
        'Instances are added while the service scales, so the capacity time leaves the critical path; the S3 replication drain gates the promotion (a failback waits for the backlog, a failover only reports it); the start notification goes out alongside.',
      Branches: [databaseBranch(promotionParameters), branch([service]), startNotificationBranch()],
      ResultSelector: {
        [`${database.resultPath}.$`]: `$[0].${INSTANCES_AND_DRAIN_KEY}.${database.resultPath}`,
        [`${replication.resultPath}.$`]: `$[0].${INSTANCES_AND_DRAIN_KEY}.${replication.resultPath}`,
        [`${promotion.resultPath}.$`]: `$[0].${promotion.resultPath}`,
        [`${service.resultPath}.$`]: `$[1].${service.resultPath}`,
        // The readiness at the start, as the start branch evaluated or received it.
        [`${READINESS_KEY}.$`]: `$[2].${READINESS_KEY}`,
      },
      ResultPath: STEP_RESULTS_PATH,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: ERROR_PATH, Next: failedStateName(name) }],
      Next: STEPS.dns.label,
    },
    ...parallelFailure(name, READINESS_AFTER_FAILURE.decide),
    ...readinessAfterFailure(),
  };
}

/** When a Parallel branch fails, the start branch is stopped, its readiness report with it. */
const READINESS_AFTER_FAILURE = {
  decide: 'ReadinessAfterFailure?',
  check: `${READINESS_CHECK}AfterFailure`,
} as const;

/**
 * A branch that fails in its first seconds (e.g. a class RDS refuses) stops the start branch before
 * its readiness check returns, so neither the start notice nor the readiness report exist. Evaluate
 * it now (unless the approval gate did, before the Parallel) so the failure notice and the run
 * record say which checks were red: usually the reason it failed. The notice prints when it was
 * evaluated.
 */
function readinessAfterFailure(): Record<string, State> {
  return {
    [READINESS_AFTER_FAILURE.decide]: {
      Type: 'Choice',
      Choices: [
        { Variable: `$.stateReached.${READINESS_KEY}`, IsPresent: true, Next: RECORD_STATES.failure },
      ],
      Default: READINESS_AFTER_FAILURE.check,
    },
    ...readinessCheck(READINESS_AFTER_FAILURE.check, RECORD_STATES.failure),
  };
}

function dns(): Record<string, State> {
  const step = STEPS.dns;
  const { promotion, service } = STEPS;
  return {
    ...pollLoop({
      step,
      transient: 'transientAws',
      resultsPath: STEP_RESULTS_PATH,
      // The claim is dated from when both were ready (see lambdas/shared/publish-claim.ts).
      parameters: {
        'promotedAt.$': `${STEP_RESULTS_PATH}.${promotion.resultPath}.finishedAt`,
        'servingAt.$': `${STEP_RESULTS_PATH}.${service.resultPath}.finishedAt`,
      },
      next: WORKFLOW_STATES.notifyTrafficMoved,
      onFailure: failedStateName(step.label),
    }),
    ...topLevelFailure(step, RECORD_STATES.failure),
    ...notify(
      WORKFLOW_STATES.notifyTrafficMoved,
      'TRAFFIC_MOVED',
      "States.Format('pilot-light: traffic moved to {}', $.preflight.targetRegion)",
      STEPS.fence.label,
    ),
  };
}

/**
 * Traffic has moved: stop the old region writing (unplanned) and release its traffic claim, best
 * effort. The Lambda reports what it could not do (state PENDING with the commands) instead of
 * failing; anything else that goes wrong here is recorded the same way, and the run still succeeds.
 * Then, only when the service step ended partial, scaling goes on to every target count
 * ({@link scaleToFullTarget}).
 */
function fence(): Record<string, State> {
  const step = STEPS.fence;
  const pending: FenceReport = { state: 'PENDING', done: [], commands: [] };
  return {
    ...pollLoop({
      step,
      transient: 'transientAws',
      resultsPath: STEP_RESULTS_PATH,
      parameters: { 'modeUsed.$': `${STEP_RESULTS_PATH}.${STEPS.promotion.resultPath}.modeUsed` },
      next: FULL_TARGET_STATES.decide,
      onFailure: failedStateName(step.label),
    }),
    [failedStateName(step.label)]: {
      Type: 'Pass',
      Comment: 'Fencing is best effort after traffic moved: record it as pending and finish the run.',
      Parameters: {
        step: step.key,
        status: 'READY',
        alreadyDone: false,
        'detail.$': `States.Format('fencing not done: {}: {}', ${ERROR_PATH}.Error, ${ERROR_PATH}.Cause)`,
        fence: pending,
      },
      ResultPath: `${STEP_RESULTS_PATH}.${step.resultPath}`,
      Next: FULL_TARGET_STATES.decide,
    },
    ...scaleToFullTarget('Summarize'),
  };
}

function success(): Record<string, State> {
  const { promotion } = STEPS;
  return {
    Summarize: {
      Type: 'Pass',
      Parameters: {
        outcome: 'PROMOTED',
        'mode.$': `${STEP_RESULTS_PATH}.${promotion.resultPath}.modeUsed`,
        'requestedMode.$': '$.preflight.requestedMode',
        'reason.$': '$.preflight.reason',
        'targetRegion.$': '$.preflight.targetRegion',
        'sourceRegion.$': '$.preflight.sourceRegion',
        'executionStartedAt.$': '$$.Execution.StartTime',
        'steps.$': STEP_RESULTS_PATH,
        [`${READINESS_KEY}.$`]: `${STEP_RESULTS_PATH}.${READINESS_KEY}`,
        'approval.$': APPROVAL_PATH,
      },
      Next: RECORD_STATES.success,
    },
    [RECORD_STATES.success]: recordRun('PROMOTED', WORKFLOW_STATES.notifySuccess),
    ...notify(
      WORKFLOW_STATES.notifySuccess,
      'PROMOTED',
      "States.Format('pilot-light: {} promoted ({})', $.targetRegion, $.mode)",
      WORKFLOW_STATES.promoted,
    ),
    [WORKFLOW_STATES.promoted]: { Type: 'Succeed' },
  };
}

function failure(): Record<string, State> {
  return {
    ...topLevelFailure(STEPS.preflight, RECORD_STATES.failure),
    [RECORD_STATES.failure]: recordRun('FAILED', WORKFLOW_STATES.notifyFailure),
    ...notify(
      WORKFLOW_STATES.notifyFailure,
      'FAILED',
      "States.Format('pilot-light: failover FAILED at {}', $.failedStep)",
      WORKFLOW_STATES.failed,
    ),
    [WORKFLOW_STATES.failed]: { Type: 'Fail', ErrorPath: '$.error', CausePath: '$.cause' },
  };
}

/**
 * The failover workflow, built from the step table: preflight, the optional approval gate, then the
 * database and the service in parallel (readiness evaluated and the start notified alongside), then
 * the promotion, then traffic, then fencing the old region (best effort), then, when some service
 * served below its target count, scaling on to it (best effort); every failure before traffic moved
 * is notified as a failure.
 */
export function buildFailoverDefinition(): Definition {
  // No TimeoutSeconds: an execution timeout ends the run without the failure notification. Every
  // wait is bounded by its step's budget and every retry by its policy instead.
  return {
    Comment:
      'pilot-light: promote this region (add instances to the headless Aurora cluster and switch or fail over the global database, while the ECS service scales; then move traffic through Route 53’s data plane and fence the old region). Generated by `npm run gen:definition` from statemachines/build/; do not edit by hand.',
    StartAt: 'Start',
    States: { ...preflight(), ...scaleAndPromote(), ...dns(), ...fence(), ...success(), ...failure() },
  };
}
