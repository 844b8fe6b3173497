/**
 * The environment variables the scale-database handler reads: infra types the function's
 * environment against this list. No imports, so infra loads nothing of the handler with it.
 */
export const SCALE_DATABASE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'TARGET_CLUSTER_ID',
  'DB_INSTANCE_COUNT',
  'DB_INSTANCE_CLASS',
] as const;
