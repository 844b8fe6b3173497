import type { FenceReport } from '../../lambdas/shared/contracts';
import { NOTIFIER } from '../../lambdas/shared/steps';
import { AnalysisError } from '../errors';
import type { ExecutionRecord } from '../runner/execution';
import type { DrillRun } from '../runner/run';
import type { World } from '../sim/world';
import { busiestWindow, callCounts, type PeakRate } from './calls';
import { capacityOf, type RegionCapacity } from './capacity';
import {
  type CapacityHad,
  type CriticalPath,
  criticalPath,
  type DrainHad,
  type ResourcePaths,
  type Runbook,
  seedRunbook,
} from './critical-path';
import { countTransitions, fieldsOf, outcomeOf, preflightOf, promotionModeOf } from './execution-output';
import { type ExecutionSummary, summarizeExecutions } from './executions';
import { type Incident, incidentOf } from './incident';
import { checkInvariants, type Invariant } from './invariants';
import { fenceOf, trafficChanges } from './invariants-traffic';
import { drainReadyAfter } from './replication';
import { instancesReadyAt, servingAt, writesIn } from './resources';
import { type StateLeft, stateLeft } from './state';
import type { StepSpan } from './timeline';

// The yardsticks stay importable from the analysis, where the timing-model tests look for them.
export { criticalPath, seedRunbook } from './critical-path';

/** Everything the report shows about one drill. */
export interface DrillAnalysis {
  readonly mode: string;
  readonly requestedMode: string;
  readonly outcome: string;
  /** The execution the outcome describes (the one that promoted, else the last that proceeded, else the first). */
  readonly primary: ExecutionRecord;
  /** The incident: first trigger to traffic at the writer, or to the failure. */
  readonly incident: Incident;
  /** Every execution in start order, timed from the first trigger. */
  readonly executions: readonly ExecutionSummary[];
  /** What is where when the drill ended, and the command that finishes a half-done promotion. */
  readonly stateLeft: StateLeft;
  /** `project-config/<configName>.yml`: the config the drill ran (as the finishing command names it). */
  readonly configName: string;
  /** The incident's RTO; NaN when traffic never reached the writer (a failed run has no RTO). */
  readonly rtoSeconds: number;
  /**
   * When Route 53's data plane first answered the promoted region (seconds since the first
   * trigger): the health checks' doing, before the DNS step's next read saw it.
   */
  readonly trafficMovedSeconds?: number;
  /** What the fence step did to the old region, and what is left (undefined: not reached). */
  readonly fence?: FenceReport;
  /** The incident's lower bound (the first acting run's shape). */
  readonly criticalPath: CriticalPath;
  readonly runbook: Runbook;
  readonly stateTransitions: number;
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly apiErrors: Readonly<Record<string, number>>;
  /** Per service, the most requests in any minute of the drill. */
  readonly apiPeakPerMinute: Readonly<Record<string, PeakRate>>;
  /** The primary execution's steps, timed from the first trigger. */
  readonly steps: readonly StepSpan[];
  readonly invariants: readonly Invariant[];
  readonly lostWritesSeconds?: number;
  /** Per region: launches refused, fallbacks used, reservations, DB classes refused, the shortfall's cost. */
  readonly capacity: readonly RegionCapacity[];
}

/** The execution a report describes: the one that promoted, else the last that proceeded, else the first. */
function primaryOf(run: DrillRun): ExecutionRecord {
  const first = run.executions[0];
  if (first === undefined) throw new AnalysisError('the drill ran no execution');
  const promoted = run.executions.find((e) => outcomeOf(e) === 'PROMOTED');
  const proceeded = run.executions.filter((e) => preflightOf(e)?.status === 'PROCEED');
  return promoted ?? proceeded[proceeded.length - 1] ?? first;
}

/** The first execution that acted (preflight said PROCEED), else `fallback`: its shape bounds the incident. */
function firstActing(run: DrillRun, fallback: ExecutionRecord): ExecutionRecord {
  const acting = run.executions.filter((e) => preflightOf(e)?.status === 'PROCEED');
  return [...acting].sort((a, b) => a.startedAt - b.startedAt)[0] ?? fallback;
}

/** What of each resource's path was already there at `t` in the promoted region. */
function resourcePathsAt(world: World, t: number): ResourcePaths {
  const target = world.targetRole;
  return {
    databases: world.rds.databases.map((db) => ({
      name: db.name,
      instancesDone: instancesReadyAt(world, db, target, t),
      promoted: writesIn(db, target, t),
    })),
    services: world.config.services.map((s) => ({
      name: s.name,
      serving: servingAt(world, target, s.name, t),
    })),
  };
}

/** The outcome line: what the execution returned, else how it ended. */
function outcomeLine(e: ExecutionRecord): string {
  const outcome = outcomeOf(e);
  if (outcome !== undefined) return outcome;
  if (e.status === 'SUCCEEDED') return String(fieldsOf(e.output)?.outcome ?? 'SUCCEEDED');
  return `${e.status}${e.error === undefined ? '' : ` (${e.error})`}`;
}

/** What the analysis needs beyond the run. */
export interface AnalysisOptions {
  /**
   * `project-config/<configName>.yml`, for the command that finishes a half-done run.
   * @default the notify function's `CONFIG_NAME` (what the notifications print)
   */
  readonly configName?: string;
}

/** The config name the notifications print: the notify function's `CONFIG_NAME`. */
function notifiedConfigName(run: DrillRun): string {
  const notify = [...run.wiring.functions.values()].find((f) => f.key === NOTIFIER.substitution);
  return notify?.environment.CONFIG_NAME ?? '<config name>';
}

/**
 * The promoted region's capacity wait, for the lower bound: counted only when every service must
 * serve with all its tasks (servingShare 1, the default). With a share below 1 traffic may move
 * before the last instances, and the bound keeps the no-shortage figure (its ratio errs high).
 */
function capacityHad(world: World, capacity: readonly RegionCapacity[]): CapacityHad | undefined {
  const wait = capacity.find((c) => c.role === world.targetRole)?.asg?.shortfall?.costSeconds;
  if (wait === undefined || wait <= 0) return undefined;
  const whole = world.config.services.every((s) => s.regions[world.targetRole].promotion.servingShare === 1);
  return whole ? { waitSeconds: wait } : undefined;
}

/** A failback's wait for S3's reading of the drained backlog, for the lower bound (`replication.ts`). */
function drainHad(world: World, origin: number): DrainHad | undefined {
  const ready = drainReadyAfter(world, origin);
  return ready === undefined || ready <= 0 ? undefined : { readySeconds: ready };
}

/** Everything the report shows, computed from a finished drill. */
export function analyzeDrill(run: DrillRun, options: AnalysisOptions = {}): DrillAnalysis {
  const { world } = run;
  const primary = primaryOf(run);
  const mode = promotionModeOf(primary);
  const acting = firstActing(run, primary);
  const origin = Math.min(...run.executions.map((e) => e.startedAt));
  const capacity = capacityOf(world, origin);
  const critical = criticalPath(
    world.timings,
    promotionModeOf(acting),
    preflightOf(acting)?.alreadyDone ?? {},
    {
      startedAtEpochSeconds: world.clock.epochMs / 1000 + origin,
    },
    resourcePathsAt(world, acting.startedAt),
    capacityHad(world, capacity),
    drainHad(world, origin),
  );
  const executions = summarizeExecutions(run, critical, origin);
  const incident = incidentOf(run.options.role, run.executions, executions, critical);
  const configName = options.configName ?? notifiedConfigName(run);
  const left = stateLeft(world, {
    configName,
    mode,
    endedAt: run.endedAt,
  });
  const moved = trafficChanges(run)
    .slice(1)
    .find((c) => c.role === world.targetRole);
  const fence = fenceOf(run);
  // Every database the primary execution moved: the most writes any of them lost.
  const lost = world.rds.operations
    .filter((o) => o.execution === primary.executionArn && o.lostWritesSeconds !== undefined)
    .map((o) => o.lostWritesSeconds ?? 0);
  const requested = fieldsOf(primary.input)?.mode;
  const counts = callCounts(world.calls);
  return {
    mode,
    requestedMode: typeof requested === 'string' ? requested : 'unknown',
    outcome: outcomeLine(primary),
    primary,
    incident,
    executions,
    stateLeft: left,
    configName,
    rtoSeconds: incident.rtoSeconds ?? Number.NaN,
    ...(moved === undefined ? {} : { trafficMovedSeconds: moved.at - origin }),
    ...(fence === undefined ? {} : { fence }),
    criticalPath: critical,
    runbook: seedRunbook(world.timings, mode),
    stateTransitions: countTransitions(primary),
    apiCalls: counts.calls,
    apiErrors: counts.errors,
    apiPeakPerMinute: busiestWindow(world.calls),
    steps: executions.find((x) => x.executionArn === primary.executionArn)?.steps ?? [],
    invariants: checkInvariants(run, primary, { incident, stateLeft: left }),
    ...(lost.length === 0 ? {} : { lostWritesSeconds: Math.max(...lost) }),
    capacity,
  };
}
