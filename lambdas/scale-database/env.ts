/**
 * The environment variables the scale-database handler reads: infra types the function's
 * environment against this list. No imports, so infra loads nothing of the handler with it.
 * `DATABASES`: every database's identifiers and promotion size in this region, a JSON list
 * (`lambdas/shared/resources.ts`).
 */
export const SCALE_DATABASE_ENV = ['TARGET_ROLE', 'TARGET_REGION', 'SOURCE_REGION', 'DATABASES'] as const;
