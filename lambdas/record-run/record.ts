import type { FenceReport, ResolvedMode, StepResult } from '../shared/contracts';
import { InvalidInputError } from '../shared/errors';
import type { ReadinessCheck } from '../shared/readiness-contract';
import { resourcesOf, shortfallLines } from '../shared/resource-lines';
import type { ResourceProgress } from '../shared/resources';
import { POLLED_STEP_KEYS, STEPS } from '../shared/steps';
import type { History } from './history';
import {
  type ApprovalFacts,
  lagOf,
  obj,
  type StateFacts,
  stateFacts,
  str,
  type TriggerFacts,
  triggerOf,
} from './state';
import { readTimeline } from './timeline';

/** How the run ended, as the definition's path tells the recorder. */
export const RUN_OUTCOMES = ['PROMOTED', 'FAILED', 'NO_ACTION'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** The recorder's input, built by the definition before each final notice. */
export interface RecordRunEvent {
  /** The execution state as it stands (`$`). */
  readonly state: unknown;
  /** `$$.Execution.Id` */
  readonly executionArn: string;
  /** `$$.Execution.StartTime` */
  readonly startTime: string;
  readonly outcome: RunOutcome;
}

/** One row of the record's timeline: seconds since {@link RunRecord.origin}. */
export interface RecordedStep {
  /** The step label (`FlipDns`), or the Task state's name for a notice. */
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly seconds: number;
  readonly startedAt: string;
  readonly endedAt: string;
  /** Lambda invocations, retries included. */
  readonly attempts: number;
  /** Invocations beyond one per state entered: the retries the state machine made. */
  readonly retries: number;
  /** Invocations that failed, timed out or could not start. */
  readonly errors: number;
  /** The step the run failed at. */
  readonly failed: boolean;
}

/** What the run left, as its steps reported it (read-only: the recorder calls nothing but the history). */
export interface StateLeft {
  /** The region the promotion step reported writing, when it finished. */
  readonly writerRegion?: string;
  /** Where the application's first hostname answered at the DNS step's last read. */
  readonly nameAnswers?: readonly string[];
  /** What fencing did to the old region and the commands left (PENDING). */
  readonly fence?: FenceReport;
  /** The capacity steps' last words (instances added, tasks running). */
  readonly capacity: readonly string[];
  /** S3 operations of the region traffic left not yet replicated, at the drain's last read. */
  readonly s3PendingOperations?: number;
  /**
   * Each resource (database, service, …) of each step that reported them, as the step last did, by
   * step label (`ScaleService`), in step order, each list in config order.
   */
  readonly resources?: Readonly<Record<string, readonly ResourceProgress[]>>;
  /**
   * The promotion's mode per database, as it reported it: `unplanned` means the database was
   * failed over with data loss allowed (`dataLossAllowed`).
   */
  readonly databaseModes?: readonly {
    readonly name: string;
    readonly modeUsed: ResolvedMode;
    readonly dataLossAllowed: boolean;
  }[];
}

/**
 * A run record (`runs/<yyyy>/<mm>/<dd>/<execution>.json`): what a real run did, in the drill
 * report's terms, so the two compare side by side. Every time in the timeline is in seconds since
 * `origin` (the triggering alarm, else the execution's start).
 */
export interface RunRecord {
  readonly recordVersion: 1;
  readonly execution: {
    readonly arn: string;
    readonly name: string;
    readonly stateMachine: string;
    readonly startedAt: string;
    readonly recordedAt: string;
  };
  /** The region the state machine runs in and promotes. */
  readonly region: string;
  readonly sourceRegion?: string;
  readonly outcome: {
    readonly result: RunOutcome;
    /** FAILED: the step label. */
    readonly failedStep?: string;
    readonly error?: string;
    readonly cause?: string;
    /** NO_ACTION: preflight's status (DRY_RUN, ALREADY_PROMOTED, IN_FLIGHT, COOL_DOWN, …). */
    readonly status?: string;
    readonly message?: string;
  };
  readonly mode: { readonly requested?: string; readonly used?: string };
  readonly reason?: string;
  readonly trigger?: TriggerFacts;
  /** The RTO's start: when the alarm fired, or the execution started without one. */
  readonly origin: { readonly at: string; readonly from: 'alarm' | 'start' };
  readonly timeline: readonly RecordedStep[];
  /** Origin → the DNS step reporting traffic at this region; absent when traffic never moved. */
  readonly rto?: { readonly seconds: number; readonly trafficMovedAt: string };
  /** `AuroraGlobalDBReplicationLag` at the decision (readiness at start): an unplanned run's data-loss window. */
  readonly replicationLag?: { readonly seconds: number; readonly at?: string };
  /** Steps preflight found already done (a rerun resumes past them). */
  readonly alreadyDone?: Readonly<Record<string, boolean>>;
  readonly readiness?: {
    readonly ready: boolean;
    /** Readiness could not be evaluated at the start: why. */
    readonly unavailable?: string;
    readonly evaluatedAt?: string;
    /** Checks not PASS, with their findings. */
    readonly notPassing: readonly ReadinessCheck[];
    readonly checks: number;
  };
  /** The approval gate's decision, when the run asked for one. */
  readonly approval?: ApprovalFacts;
  readonly errors: {
    readonly retries: number;
    readonly failedInvocations: readonly {
      readonly state: string;
      readonly type: string;
      readonly error?: string;
      readonly cause?: string;
      readonly at: string;
    }[];
  };
  readonly stateLeft: StateLeft;
  /**
   * The capacity the run fell short of, one line each, by step label: what EC2 refused the shared
   * Auto Scaling group and what it launched instead (`ScaleService: capacity: …`), and how far the
   * services below their target count got (`ScaleService: after traffic moved: …`). Empty when
   * nothing fell short.
   */
  readonly shortfall: readonly string[];
  readonly history: { readonly events: number; readonly truncated: boolean };
}

/** `arn:<partition>:states:<region>:<account>:execution:<stateMachine>:<name>` */
const EXECUTION_ARN = /^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:([^:]+):([^:]+)$/;

/** The state machine's and the execution's names; throws InvalidInputError for anything else. */
export function parseExecutionArn(arn: unknown): { stateMachine: string; name: string } {
  const m = typeof arn === 'string' ? EXECUTION_ARN.exec(arn) : null;
  if (m?.[1] === undefined || m[2] === undefined) {
    throw new InvalidInputError(
      `executionArn: expected a Step Functions execution ARN, got ${JSON.stringify(arn)}`,
    );
  }
  return { stateMachine: m[1], name: m[2] };
}

/** Check the event's shape (the state itself is read defensively); throws InvalidInputError. */
export function checkEvent(event: unknown): RecordRunEvent {
  const e = obj(event);
  parseExecutionArn(e?.executionArn);
  const outcome = str(e?.outcome);
  if (outcome === undefined || !(RUN_OUTCOMES as readonly string[]).includes(outcome)) {
    throw new InvalidInputError(
      `outcome: expected one of ${RUN_OUTCOMES.join(', ')}, got ${JSON.stringify(e?.outcome)}`,
    );
  }
  const startTime = str(e?.startTime);
  if (startTime === undefined || Number.isNaN(Date.parse(startTime))) {
    throw new InvalidInputError(`startTime: expected an ISO time, got ${JSON.stringify(e?.startTime)}`);
  }
  return event as RecordRunEvent;
}

const secondsBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 100) / 10;

/** Each step's resources, by step label, for the steps that reported any. */
function resourcesByStep(steps: StateFacts['steps']): Record<string, readonly ResourceProgress[]> {
  const out: Record<string, readonly ResourceProgress[]> = {};
  for (const key of POLLED_STEP_KEYS) {
    const found = resourcesOf(steps[key]?.resources);
    if (found.length > 0) out[STEPS[key].label] = found;
  }
  return out;
}

function stateLeft(facts: StateFacts, region: string): StateLeft {
  const { promotion, dns, fence, database, service, replication } = facts.steps;
  const capacity = [database, service]
    .filter((s): s is StepResult => s !== undefined)
    .map((s) => `${STEPS[s.step].label}: ${s.status} — ${s.detail}`);
  const pending = replication?.replication?.pendingOperations;
  const resources = resourcesByStep(facts.steps);
  const modes = resourcesOf(promotion?.resources).flatMap((r) =>
    r.kind === 'database' && r.modeUsed !== undefined
      ? [{ name: r.name, modeUsed: r.modeUsed, dataLossAllowed: r.modeUsed === 'unplanned' }]
      : [],
  );
  return {
    ...(promotion?.status === 'READY' ? { writerRegion: region } : {}),
    ...(dns?.answer === undefined ? {} : { nameAnswers: dns.answer }),
    ...(fence?.fence === undefined ? {} : { fence: fence.fence }),
    capacity,
    ...(pending === undefined ? {} : { s3PendingOperations: pending }),
    ...(Object.keys(resources).length === 0 ? {} : { resources }),
    ...(modes.length === 0 ? {} : { databaseModes: modes }),
  };
}

/** Build the record of the run `event` ends, from its history and its state. */
export function buildRecord(event: RecordRunEvent, history: History, region: string, now: Date): RunRecord {
  const { stateMachine, name } = parseExecutionArn(event.executionArn);
  const read = readTimeline(history.events);
  const facts = stateFacts(event.state, read.preflight, read.readiness);
  const trigger = triggerOf(read.input) ?? triggerOf(obj(obj(event.state)?.stateReached)?.input);
  const startedAt = new Date(event.startTime);
  const alarmAt = trigger?.alarmAt === undefined ? undefined : new Date(trigger.alarmAt);
  // An alarm time after the start is not what started this run (a clock or an input error).
  const origin = alarmAt !== undefined && alarmAt <= startedAt ? alarmAt : startedAt;
  const failedStep = event.outcome === 'FAILED' ? facts.failedStep : undefined;
  const timeline: RecordedStep[] = read.spans.map((s) => ({
    name: s.name,
    start: secondsBetween(origin, s.start),
    end: secondsBetween(origin, s.end),
    seconds: secondsBetween(s.start, s.end),
    startedAt: s.start.toISOString(),
    endedAt: s.end.toISOString(),
    attempts: s.attempts,
    retries: Math.max(0, s.attempts - s.entries),
    errors: s.errors,
    failed: failedStep !== undefined && s.name === failedStep,
  }));
  const lag = lagOf(facts.readiness);
  const r = facts.readiness;
  return {
    recordVersion: 1,
    execution: {
      arn: event.executionArn,
      name,
      stateMachine,
      startedAt: startedAt.toISOString(),
      recordedAt: now.toISOString(),
    },
    region,
    ...(facts.sourceRegion === undefined ? {} : { sourceRegion: facts.sourceRegion }),
    outcome: {
      result: event.outcome,
      ...(failedStep === undefined ? {} : { failedStep }),
      ...(event.outcome === 'FAILED' && facts.error !== undefined ? { error: facts.error } : {}),
      ...(event.outcome === 'FAILED' && facts.cause !== undefined ? { cause: facts.cause } : {}),
      ...(event.outcome === 'NO_ACTION' && facts.noActionStatus !== undefined
        ? { status: facts.noActionStatus }
        : {}),
      ...(event.outcome === 'NO_ACTION' && facts.message !== undefined ? { message: facts.message } : {}),
    },
    mode: {
      ...(facts.requestedMode === undefined ? {} : { requested: facts.requestedMode }),
      ...(facts.mode === undefined ? {} : { used: facts.mode }),
    },
    ...(facts.reason === undefined ? {} : { reason: facts.reason }),
    ...(trigger === undefined ? {} : { trigger }),
    origin: { at: origin.toISOString(), from: origin === alarmAt ? 'alarm' : 'start' },
    timeline,
    ...(read.trafficMovedAt === undefined
      ? {}
      : {
          rto: {
            seconds: secondsBetween(origin, read.trafficMovedAt),
            trafficMovedAt: read.trafficMovedAt.toISOString(),
          },
        }),
    ...(lag === undefined ? {} : { replicationLag: lag }),
    ...(facts.alreadyDone === undefined ? {} : { alreadyDone: facts.alreadyDone }),
    ...(r === undefined && facts.readinessUnavailable !== undefined
      ? { readiness: { ready: false, unavailable: facts.readinessUnavailable, notPassing: [], checks: 0 } }
      : {}),
    ...(r === undefined
      ? {}
      : {
          readiness: {
            ready: r.ready,
            ...(str(r.evaluatedAt) === undefined ? {} : { evaluatedAt: r.evaluatedAt }),
            notPassing: r.checks.filter((c) => c.status !== 'PASS'),
            checks: r.checks.length,
          },
        }),
    ...(facts.approval === undefined ? {} : { approval: facts.approval }),
    errors: {
      retries: timeline.reduce((n, s) => n + s.retries, 0),
      failedInvocations: read.failures.map((f) => ({ ...f, at: f.at.toISOString() })),
    },
    stateLeft: stateLeft(facts, region),
    shortfall: POLLED_STEP_KEYS.flatMap((key) =>
      shortfallLines(facts.steps[key]).map((l) => `${STEPS[key].label}: ${l}`),
    ),
    history: { events: read.events, truncated: history.truncated },
  };
}
