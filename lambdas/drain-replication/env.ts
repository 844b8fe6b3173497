/**
 * The environment variables the drain-replication handler reads: infra types the function's
 * environment against this list. No imports, so infra loads nothing of the handler with it.
 * `SOURCE_BUCKETS` are the buckets of the region traffic leaves and `TARGET_BUCKETS` this region's,
 * each comma-joined in config order and aligned by index (entry i of one replicates to entry i of
 * the other); `SOURCE_REPLICATION_RULE_IDS` is, aligned the same way, the id of each source
 * bucket's rule to its pair (a team's bucket pairs each have their own). Together they are the
 * dimensions of the `AWS/S3` replication metrics.
 */
export const DRAIN_REPLICATION_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'SOURCE_BUCKETS',
  'TARGET_BUCKETS',
  'SOURCE_REPLICATION_RULE_IDS',
] as const;
