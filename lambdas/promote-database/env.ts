import type { DatabaseField, ServiceField } from '../shared/resources';

/**
 * The environment variables the promote-database handler reads: infra types the function's
 * environment against this list. Type-only imports, so infra loads nothing of the handler with it.
 * `DATABASES`: the databases to promote ({@link PROMOTE_DATABASE_DATABASE_FIELDS}); `SERVICES`
 * ({@link PROMOTE_DATABASE_SERVICE_FIELDS}) with `ASG_NAME`, `ASG_MIN_CAPACITY` and `ECS_CLUSTER`:
 * what a planned switchover waits for. Both are JSON lists (`lambdas/shared/resources.ts`).
 */
export const PROMOTE_DATABASE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'DATABASES',
  'SERVICES',
  'ASG_NAME',
  'ASG_MIN_CAPACITY',
  'ECS_CLUSTER',
] as const;

/** The fields of each `DATABASES` entry (besides `name`) the handler reads: infra writes exactly these. */
export const PROMOTE_DATABASE_DATABASE_FIELDS = [
  'globalClusterId',
  'clusterId',
  'clusterArn',
] as const satisfies readonly DatabaseField[];

/**
 * The fields of each `SERVICES` entry (besides `name`) the handler reads: every one, as the
 * service reader's target (`ServiceTarget` of `lambdas/scale-service/progress.ts`) takes whole
 * entries. It reads only `ecsService` and `desiredCount`.
 */
export const PROMOTE_DATABASE_SERVICE_FIELDS = [
  'ecsService',
  'desiredCount',
  'desiredCountParameter',
  'sourceEcsService',
  'sourceDesiredCountParameter',
  'image',
] as const satisfies readonly ServiceField[];
