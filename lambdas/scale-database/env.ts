import type { DatabaseField } from '../shared/resources';

/**
 * The environment variables the scale-database handler reads: infra types the function's
 * environment against this list. Type-only imports, so infra loads nothing of the handler with it.
 * `DATABASES`: the databases whose clusters in this region get instances, a JSON list
 * (`lambdas/shared/resources.ts`) holding {@link SCALE_DATABASE_DATABASE_FIELDS}.
 */
export const SCALE_DATABASE_ENV = ['TARGET_ROLE', 'TARGET_REGION', 'SOURCE_REGION', 'DATABASES'] as const;

/** The fields of each `DATABASES` entry (besides `name`) the handler reads: infra writes exactly these. */
export const SCALE_DATABASE_DATABASE_FIELDS = [
  'clusterId',
  'instanceCount',
  'instanceClass',
  'fallbackInstanceClasses',
] as const satisfies readonly DatabaseField[];
