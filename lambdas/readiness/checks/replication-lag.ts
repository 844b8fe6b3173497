import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { DatabaseCheckSpec } from '../check-spec';
import { membershipGapFix, notMemberFix } from '../database-fixes';
import { fail, type LagReading, pass, read } from '../outcome';
import type { ReadinessReads } from '../reads';
import type { ReadinessDatabase, ReadinessSettings } from '../settings';

/** Aurora publishes the lag once a minute: 10 minutes tolerate a few missed datapoints, no more. */
export const LAG_WINDOW_MINUTES = 10;
const PERIOD_SECONDS = 60;

const lagFix = (s: ReadinessSettings, db: ReadinessDatabase) =>
  `find why replication stopped: aws rds describe-global-clusters --global-cluster-identifier ${db.globalClusterId}; ` +
  `the metric: aws cloudwatch get-metric-statistics --namespace AWS/RDS --metric-name AuroraGlobalDBReplicationLag --dimensions Name=DBClusterIdentifier,Value=${db.clusterId} --region ${s.targetRegion}`;

/** The latest `AuroraGlobalDBReplicationLag` of `db`'s cluster in this region in the window, if any. */
async function latestLag(reads: ReadinessReads, db: ReadinessDatabase): Promise<LagReading | undefined> {
  const end = reads.now();
  const start = new Date(end.getTime() - LAG_WINDOW_MINUTES * 60_000);
  const out = await read('cloudwatch:GetMetricData', () =>
    reads.clients.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: [
          {
            Id: 'lag',
            ReturnData: true,
            MetricStat: {
              Metric: {
                Namespace: 'AWS/RDS',
                MetricName: 'AuroraGlobalDBReplicationLag',
                Dimensions: [{ Name: 'DBClusterIdentifier', Value: db.clusterId }],
              },
              Period: PERIOD_SECONDS,
              // The worst of the minute: the data an unplanned failover could lose.
              Stat: 'Maximum',
            },
          },
        ],
      }),
    ),
  );
  const result = out.MetricDataResults?.find((r) => r.Id === 'lag');
  const values = result?.Values ?? [];
  const times = result?.Timestamps ?? [];
  let latest: { ms: number; at: Date } | undefined;
  values.forEach((v, i) => {
    const at = times[i];
    if (at !== undefined && (latest === undefined || at.getTime() > latest.at.getTime()))
      latest = { ms: v, at };
  });
  return latest === undefined ? undefined : { seconds: latest.ms / 1000, at: latest.at.toISOString() };
}

/**
 * `replication-lag`, per database: a secondary's replication from the writer is connected and
 * reporting, and its latest lag (AWS/RDS `AuroraGlobalDBReplicationLag`, milliseconds, dimension
 * `DBClusterIdentifier`) is within `maxReplicationLagSeconds`. The writer has nothing to replicate.
 */
export const replicationLagCheck: DatabaseCheckSpec = {
  id: 'replication-lag',
  scope: 'database',
  what: (s, db) => `replication into ${db.clusterId}: connected, lag ≤ ${s.maxReplicationLagSeconds} s`,
  run: async (s, reads, db) => {
    const what = replicationLagCheck.what(s, db);
    const membership = await reads.membership(db);
    if (typeof membership === 'string' || membership.member === undefined) {
      const why =
        typeof membership === 'string'
          ? membership
          : `${db.clusterId} is not a member of ${db.globalClusterId}`;
      let fix = `make ${db.clusterId} a secondary of ${db.globalClusterId} again: redeploy this region's database stack (aws rds describe-global-clusters --global-cluster-identifier ${db.globalClusterId})`;
      if (db.existing === true) {
        fix = typeof membership === 'string' ? await membershipGapFix(s, reads, db) : notMemberFix(s, db);
      }
      return fail('replication-lag', what, `nothing replicates into ${db.clusterId}: ${why}`, fix);
    }
    if (membership.member.IsWriter === true) {
      return pass('replication-lag', `${db.clusterId} is the writer: nothing to replicate`);
    }
    const sync = membership.member.SynchronizationStatus;
    if (sync !== undefined && sync !== 'connected') {
      // Already a definite FAIL: the lag only adds to the report, so an unreadable metric is no reason to say UNKNOWN.
      const lag = await latestLag(reads, db).catch(() => undefined);
      return {
        ...fail(
          'replication-lag',
          what,
          `the global cluster reports ${db.clusterId}'s synchronization as ${sync}: replication is not healthy`,
          lagFix(s, db),
        ),
        ...(lag === undefined ? {} : { replicationLag: lag }),
      };
    }
    const lag = await latestLag(reads, db);
    if (lag === undefined) {
      return fail(
        'replication-lag',
        what,
        `no AuroraGlobalDBReplicationLag datapoint in the last ${LAG_WINDOW_MINUTES} min: replication not reporting (broken or stopped)`,
        lagFix(s, db),
      );
    }
    const measured = `lag ${lag.seconds} s at ${lag.at}`;
    if (lag.seconds > s.maxReplicationLagSeconds) {
      return {
        ...fail(
          'replication-lag',
          `${what} (${measured})`,
          `replication lag ${lag.seconds} s exceeds ${s.maxReplicationLagSeconds} s: an unplanned failover now would lose that much`,
          `wait for the writer's load to drop, or raise failover.readiness.maxReplicationLagSeconds; ${lagFix(s, db)}`,
        ),
        replicationLag: lag,
      };
    }
    return {
      ...pass('replication-lag', `replication into ${db.clusterId} connected, ${measured}`),
      replicationLag: lag,
    };
  },
};
