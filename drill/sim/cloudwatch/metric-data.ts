import {
  CloudWatchServiceException,
  type GetMetricDataCommandInput,
  InvalidNextToken,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { RegionRole } from '../../../infra/config/schema';
import { modeledError, serviceError } from '../aws-errors';
import { EC2_VCPU_USAGE_DIMENSIONS } from '../quotas/api';
import type { SimCluster } from '../rds/aurora';
import {
  isS3ReplicationMetric,
  replicationRuleOf,
  replicationValue,
  type S3ReplicationMetric,
} from '../s3/metrics';
import type { World } from '../world';
import { dimensionKey } from './cloudwatch';

/**
 * CloudWatch's GetMetricData over what the simulator knows at any time: Aurora's
 * `AuroraGlobalDBReplicationLag` of each global database's secondary cluster (from the Aurora model), EC2's vCPU
 * usage (`AWS/Usage` `ResourceCount`, from the ASGs), S3's replication metrics of every bucket
 * pair's rules (`../s3/metrics.ts`), and every data point the handlers put. Each query is answered
 * on its own, so one request may read several buckets' backlogs. A metric nobody emitted answers
 * with no data points, as CloudWatch does. Metric math is not modeled.
 */

/** GetMetricData takes at most 500 queries (API reference). */
const MAX_QUERIES = 500;
/** AWS's metrics here are per minute, published once the minute is over. */
const MINUTE = 60;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

function validation(message: string): Error {
  return serviceError(CloudWatchServiceException, 'ValidationError', message);
}

/** The cluster named `id` in `region`, if it is one of the world's. */
function clusterNamed(world: World, region: string, id: string): SimCluster | undefined {
  return world.rds.clusters().find((c) => c.region === region && c.id === id);
}

/**
 * `cluster`'s replication lag at `t` in milliseconds, or undefined when Aurora emits none: the
 * cluster is its global database's writer, must resync after a failover, an operation is changing
 * writers, or either region is down (storage replication stops; the metric stops with it).
 */
export function replicationLagMs(world: World, cluster: SimCluster, t: number): number | undefined {
  const db = world.rds.databaseOf(cluster);
  const g = db.global;
  const role = cluster.role;
  if (g.writerRole === role || g.pendingResync.has(role)) return undefined;
  if (g.operation !== undefined && g.operation.startedAt <= t) return undefined;
  const down = (r: RegionRole) => world.outages.regionDown(world.regionOf(r), t);
  if (down(role) || down(g.writerRole)) return undefined;
  return Math.max(0, t - db.replicaPositionAt(t)) * 1000;
}

/**
 * A model's value of the metric `q` names for the minute starting at `m`, or undefined (no data);
 * null: not a modeled metric. Aurora and EC2 usage are sampled mid-minute, S3 at the minute's end.
 */
function modeledSample(
  world: World,
  region: string,
  q: NonNullable<MetricDataQuery['MetricStat']>,
): ((m: number) => number | undefined) | null {
  const m = q.Metric;
  const dims = m?.Dimensions ?? [];
  if (m?.Namespace === 'AWS/RDS' && m.MetricName === 'AuroraGlobalDBReplicationLag') {
    const id = dims.length === 1 && dims[0]?.Name === 'DBClusterIdentifier' ? dims[0].Value : undefined;
    const cluster = id === undefined ? undefined : clusterNamed(world, region, id);
    return cluster === undefined ? () => undefined : (t) => replicationLagMs(world, cluster, t + MINUTE / 2);
  }
  if (m?.Namespace === 'AWS/Usage' && m.MetricName === 'ResourceCount') {
    const wanted = dimensionKey(
      Object.entries(EC2_VCPU_USAGE_DIMENSIONS).map(([Name, Value]) => ({ Name, Value })),
    );
    if (dimensionKey(dims) !== wanted) return () => undefined;
    return (t) => world.deployed.quotas.vcpusUsed(region, t + MINUTE / 2);
  }
  if (isS3ReplicationMetric(m?.Namespace, m?.MetricName)) {
    const rule = replicationRuleOf(world.names, region, dims);
    const metric = m?.MetricName as S3ReplicationMetric;
    return rule === undefined ? () => undefined : (t) => replicationValue(world.s3, rule, metric, t + MINUTE);
  }
  return null;
}

function aggregate(values: readonly number[], stat: string): number {
  if (stat === 'Maximum') return Math.max(...values);
  if (stat === 'Minimum') return Math.min(...values);
  if (stat === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (stat === 'SampleCount') return values.length;
  if (stat === 'Average') return values.reduce((a, b) => a + b, 0) / values.length;
  const err = new Error(`the drill's simulated CloudWatch does not compute the statistic ${stat}`);
  err.name = 'DrillUnsupportedCommand';
  throw err;
}

/** One query's data points over [start, end): bucketed by its period, newest first unless asked. */
function answer(
  world: World,
  region: string,
  q: MetricDataQuery,
  start: number,
  end: number,
  ascending: boolean,
): MetricDataResult {
  const stat = q.MetricStat;
  if (stat === undefined) {
    const err = new Error(`the drill's simulated CloudWatch does not evaluate metric math (${q.Expression})`);
    err.name = 'DrillUnsupportedCommand';
    throw err;
  }
  const period = stat.Period ?? 0;
  if (!Number.isInteger(period) || period < 1 || (period >= 60 && period % 60 !== 0)) {
    throw validation(`The parameter MetricDataQueries.member.MetricStat.Period must be a multiple of 60.`);
  }
  const statistic = stat.Stat ?? '';
  const now = world.clock.now();
  const samples: { t: number; v: number }[] = [];
  const model = modeledSample(world, region, stat);
  if (model !== null) {
    // One sample per finished minute.
    const last = Math.min(end, Math.floor(now / MINUTE) * MINUTE);
    for (let m = Math.ceil(start / MINUTE) * MINUTE; m < last; m += MINUTE) {
      const v = model(m);
      if (v !== undefined) samples.push({ t: m, v });
    }
  } else {
    const key = dimensionKey(stat.Metric?.Dimensions ?? []);
    for (const d of world.cloudwatch.datapoints) {
      if (
        d.region === region &&
        d.namespace === stat.Metric?.Namespace &&
        d.metric === stat.Metric?.MetricName &&
        d.dimensions === key &&
        d.timestamp >= start &&
        d.timestamp < end
      )
        samples.push({ t: d.timestamp, v: d.value });
    }
  }
  const buckets = new Map<number, number[]>();
  for (const s of samples) {
    // CloudWatch aligns data points to the period (the drill's second 0 is on a minute boundary).
    const b = Math.floor(s.t / period) * period;
    buckets.set(b, [...(buckets.get(b) ?? []), s.v]);
  }
  const times = [...buckets.keys()].sort((a, b) => (ascending ? a - b : b - a));
  return {
    Id: q.Id,
    Label: q.Label ?? stat.Metric?.MetricName,
    Timestamps: times.map((t) => world.clock.dateAt(t)),
    Values: times.map((t) => aggregate(buckets.get(t) ?? [], statistic)),
    StatusCode: 'Complete',
  };
}

/** GetMetricData's answer in `region` (see the module comment). */
export function getMetricData(world: World, region: string, input: GetMetricDataCommandInput) {
  const queries = input.MetricDataQueries ?? [];
  if (queries.length === 0 || queries.length > MAX_QUERIES) {
    throw validation(
      `The collection MetricDataQueries must not be empty and must have at most ${MAX_QUERIES} items.`,
    );
  }
  if (input.StartTime === undefined || input.EndTime === undefined) {
    throw validation('The parameters StartTime and EndTime are required.');
  }
  if (input.NextToken !== undefined) throw modeledError(InvalidNextToken, 'The NextToken is not valid.');
  const toSeconds = (d: Date | string | number) => (new Date(d).getTime() - world.clock.epochMs) / 1000;
  const start = toSeconds(input.StartTime);
  const end = toSeconds(input.EndTime);
  if (!(start < end)) throw validation('The parameter StartTime must be less than the parameter EndTime.');
  const ids = new Set<string>();
  for (const q of queries) {
    if (q.Id === undefined || !QUERY_ID.test(q.Id)) {
      throw validation(
        `The value ${String(q.Id)} for parameter MetricDataQueries.member.Id is not valid: it must start with a lowercase letter and contain only letters, digits and underscores.`,
      );
    }
    if (ids.has(q.Id))
      throw validation(`The value ${q.Id} for parameter MetricDataQueries.member.Id is duplicated.`);
    ids.add(q.Id);
  }
  const ascending = input.ScanBy === 'TimestampAscending';
  return {
    MetricDataResults: queries
      .filter((q) => q.ReturnData !== false)
      .map((q) => answer(world, region, q, start, end, ascending)),
    Messages: [],
  };
}
