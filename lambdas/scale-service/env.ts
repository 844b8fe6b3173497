/**
 * The environment variables the scale-service handler reads: infra types the function's
 * environment against this list. No imports, so infra loads nothing of the handler with it.
 */
export const SCALE_SERVICE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'ASG_NAME',
  'ASG_MIN_CAPACITY',
  'ECS_CLUSTER',
  'ECS_SERVICE',
  'SERVICE_DESIRED_COUNT',
] as const;
