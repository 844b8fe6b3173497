import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ReplicationReport, StepEvent, StepResult } from '../shared/contracts';
import { type Env, REGION_ENV, type RegionSettings, regionSettings, requireEnv } from '../shared/env';
import { asError, rethrow } from '../shared/errors';
import { beginStep, pending, ready } from '../shared/step-result';
import { withTimeout } from '../shared/timeout';
import { REPLICATION_METRIC_PERIOD_SECONDS, type ReplicationRuleRef, readBacklog } from './backlog';

export interface DrainReplicationSettings extends RegionSettings, ReplicationRuleRef {}

export interface DrainReplicationClients {
  /** CloudWatch in the region traffic leaves, where S3 publishes its bucket's replication metrics (may be down). */
  readonly sourceCloudwatch: CloudWatchClient;
}

/** How long one read may take on a failback (the source, DR, is serving and answers). */
export const BACKLOG_CALL_TIMEOUT_MS = 5_000;
/**
 * On a failover the read sits between the instances and the promotion, and the source region may
 * be down and silent: best effort, so it may cost the RTO at most this.
 */
export const FAILOVER_READ_TIMEOUT_MS = 2_000;

/** Read the drain-replication settings; throws InvalidInputError naming missing variables. */
export function readDrainReplicationSettings(env: Env): DrainReplicationSettings {
  const raw = requireEnv(
    [...REGION_ENV, 'SOURCE_BUCKET', 'TARGET_BUCKET', 'SOURCE_REPLICATION_RULE_ID'],
    env,
  );
  return {
    ...regionSettings(raw),
    sourceBucket: raw.SOURCE_BUCKET,
    destinationBucket: raw.TARGET_BUCKET,
    ruleId: raw.SOURCE_REPLICATION_RULE_ID,
  };
}

function ruleOf(settings: DrainReplicationSettings): ReplicationRuleRef {
  const { sourceBucket, destinationBucket, ruleId } = settings;
  return { sourceBucket, destinationBucket, ruleId };
}

function describe(report: ReplicationReport): string {
  const what = `${report.sourceBucket} → ${report.destinationBucket} (rule ${report.ruleId})`;
  if (report.pendingOperations === undefined) return `replication backlog of ${what} unknown: ${report.note}`;
  const note = report.note === undefined ? '' : ` (${report.note})`;
  return `${report.pendingOperations} operation(s) pending replication ${what}${note}`;
}

/**
 * An application that keeps writing in DR may never leave a minute with nothing pending. What the
 * failback needs is that everything written before it began is in main: S3's `ReplicationLatency`
 * says how far behind the destination is, so at the end of the reported minute the oldest object
 * still pending was written at (minute end − latency). Later than the step's start → done.
 */
function writtenBeforeStartReplicated(report: ReplicationReport, startedAt: string): boolean {
  if (report.latencySeconds === undefined || report.measuredAt === undefined) return false;
  const minuteEnd = Date.parse(report.measuredAt) + REPLICATION_METRIC_PERIOD_SECONDS * 1000;
  return minuteEnd - report.latencySeconds * 1000 >= Date.parse(startedAt);
}

/**
 * The `replication` step (act and check). Runs in the database branch after the instances and
 * before the promotion, so a failback never switches the database back while objects are missing.
 *
 * - Failback (`TARGET_ROLE` main): READY once the DR bucket's `OperationsPendingReplication` to main
 *   is 0, so every object written in DR is in main before traffic moves back; PENDING while it is
 *   not; `WaitTimeoutError` once the budget is spent (the Parallel fails, the failure is notified,
 *   traffic stays in DR). Read errors propagate (transient ones as `TransientAwsError`).
 * - Failover (`TARGET_ROLE` dr): never waits. Reads main's backlog to DR once, best effort (main
 *   may be down), and reports it: the S3 part of the data-loss window. Always READY.
 *
 * The result carries the reading as `replication` ({@link ReplicationReport}).
 */
export async function drainReplication(
  event: StepEvent,
  settings: DrainReplicationSettings,
  clients: DrainReplicationClients,
): Promise<StepResult> {
  const call = beginStep('replication', event);
  const rule = ruleOf(settings);
  const read = (): Promise<ReplicationReport> =>
    withTimeout(
      (signal) => readBacklog(clients.sourceCloudwatch, rule, new Date(), signal),
      settings.targetRole === 'dr' ? FAILOVER_READ_TIMEOUT_MS : BACKLOG_CALL_TIMEOUT_MS,
      `${settings.sourceRegion} cloudwatch:GetMetricStatistics`,
    );

  if (settings.targetRole === 'dr') {
    let report: ReplicationReport;
    try {
      report = await read();
    } catch (err: unknown) {
      const e = asError(err);
      report = { ...rule, note: `${settings.sourceRegion} did not answer (${e.name}: ${e.message})` };
    }
    return { ...ready(call, `failover does not wait for S3: ${describe(report)}`), replication: report };
  }

  let report: ReplicationReport;
  try {
    report = await read();
  } catch (err: unknown) {
    rethrow(err, `${settings.sourceRegion} cloudwatch:GetMetricStatistics`);
  }
  if (report.pendingOperations === 0) {
    return { ...ready(call, `replication drained: ${describe(report)}`), replication: report };
  }
  if (writtenBeforeStartReplicated(report, call.startedAt)) {
    return {
      ...ready(
        call,
        `every object written before the failback began is in ${settings.targetRegion}; still in flight: ${describe(report)}`,
      ),
      replication: report,
    };
  }
  return { ...pending(call, describe(report)), replication: report };
}
