import { SERVICE_TARGET_FIELDS } from '../scale-service/target-env';
import type { DatabaseField } from '../shared/resources';

/**
 * The environment variables the preflight handler reads: infra types the function's environment
 * against this list. It imports only other lists, so infra loads nothing of the handler with it.
 * `DATABASES` ({@link PREFLIGHT_DATABASE_FIELDS}) and `SERVICES` ({@link PREFLIGHT_SERVICE_FIELDS}):
 * the application's databases and services, JSON lists (`lambdas/shared/resources.ts`);
 * `RECORD_NAMES`: the application's hostnames, comma-separated in config order.
 */
export const PREFLIGHT_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'DATABASES',
  'ASG_NAME',
  'ASG_MIN_CAPACITY',
  'ECS_CLUSTER',
  'SERVICES',
  'ZONE_NAME',
  'RECORD_NAMES',
  'TARGET_RECORD_NAME',
  'SOURCE_RECORD_NAME',
  'COOL_DOWN_MINUTES',
  'SOURCE_PROBE_TIMEOUT_MS',
  'SOURCE_HEALTH_URL',
  'SOURCE_HEALTH_REQUESTS',
  'SOURCE_HEALTH_TIMEOUT_MS',
  'TIMINGS',
  'APPROVAL_REQUIRED',
  'APPROVAL_TIMEOUT_SECONDS',
  'APPROVAL_ON_TIMEOUT',
] as const;

/**
 * The fields of each `DATABASES` entry (besides `name`) preflight reads: infra writes exactly
 * these. The database and promotion steps' goals, and the source cluster the probe asks about.
 */
export const PREFLIGHT_DATABASE_FIELDS = [
  'globalClusterId',
  'clusterId',
  'clusterArn',
  'sourceClusterId',
  'instanceCount',
] as const satisfies readonly DatabaseField[];

/**
 * The fields of each `SERVICES` entry (besides `name`) it reads: what the service reader
 * (`readServiceProgress` of `lambdas/scale-service/progress.ts`) needs, and no more (Lambda's 4 KB
 * environment holds 10 services this way).
 */
export const PREFLIGHT_SERVICE_FIELDS = SERVICE_TARGET_FIELDS;
