import { type CriticalPath, criticalPath, type Runbook, seedRunbook } from './critical-path';
import { AnalysisError } from './errors';
import type { ExecutionRecord } from './execution';
import {
  countTransitions,
  fieldsOf,
  outcomeOf,
  preflightOf,
  promotionModeOf,
  trafficMovedAt,
} from './execution-output';
import { checkInvariants, type Invariant } from './invariants';
import type { DrillRun } from './run';
import type { SimCall } from './sim/calls';
import { type StepSpan, timelineOf } from './timeline';

// The yardsticks stay importable from the analysis, where the timing-model tests look for them.
export { criticalPath, seedRunbook } from './critical-path';

/** Everything the report shows about one drill. */
export interface DrillAnalysis {
  readonly mode: string;
  readonly requestedMode: string;
  readonly outcome: string;
  /** The execution the timeline and RTO describe (the one that promoted, else the first). */
  readonly primary: ExecutionRecord;
  readonly rtoSeconds: number;
  /** When Route 53 actually reached INSYNC for the flip (simulated seconds from the primary's start). */
  readonly dnsInSyncSeconds?: number;
  readonly criticalPath: CriticalPath;
  readonly runbook: Runbook;
  readonly stateTransitions: number;
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly apiErrors: Readonly<Record<string, number>>;
  readonly steps: readonly StepSpan[];
  readonly invariants: readonly Invariant[];
  readonly lostWritesSeconds?: number;
}

/** The execution a report describes: the one that promoted, else the last that proceeded, else the first. */
function primaryOf(run: DrillRun): ExecutionRecord {
  const first = run.executions[0];
  if (first === undefined) throw new AnalysisError('the drill ran no execution');
  const promoted = run.executions.find((e) => outcomeOf(e) === 'PROMOTED');
  const proceeded = run.executions.filter((e) => preflightOf(e)?.status === 'PROCEED');
  return promoted ?? proceeded[proceeded.length - 1] ?? first;
}

/** The outcome line: what the execution returned, else how it ended. */
function outcomeLine(e: ExecutionRecord): string {
  const outcome = outcomeOf(e);
  if (outcome !== undefined) return outcome;
  if (e.status === 'SUCCEEDED') return String(fieldsOf(e.output)?.outcome ?? 'SUCCEEDED');
  return `${e.status}${e.error === undefined ? '' : ` (${e.error})`}`;
}

/** API calls and errors per service. */
function callCounts(calls: readonly SimCall[]): {
  calls: Record<string, number>;
  errors: Record<string, number>;
} {
  const counts = { calls: {} as Record<string, number>, errors: {} as Record<string, number> };
  for (const c of calls) {
    counts.calls[c.service] = (counts.calls[c.service] ?? 0) + 1;
    if (c.error !== undefined) counts.errors[c.service] = (counts.errors[c.service] ?? 0) + 1;
  }
  return counts;
}

/** Everything the report shows, computed from a finished drill. */
export function analyzeDrill(run: DrillRun): DrillAnalysis {
  const { world } = run;
  const primary = primaryOf(run);
  const mode = promotionModeOf(primary);
  const critical = criticalPath(world.timings, mode, preflightOf(primary)?.alreadyDone ?? {});
  const rtoSeconds = (trafficMovedAt(primary)?.at ?? primary.stoppedAt) - primary.startedAt;
  const change = world.route53.changeOf(primary.executionArn);
  const op = world.rds.operations.find((o) => o.execution === primary.executionArn);
  const requested = fieldsOf(primary.input)?.mode;
  const counts = callCounts(world.calls);
  return {
    mode,
    requestedMode: typeof requested === 'string' ? requested : 'unknown',
    outcome: outcomeLine(primary),
    primary,
    rtoSeconds,
    ...(change === undefined ? {} : { dnsInSyncSeconds: change.insyncAt - primary.startedAt }),
    criticalPath: critical,
    runbook: seedRunbook(world.timings, mode),
    stateTransitions: countTransitions(primary),
    apiCalls: counts.calls,
    apiErrors: counts.errors,
    steps: timelineOf(run, primary, critical),
    invariants: checkInvariants(run, primary),
    ...(op?.lostWritesSeconds === undefined ? {} : { lostWritesSeconds: op.lostWritesSeconds }),
  };
}
