/**
 * The environment variables the preflight handler reads: infra types the function's environment
 * against this list. No imports, so infra loads nothing of the handler with it. `RECORD_NAMES`:
 * the application's hostnames, comma-separated in config order.
 */
export const PREFLIGHT_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'GLOBAL_CLUSTER_ID',
  'TARGET_CLUSTER_ID',
  'SOURCE_CLUSTER_ID',
  'DB_INSTANCE_COUNT',
  'ASG_NAME',
  'ASG_MIN_CAPACITY',
  'ECS_CLUSTER',
  'ECS_SERVICE',
  'SERVICE_DESIRED_COUNT',
  'ZONE_NAME',
  'RECORD_NAMES',
  'TARGET_RECORD_NAME',
  'SOURCE_RECORD_NAME',
  'COOL_DOWN_MINUTES',
  'SOURCE_PROBE_TIMEOUT_MS',
  'TIMINGS',
  'APPROVAL_REQUIRED',
  'APPROVAL_TIMEOUT_SECONDS',
  'APPROVAL_ON_TIMEOUT',
] as const;
