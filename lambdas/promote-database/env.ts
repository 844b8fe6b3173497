import { SERVICE_TARGET_ENV } from '../scale-service/target-env';

/**
 * The environment variables the promote-database handler reads: infra types the function's
 * environment against this list. It imports only other lists, so infra loads nothing of the handler with it.
 * The service target (ASG_* / ECS_* / SERVICE_DESIRED_COUNT) is what a planned switchover waits for.
 */
export const PROMOTE_DATABASE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'GLOBAL_CLUSTER_ID',
  'TARGET_CLUSTER_ID',
  'TARGET_CLUSTER_ARN',
  ...SERVICE_TARGET_ENV,
] as const;
