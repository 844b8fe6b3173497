import { type CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import type { ReplicationReport } from '../shared/contracts';
import { awsCall } from '../shared/errors';

/** The replication rule whose backlog is read: the `AWS/S3` replication metrics' dimensions. */
export interface ReplicationRuleRef {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly ruleId: string;
}

/** S3 publishes replication metrics per minute. */
export const REPLICATION_METRIC_PERIOD_SECONDS = 60;

/**
 * How far back a read looks for the latest datapoint: S3's replication metrics reach CloudWatch a
 * few minutes late, so the latest minute alone is often empty.
 */
export const BACKLOG_LOOKBACK_SECONDS = 5 * 60;

/** The rule's per-minute Maximum of `metric` over the lookback, latest minute first. */
async function readMetric(
  cloudwatch: CloudWatchClient,
  rule: ReplicationRuleRef,
  metric: 'OperationsPendingReplication' | 'ReplicationLatency',
  now: Date,
  abortSignal?: AbortSignal,
): Promise<{ readonly value: number; readonly at: Date }[]> {
  const out = await awsCall('cloudwatch:GetMetricStatistics', () =>
    cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/S3',
        MetricName: metric,
        Dimensions: [
          { Name: 'SourceBucket', Value: rule.sourceBucket },
          { Name: 'DestinationBucket', Value: rule.destinationBucket },
          { Name: 'RuleId', Value: rule.ruleId },
        ],
        StartTime: new Date(now.getTime() - BACKLOG_LOOKBACK_SECONDS * 1000),
        EndTime: now,
        Period: REPLICATION_METRIC_PERIOD_SECONDS,
        Statistics: ['Maximum'],
      }),
      abortSignal === undefined ? {} : { abortSignal },
    ),
  );
  return (out.Datapoints ?? [])
    .flatMap((d) =>
      d.Timestamp === undefined || d.Maximum === undefined ? [] : [{ value: d.Maximum, at: d.Timestamp }],
    )
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

/**
 * Read the rule's `OperationsPendingReplication` and `ReplicationLatency` (Maximum per minute) over
 * the last {@link BACKLOG_LOOKBACK_SECONDS} and report the latest minute's values. The latest, not
 * the largest of the window: a backlog that just drained must not hold a failback for the whole
 * lookback. No datapoint in the window means S3 reported nothing pending (it publishes these metrics
 * while replication has work), and the report says so in `note`.
 * Throws what the reads throw (transient errors as `TransientAwsError`).
 */
export async function readBacklog(
  cloudwatch: CloudWatchClient,
  rule: ReplicationRuleRef,
  now: Date,
  abortSignal?: AbortSignal,
): Promise<ReplicationReport> {
  const [pending, latency] = await Promise.all([
    readMetric(cloudwatch, rule, 'OperationsPendingReplication', now, abortSignal),
    readMetric(cloudwatch, rule, 'ReplicationLatency', now, abortSignal),
  ]);
  const latest = pending[0];
  if (latest === undefined) {
    return {
      ...rule,
      pendingOperations: 0,
      note: `no datapoint in the last ${BACKLOG_LOOKBACK_SECONDS / 60} min: nothing reported pending`,
    };
  }
  const lag = latency.find((l) => l.at.getTime() === latest.at.getTime());
  return {
    ...rule,
    pendingOperations: latest.value,
    measuredAt: latest.at.toISOString(),
    ...(lag === undefined ? {} : { latencySeconds: lag.value }),
  };
}
