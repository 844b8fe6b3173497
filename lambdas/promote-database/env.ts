/**
 * The environment variables the promote-database handler reads: infra types the function's
 * environment against this list. No imports, so infra loads nothing of the handler with it.
 * The service target (ASG_* / ECS_* / SERVICE_DESIRED_COUNT) is what a planned switchover waits for.
 */
export const PROMOTE_DATABASE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'GLOBAL_CLUSTER_ID',
  'TARGET_CLUSTER_ID',
  'TARGET_CLUSTER_ARN',
  'ASG_NAME',
  'ASG_MIN_CAPACITY',
  'ECS_CLUSTER',
  'ECS_SERVICE',
  'SERVICE_DESIRED_COUNT',
] as const;
