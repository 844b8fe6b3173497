import type { RegionRole } from '../../infra/config/schema';
import type { ExecutionRecord } from '../runner/execution';
import type { CriticalPath } from './critical-path';
import { trafficMovedAt } from './execution-output';
import type { ExecutionSummary } from './executions';

/**
 * The incident a drill rehearses, from the first trigger to traffic at the writer: every
 * execution counts (a failed first run, a second trigger, the rerun that finished the job). A run
 * that never moved traffic has no RTO: it has a time to failure and a failed step.
 */

/** Promoting the DR region is a failover; promoting main back is a failback. */
export type IncidentKind = 'failover' | 'failback';

/** How the incident ended: traffic at the writer, a failure, or no run acting at all. */
export type IncidentResult = 'RECOVERED' | 'FAILED' | 'NO_ACTION';

/** One failed execution of the incident. */
export interface IncidentFailure {
  readonly execution: string;
  readonly step?: string;
  readonly error?: string;
  /** Seconds from the first trigger to the end of the failed execution. */
  readonly afterSeconds: number;
}

/** The incident's figures, every time in seconds since the first trigger. */
export interface Incident {
  readonly kind: IncidentKind;
  readonly result: IncidentResult;
  /** Simulated second of the first trigger (the origin of every other time). */
  readonly startedAt: number;
  /** First trigger → traffic at the writer (RECOVERED only). */
  readonly rtoSeconds?: number;
  /** The execution that moved traffic. */
  readonly recoveredBy?: string;
  /** The lower bound of the first acting run's shape under the timings drawn. */
  readonly lowerBound: CriticalPath;
  /**
   * RTO ÷ lower bound, only when one uninterrupted run did the whole job (no execution failed,
   * the one that moved traffic is the first): otherwise the delay is the fault's, not the wait's.
   */
  readonly ratio?: number;
  /** The failure that ended the incident (FAILED), and every failed execution in start order. */
  readonly failure?: IncidentFailure;
  readonly failures: readonly IncidentFailure[];
  /** Outcome of the last execution when no run acted (IN_FLIGHT, a cool-down, ...). */
  readonly noActionOutcome?: string;
  /** Seconds from the first trigger to the end of the last execution. */
  readonly endedAfterSeconds: number;
  /** State transitions of every execution, retries included (what Step Functions bills). */
  readonly transitions: number;
}

/** The kind of incident promoting `role` is. */
export function incidentKind(role: RegionRole): IncidentKind {
  return role === 'main' ? 'failback' : 'failover';
}

/** Judge the incident from its executions (in start order, timed from `origin`) and its lower bound. */
export function incidentOf(
  role: RegionRole,
  records: readonly ExecutionRecord[],
  executions: readonly ExecutionSummary[],
  lowerBound: CriticalPath,
): Incident {
  const origin = Math.min(...records.map((e) => e.startedAt));
  const moved = records
    .map((e) => ({ e, at: trafficMovedAt(e)?.at }))
    .filter((m): m is { e: ExecutionRecord; at: number } => m.at !== undefined)
    .sort((a, b) => a.at - b.at)[0];
  const failures: IncidentFailure[] = executions
    .filter((x) => x.status !== 'SUCCEEDED')
    .map((x) => ({
      execution: x.name,
      ...(x.failedStep === undefined ? {} : { step: x.failedStep }),
      ...(x.error === undefined ? {} : { error: x.error }),
      afterSeconds: x.end,
    }));
  const first = executions[0];
  const last = [...executions].sort((a, b) => b.end - a.end)[0];
  const base = {
    kind: incidentKind(role),
    startedAt: origin,
    lowerBound,
    failures,
    endedAfterSeconds: last?.end ?? 0,
    transitions: executions.reduce((sum, x) => sum + x.transitions.length, 0),
  };
  if (moved !== undefined) {
    const rto = moved.at - origin;
    const uninterrupted = failures.length === 0 && first?.name === moved.e.name;
    return {
      ...base,
      result: 'RECOVERED',
      rtoSeconds: rto,
      recoveredBy: moved.e.name,
      ...(uninterrupted ? { ratio: rto / lowerBound.seconds } : {}),
    };
  }
  const failure = failures[failures.length - 1];
  if (failure !== undefined) return { ...base, result: 'FAILED', failure };
  return {
    ...base,
    result: 'NO_ACTION',
    ...(last?.outcome === undefined ? {} : { noActionOutcome: last.outcome }),
  };
}
