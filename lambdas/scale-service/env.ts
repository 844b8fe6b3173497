import { SERVICE_TARGET_ENV } from './target-env';

/**
 * The environment variables the scale-service handler reads: infra types the function's
 * environment against this list. It imports only other lists, so infra loads nothing of the handler with it.
 */
export const SCALE_SERVICE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  ...SERVICE_TARGET_ENV,
] as const;
