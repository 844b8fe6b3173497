/**
 * The environment variables the flip-dns handler reads: infra types the function's environment
 * against this list. No imports, so infra loads nothing of the handler with it. `RECORD_NAMES`:
 * the application's hostnames, comma-separated in config order.
 */
export const FLIP_DNS_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'PROJECT',
  'ZONE_NAME',
  'RECORD_NAMES',
  'TARGET_RECORD_NAME',
  'SOURCE_RECORD_NAME',
] as const;
