import type { DatabaseField } from '../shared/resources';

/**
 * The environment variables the notify handler reads: infra types the function's environment
 * against this list. No imports, so infra loads nothing of the handler with it. `DATABASES` (a
 * JSON list, `lambdas/shared/resources.ts`): the global clusters whose writers a notice reads live.
 */
export const NOTIFY_ENV = [
  'PROJECT',
  'CONFIG_NAME',
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'TOPIC_ARN',
  'STATE_MACHINE_ARN',
  'DATABASES',
] as const;

/** The fields of each `DATABASES` entry (besides `name`) the notices read: each global cluster's writer. */
export const NOTIFY_DATABASE_FIELDS = ['globalClusterId'] as const satisfies readonly DatabaseField[];
