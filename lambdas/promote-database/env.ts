/**
 * The environment variables the promote-database handler reads: infra types the function's
 * environment against this list. No imports, so infra loads nothing of the handler with it.
 * `DATABASES`: the databases to promote; `SERVICES` with `ASG_NAME`, `ASG_MIN_CAPACITY` and
 * `ECS_CLUSTER`: what a planned switchover waits for (JSON lists, `lambdas/shared/resources.ts`).
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
