import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { BucketBacklog } from '../shared/contracts';
import { awsCall, MetricQueryError, TransientAwsError } from '../shared/errors';

/** A bucket of the region traffic leaves and its pair in this region. */
export interface BucketPair {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
}

/** A pair and the id of the source bucket's replication rule to it (each bucket has its own). */
export interface BucketRule extends BucketPair {
  readonly ruleId: string;
}

/** The replication whose backlog is read: the `AWS/S3` replication metrics' dimensions. */
export interface ReplicationRules {
  /** In config order, each with its own rule id. */
  readonly buckets: readonly BucketRule[];
}

/** S3 publishes replication metrics per minute. */
export const REPLICATION_METRIC_PERIOD_SECONDS = 60;

/**
 * How far back a read looks for the latest datapoint: S3's replication metrics reach CloudWatch a
 * few minutes late, so the latest minute alone is often empty.
 */
export const BACKLOG_LOOKBACK_SECONDS = 5 * 60;

/** What a pair without a datapoint in the lookback is reported with. */
export const NO_DATAPOINT = `no datapoint in the last ${BACKLOG_LOOKBACK_SECONDS / 60} min`;

/** The metrics read per bucket pair: the backlog, and the age of its oldest object. */
const METRICS = ['OperationsPendingReplication', 'ReplicationLatency'] as const;
type BacklogMetric = (typeof METRICS)[number];

/** GetMetricData takes at most 500 queries per request (CloudWatch API reference). */
export const GET_METRIC_DATA_MAX_QUERIES = 500;

/** One query per metric per pair: the pairs one GetMetricData request can read (250). */
export const PAIRS_PER_REQUEST = Math.floor(GET_METRIC_DATA_MAX_QUERIES / METRICS.length);

interface Point {
  readonly value: number;
  readonly at: Date;
}

const queryId = (metric: BacklogMetric, index: number): string =>
  `${metric === 'OperationsPendingReplication' ? 'pending' : 'latency'}_${index}`;

function query(pair: BucketRule, metric: BacklogMetric, index: number): MetricDataQuery {
  return {
    Id: queryId(metric, index),
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/S3',
        MetricName: metric,
        Dimensions: [
          { Name: 'SourceBucket', Value: pair.sourceBucket },
          { Name: 'DestinationBucket', Value: pair.destinationBucket },
          { Name: 'RuleId', Value: pair.ruleId },
        ],
      },
      Period: REPLICATION_METRIC_PERIOD_SECONDS,
      Stat: 'Maximum',
    },
  };
}

/** A query CloudWatch could not answer must not read as "nothing pending". */
function assertAnswered(result: MetricDataResult): void {
  const status = result.StatusCode;
  if (status === undefined || status === 'Complete' || status === 'PartialData') return;
  const why = `cloudwatch:GetMetricData query ${result.Id}: ${status}${(result.Messages ?? []).map((m) => `; ${m.Code}: ${m.Value}`).join('')}`;
  if (status === 'InternalError') throw new TransientAwsError(why);
  throw new MetricQueryError(why);
}

/** Every series of `queries` over the lookback, by query id, following NextToken. */
async function readSeries(
  cloudwatch: CloudWatchClient,
  queries: readonly MetricDataQuery[],
  now: Date,
  abortSignal?: AbortSignal,
): Promise<Map<string, Point[]>> {
  const series = new Map<string, Point[]>();
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const out = await awsCall('cloudwatch:GetMetricData', () =>
      cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [...queries],
          StartTime: new Date(now.getTime() - BACKLOG_LOOKBACK_SECONDS * 1000),
          EndTime: now,
          ScanBy: 'TimestampDescending',
          ...(token === undefined ? {} : { NextToken: token }),
        }),
        abortSignal === undefined ? {} : { abortSignal },
      ),
    );
    for (const result of out.MetricDataResults ?? []) {
      assertAnswered(result);
      if (result.Id === undefined) continue;
      const values = result.Values ?? [];
      const points = (result.Timestamps ?? []).flatMap((at, i) => {
        const value = values[i];
        return value === undefined ? [] : [{ value, at }];
      });
      series.set(result.Id, [...(series.get(result.Id) ?? []), ...points]);
    }
    nextToken = out.NextToken;
  } while (nextToken !== undefined);
  const missing = queries.find((q) => q.Id !== undefined && !series.has(q.Id));
  if (missing !== undefined) {
    throw new TransientAwsError(`cloudwatch:GetMetricData returned no result for query ${missing.Id}`);
  }
  return series;
}

/** Latest minute first. */
const latestFirst = (points: readonly Point[]): Point[] =>
  [...points].sort((a, b) => b.at.getTime() - a.at.getTime());

/**
 * A pair's report from its series. The latest minute, not the largest of the window: a backlog
 * that just drained must not hold a failback for the whole lookback. No datapoint in the window
 * means S3 reported nothing pending (it publishes these metrics while replication has work).
 */
function backlogOf(rule: BucketRule, pending: readonly Point[], latency: readonly Point[]): BucketBacklog {
  // The pair alone: a bucket's reading carries no rule id (the report's `ruleId` says it).
  const pair: BucketPair = { sourceBucket: rule.sourceBucket, destinationBucket: rule.destinationBucket };
  const latest = latestFirst(pending)[0];
  if (latest === undefined) {
    return {
      ...pair,
      pendingOperations: 0,
      note: `${NO_DATAPOINT}: nothing reported pending`,
    };
  }
  const lag = latency.find((l) => l.at.getTime() === latest.at.getTime());
  return {
    ...pair,
    pendingOperations: latest.value,
    measuredAt: latest.at.toISOString(),
    ...(lag === undefined ? {} : { latencySeconds: lag.value }),
  };
}

/**
 * Read each pair's `OperationsPendingReplication` and `ReplicationLatency` (Maximum per minute,
 * dimensions its buckets and its own rule id) over the last {@link BACKLOG_LOOKBACK_SECONDS} and report each pair's latest minute, in the
 * order of `rules.buckets`. One GetMetricData request per {@link PAIRS_PER_REQUEST} pairs (two
 * queries per pair), so the 20 buckets a config may list take one request.
 * Throws what the reads throw (transient errors as `TransientAwsError`; a query CloudWatch
 * answered `InternalError` as `TransientAwsError`, `Forbidden` as `MetricQueryError`).
 */
export async function readBacklogs(
  cloudwatch: CloudWatchClient,
  rules: ReplicationRules,
  now: Date,
  abortSignal?: AbortSignal,
): Promise<BucketBacklog[]> {
  const requests: { readonly pair: BucketRule; readonly index: number }[][] = [];
  rules.buckets.forEach((pair, index) => {
    if (index % PAIRS_PER_REQUEST === 0) requests.push([]);
    requests.at(-1)?.push({ pair, index });
  });
  const answers = await Promise.all(
    requests.map((chunk) =>
      readSeries(
        cloudwatch,
        chunk.flatMap(({ pair, index }) => METRICS.map((m) => query(pair, m, index))),
        now,
        abortSignal,
      ),
    ),
  );
  const series = new Map(answers.flatMap((a) => [...a]));
  return rules.buckets.map((pair, index) =>
    backlogOf(
      pair,
      series.get(queryId('OperationsPendingReplication', index)) ?? [],
      series.get(queryId('ReplicationLatency', index)) ?? [],
    ),
  );
}
