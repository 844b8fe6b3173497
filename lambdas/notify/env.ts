/**
 * The environment variables the notify handler reads: infra types the function's environment
 * against this list. No imports, so infra loads nothing of the handler with it.
 */
export const NOTIFY_ENV = [
  'PROJECT',
  'CONFIG_NAME',
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'TOPIC_ARN',
  'GLOBAL_CLUSTER_ID',
  'STATE_MACHINE_ARN',
] as const;
