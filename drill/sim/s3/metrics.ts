import type {
  Datapoint,
  GetMetricStatisticsCommandInput,
  GetMetricStatisticsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import type { ProjectNames } from '../../../infra/config/names';
import type { RegionRole } from '../../../infra/config/schema';
import type { S3Model } from './s3';

/** S3 publishes its replication metrics per minute. */
const PERIOD_SECONDS = 60;

/**
 * What the simulated CloudWatch answers for `AWS/S3` `OperationsPendingReplication` and
 * `ReplicationLatency` (the age of the oldest pending object): one datapoint
 * per complete minute in [StartTime, EndTime), in the source bucket's region only, for the project's
 * rule (`SourceBucket`, `DestinationBucket`, `RuleId`). The minute's value is the backlog sampled
 * at its end (S3's gauge is a per-minute reading), reported as every statistic asked for.
 * Returns undefined for any other metric (the caller answers those).
 */
export function s3ReplicationStatistics(
  input: GetMetricStatisticsCommandInput,
  region: string,
  names: ProjectNames,
  s3: S3Model,
  clock: { readonly epochMs: number; now(): number },
): Pick<GetMetricStatisticsCommandOutput, 'Datapoints' | 'Label'> | undefined {
  const metric = input.MetricName;
  if (input.Namespace !== 'AWS/S3') return undefined;
  if (metric !== 'OperationsPendingReplication' && metric !== 'ReplicationLatency') return undefined;
  const dim = (name: string) => input.Dimensions?.find((d) => d.Name === name)?.Value;
  const role = (['main', 'dr'] as const).find((r: RegionRole) => {
    const n = names.regions[r];
    const other = names.regions[r === 'main' ? 'dr' : 'main'];
    return (
      n.region === region &&
      dim('SourceBucket') === n.bucketName &&
      dim('DestinationBucket') === other.bucketName &&
      dim('RuleId') === n.replicationRuleId
    );
  });
  const label = metric;
  if (role === undefined || input.StartTime === undefined || input.EndTime === undefined) {
    return { Label: label, Datapoints: [] };
  }
  const toSim = (d: Date) => (d.getTime() - clock.epochMs) / 1000;
  const now = clock.now();
  const from = Math.ceil(toSim(input.StartTime) / PERIOD_SECONDS) * PERIOD_SECONDS;
  const until = Math.min(toSim(input.EndTime), now);
  const datapoints: Datapoint[] = [];
  for (let m = from; m + PERIOD_SECONDS <= until; m += PERIOD_SECONDS) {
    const end = m + PERIOD_SECONDS;
    const pending = s3.pending(role, end);
    // ReplicationLatency: how far behind the destination is, i.e. the age of the oldest pending object.
    const value =
      metric === 'OperationsPendingReplication'
        ? pending.length
        : Math.max(0, ...pending.map((o) => end - o.writtenAt));
    const unit = metric === 'OperationsPendingReplication' ? 'Count' : 'Seconds';
    const point: Datapoint = { Timestamp: new Date(clock.epochMs + m * 1000), Unit: unit };
    for (const s of input.Statistics ?? []) {
      if (s === 'SampleCount') point.SampleCount = 1;
      else point[s] = value;
    }
    datapoints.push(point);
  }
  return { Label: label, Datapoints: datapoints };
}
