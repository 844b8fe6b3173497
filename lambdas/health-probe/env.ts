/**
 * The environment variables the health-probe handler reads: infra types the function's environment
 * against this list. No imports, so infra loads nothing of the handler with it.
 */
export const HEALTH_PROBE_ENV = [
  'TARGET_REGION',
  'PROBE_URL',
  'PROBE_TIMEOUT_MS',
  'METRIC_NAMESPACE',
  'METRIC_NAME',
  'PROJECT',
  'PERIOD_SECONDS',
  'REQUESTS_PER_PERIOD',
  'CONTROL_URLS',
] as const;
