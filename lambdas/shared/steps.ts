/**
 * The failover's steps, each named once. Infra (construct ids, definition substitutions), the
 * definition builder (`statemachines/build/`), the drill (report, analysis, faults) and the tests
 * derive every name from this table: an operator reading the execution history, a notification
 * and a drill report sees one name per step.
 */

/** Keys of the steps; also the keys of their wait settings (`failover.<key>` in the config). */
export const STEP_KEYS = [
  'preflight',
  'database',
  'service',
  'replication',
  'promotion',
  'dns',
  'fence',
] as const;
export type StepKey = (typeof STEP_KEYS)[number];

/** The steps that poll until AWS finishes (all but preflight). */
export const POLLED_STEP_KEYS = ['database', 'service', 'replication', 'promotion', 'dns', 'fence'] as const;
export type PolledStepKey = (typeof POLLED_STEP_KEYS)[number];

export interface StepSpec {
  readonly key: StepKey;
  /**
   * The step's one name: the state that acts, the Lambda's construct id, the label in the failure
   * notification and in the drill report.
   */
  readonly label: string;
  /** Source folder of the step's Lambda (`<folder>/index.ts` exports `handler`). */
  readonly folder: string;
  /** The Task state that calls the Lambda again to check progress (polled steps only). */
  readonly check?: string;
  /** Where the step's result lands in the execution state (`$.<resultPath>`). */
  readonly resultPath: string;
  /** `failover.<waitKey>` in the config: wait and poll settings (polled steps only). */
  readonly waitKey?: PolledStepKey;
  /** The definition substitution carrying the Lambda's ARN. */
  readonly substitution: string;
}

function polled(key: PolledStepKey, label: string, folder: string): StepSpec {
  return {
    key,
    label,
    folder,
    check: `${label}Check`,
    resultPath: key,
    waitKey: key,
    substitution: `${label}FunctionArn`,
  };
}

/** The table. Order is the order a failover runs them (database and service run in parallel). */
export const STEPS: Readonly<Record<StepKey, StepSpec>> = {
  preflight: {
    key: 'preflight',
    label: 'Preflight',
    folder: 'lambdas/preflight',
    resultPath: 'preflight',
    substitution: 'PreflightFunctionArn',
  },
  database: polled('database', 'ScaleDatabase', 'lambdas/scale-database'),
  service: polled('service', 'ScaleService', 'lambdas/scale-service'),
  // Alongside database and service: a failback waits for DR's objects to reach main; a failover only reports main's backlog.
  replication: polled('replication', 'DrainReplication', 'lambdas/drain-replication'),
  promotion: polled('promotion', 'PromoteDatabase', 'lambdas/promote-database'),
  dns: polled('dns', 'FlipDns', 'lambdas/flip-dns'),
  fence: polled('fence', 'FenceSource', 'lambdas/fence-source'),
};

/**
 * The steps whose goals, all met, make a region promoted: preflight reads them and a rerun skips
 * those met. The S3 drain and fencing are never found done: both only read or tidy, and are cheap
 * to repeat.
 */
export const PROMOTION_GOAL_KEYS = [
  'database',
  'service',
  'promotion',
  'dns',
] as const satisfies readonly PolledStepKey[];
export type PromotionGoalKey = (typeof PROMOTION_GOAL_KEYS)[number];

/** Whether each polled step is already done: `found` for the goal steps, false for every other. */
export function stepsDone(
  found: Readonly<Partial<Record<PromotionGoalKey, boolean>>> = {},
): Record<PolledStepKey, boolean> {
  const done = Object.fromEntries(POLLED_STEP_KEYS.map((k) => [k, false])) as Record<PolledStepKey, boolean>;
  for (const k of PROMOTION_GOAL_KEYS) done[k] = found[k] ?? false;
  return done;
}

/** Steps in table order. */
export const STEP_LIST: readonly StepSpec[] = STEP_KEYS.map((k) => STEPS[k]);

/**
 * Names of the states the definition builder makes around a polled step. Derived here so the
 * builder, the drill and the tests agree without repeating strings.
 */
export function stepStates(step: StepSpec): {
  readonly act: string;
  readonly check: string;
  readonly done: string;
  readonly failed: string;
} {
  return {
    act: step.label,
    check: step.check ?? `${step.label}Check`,
    done: `${step.label}Done?`,
    failed: `${step.label}Failed`,
  };
}

/** The step whose act or check state is `stateName`, if any. */
export function stepOfState(stateName: string): StepSpec | undefined {
  return STEP_LIST.find((s) => s.label === stateName || s.check === stateName);
}

/** The step bound to a definition substitution key (e.g. `PromoteDatabaseFunctionArn`). */
export function stepOfSubstitution(key: string): StepSpec | undefined {
  return STEP_LIST.find((s) => s.substitution === key);
}

/** The Lambda that turns a run's state into a readable notification: not a step, named once like one. */
export const NOTIFIER = {
  label: 'Notify',
  folder: 'lambdas/notify',
  substitution: 'NotifyFunctionArn',
} as const;

/**
 * The readiness Lambda (`lambdas/readiness`): scheduled in each region, and called by the run at its
 * start (the start and approval notices list the red checks; the run record keeps the report).
 */
export const READINESS = {
  label: 'CheckReadiness',
  folder: 'lambdas/readiness',
  substitution: 'ReadinessFunctionArn',
} as const;

/** The Lambda that writes the run record (`lambdas/record-run`) at the end of every execution. */
export const RECORDER = {
  label: 'RecordRun',
  folder: 'lambdas/record-run',
  substitution: 'RecordRunFunctionArn',
} as const;

/** States outside the steps that other modules name (the end of a run, notifications). */
export const WORKFLOW_STATES = {
  /** Entered when traffic has moved and the run succeeded. */
  promoted: 'Promoted',
  notifyStart: 'NotifyStart',
  /** After traffic moved, before fencing: the moment traffic moved, told at once. */
  notifyTrafficMoved: 'NotifyTrafficMoved',
  notifySuccess: 'NotifySuccess',
  notifyFailure: 'NotifyFailure',
  notifyNoAction: 'NotifyNoAction',
  noAction: 'NoActionTaken',
  failed: 'FailoverFailed',
  /** The Parallel: database (then promotion) alongside the service, the start notification and the S3 replication drain. */
  parallel: 'ScaleAndPromote',
  decide: 'Preflight?',
  /** Waits for a person's approve or deny (task token), when `failover.approval` asks for it. */
  approval: 'AwaitApproval',
} as const;

/**
 * After fencing, when the service step ended `partial` (some service serving at its
 * `servingShare`, below its target count): the service Lambda again with goal `full` until every
 * service is at its target count or the step's budget ends. Not the step's own state names (those
 * are in the Parallel's branch, and names are unique per machine).
 */
export const FULL_TARGET_STATES = {
  decide: 'ServicePartial?',
  act: `${STEPS.service.label}ToFull`,
  check: `${STEPS.service.label}ToFullCheck`,
  done: `${STEPS.service.label}ToFullDone?`,
  unknown: `${STEPS.service.label}ToFullStatusUnknown`,
  failed: `${STEPS.service.label}ToFullFailed`,
} as const;

/** Where the step results live in the execution state: `$.steps.<resultPath>`. */
export const STEP_RESULTS_PATH = '$.steps';

/** The SNS topic substitution key in the definition. */
export const TOPIC_SUBSTITUTION = 'TopicArn';
