import type {
  ApprovalDecision,
  ApprovalPlan,
  ExecutionTrigger,
  ReadinessAtStart,
  RunRecordLink,
  StepResult,
} from '../shared/contracts';
import { POLLED_STEP_KEYS, type PolledStepKey, STEPS } from '../shared/steps';

/**
 * Reading the execution state a notification is about. The state's shape differs by where the
 * run ended (the failure record nests it under `stateReached`; Parallel results sit under
 * `capacity`), so every read here is defensive: a notification must go out whatever it is given.
 */

/**
 * `TRAFFIC_MOVED`: every hostname answers this region; fencing the old region (best effort,
 * bounded) follows and `PROMOTED` reports it, so the person on call hears the moment traffic moved.
 * `APPROVAL_REQUESTED`: the run waits for a person (task token); the notice says how to answer.
 */
export const NOTICE_KINDS = [
  'START',
  'TRAFFIC_MOVED',
  'PROMOTED',
  'FAILED',
  'NO_ACTION',
  'APPROVAL_REQUESTED',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What the state machine passes: the kind of notice and the execution state as it stands. */
export interface NotifyEvent {
  readonly kind: NoticeKind;
  readonly state: unknown;
  /** `$$.Execution.Id` */
  readonly executionArn: string;
  /** `$$.Execution.StartTime` */
  readonly startTime: string;
  /** `$$.Task.Token` of the approval Task (APPROVAL_REQUESTED only); the notice never prints it. */
  readonly taskToken?: string;
}

type Obj = Readonly<Record<string, unknown>>;

function asObj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The facts of a run a notice shows, whatever state shape it came from. */
export interface RunFacts {
  readonly requestedMode?: string;
  readonly mode?: string;
  readonly reason?: string;
  readonly preflightStatus?: string;
  readonly preflightMessage?: string;
  readonly steps: Readonly<Partial<Record<PolledStepKey, StepResult>>>;
  readonly failedStep?: string;
  readonly error?: string;
  readonly cause?: string;
  /** How a run that changed nothing ended (`DRY_RUN`, …, `DENIED`, `APPROVAL_TIMED_OUT`). */
  readonly outcome?: string;
  /** The no-action record's one sentence (why nothing was done). */
  readonly message?: string;
  /** The readiness evaluated at the start, when the state carries it. */
  readonly readiness?: ReadinessAtStart;
  readonly approval?: ApprovalDecision;
  /** The gate's settings for this run (preflight's). */
  readonly approvalPlan?: ApprovalPlan;
  /** The alarm that started the run, if one did. */
  readonly trigger?: ExecutionTrigger;
  /** Where the run record was written, once it was (`$.runRecord`). */
  readonly runRecord?: RunRecordLink;
}

function stepResult(v: unknown): StepResult | undefined {
  const o = asObj(v);
  return o !== undefined && str(o.status) !== undefined && str(o.step) !== undefined
    ? (o as unknown as StepResult)
    : undefined;
}

/** Pull the run's facts out of the execution state. */
export function runFacts(event: NotifyEvent): RunFacts {
  const top = asObj(event.state) ?? {};
  const state = asObj(top.stateReached) ?? top;
  const preflight = asObj(state.preflight) ?? asObj(top.preflight);
  // `$.steps` while running and in the success summary; older shapes kept results at the top level.
  const results = asObj(state.steps) ?? asObj(top.steps);
  const steps: Partial<Record<PolledStepKey, StepResult>> = {};
  for (const key of POLLED_STEP_KEYS) {
    const path = STEPS[key].resultPath;
    const found = stepResult(results?.[path]) ?? stepResult(state[path]);
    if (found !== undefined) steps[key] = found;
  }
  const error = str(top.error) ?? str(asObj(state.error)?.Error);
  const cause = str(top.cause) ?? str(asObj(state.error)?.Cause);
  const facts: RunFacts = {
    steps,
    ...optional(
      'requestedMode',
      str(preflight?.requestedMode) ?? str(top.requestedMode) ?? str(asObj(state.input)?.mode),
    ),
    ...optional('mode', steps.promotion?.modeUsed ?? str(top.mode) ?? str(preflight?.mode)),
    ...optional('reason', str(preflight?.reason) ?? str(top.reason) ?? str(asObj(state.input)?.reason)),
    ...optional('preflightStatus', str(preflight?.status)),
    ...optional('preflightMessage', str(preflight?.message)),
    ...optional('failedStep', str(top.failedStep)),
    ...optional('error', error),
    ...optional('cause', cause),
    ...optional('outcome', str(top.outcome) ?? str(state.outcome)),
    ...optional('message', str(top.message)),
  };
  const readiness = readinessOf(top.readiness ?? state.readiness ?? results?.readiness);
  const approval = asObj(top.approval) ?? asObj(state.approval);
  const plan = asObj(preflight?.approval);
  const trigger = asObj(asObj(state.input)?.trigger) ?? asObj(asObj(top.input)?.trigger);
  const runRecord = asObj(top.runRecord) ?? asObj(state.runRecord);
  return {
    ...facts,
    ...(readiness === undefined ? {} : { readiness }),
    ...(str(approval?.outcome) === undefined ? {} : { approval: approval as unknown as ApprovalDecision }),
    ...(plan === undefined ? {} : { approvalPlan: plan as unknown as ApprovalPlan }),
    ...(str(trigger?.alarmName) === undefined ? {} : { trigger: trigger as unknown as ExecutionTrigger }),
    ...(str(runRecord?.s3Uri) === undefined ? {} : { runRecord: runRecord as unknown as RunRecordLink }),
  };
}

/** A readiness report or the record of why there is none; anything else is ignored. */
function readinessOf(v: unknown): ReadinessAtStart | undefined {
  const o = asObj(v);
  if (o === undefined || typeof o.ready !== 'boolean') return undefined;
  if (Array.isArray(o.checks) || asObj(o.unavailable) !== undefined) return o as unknown as ReadinessAtStart;
  return undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
