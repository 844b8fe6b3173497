import { SERVICE_TARGET_ENV } from './target-env';

/**
 * The capacity parameters the service stack deploys from (`infra/constructs/capacity-parameters.ts`),
 * in this region: the step writes its targets there before it scales.
 */
export const CAPACITY_RECORD_ENV = ['ASG_MIN_CAPACITY_PARAMETER', 'SERVICE_DESIRED_COUNT_PARAMETER'] as const;

/**
 * The environment variables the scale-service handler reads: infra types the function's
 * environment against this list. It imports only other lists, so infra loads nothing of the handler with it.
 */
export const SCALE_SERVICE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  ...SERVICE_TARGET_ENV,
  ...CAPACITY_RECORD_ENV,
] as const;
