import type { DrillReport } from '../../drill/report/types';
import { DRILL_EPOCH_MS } from '../../drill/runner/simulation';
import { claimSlip } from '../../drill/sweep/claim-slip';
import { READINESS_METRIC, READINESS_NAMESPACE } from '../../lambdas/shared/readiness-contract';
import { TRAFFIC_CLAIM_METRIC, TRAFFIC_CLAIM_NAMESPACE } from '../../lambdas/shared/traffic-claim';

/** A report with just what claimSlip reads: the bound, its DNS part and minute wait, the calls. */
function makeReport(opts: {
  lowerBound: number;
  dns: number;
  wait?: number;
  claims?: { at: number; timestamps: readonly (number | string)[]; namespace?: string; metric?: string }[];
}): DrillReport {
  const at = (t: number) => new Date(DRILL_EPOCH_MS + t * 1000);
  return {
    targetRegion: 'us-west-2',
    incident: {
      lowerBoundSeconds: opts.lowerBound,
      lowerBoundParts: { dns: opts.dns },
      ...(opts.wait === undefined ? {} : { lowerBoundClaimMinuteWaitSeconds: opts.wait }),
    },
    calls: (opts.claims ?? []).map((c) => ({
      operation: 'PutMetricData',
      region: 'us-west-2',
      at: c.at,
      input: {
        Namespace: c.namespace ?? TRAFFIC_CLAIM_NAMESPACE,
        MetricData: c.timestamps.map((t) => ({
          MetricName: c.metric ?? TRAFFIC_CLAIM_METRIC,
          Timestamp: typeof t === 'string' ? t : at(t),
        })),
      },
    })),
  } as unknown as DrillReport;
}

describe('claimSlip', () => {
  it('reads the traffic claim, not the readiness report put at the start', () => {
    // Prepare: readiness puts its data points at 1.5 s; the claim comes at 612 s.
    const report = makeReport({
      lowerBound: 655,
      dns: 50,
      wait: 55,
      claims: [
        { at: 1.5, timestamps: [1.5], namespace: READINESS_NAMESPACE, metric: READINESS_METRIC },
        { at: 612, timestamps: [612] },
      ],
    });
    // Act + Assess
    expect(claimSlip(report)).toMatchObject({ claimedAt: 612, periodsLate: 0 });
  });

  it('is 0 when the claim is dated in the lower bound’s minute', () => {
    // Prepare: the bound claims at 605 s, the run at 612 s (same minute).
    const report = makeReport({
      lowerBound: 655,
      dns: 50,
      wait: 55,
      claims: [{ at: 612, timestamps: [612] }],
    });
    // Act + Assess
    expect(claimSlip(report)).toMatchObject({
      idealAt: 605,
      claimedAt: 612,
      periodsLate: 0,
      seconds: 0,
      lateSeconds: 7,
      penaltySeconds: -7,
    });
  });

  it('is one period when the claim crosses a minute boundary the bound did not', () => {
    // Prepare: bound at 598 s, run at 602 s.
    const report = makeReport({
      lowerBound: 650,
      dns: 52,
      wait: 2,
      claims: [{ at: 602, timestamps: [602] }],
    });
    // Act + Assess
    // The claim was 4 s late; the boundary made that a whole period (60 s).
    expect(claimSlip(report)).toMatchObject({
      periodsLate: 1,
      seconds: 60,
      lateSeconds: 4,
      penaltySeconds: 56,
    });
  });

  it('places a bound rounded onto a minute boundary in the minute it really was in', () => {
    // Prepare: the bound claimed at 419.96 s (rounded: 420.0 s, minute wait 0.04 → 0.0 s).
    const report = makeReport({
      lowerBound: 471.4,
      dns: 51.4,
      wait: 0,
      claims: [{ at: 426.8, timestamps: [426.8] }],
    });
    // Act + Assess
    expect(claimSlip(report)?.periodsLate).toBe(1);
  });

  it('dates the claim by its earliest data point, as a Date or as its JSON string', () => {
    // Prepare: published at 602 s, dated from 599 s (readiness) as well.
    const iso = new Date(DRILL_EPOCH_MS + 599_000).toISOString();
    for (const first of [599, iso]) {
      const report = makeReport({
        lowerBound: 650,
        dns: 52,
        wait: 2,
        claims: [{ at: 602, timestamps: [first, 602] }],
      });
      // Act + Assess
      expect(claimSlip(report)).toMatchObject({ claimedAt: 599, periodsLate: 0 });
    }
  });

  it('is undefined when the run published no claim or the bound has no DNS part', () => {
    expect(claimSlip(makeReport({ lowerBound: 650, dns: 52 }))).toBeUndefined();
    const noDns = makeReport({ lowerBound: 650, dns: 0, claims: [{ at: 602, timestamps: [602] }] });
    (noDns.incident.lowerBoundParts as Record<string, number | undefined>).dns = undefined;
    expect(claimSlip(noDns)).toBeUndefined();
  });
});
