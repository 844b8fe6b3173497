import type { BucketBacklog, ReplicationReport } from '../shared/contracts';
import { NO_DATAPOINT, type ReplicationRules } from './backlog';

/** `source → destination` */
export const pairText = (b: BucketBacklog): string => `${b.sourceBucket} → ${b.destinationBucket}`;

/**
 * The report's `ruleId`: the one id when every bucket's rule has it (one bucket, or buckets that
 * share an id), else every bucket's comma-joined in config order, aligned with `sourceBucket`.
 */
export function ruleIdOf(rules: ReplicationRules): string {
  const ids = rules.buckets.map((b) => b.ruleId);
  return new Set(ids).size === 1 ? (ids[0] as string) : ids.join(',');
}

/** The report's distinct rule ids, for a sentence: `rule a` or `rules a, b`. */
function rulesText(report: ReplicationReport): string {
  const ids = [...new Set(report.ruleId.split(','))];
  return `${ids.length === 1 ? 'rule' : 'rules'} ${ids.join(', ')}`;
}

/**
 * The report of every pair's reading (see {@link ReplicationReport} for what the top-level fields
 * mean with several buckets). With one bucket it is that bucket's reading plus the rule id.
 */
export function summarize(rules: ReplicationRules, backlogs: readonly BucketBacklog[]): ReplicationReport {
  const ruleId = ruleIdOf(rules);
  const [only] = backlogs;
  if (backlogs.length === 1 && only !== undefined) return { ...only, ruleId, buckets: backlogs };
  const counts = backlogs.map((b) => b.pendingOperations);
  // A drained bucket's latency says nothing of what is still missing.
  const latencies = backlogs.flatMap((b) =>
    b.latencySeconds === undefined || b.pendingOperations === 0 ? [] : [b.latencySeconds],
  );
  // ISO times of one format sort as strings: the first is the oldest minute the sum rests on.
  const [measuredAt] = backlogs.flatMap((b) => (b.measuredAt === undefined ? [] : [b.measuredAt])).sort();
  const silent = backlogs.filter((b) => b.pendingOperations === 0 && b.measuredAt === undefined).length;
  return {
    sourceBucket: backlogs.map((b) => b.sourceBucket).join(','),
    destinationBucket: backlogs.map((b) => b.destinationBucket).join(','),
    ruleId,
    ...(counts.every((c) => c !== undefined)
      ? { pendingOperations: counts.reduce((a: number, c) => a + c, 0) }
      : {}),
    ...(measuredAt === undefined ? {} : { measuredAt }),
    ...(latencies.length === 0 ? {} : { latencySeconds: Math.max(...latencies) }),
    ...(silent === 0
      ? {}
      : {
          note: `${NO_DATAPOINT} for ${silent} of ${backlogs.length} bucket(s): nothing reported pending there`,
        }),
    buckets: backlogs,
  };
}

/** The report when the source region's CloudWatch did not answer: every backlog unknown. */
export function unknownReport(rules: ReplicationRules, note: string): ReplicationReport {
  return {
    sourceBucket: rules.buckets.map((b) => b.sourceBucket).join(','),
    destinationBucket: rules.buckets.map((b) => b.destinationBucket).join(','),
    ruleId: ruleIdOf(rules),
    note,
    buckets: rules.buckets.map(({ sourceBucket, destinationBucket }) => ({
      sourceBucket,
      destinationBucket,
    })),
  };
}

/**
 * One line for the step's detail. One bucket: `N operation(s) pending replication a → b (rule r)`.
 * Several: the total, and each bucket whose backlog is not 0, named with its count.
 */
export function describeReport(report: ReplicationReport): string {
  const buckets = report.buckets ?? [];
  const note = report.note === undefined ? '' : ` (${report.note})`;
  if (buckets.length <= 1) {
    const what = `${pairText(report)} (${rulesText(report)})`;
    if (report.pendingOperations === undefined)
      return `replication backlog of ${what} unknown: ${report.note}`;
    return `${report.pendingOperations} operation(s) pending replication ${what}${note}`;
  }
  const what = `${buckets.length} bucket(s) (${rulesText(report)})`;
  if (buckets.every((b) => b.pendingOperations === undefined)) {
    return `replication backlog of ${what} unknown: ${report.note}`;
  }
  const behind = buckets.filter((b) => b.pendingOperations !== 0);
  const list = behind.map((b) => `${pairText(b)}: ${b.pendingOperations ?? 'unknown'}`).join(', ');
  const total = report.pendingOperations ?? 'unknown';
  const where = behind.length === 0 ? `none of ${what}` : `${behind.length} of ${what}: ${list}`;
  return `${total} operation(s) pending replication in ${where}${note}`;
}
