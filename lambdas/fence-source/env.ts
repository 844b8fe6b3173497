import type { ServiceField } from '../shared/resources';

/**
 * The environment variables the fence-source handler reads: infra types the function's environment
 * against this list. No imports, so infra loads nothing of the handler with it.
 * `SOURCE_*` name the region traffic left; `SOURCE_CLAIM_ALARM_NAME` is that region's claim alarm
 * (it tells whether the source's claim is released, and on failback when main may reset its own);
 * `SERVICES` (a JSON list, `lambdas/shared/resources.ts`) gives each service's ECS service in the
 * source region (`sourceEcsService`, in `SOURCE_ECS_CLUSTER`) and the parameter the source's
 * service stack deploys its desired count from (`sourceDesiredCountParameter`: set to 0 before the
 * service is stopped, so a deploy does not restart it; absent for a service the team deployed).
 */
export const FENCE_SOURCE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'PROJECT',
  'SERVICES',
  'SOURCE_ECS_CLUSTER',
  'SOURCE_CLAIM_ALARM_NAME',
] as const;

/**
 * The fields of each `SERVICES` entry (besides `name`) the step reads: the old region's service and
 * the parameter its deployed count is recorded in. Infra writes exactly these.
 */
export const FENCE_SOURCE_SERVICE_FIELDS = [
  'sourceEcsService',
  'sourceDesiredCountParameter',
] as const satisfies readonly ServiceField[];
