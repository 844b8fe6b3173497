/**
 * The environment variables the drain-replication handler reads: infra types the function's
 * environment against this list. No imports, so infra loads nothing of the handler with it.
 * `SOURCE_BUCKET` is the bucket of the region traffic leaves, `TARGET_BUCKET` this region's, and
 * `SOURCE_REPLICATION_RULE_ID` the id of the source bucket's rule to this one: together the
 * dimensions of the `AWS/S3` replication metrics.
 */
export const DRAIN_REPLICATION_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'SOURCE_BUCKET',
  'TARGET_BUCKET',
  'SOURCE_REPLICATION_RULE_ID',
] as const;
