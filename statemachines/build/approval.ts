import type { NoticeKind } from '../../lambdas/notify/run-record';
import { APPROVAL_DENIED_ERROR, type ApprovalTimeoutAction } from '../../lambdas/shared/approval';
import type { ApprovalDecision, NoActionOutcome } from '../../lambdas/shared/contracts';
import { NOTIFIER, WORKFLOW_STATES } from '../../lambdas/shared/steps';
import { placeholder, type State } from './asl';
import { ERROR_PATH, failedStateName, stateFailure } from './failure';
import { READINESS_PATH, readinessCheck } from './readiness';
import { lambdaRetry } from './retry';

/** Lambda invoked with a task token: the Task waits for SendTaskSuccess or SendTaskFailure. */
export const LAMBDA_INVOKE_WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The states of the approval gate (the notify Lambda's request is `AwaitApproval`). */
export const APPROVAL_STATES = {
  decide: 'Approval?',
  readiness: 'CheckReadinessForApproval',
  await: WORKFLOW_STATES.approval,
  failed: failedStateName(WORKFLOW_STATES.approval),
  denied: 'ApprovalDenied',
  timedOut: 'ApprovalTimedOut?',
  stop: 'ApprovalTimedOut',
  proceed: 'ApprovalTimedOutProceed',
} as const;

/** Where the approval's answer lands: SendTaskSuccess's output, or what the gate decided. */
export const APPROVAL_PATH = '$.approval';
/** Where a deny or a timeout lands (`{ Error, Cause }`): the denier's reason is the Cause. */
const APPROVAL_ERROR_PATH = '$.approvalError';

/** What `$.approval` holds before the gate: no approval asked for (the Start state sets it). */
export const NOT_REQUIRED: ApprovalDecision = { outcome: 'NOT_REQUIRED' };

const APPROVAL_REQUESTED: NoticeKind = 'APPROVAL_REQUESTED';
const PROCEED_ON_TIMEOUT: ApprovalTimeoutAction = 'proceed';
const DENIED: NoActionOutcome = 'DENIED';
const TIMED_OUT: NoActionOutcome = 'APPROVAL_TIMED_OUT';
const PROCEEDED: ApprovalDecision['outcome'] = 'TIMED_OUT_PROCEEDED';
/** `$.approval.outcome` of a run the gate has let through. */
const PASSED: readonly ApprovalDecision['outcome'][] = ['APPROVED', PROCEEDED];

/** The no-action record the NO_ACTION notice reads (same shape as `ReportNoAction`'s). */
function noAction(outcome: NoActionOutcome, message: string, next: string): State {
  return {
    Type: 'Pass',
    Parameters: {
      outcome,
      'message.$': message,
      'reason.$': '$.preflight.reason',
      'targetRegion.$': '$.preflight.targetRegion',
      'preflight.$': '$.preflight',
      'readiness.$': READINESS_PATH,
      approval: { outcome, 'cause.$': `${APPROVAL_ERROR_PATH}.Cause` },
    },
    Next: next,
  };
}

export interface ApprovalRoutes {
  /** Where a run that needs no approval, or has it, goes: the first state that changes anything. */
  readonly proceed: string;
  /**
   * Where a run goes once approved (or proceeding on timeout): preflight again, so what it does
   * rests on reads made after the wait (mode, what is done, another run), not before it.
   */
  readonly recheck: string;
  /** The no-action notification (then the run ends without acting). */
  readonly notifyNoAction: string;
  readonly notifyFailure: string;
}

/**
 * The optional approval gate, after preflight decided to proceed and before anything changes:
 * when `$.preflight.approval.required`, evaluate readiness (so the request can list red checks),
 * then ask through the notify Lambda with a task token and wait up to
 * `$.preflight.approval.timeoutSeconds`. Approve → preflight again, then on (the gate lets an
 * approved run through); deny → no action (notified); timeout → `onTimeout` (proceed like an
 * approval, or stop notified); a request that could not be sent → notified failure (a request nobody
 * hears about must not hold the run for the whole timeout).
 */
export function approvalGate(routes: ApprovalRoutes): Record<string, State> {
  const s = APPROVAL_STATES;
  return {
    [s.decide]: {
      Type: 'Choice',
      Choices: [
        // Back from the recheck after the gate: already approved (or proceeding on timeout).
        {
          Or: PASSED.map((outcome) => ({ Variable: `${APPROVAL_PATH}.outcome`, StringEquals: outcome })),
          Next: routes.proceed,
        },
        {
          And: [
            { Variable: '$.preflight.approval', IsPresent: true },
            { Variable: '$.preflight.approval.required', BooleanEquals: true },
          ],
          Next: s.readiness,
        },
      ],
      Default: routes.proceed,
    },
    ...readinessCheck(s.readiness, s.await),
    [s.await]: {
      Type: 'Task',
      Comment:
        'The notify Lambda publishes the approval request and returns; the run waits here for `npm run failover -- approve|deny` (SendTaskSuccess / SendTaskFailure) or the timeout.',
      Resource: LAMBDA_INVOKE_WAIT_FOR_TOKEN,
      Parameters: {
        FunctionName: placeholder(NOTIFIER.substitution),
        Payload: {
          kind: APPROVAL_REQUESTED,
          'state.$': '$',
          'executionArn.$': '$$.Execution.Id',
          'startTime.$': '$$.Execution.StartTime',
          'taskToken.$': '$$.Task.Token',
        },
      },
      TimeoutSecondsPath: '$.preflight.approval.timeoutSeconds',
      ResultPath: APPROVAL_PATH,
      Retry: lambdaRetry('transientAws'),
      Catch: [
        { ErrorEquals: [APPROVAL_DENIED_ERROR], ResultPath: APPROVAL_ERROR_PATH, Next: s.denied },
        { ErrorEquals: ['States.Timeout'], ResultPath: APPROVAL_ERROR_PATH, Next: s.timedOut },
        { ErrorEquals: ['States.ALL'], ResultPath: ERROR_PATH, Next: s.failed },
      ],
      Next: routes.recheck,
    },
    ...stateFailure(s.await, routes.notifyFailure),
    [s.denied]: noAction(
      DENIED,
      `States.Format('approval denied: {}', ${APPROVAL_ERROR_PATH}.Cause)`,
      routes.notifyNoAction,
    ),
    [s.timedOut]: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.preflight.approval.onTimeout', StringEquals: PROCEED_ON_TIMEOUT, Next: s.proceed },
      ],
      // Anything but an explicit proceed stops: changing AWS needs someone's (or the config's) yes.
      Default: s.stop,
    },
    [s.stop]: noAction(
      TIMED_OUT,
      "States.Format('nobody approved or denied within {} s, and failover.approval.onTimeout is stop', $.preflight.approval.timeoutSeconds)",
      routes.notifyNoAction,
    ),
    [s.proceed]: {
      Type: 'Pass',
      Comment: 'Nobody answered and failover.approval.onTimeout is proceed.',
      Parameters: {
        outcome: PROCEEDED,
        'timeoutSeconds.$': '$.preflight.approval.timeoutSeconds',
      },
      ResultPath: APPROVAL_PATH,
      Next: routes.recheck,
    },
  };
}
