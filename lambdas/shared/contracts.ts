import type { ApprovalTimeoutAction } from './approval';
import type { ReadinessReport } from './readiness-contract';
import type { ResourceProgress } from './resources';
import { POLLED_STEP_KEYS, type PolledStepKey } from './steps';

/**
 * The data contract between `statemachines/failover.asl.json` and the step Lambdas.
 * Every shape that crosses a state boundary is declared here; the ASL's Choice states branch on the
 * `status` unions below.
 */

export const FAILOVER_MODES = ['planned', 'unplanned', 'auto'] as const;
/** Requested mode: `auto` (what the alarm sends) resolves to planned or unplanned in preflight. */
export type FailoverMode = (typeof FAILOVER_MODES)[number];
/** Mode actually used against the global database. */
export type ResolvedMode = Exclude<FailoverMode, 'auto'>;

/**
 * Longest accepted `reason`. Generous: the alarm rule puts the alarm's name (up to 255 characters)
 * into it, and an alarm-started failover must never be refused for the length of a name.
 */
export const MAX_REASON_LENGTH = 1024;

/** Execution input, from the alarm rule, the CLI or `aws stepfunctions start-execution`. */
export interface ExecutionInput {
  readonly mode: FailoverMode;
  readonly reason: string;
  /** Stop after preflight and report what would be done. Default false. */
  readonly dryRun?: boolean;
  /** What started the run, when not a person: the alarm rule sets it (`failover.approval.required: alarm-started`). */
  readonly trigger?: ExecutionTrigger;
}

/** The failover alarm started the run (rendered by the EventBridge rule's input transformer). */
export interface ExecutionTrigger {
  readonly source: 'alarm';
  readonly alarmName: string;
  /** The event's time (ISO): when the alarm went to ALARM. */
  readonly alarmAt: string;
}

/** Whether this run waits for a person's approval after preflight, and for how long. */
export interface ApprovalPlan {
  readonly required: boolean;
  /** The approval Task's timeout (`TimeoutSecondsPath`). */
  readonly timeoutSeconds: number;
  readonly onTimeout: ApprovalTimeoutAction;
}

/**
 * `$.approval`: `NOT_REQUIRED` from the start (no gate for this run); `APPROVED`: SendTaskSuccess
 * with this output (the CLI's `approve`); `TIMED_OUT_PROCEEDED`: nobody answered and `onTimeout` is
 * `proceed`. A deny or a stopping timeout ends the run (`NoActionOutcome`).
 */
export type ApprovalDecision =
  | { readonly outcome: 'NOT_REQUIRED' }
  | {
      readonly outcome: 'APPROVED';
      /** Who approved (the OS user running the CLI). */
      readonly approver: string;
      readonly reason?: string;
      readonly approvedAt: string;
    }
  | { readonly outcome: 'TIMED_OUT_PROCEEDED'; readonly timeoutSeconds: number };

/** How a run that changed nothing ended: preflight's status, or the approval gate's. */
export type NoActionOutcome = Exclude<PreflightStatus, 'PROCEED'> | 'DENIED' | 'APPROVAL_TIMED_OUT';

/** `$.readiness` when the readiness Lambda could not be called: the run goes on without it. */
export interface ReadinessUnavailable {
  readonly ready: false;
  readonly unavailable: { readonly error: string; readonly cause: string };
}

/** The readiness evaluated at the run's start (`$.readiness`, then `$.steps.readiness` after the Parallel). */
export type ReadinessAtStart = ReadinessReport | ReadinessUnavailable;

/**
 * How a polled step waits on AWS: its Lambda reads the state every `pollSeconds` for up to
 * `windowSeconds` per invocation; the step fails with `WaitTimeoutError` once `budgetMinutes` have
 * passed since it started.
 */
export interface StepTimings {
  readonly budgetMinutes: number;
  readonly pollSeconds: number;
  readonly windowSeconds: number;
}

/** The polled steps, by key (see `steps.ts`, the step table). */
export const STEP_NAMES = POLLED_STEP_KEYS;
export type StepName = PolledStepKey;

export type Timings = Readonly<Record<StepName, StepTimings>>;

/** Preflight task input (built by the ASL from the execution input and the context object). */
export interface PreflightEvent {
  /** The raw execution input; validated by preflight. */
  readonly input: unknown;
  /** `$$.Execution.Id` */
  readonly executionArn: string;
  /** `$$.Execution.StartTime` */
  readonly startTime: string;
  /** `$$.StateMachine.Id` */
  readonly stateMachineArn: string;
}

/**
 * - `PROCEED`: run the promotion.
 * - `DRY_RUN`: `dryRun` was set; report the plan, change nothing.
 * - `ALREADY_PROMOTED`: every step's goal is already met; nothing to do.
 * - `IN_FLIGHT`: an earlier execution of this state machine is running; end without acting.
 * - `COOL_DOWN`: a promotion finished less than the cool-down ago; end without acting.
 * - `SOURCE_HEALTHY`: the failover alarm started the run, but main's application answers every
 *   request of a re-check (the alarm's evidence is gone); end without acting.
 */
export type PreflightStatus =
  | 'PROCEED'
  | 'DRY_RUN'
  | 'ALREADY_PROMOTED'
  | 'IN_FLIGHT'
  | 'COOL_DOWN'
  | 'SOURCE_HEALTHY';

export interface PreflightResult {
  readonly status: PreflightStatus;
  readonly requestedMode: FailoverMode;
  readonly mode: ResolvedMode;
  readonly reason: string;
  readonly dryRun: boolean;
  readonly targetRegion: string;
  readonly sourceRegion: string;
  /** Whether the source region's RDS API answered within the probe timeout. */
  readonly sourceReachable: boolean;
  /** Per step: is its goal already met (a rerun resumes past it)? */
  readonly alreadyDone: Readonly<Record<StepName, boolean>>;
  /** One human sentence: what will be done, or why nothing will be. */
  readonly message: string;
  readonly timings: Timings;
  readonly checkedAt: string;
  /** The approval gate for this run (`failover.approval`); the definition's `Approval?` reads `required`. */
  readonly approval: ApprovalPlan;
}

/** `PENDING`: keep polling. `READY`: the step's goal is met. */
export type StepStatus = 'PENDING' | 'READY';

/** What every reconciling step returns; fed back as `previous` on the next check. */
export interface StepResult {
  readonly step: StepName;
  readonly status: StepStatus;
  /** Calls made so far for this step (1 on the first, acting call). */
  readonly attempt: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** True when the first call found the goal already met and changed nothing. */
  readonly alreadyDone: boolean;
  readonly detail: string;
  /** flip-dns: the Route 53 change being waited on. */
  readonly changeId?: string;
  /**
   * promote-database: what was used against the global clusters — `unplanned` when any database
   * was failed over with data loss allowed (`resources` says which).
   */
  readonly modeUsed?: ResolvedMode;
  /**
   * database, service, promotion, fence: each resource of the step's kind (`databases[]` or
   * `services[]`, in config order) and where it stands. The step is READY when every one is done.
   */
  readonly resources?: readonly ResourceProgress[];
  /** flip-dns: what the first hostname answered with at the last read (data plane). */
  readonly answer?: readonly string[];
  /** fence-source: what was done to the old region and what is left. */
  readonly fence?: FenceReport;
  /** drain-replication: the S3 replication backlog of the buckets of the region traffic leaves. */
  readonly replication?: ReplicationReport;
  /**
   * service: READY with some service serving at its `servingShare` but below its target count.
   * The definition then goes on scaling after traffic moved (goal `full`). Absent or false otherwise.
   */
  readonly partial?: boolean;
  /** service: what EC2 refused the shared Auto Scaling group since the step started, and what it launched instead. */
  readonly capacity?: CapacityReport;
  /** service, goal `full`: how far the services got towards their target counts after traffic moved. */
  readonly fullTarget?: FullTargetReport;
}

/** One instance type EC2 had no capacity for (InsufficientInstanceCapacity), per zone. */
export interface CapacityRefusal {
  readonly instanceType: string;
  readonly zone: string;
  /** Failed launch activities for this type and zone. */
  readonly count: number;
}

/**
 * The shared Auto Scaling group's shortfall as its scaling activities tell it
 * (`DescribeScalingActivities`), since the step started.
 */
export interface CapacityReport {
  /** InsufficientInstanceCapacity refusals parsed from the activities' messages, in the order first seen. */
  readonly refusals: readonly CapacityRefusal[];
  /** Other failed or cancelled launches (and refusals whose message did not parse): message shortened, verbatim. */
  readonly otherFailures: readonly { readonly message: string; readonly count: number }[];
  /** The group's first-choice instance type (`INSTANCE_TYPES`' first); absent when not configured. */
  readonly firstChoice?: string;
  /** Instances of another type than the first choice, by type. */
  readonly substitutes: readonly { readonly instanceType: string; readonly count: number }[];
  /** The one page read was full: older activities since the start may be missing. */
  readonly truncated?: boolean;
  /** Why the activities could not be read: the step goes on without them. */
  readonly unreadable?: string;
  /** The report as notices and run records print it, one line each (empty when nothing fell short). */
  readonly lines: readonly string[];
}

/**
 * - `SCALING`: some service is still below its target count; polling goes on.
 * - `REACHED`: every service reached its target count.
 * - `BUDGET_ENDED`: the service step's budget ended first; the run ends promoted anyway.
 * - `STOPPED`: the call failed (the definition records the error); the run ends promoted anyway.
 */
export type FullTargetState = 'SCALING' | 'REACHED' | 'BUDGET_ENDED' | 'STOPPED';

/** After traffic moved: the services that were serving below their target count, and how far each got. */
export interface FullTargetReport {
  readonly state: FullTargetState;
  /** Each service below its target when scaling on began (absent for `STOPPED`). */
  readonly services?: readonly {
    readonly name: string;
    readonly targetCount: number;
    /** Healthy targets (running tasks without a target group) at the last read. */
    readonly serving: number;
    /** When it was first read at its full target. */
    readonly reachedAt?: string;
  }[];
  /** One line per service: `api: 3/3 at +4m10s`, `api: 2/3 when the budget ended`. */
  readonly lines: readonly string[];
}

/**
 * `serving` (the default): READY once every service serves at its `servingShare`. `full`: after
 * traffic moved, READY once every service is at its target count, or when the step's budget ends
 * (never failing for it).
 */
export type ServiceGoal = 'serving' | 'full';

/** scale-service input. */
export interface ScaleServiceEvent extends StepEvent {
  readonly goal?: ServiceGoal;
  /** `$$.Execution.StartTime`: the `full` goal dates each service's target from it (`+4m10s`). */
  readonly runStartedAt?: string;
}

/**
 * One bucket of the region traffic leaves, replicating to its pair in this region: what S3 reported
 * still pending (`AWS/S3` `OperationsPendingReplication`, Maximum of the latest minute).
 */
export interface BucketBacklog {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  /** Operations pending at the last read; undefined when the source region's CloudWatch did not answer. */
  readonly pendingOperations?: number;
  /** The minute the value is for (the datapoint's timestamp); absent with no datapoint. */
  readonly measuredAt?: string;
  /**
   * `AWS/S3` `ReplicationLatency` for the same minute: how many seconds the destination is behind
   * the source (the oldest object still pending). Absent when S3 reported none.
   */
  readonly latencySeconds?: number;
  /** Why there is no value, or what it rests on (e.g. no datapoint in the last minutes). */
  readonly note?: string;
}

/**
 * The buckets of the region traffic leaves, replicating to this region's, each under its own rule:
 * on a failover the S3 part of the data-loss window; on a failback it must be 0 before traffic
 * moves back. With one bucket the fields are that bucket's. With several, `sourceBucket` and
 * `destinationBucket` are the names comma-joined in config order (as `SOURCE_BUCKETS`/`TARGET_BUCKETS`),
 * `ruleId` the one id they share or else every bucket's comma-joined the same way (as
 * `SOURCE_REPLICATION_RULE_IDS`),
 * `pendingOperations` the sum (undefined when any bucket's is), `measuredAt` the oldest minute the
 * sum rests on, `latencySeconds` the largest of the buckets still behind, and `buckets` has each
 * bucket's reading.
 */
export interface ReplicationReport extends BucketBacklog {
  readonly ruleId: string;
  /** Each bucket pair's reading, in config order. */
  readonly buckets?: readonly BucketBacklog[];
}

/**
 * - `FENCED`: the old region's service is at zero (unplanned) and its traffic claim released.
 * - `RELEASED`: planned run: only the old region's traffic claim needed releasing, and it is.
 * - `PENDING`: the old region did not answer within the step's budget; `commands` finish the job.
 */
export type FenceState = 'FENCED' | 'RELEASED' | 'PENDING';

/** What fence-source did to the region traffic left, and what an operator must still do. */
export interface FenceReport {
  readonly state: FenceState;
  /** Done, one sentence each (e.g. `main ECS service sonar-proj-1-main-app scaled to 0`). */
  readonly done: readonly string[];
  /** AWS CLI commands that finish what is left (empty unless PENDING). */
  readonly commands: readonly string[];
}

/**
 * Input of every reconciling step. The first (acting) call has no `previous`; each check passes the
 * previous result so the Lambda counts attempts and keeps its state (e.g. the change id).
 */
export interface StepEvent {
  readonly previous?: StepResult;
  /** The step's wait settings (`$.preflight.timings.<step>`). */
  readonly wait: StepTimings;
  /** `$$.Execution.Id`, optional: when the ASL passes it, the step's logs carry it. */
  readonly executionArn?: string;
}

/** promote-database input. */
export interface PromoteEvent extends StepEvent {
  readonly mode: ResolvedMode;
  readonly requestedMode: FailoverMode;
}

/**
 * flip-dns input: when the promotion and the service became ready (`finishedAt` of their results):
 * the claim is dated from the later of the two, never before.
 */
export interface FlipDnsEvent extends StepEvent {
  readonly promotedAt?: string;
  readonly servingAt?: string;
}

/** fence-source input: the mode the promotion used (`$.steps.promotion.modeUsed`). */
export interface FenceEvent extends StepEvent {
  readonly modeUsed: ResolvedMode;
}

/** Where a run record was written (`lambdas/record-run`): `$.runRecord`, linked in the final notice. */
export interface RunRecordLink {
  readonly bucket: string;
  readonly jsonKey: string;
  readonly markdownKey: string;
  /** `s3://<bucket>/<markdownKey>` */
  readonly s3Uri: string;
  /** The S3 console page of the Markdown record. */
  readonly consoleUrl: string;
}
