import { SERVICE_TARGET_FIELDS } from '../scale-service/target-env';
import type { DatabaseField } from '../shared/resources';

/**
 * The environment variables the promote-database handler reads: infra types the function's
 * environment against this list. It imports only other lists, so infra loads nothing of the handler with it.
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
 * The fields of each `SERVICES` entry (besides `name`) it reads: what the service reader
 * (`readServiceProgress` of `lambdas/scale-service/progress.ts`) needs, and no more (Lambda's 4 KB
 * environment holds 10 services this way).
 */
export const PROMOTE_DATABASE_SERVICE_FIELDS = SERVICE_TARGET_FIELDS;
