import type { ProbeFailure, ProbeFailureReason } from './failure-reason';

/** One request to main, and (when it failed) whether the controls said this region can see out. */
export interface RequestOutcome {
  /** Undefined when main answered healthily. */
  readonly failure?: ProbeFailure;
  /** On a failure: some control answered, so the failure is main's. False: blind, it says nothing. */
  readonly sighted?: boolean;
}

/** What one run measured. */
export interface RunTally {
  /** `measured`: the share is main's; `blind`: too few requests could tell, no share is published. */
  readonly outcome: 'measured' | 'blind';
  /** succeeded ÷ (succeeded + failed), 0..1; absent when blind. */
  readonly share?: number;
  readonly requests: number;
  readonly succeeded: number;
  /** Failed while a control answered: main's failures. */
  readonly failed: number;
  /** Failed while every control failed too. */
  readonly blind: number;
  /** Failed requests (failed and blind) by reason. */
  readonly reasons: Readonly<Partial<Record<ProbeFailureReason, number>>>;
  /** The first failure's detail, e.g. `HTTP 503` or `ECONNREFUSED: connect ECONNREFUSED …`. */
  readonly detail?: string;
}

/**
 * Tally a run. A failed request whose controls all failed too is blind: this region could not
 * reach the outside, so it says nothing about main. The run is blind when fewer than half its
 * requests could tell (a share over one or two requests would be noise); otherwise the share is
 * over the requests that could.
 */
export function tally(outcomes: readonly RequestOutcome[]): RunTally {
  const succeeded = outcomes.filter((o) => o.failure === undefined).length;
  const failed = outcomes.filter((o) => o.failure !== undefined && o.sighted !== false).length;
  const blind = outcomes.length - succeeded - failed;
  const reasons: Partial<Record<ProbeFailureReason, number>> = {};
  for (const o of outcomes) {
    if (o.failure !== undefined) reasons[o.failure.reason] = (reasons[o.failure.reason] ?? 0) + 1;
  }
  const detail = outcomes.find((o) => o.failure !== undefined)?.failure?.detail;
  const sighted = succeeded + failed;
  const common = {
    requests: outcomes.length,
    succeeded,
    failed,
    blind,
    reasons,
    ...(detail === undefined ? {} : { detail }),
  };
  if (sighted === 0 || sighted * 2 < outcomes.length) return { outcome: 'blind', ...common };
  return { outcome: 'measured', share: succeeded / sighted, ...common };
}
