import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { BucketBacklog, ReplicationReport, StepEvent, StepResult } from '../shared/contracts';
import {
  type Env,
  parsePairedListVars,
  REGION_ENV,
  type RegionSettings,
  regionSettings,
  requireEnv,
} from '../shared/env';
import { asError, rethrow } from '../shared/errors';
import { beginStep, pending, ready } from '../shared/step-result';
import { withTimeout } from '../shared/timeout';
import { REPLICATION_METRIC_PERIOD_SECONDS, type ReplicationRules, readBacklogs } from './backlog';
import { describeReport, pairText, summarize, unknownReport } from './report';

export interface DrainReplicationSettings extends RegionSettings, ReplicationRules {}

export interface DrainReplicationClients {
  /** CloudWatch in the region traffic leaves, where S3 publishes its buckets' replication metrics (may be down). */
  readonly sourceCloudwatch: CloudWatchClient;
}

/** How long one read may take on a failback (the source, DR, is serving and answers). */
export const BACKLOG_CALL_TIMEOUT_MS = 5_000;
/**
 * On a failover the read sits between the instances and the promotion, and the source region may
 * be down and silent: best effort, so it may cost the RTO at most this.
 */
export const FAILOVER_READ_TIMEOUT_MS = 2_000;

/**
 * Read the drain-replication settings. Throws InvalidInputError naming missing variables, a list
 * with an empty item, or `SOURCE_BUCKETS`, `TARGET_BUCKETS` and `SOURCE_REPLICATION_RULE_IDS` when
 * their lengths differ.
 */
export function readDrainReplicationSettings(env: Env): DrainReplicationSettings {
  const raw = requireEnv(
    [...REGION_ENV, 'SOURCE_BUCKETS', 'TARGET_BUCKETS', 'SOURCE_REPLICATION_RULE_IDS'],
    env,
  );
  const [sources, targets, ruleIds] = parsePairedListVars(
    { name: 'SOURCE_BUCKETS', raw: raw.SOURCE_BUCKETS },
    { name: 'TARGET_BUCKETS', raw: raw.TARGET_BUCKETS },
    { name: 'SOURCE_REPLICATION_RULE_IDS', raw: raw.SOURCE_REPLICATION_RULE_IDS },
  );
  return {
    ...regionSettings(raw),
    buckets: sources.flatMap((sourceBucket, i) => {
      const destinationBucket = targets[i];
      const ruleId = ruleIds[i];
      return destinationBucket === undefined || ruleId === undefined
        ? []
        : [{ sourceBucket, destinationBucket, ruleId }];
    }),
  };
}

function rulesOf(settings: DrainReplicationSettings): ReplicationRules {
  return { buckets: settings.buckets };
}

/** After a metric minute ends, how long before its reading is asked for (the request's own margin). */
export const MINUTE_READ_MARGIN_SECONDS = 1;

/**
 * Seconds to wait before the next read: `pollSeconds`, or less when a metric minute ends sooner. A
 * new reading can only come with a new minute, so the read right after it ends is the first that
 * can see the backlog drained (issue 24); reading between minutes learns nothing new.
 */
export function nextReadSeconds(nowMs: number, pollSeconds: number): number {
  const period = REPLICATION_METRIC_PERIOD_SECONDS * 1000;
  const untilMinuteEnds = period - (nowMs % period) + MINUTE_READ_MARGIN_SECONDS * 1000;
  return Math.min(pollSeconds, untilMinuteEnds / 1000);
}

/**
 * An application that keeps writing in DR may never leave a minute with nothing pending. What the
 * failback needs is that everything written before it began is in main: S3's `ReplicationLatency`
 * says how far behind the destination is, so at the end of the reported minute the oldest object
 * still pending was written at (minute end − latency). Later than the step's start → done.
 */
function writtenBeforeStartReplicated(report: BucketBacklog, startedAt: string): boolean {
  if (report.latencySeconds === undefined || report.measuredAt === undefined) return false;
  const minuteEnd = Date.parse(report.measuredAt) + REPLICATION_METRIC_PERIOD_SECONDS * 1000;
  return minuteEnd - report.latencySeconds * 1000 >= Date.parse(startedAt);
}

/** Still holding a failback: a backlog that is not 0 and holds an object from before the step began. */
function holdsFailback(b: BucketBacklog, startedAt: string): boolean {
  return b.pendingOperations !== 0 && !writtenBeforeStartReplicated(b, startedAt);
}

/**
 * The `replication` step (act and check). Runs in the database branch after the instances and
 * before the promotion, so a failback never switches the database back while objects are missing.
 * Reads every bucket pair in one GetMetricData request (`backlog.ts`).
 *
 * - Failback (`TARGET_ROLE` main): READY once every DR bucket's `OperationsPendingReplication` to
 *   its main pair is 0, or has nothing left from before the step began, so every object written in
 *   DR is in main before traffic moves back; PENDING while any bucket is behind (the detail names
 *   each); `WaitTimeoutError` once the budget is spent (the Parallel fails, the failure is notified,
 *   traffic stays in DR). Read errors propagate (transient ones as `TransientAwsError`).
 * - Failover (`TARGET_ROLE` dr): never waits. Reads main's backlogs to DR once, best effort (main
 *   may be down), and reports them: the S3 part of the data-loss window. Always READY.
 *
 * The result carries the reading as `replication` ({@link ReplicationReport}: the total, and each
 * bucket's in `buckets`).
 */
export async function drainReplication(
  event: StepEvent,
  settings: DrainReplicationSettings,
  clients: DrainReplicationClients,
): Promise<StepResult> {
  const call = beginStep('replication', event);
  const rules = rulesOf(settings);
  const read = (): Promise<BucketBacklog[]> =>
    withTimeout(
      (signal) => readBacklogs(clients.sourceCloudwatch, rules, new Date(), signal),
      settings.targetRole === 'dr' ? FAILOVER_READ_TIMEOUT_MS : BACKLOG_CALL_TIMEOUT_MS,
      `${settings.sourceRegion} cloudwatch:GetMetricData`,
    );

  if (settings.targetRole === 'dr') {
    let report: ReplicationReport;
    try {
      report = summarize(rules, await read());
    } catch (err: unknown) {
      const e = asError(err);
      report = unknownReport(rules, `${settings.sourceRegion} did not answer (${e.name}: ${e.message})`);
    }
    return {
      ...ready(call, `failover does not wait for S3: ${describeReport(report)}`),
      replication: report,
    };
  }

  let backlogs: BucketBacklog[];
  try {
    backlogs = await read();
  } catch (err: unknown) {
    rethrow(err, `${settings.sourceRegion} cloudwatch:GetMetricData`);
  }
  const report = summarize(rules, backlogs);
  if (report.pendingOperations === 0) {
    return { ...ready(call, `replication drained: ${describeReport(report)}`), replication: report };
  }
  const holding = backlogs.filter((b) => holdsFailback(b, call.startedAt));
  if (holding.length === 0) {
    return {
      ...ready(
        call,
        `every object written before the failback began is in ${settings.targetRegion}; still in flight: ${describeReport(report)}`,
      ),
      replication: report,
    };
  }
  const detail =
    backlogs.length === 1
      ? describeReport(report)
      : `waiting for ${holding.map(pairText).join(', ')}: ${describeReport(report)}`;
  return { ...pending(call, detail), replication: report };
}
