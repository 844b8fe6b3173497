import {
  TRAFFIC_CLAIM_METRIC,
  TRAFFIC_CLAIM_NAMESPACE,
  TRAFFIC_CLAIM_PERIOD_SECONDS,
} from '../../lambdas/shared/traffic-claim';
import type { DrillReport } from '../report/types';
import { DRILL_EPOCH_MS } from '../runner/simulation';

/**
 * The traffic claim's minute, as a diagnosis. CloudWatch evaluates the claim's alarm per 60 s
 * period, so a claim dated a few seconds after the lower bound's (a poll's lateness, an invocation)
 * that crosses a minute boundary waits a whole period more. The user waits for that minute, so the
 * ratio keeps it (issue 24); this says how many runs crossed and how late their claims were.
 */

export interface ClaimSlip {
  /** When the claim was dated (its earliest data point), seconds since the first trigger. */
  readonly claimedAt: number;
  /** When the lower bound has it: the promotion and the service both ready. */
  readonly idealAt: number;
  /** Whole alarm periods the claim's minute is after the lower bound's (0 when the same). */
  readonly periodsLate: number;
  readonly seconds: number;
  /** The claim's own lateness, `claimedAt − idealAt`: each second of it is a chance in 60 of a period more. */
  readonly lateSeconds: number;
  /**
   * What the minute boundary cost beyond that lateness: `seconds − lateSeconds`. Negative when the
   * claim was late within the bound's minute, which then absorbed the lateness.
   */
  readonly penaltySeconds: number;
}

type Datum = { readonly Timestamp?: unknown };

/** The earliest data point of a PutMetricData input, seconds since the first trigger. */
function earliestDatum(input: unknown): number | undefined {
  const data = (input as { MetricData?: readonly Datum[] } | undefined)?.MetricData ?? [];
  const times = data
    // A Date in the live report, its ISO string once the report went through JSON.
    .map((d) =>
      d.Timestamp instanceof Date
        ? d.Timestamp.getTime()
        : typeof d.Timestamp === 'string'
          ? Date.parse(d.Timestamp)
          : Number.NaN,
    )
    .filter((t) => !Number.isNaN(t))
    .map((t) => (t - DRILL_EPOCH_MS) / 1000);
  return times.length === 0 ? undefined : Math.min(...times);
}

/** Whether a PutMetricData input carries the traffic claim (namespace and metric). */
function isClaimInput(input: unknown): boolean {
  const put = input as { Namespace?: unknown; MetricData?: readonly { MetricName?: unknown }[] } | undefined;
  return (
    put?.Namespace === TRAFFIC_CLAIM_NAMESPACE &&
    (put.MetricData ?? []).some((d) => d.MetricName === TRAFFIC_CLAIM_METRIC)
  );
}

/** The run's claim against the lower bound's, when the run claimed traffic and the bound has DNS. */
export function claimSlip(report: DrillReport): ClaimSlip | undefined {
  const f = report.incident;
  const dns = f.lowerBoundParts.dns;
  if (dns === undefined) return undefined;
  // Only the traffic claim: the readiness report at the start also puts data points, in its own namespace.
  const claim = report.calls.find(
    (c) =>
      c.operation === 'PutMetricData' &&
      c.region === report.targetRegion &&
      c.error === undefined &&
      isClaimInput(c.input),
  );
  if (claim === undefined) return undefined;
  const claimedAt = earliestDatum(claim.input) ?? claim.at;
  const idealAt = f.lowerBoundSeconds - dns;
  const epoch = DRILL_EPOCH_MS / 1000;
  const minute = (t: number) => Math.floor((epoch + t) / TRAFFIC_CLAIM_PERIOD_SECONDS);
  // The bound's claim minute from the end of that minute (a boundary), which the report's rounding
  // cannot move across: a bound claiming 0.1 s before a minute ends must not land in the next one.
  const wait = f.lowerBoundClaimMinuteWaitSeconds;
  const idealMinute =
    wait === undefined
      ? minute(idealAt)
      : Math.round((epoch + idealAt + wait) / TRAFFIC_CLAIM_PERIOD_SECONDS) - 1;
  const periodsLate = Math.max(0, minute(claimedAt) - idealMinute);
  const seconds = periodsLate * TRAFFIC_CLAIM_PERIOD_SECONDS;
  const lateSeconds = claimedAt - idealAt;
  return { claimedAt, idealAt, periodsLate, seconds, lateSeconds, penaltySeconds: seconds - lateSeconds };
}
