import type {
  Datapoint,
  Dimension,
  GetMetricStatisticsCommandInput,
  GetMetricStatisticsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import type { ProjectNames } from '../../../infra/config/names';
import { otherRole, type RegionRole } from '../../../infra/config/schema';
import type { S3Model } from './s3';

/**
 * The `AWS/S3` replication metrics of the project's rules, as CloudWatch serves them: one rule per
 * bucket pair and direction (`SourceBucket`, `DestinationBucket`, `RuleId`), published per minute in
 * the source bucket's region only. A minute's value is the rule's backlog sampled at the minute's
 * end (S3's gauge is a per-minute reading): `OperationsPendingReplication` counts the objects not
 * yet in the destination, `ReplicationLatency` is the age of the oldest of them. GetMetricStatistics
 * (below) and GetMetricData (`../cloudwatch/metric-data.ts`) read the same values.
 */

/** S3 publishes its replication metrics per minute. */
export const S3_METRIC_PERIOD_SECONDS = 60;

/** The replication metrics S3 publishes per rule that the drill models. */
export const S3_REPLICATION_METRICS = ['OperationsPendingReplication', 'ReplicationLatency'] as const;
export type S3ReplicationMetric = (typeof S3_REPLICATION_METRICS)[number];

export function isS3ReplicationMetric(namespace: string | undefined, metric: string | undefined): boolean {
  return (
    namespace === 'AWS/S3' && (S3_REPLICATION_METRICS as readonly (string | undefined)[]).includes(metric)
  );
}

/** One of the project's replication rules: the pair (its entry) and the bucket it replicates from. */
export interface ReplicationRuleRef {
  readonly role: RegionRole;
  readonly entry: string;
}

/**
 * The project's rule that `dimensions` name in `region`, or undefined: S3 publishes a rule's
 * metrics in its source bucket's region, under exactly these three dimensions.
 */
export function replicationRuleOf(
  names: ProjectNames,
  region: string,
  dimensions: readonly Dimension[] | undefined,
): ReplicationRuleRef | undefined {
  const dims = dimensions ?? [];
  if (dims.length !== 3) return undefined;
  const dim = (name: string) => dims.find((d) => d.Name === name)?.Value;
  for (const role of ['main', 'dr'] as const) {
    const own = names.regions[role];
    const other = names.regions[otherRole(role)];
    if (own.region !== region) continue;
    for (const [i, bucket] of own.buckets.entries()) {
      if (
        dim('RuleId') === bucket.replicationRuleId &&
        dim('SourceBucket') === bucket.bucketName &&
        dim('DestinationBucket') === other.buckets[i]?.bucketName
      ) {
        return { role, entry: bucket.entry };
      }
    }
  }
  return undefined;
}

/** `metric` of `rule` for the minute ending at `end` (simulated seconds). */
export function replicationValue(
  s3: S3Model,
  rule: ReplicationRuleRef,
  metric: S3ReplicationMetric,
  end: number,
): number {
  const pending = s3.pending(rule.role, end, rule.entry);
  // ReplicationLatency: how far behind the destination is, i.e. the age of the oldest pending object.
  return metric === 'OperationsPendingReplication'
    ? pending.length
    : Math.max(0, ...pending.map((o) => end - o.writtenAt));
}

/**
 * What the simulated CloudWatch answers to GetMetricStatistics for `AWS/S3`
 * `OperationsPendingReplication` and `ReplicationLatency`: one datapoint per complete minute in
 * [StartTime, EndTime) for one of the project's rules, reported as every statistic asked for; none
 * for another rule or region. Returns undefined for any other metric (the caller answers those).
 */
export function s3ReplicationStatistics(
  input: GetMetricStatisticsCommandInput,
  region: string,
  names: ProjectNames,
  s3: S3Model,
  clock: { readonly epochMs: number; now(): number },
): Pick<GetMetricStatisticsCommandOutput, 'Datapoints' | 'Label'> | undefined {
  const metric = input.MetricName;
  if (!isS3ReplicationMetric(input.Namespace, metric)) return undefined;
  const m = metric as S3ReplicationMetric;
  const rule = replicationRuleOf(names, region, input.Dimensions);
  const label = m;
  if (rule === undefined || input.StartTime === undefined || input.EndTime === undefined) {
    return { Label: label, Datapoints: [] };
  }
  const toSim = (d: Date) => (d.getTime() - clock.epochMs) / 1000;
  const now = clock.now();
  const from = Math.ceil(toSim(input.StartTime) / S3_METRIC_PERIOD_SECONDS) * S3_METRIC_PERIOD_SECONDS;
  const until = Math.min(toSim(input.EndTime), now);
  const unit = m === 'OperationsPendingReplication' ? 'Count' : 'Seconds';
  const datapoints: Datapoint[] = [];
  for (let t = from; t + S3_METRIC_PERIOD_SECONDS <= until; t += S3_METRIC_PERIOD_SECONDS) {
    const value = replicationValue(s3, rule, m, t + S3_METRIC_PERIOD_SECONDS);
    const point: Datapoint = { Timestamp: new Date(clock.epochMs + t * 1000), Unit: unit };
    for (const s of input.Statistics ?? []) {
      if (s === 'SampleCount') point.SampleCount = 1;
      else point[s] = value;
    }
    datapoints.push(point);
  }
  return { Label: label, Datapoints: datapoints };
}
