/**
 * The environment variables the promote-database handler reads: infra types the function's
 * environment against this list. No imports, so infra loads nothing of the handler with it.
 */
export const PROMOTE_DATABASE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'GLOBAL_CLUSTER_ID',
  'TARGET_CLUSTER_ID',
  'TARGET_CLUSTER_ARN',
] as const;
