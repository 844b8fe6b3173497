/**
 * The variables that name a region's service target (ASG and ECS service with their promotion
 * sizes), read by every function that scales or waits for the service. No imports, so the
 * `env.ts` lists that spread it stay free of handler code.
 */
export const SERVICE_TARGET_ENV = [
  'ASG_NAME',
  'ASG_MIN_CAPACITY',
  'ECS_CLUSTER',
  'ECS_SERVICE',
  'SERVICE_DESIRED_COUNT',
] as const;
